import type { MigrationInterface, QueryRunner } from 'typeorm';

export class DirectoryChangeHandled1795514412728 implements MigrationInterface {
  name = 'DirectoryChangeHandled1795514412728';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "scheduling"."directory_change_handled" ("change_id" uuid NOT NULL, "office_id" uuid NOT NULL, "changed_at" TIMESTAMP WITH TIME ZONE NOT NULL, "seen_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "handled_at" TIMESTAMP WITH TIME ZONE, "result" jsonb, CONSTRAINT "ck_directory_change_handled_result" CHECK (("handled_at" IS NULL) = ("result" IS NULL)), CONSTRAINT "pk_directory_change_handled" PRIMARY KEY ("change_id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "ix_directory_change_pending" ON "scheduling"."directory_change_handled"  ("changed_at") WHERE "handled_at" IS NULL',
    );
  }

  async down(): Promise<void> {
    throw new Error(
      'DirectoryChangeHandled1795514412728 is not reversible; restore from backup or write a new migration',
    );
  }
}
