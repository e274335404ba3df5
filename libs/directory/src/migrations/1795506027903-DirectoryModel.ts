import type { MigrationInterface, QueryRunner } from 'typeorm';

export class DirectoryModel1795506027903 implements MigrationInterface {
  name = 'DirectoryModel1795506027903';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "directory"."office" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" character varying(200) NOT NULL, "street_address" character varying(200) NOT NULL, "postal_code" character varying(10) NOT NULL, "municipality" character varying(100) NOT NULL, "time_zone" character varying(64) NOT NULL, "latitude" double precision NOT NULL, "longitude" double precision NOT NULL, "step_free_access" boolean NOT NULL DEFAULT false, "accessible_toilet" boolean NOT NULL DEFAULT false, "hearing_loop" boolean NOT NULL DEFAULT false, "accessible_parking" boolean NOT NULL DEFAULT false, "accessibility_note" text NOT NULL DEFAULT \'\', "eve_closing_minute" smallint NOT NULL DEFAULT \'780\', "active" boolean NOT NULL DEFAULT true, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_office_coordinates" CHECK ("latitude" BETWEEN -90 AND 90 AND "longitude" BETWEEN -180 AND 180), CONSTRAINT "ck_office_eve_closing" CHECK ("eve_closing_minute" BETWEEN 0 AND 1440), CONSTRAINT "pk_office" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE TABLE "directory"."office_agency" ("office_id" uuid NOT NULL, "agency_id" uuid NOT NULL, CONSTRAINT "pk_office_agency" PRIMARY KEY ("office_id", "agency_id"))',
    );
    await queryRunner.query(
      "CREATE TYPE \"directory\".\"counter_status\" AS ENUM('ACTIVE', 'OUT_OF_ORDER', 'RETIRED')",
    );
    await queryRunner.query(
      'CREATE TABLE "directory"."counter" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "office_id" uuid NOT NULL, "name" character varying(100) NOT NULL, "private_room" boolean NOT NULL DEFAULT false, "accessible_desk" boolean NOT NULL DEFAULT false, "hearing_loop" boolean NOT NULL DEFAULT false, "status" "directory"."counter_status" NOT NULL DEFAULT \'ACTIVE\', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_counter_id_office" UNIQUE ("id", "office_id"), CONSTRAINT "uq_counter_office_name" UNIQUE ("office_id", "name"), CONSTRAINT "pk_counter" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE TYPE "directory"."allocation_kind" AS ENUM(\'WEEKLY\', \'DATED\')',
    );
    await queryRunner.query(
      'CREATE TABLE "directory"."counter_allocation" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "office_id" uuid NOT NULL, "counter_id" uuid NOT NULL, "agency_id" uuid, "kind" "directory"."allocation_kind" NOT NULL, "weekday" smallint, "date" date, "start_minute" smallint NOT NULL, "end_minute" smallint NOT NULL, "valid_from" date, "valid_to" date, CONSTRAINT "ck_allocation_validity" CHECK ("valid_to" IS NULL OR "valid_from" IS NULL OR "valid_to" >= "valid_from"), CONSTRAINT "ck_allocation_kind" CHECK (("kind" = \'WEEKLY\' AND "weekday" BETWEEN 1 AND 7 AND "date" IS NULL AND "agency_id" IS NOT NULL) OR ("kind" = \'DATED\' AND "date" IS NOT NULL AND "weekday" IS NULL AND "valid_from" IS NULL AND "valid_to" IS NULL)), CONSTRAINT "ck_allocation_interval" CHECK ("start_minute" >= 0 AND "end_minute" <= 1440 AND "start_minute" < "end_minute"), CONSTRAINT "ex_allocation_dated_overlap" EXCLUDE USING gist ("counter_id" WITH =, "date" WITH =, int4range("start_minute", "end_minute") WITH &&) WHERE ("kind" = \'DATED\'), CONSTRAINT "ex_allocation_weekly_overlap" EXCLUDE USING gist ("counter_id" WITH =, "weekday" WITH =, int4range("start_minute", "end_minute") WITH &&, daterange(COALESCE("valid_from", \'-infinity\'::date), COALESCE("valid_to", \'infinity\'::date), \'[]\') WITH &&) WHERE ("kind" = \'WEEKLY\'), CONSTRAINT "pk_counter_allocation" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "ix_counter_allocation_office" ON "directory"."counter_allocation"  ("office_id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "directory"."service" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "agency_id" uuid NOT NULL, "code" character varying(40) NOT NULL, "name_sv" character varying(200) NOT NULL, "name_en" character varying(200) NOT NULL, "duration_minutes" integer NOT NULL, "buffer_after_minutes" integer NOT NULL DEFAULT \'0\', "slot_granularity_minutes" integer NOT NULL DEFAULT \'15\', "min_notice_minutes" integer NOT NULL DEFAULT \'120\', "horizon_days" integer NOT NULL DEFAULT \'90\', "needs_private_room" boolean NOT NULL DEFAULT false, "languages" character varying(2) array NOT NULL DEFAULT \'{sv}\', "documents_sv" text NOT NULL DEFAULT \'\', "documents_en" text NOT NULL DEFAULT \'\', "max_active_bookings" integer NOT NULL DEFAULT \'1\', "active" boolean NOT NULL DEFAULT true, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_service_id_agency" UNIQUE ("id", "agency_id"), CONSTRAINT "uq_service_agency_code" UNIQUE ("agency_id", "code"), CONSTRAINT "ck_service_rules" CHECK ("buffer_after_minutes" >= 0 AND "slot_granularity_minutes" BETWEEN 5 AND 240 AND "min_notice_minutes" >= 0 AND "max_active_bookings" >= 1), CONSTRAINT "ck_service_horizon" CHECK ("horizon_days" BETWEEN 1 AND 730), CONSTRAINT "ck_service_duration" CHECK ("duration_minutes" > 0 AND "duration_minutes" <= 480), CONSTRAINT "pk_service" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE TABLE "directory"."office_service" ("office_id" uuid NOT NULL, "service_id" uuid NOT NULL, "agency_id" uuid NOT NULL, CONSTRAINT "pk_office_service" PRIMARY KEY ("office_id", "service_id"))',
    );
    await queryRunner.query(
      'CREATE TABLE "directory"."opening_hours" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "office_id" uuid NOT NULL, "weekday" smallint NOT NULL, "start_minute" smallint NOT NULL, "end_minute" smallint NOT NULL, CONSTRAINT "ck_opening_hours_weekday" CHECK ("weekday" BETWEEN 1 AND 7), CONSTRAINT "ck_opening_hours_interval" CHECK ("start_minute" >= 0 AND "end_minute" <= 1440 AND "start_minute" < "end_minute"), CONSTRAINT "ex_opening_hours_overlap" EXCLUDE USING gist ("office_id" WITH =, "weekday" WITH =, int4range("start_minute", "end_minute") WITH &&), CONSTRAINT "pk_opening_hours" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "ix_opening_hours_office" ON "directory"."opening_hours"  ("office_id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "directory"."opening_exception" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "office_id" uuid NOT NULL, "date" date NOT NULL, "start_minute" smallint NOT NULL, "end_minute" smallint NOT NULL, "note" character varying(200) NOT NULL DEFAULT \'\', CONSTRAINT "ck_opening_exception_interval" CHECK ("start_minute" >= 0 AND "end_minute" <= 1440 AND "start_minute" < "end_minute"), CONSTRAINT "ex_opening_exception_overlap" EXCLUDE USING gist ("office_id" WITH =, "date" WITH =, int4range("start_minute", "end_minute") WITH &&), CONSTRAINT "pk_opening_exception" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "ix_opening_exception_office_date" ON "directory"."opening_exception"  ("office_id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "directory"."closure" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "office_id" uuid NOT NULL, "from_date" date NOT NULL, "to_date" date NOT NULL, "reason" character varying(200) NOT NULL, CONSTRAINT "ck_closure_dates" CHECK ("to_date" >= "from_date"), CONSTRAINT "pk_closure" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "ix_closure_office" ON "directory"."closure"  ("office_id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "directory"."staff" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" character varying(200) NOT NULL, "subject" character varying(200), "languages" character varying(2) array NOT NULL DEFAULT \'{sv}\', "active" boolean NOT NULL DEFAULT true, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_staff_subject" UNIQUE ("subject"), CONSTRAINT "pk_staff" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE TABLE "directory"."staff_office" ("staff_id" uuid NOT NULL, "office_id" uuid NOT NULL, "office_admin" boolean NOT NULL DEFAULT false, CONSTRAINT "pk_staff_office" PRIMARY KEY ("staff_id", "office_id"))',
    );
    await queryRunner.query(
      'CREATE TABLE "directory"."staff_competence" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "staff_id" uuid NOT NULL, "agency_id" uuid NOT NULL, "service_id" uuid, CONSTRAINT "pk_staff_competence" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "uq_competence_service" ON "directory"."staff_competence"  ("staff_id", "service_id") WHERE "service_id" IS NOT NULL',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "uq_competence_agency" ON "directory"."staff_competence"  ("staff_id", "agency_id") WHERE "service_id" IS NULL',
    );
    await queryRunner.query(
      'CREATE TABLE "directory"."staff_shift" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "staff_id" uuid NOT NULL, "office_id" uuid NOT NULL, "weekday" smallint NOT NULL, "start_minute" smallint NOT NULL, "end_minute" smallint NOT NULL, "valid_from" date, "valid_to" date, CONSTRAINT "ck_shift_validity" CHECK ("valid_to" IS NULL OR "valid_from" IS NULL OR "valid_to" >= "valid_from"), CONSTRAINT "ck_shift_weekday" CHECK ("weekday" BETWEEN 1 AND 7), CONSTRAINT "ck_shift_interval" CHECK ("start_minute" >= 0 AND "end_minute" <= 1440 AND "start_minute" < "end_minute"), CONSTRAINT "ex_shift_overlap" EXCLUDE USING gist ("staff_id" WITH =, "weekday" WITH =, int4range("start_minute", "end_minute") WITH &&, daterange(COALESCE("valid_from", \'-infinity\'::date), COALESCE("valid_to", \'infinity\'::date), \'[]\') WITH &&), CONSTRAINT "pk_staff_shift" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "ix_staff_shift_office" ON "directory"."staff_shift"  ("office_id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "directory"."staff_absence" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "staff_id" uuid NOT NULL, "starts_at" TIMESTAMP WITH TIME ZONE NOT NULL, "ends_at" TIMESTAMP WITH TIME ZONE NOT NULL, "reason" character varying(200) NOT NULL DEFAULT \'\', CONSTRAINT "ck_absence_interval" CHECK ("ends_at" > "starts_at"), CONSTRAINT "pk_staff_absence" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "ix_staff_absence_staff" ON "directory"."staff_absence"  ("staff_id") ',
    );
    await queryRunner.query(
      'ALTER TABLE "directory"."office_agency" ADD CONSTRAINT "fk_office_agency_office" FOREIGN KEY ("office_id") REFERENCES "directory"."office"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "directory"."office_agency" ADD CONSTRAINT "fk_office_agency_agency" FOREIGN KEY ("agency_id") REFERENCES "directory"."agency"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "directory"."counter" ADD CONSTRAINT "fk_counter_office" FOREIGN KEY ("office_id") REFERENCES "directory"."office"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "directory"."counter_allocation" ADD CONSTRAINT "fk_allocation_counter" FOREIGN KEY ("counter_id", "office_id") REFERENCES "directory"."counter"("id","office_id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "directory"."counter_allocation" ADD CONSTRAINT "fk_allocation_participation" FOREIGN KEY ("office_id", "agency_id") REFERENCES "directory"."office_agency"("office_id","agency_id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "directory"."service" ADD CONSTRAINT "fk_service_agency" FOREIGN KEY ("agency_id") REFERENCES "directory"."agency"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "directory"."office_service" ADD CONSTRAINT "fk_office_service_participation" FOREIGN KEY ("office_id", "agency_id") REFERENCES "directory"."office_agency"("office_id","agency_id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "directory"."office_service" ADD CONSTRAINT "fk_office_service_service" FOREIGN KEY ("service_id", "agency_id") REFERENCES "directory"."service"("id","agency_id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "directory"."opening_hours" ADD CONSTRAINT "fk_opening_hours_office" FOREIGN KEY ("office_id") REFERENCES "directory"."office"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "directory"."opening_exception" ADD CONSTRAINT "fk_opening_exception_office" FOREIGN KEY ("office_id") REFERENCES "directory"."office"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "directory"."closure" ADD CONSTRAINT "fk_closure_office" FOREIGN KEY ("office_id") REFERENCES "directory"."office"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "directory"."staff_office" ADD CONSTRAINT "fk_staff_office_staff" FOREIGN KEY ("staff_id") REFERENCES "directory"."staff"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "directory"."staff_office" ADD CONSTRAINT "fk_staff_office_office" FOREIGN KEY ("office_id") REFERENCES "directory"."office"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "directory"."staff_competence" ADD CONSTRAINT "fk_competence_staff" FOREIGN KEY ("staff_id") REFERENCES "directory"."staff"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "directory"."staff_competence" ADD CONSTRAINT "fk_competence_agency" FOREIGN KEY ("agency_id") REFERENCES "directory"."agency"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "directory"."staff_competence" ADD CONSTRAINT "fk_competence_service" FOREIGN KEY ("service_id", "agency_id") REFERENCES "directory"."service"("id","agency_id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "directory"."staff_shift" ADD CONSTRAINT "fk_shift_staff_office" FOREIGN KEY ("staff_id", "office_id") REFERENCES "directory"."staff_office"("staff_id","office_id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "directory"."staff_absence" ADD CONSTRAINT "fk_absence_staff" FOREIGN KEY ("staff_id") REFERENCES "directory"."staff"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
  }

  async down(): Promise<void> {
    throw new Error(
      'DirectoryModel1795506027903 is not reversible; restore from backup or write a new migration',
    );
  }
}
