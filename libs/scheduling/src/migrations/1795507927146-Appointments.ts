import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Appointments1795507927146 implements MigrationInterface {
  name = 'Appointments1795507927146';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      "CREATE TYPE \"scheduling\".\"appointment_status\" AS ENUM('HELD', 'BOOKED', 'CHECKED_IN', 'CALLED', 'IN_SERVICE', 'COMPLETED', 'NO_SHOW', 'CANCELLED')",
    );
    await queryRunner.query(
      "CREATE TYPE \"scheduling\".\"booking_channel\" AS ENUM('WEB', 'DESK', 'PHONE', 'API')",
    );
    await queryRunner.query(
      'CREATE TABLE "scheduling"."appointment" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "office_id" uuid NOT NULL, "agency_id" uuid NOT NULL, "service_id" uuid NOT NULL, "counter_id" uuid NOT NULL, "staff_id" uuid NOT NULL, "citizen_key" character varying(64), "reference" character varying(12) NOT NULL, "status" "scheduling"."appointment_status" NOT NULL, "starts_at" TIMESTAMP WITH TIME ZONE NOT NULL, "ends_at" TIMESTAMP WITH TIME ZONE NOT NULL, "busy_until" TIMESTAMP WITH TIME ZONE NOT NULL, "hold_expires_at" TIMESTAMP WITH TIME ZONE, "hold_client" character varying(64), "channel" "scheduling"."booking_channel" NOT NULL, "booked_by_role" character varying(16) NOT NULL, "booked_by_subject" character varying(200), "needs" character varying(32) array NOT NULL DEFAULT \'{}\', "language" character varying(2), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_appointment_times" CHECK ("ends_at" > "starts_at" AND "busy_until" >= "ends_at"), CONSTRAINT "ex_appointment_citizen" EXCLUDE USING gist ("citizen_key" WITH =, tstzrange("starts_at", "ends_at") WITH &&) WHERE ("status" IN (\'HELD\', \'BOOKED\', \'CHECKED_IN\', \'CALLED\', \'IN_SERVICE\')), CONSTRAINT "ex_appointment_staff" EXCLUDE USING gist ("staff_id" WITH =, tstzrange("starts_at", "busy_until") WITH &&) WHERE ("status" IN (\'HELD\', \'BOOKED\', \'CHECKED_IN\', \'CALLED\', \'IN_SERVICE\')), CONSTRAINT "ex_appointment_counter" EXCLUDE USING gist ("office_id" WITH =, "counter_id" WITH =, tstzrange("starts_at", "busy_until") WITH &&) WHERE ("status" IN (\'HELD\', \'BOOKED\', \'CHECKED_IN\', \'CALLED\', \'IN_SERVICE\')), CONSTRAINT "pk_appointment" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "ix_appointment_citizen_service" ON "scheduling"."appointment"  ("citizen_key", "service_id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "ix_appointment_office_start" ON "scheduling"."appointment"  ("office_id", "starts_at") ',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "uq_appointment_reference_active" ON "scheduling"."appointment"  ("reference") WHERE "status" IN (\'HELD\', \'BOOKED\', \'CHECKED_IN\', \'CALLED\', \'IN_SERVICE\')',
    );
    await queryRunner.query(
      'CREATE TABLE "scheduling"."appointment_contact" ("appointment_id" uuid NOT NULL, "name" character varying(200) NOT NULL, "email" character varying(254), "phone" character varying(40), "identity_number_sealed" bytea, "birth_date" date, CONSTRAINT "pk_appointment_contact" PRIMARY KEY ("appointment_id"))',
    );
    await queryRunner.query(
      'CREATE TABLE "scheduling"."appointment_event" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "appointment_id" uuid NOT NULL, "office_id" uuid NOT NULL, "agency_id" uuid NOT NULL, "type" character varying(32) NOT NULL, "actor_role" character varying(16) NOT NULL, "actor_subject" character varying(200), "channel" character varying(8) NOT NULL, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "earliest_free_start" TIMESTAMP WITH TIME ZONE, "details" jsonb NOT NULL DEFAULT \'{}\', CONSTRAINT "pk_appointment_event" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "ix_event_office_time" ON "scheduling"."appointment_event"  ("office_id", "occurred_at") ',
    );
    await queryRunner.query(
      'CREATE INDEX "ix_event_appointment" ON "scheduling"."appointment_event"  ("appointment_id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "scheduling"."idempotency_key" ("scope" character varying(64) NOT NULL, "request_hash" character varying(64) NOT NULL, "appointment_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_idempotency_key" PRIMARY KEY ("scope"))',
    );
    await queryRunner.query(
      'ALTER TABLE "scheduling"."appointment_contact" ADD CONSTRAINT "fk_contact_appointment" FOREIGN KEY ("appointment_id") REFERENCES "scheduling"."appointment"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
  }

  async down(): Promise<void> {
    throw new Error(
      'Appointments1795507927146 is not reversible; restore from backup or write a new migration',
    );
  }
}
