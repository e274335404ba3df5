import type { MigrationInterface, QueryRunner } from 'typeorm';

export class JointVisits1795522724497 implements MigrationInterface {
  name = 'JointVisits1795522724497';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TYPE "scheduling"."joint_visit_status" AS ENUM(\'BOOKED\', \'CANCELLED\')',
    );
    await queryRunner.query(
      'CREATE TABLE "scheduling"."joint_visit" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "reference" character varying(12) NOT NULL, "office_id" uuid NOT NULL, "citizen_key" character varying(64) NOT NULL, "status" "scheduling"."joint_visit_status" NOT NULL DEFAULT \'BOOKED\', "service_ids" uuid array NOT NULL, "any_order" boolean NOT NULL DEFAULT false, "party_size" integer NOT NULL DEFAULT \'1\', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_joint_visit_party" CHECK ("party_size" BETWEEN 1 AND 10), CONSTRAINT "pk_joint_visit" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "ix_joint_visit_citizen" ON "scheduling"."joint_visit"  ("citizen_key") ',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "uq_joint_visit_reference_active" ON "scheduling"."joint_visit"  ("reference") WHERE "status" = \'BOOKED\'',
    );
    await queryRunner.query('ALTER TABLE "scheduling"."appointment" ADD "joint_visit_id" uuid');
    await queryRunner.query('ALTER TABLE "scheduling"."appointment" ADD "joint_part" smallint');
    await queryRunner.query(
      'CREATE INDEX "ix_appointment_joint_visit" ON "scheduling"."appointment"  ("joint_visit_id") ',
    );
    await queryRunner.query(
      'ALTER TABLE "scheduling"."appointment" ADD CONSTRAINT "ck_appointment_joint_part" CHECK (("joint_visit_id" IS NULL) = ("joint_part" IS NULL) AND ("joint_part" IS NULL OR "joint_part" BETWEEN 0 AND 4))',
    );
    await queryRunner.query(
      'ALTER TABLE "scheduling"."appointment" ADD CONSTRAINT "fk_appointment_joint_visit" FOREIGN KEY ("joint_visit_id") REFERENCES "scheduling"."joint_visit"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
  }

  async down(): Promise<void> {
    throw new Error(
      'JointVisits1795522724497 is not reversible; restore from backup or write a new migration',
    );
  }
}
