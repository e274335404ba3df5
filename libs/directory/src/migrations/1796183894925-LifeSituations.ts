import type { MigrationInterface, QueryRunner } from 'typeorm';

export class LifeSituations1796183894925 implements MigrationInterface {
  name = 'LifeSituations1796183894925';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE "directory"."service" ADD "life_situations" character varying(20) array NOT NULL DEFAULT \'{}\'',
    );
    await queryRunner.query(
      "ALTER TABLE \"directory\".\"service\" ADD CONSTRAINT \"ck_service_life_situations\" CHECK (\"life_situations\" <@ ARRAY['MOVING_TO_SWEDEN', 'NEW_BABY', 'RETIRING', 'LOST_ID', 'LOOKING_FOR_WORK']::varchar[])",
    );
  }

  async down(): Promise<void> {
    throw new Error(
      'LifeSituations1796183894925 is not reversible; restore from backup or write a new migration',
    );
  }
}
