import type { MigrationInterface, QueryRunner } from 'typeorm';

export class PartySize1795522861009 implements MigrationInterface {
  name = 'PartySize1795522861009';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE "directory"."service" ADD "per_person_minutes" integer NOT NULL DEFAULT \'0\'',
    );
    await queryRunner.query(
      'ALTER TABLE "directory"."service" ADD "max_party_size" integer NOT NULL DEFAULT \'1\'',
    );
    await queryRunner.query(
      'ALTER TABLE "directory"."service" ADD CONSTRAINT "ck_service_party_size" CHECK ("max_party_size" BETWEEN 1 AND 10)',
    );
    await queryRunner.query(
      'ALTER TABLE "directory"."service" ADD CONSTRAINT "ck_service_per_person" CHECK ("per_person_minutes" BETWEEN 0 AND 120)',
    );
  }

  async down(): Promise<void> {
    throw new Error(
      'PartySize1795522861009 is not reversible; restore from backup or write a new migration',
    );
  }
}
