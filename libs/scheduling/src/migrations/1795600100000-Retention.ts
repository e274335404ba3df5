import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Retention (docs/security.md, "Retention"): a joint visit's citizen key is emptied with the
 * rest of its personal data once the visit is long past, so the column may be null.
 */
export class Retention1795600100000 implements MigrationInterface {
  name = 'Retention1795600100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "scheduling"."joint_visit" ALTER COLUMN "citizen_key" DROP NOT NULL`,
    );
  }

  /** Purged visits get a key that identifies nobody, so the column can be required again. */
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `UPDATE "scheduling"."joint_visit" SET "citizen_key" = 'purged:' || "id" WHERE "citizen_key" IS NULL`,
    );
    await queryRunner.query(
      `ALTER TABLE "scheduling"."joint_visit" ALTER COLUMN "citizen_key" SET NOT NULL`,
    );
  }
}
