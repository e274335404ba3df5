import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateAgency1795504828201 implements MigrationInterface {
  name = 'CreateAgency1795504828201';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      "CREATE TYPE \"directory\".\"agency_level\" AS ENUM('STATE', 'REGION', 'MUNICIPALITY')",
    );
    await queryRunner.query(
      'CREATE TABLE "directory"."agency" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "code" character varying(16) NOT NULL, "name" character varying(200) NOT NULL, "level" "directory"."agency_level" NOT NULL, "active" boolean NOT NULL DEFAULT true, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_agency_code" UNIQUE ("code"), CONSTRAINT "pk_agency" PRIMARY KEY ("id"))',
    );
  }

  async down(): Promise<void> {
    throw new Error(
      'CreateAgency1795504828201 is not reversible; restore from backup or write a new migration',
    );
  }
}
