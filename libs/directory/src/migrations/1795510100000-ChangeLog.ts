import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ChangeLog1795510100000 implements MigrationInterface {
  name = 'ChangeLog1795510100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "directory"."change_log" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "office_id" uuid NOT NULL, "kind" character varying(32) NOT NULL, "scope" jsonb NOT NULL, "changed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_change_log" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "ix_change_log_office" ON "directory"."change_log"  ("office_id", "changed_at") ',
    );
  }

  async down(): Promise<void> {
    throw new Error(
      'ChangeLog1795510100000 is not reversible; restore from backup or write a new migration',
    );
  }
}
