import type { MigrationInterface, QueryRunner } from 'typeorm';

const TICKET_EVENT_KINDS = [
  'ARRIVED',
  'CHECKED_IN',
  'CALLED',
  'RECALLED',
  'STARTED',
  'PARKED',
  'UNPARKED',
  'TRANSFERRED',
  'ENDED',
  'NO_SHOW',
  'CANCELLED',
];

/**
 * The front desk (docs/frontdesk.md): walk-in tickets and checked-in appointments in one
 * queue per office, their numbers of the day, per-service queue rules and an event row for
 * every step. The statements are hand-written SQL (the call is one statement), so these
 * tables have no TypeORM entities; this migration is their single definition.
 */
export class FrontDesk1795600000000 implements MigrationInterface {
  name = 'FrontDesk1795600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TYPE scheduling.ticket_status AS ENUM
        ('WAITING', 'CALLED', 'IN_SERVICE', 'PARKED', 'COMPLETED', 'NO_SHOW', 'CANCELLED')`);
    await queryRunner.query(`
      CREATE TYPE scheduling.ticket_channel AS ENUM ('KIOSK', 'STAFF', 'REMOTE', 'CHECK_IN')`);

    // An office's own rules for one service's queue: the wait it aims at (the ageing rule)
    // and an optional daily contingent of walk-in tickets.
    await queryRunner.query(`
      CREATE TABLE scheduling.queue_rule (
        office_id uuid NOT NULL,
        service_id uuid NOT NULL,
        target_wait_minutes smallint CHECK (target_wait_minutes BETWEEN 1 AND 480),
        daily_ticket_limit integer CHECK (daily_ticket_limit BETWEEN 0 AND 100000),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_queue_rule PRIMARY KEY (office_id, service_id)
      )`);

    // Counters of one office-local day: the last number of each letter ('letter:F'), the
    // office's own count of tickets ('office', the call order's final tie-break) and the
    // walk-in tickets issued per service ('service:<id>'). Incremented in the statement that
    // inserts the ticket, so two kiosks never get one number and a contingent never overruns.
    await queryRunner.query(`
      CREATE TABLE scheduling.ticket_day_counter (
        office_id uuid NOT NULL,
        local_date date NOT NULL,
        counter_key varchar(64) NOT NULL,
        value integer NOT NULL CHECK (value >= 0),
        CONSTRAINT pk_ticket_day_counter PRIMARY KEY (office_id, local_date, counter_key)
      )`);

    await queryRunner.query(`
      CREATE TABLE scheduling.ticket (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        office_id uuid NOT NULL,
        local_date date NOT NULL,
        letter char(1) NOT NULL CHECK (letter BETWEEN 'A' AND 'Z'),
        sequence integer NOT NULL CHECK (sequence > 0),
        number varchar(8) NOT NULL,
        agency_id uuid NOT NULL,
        service_id uuid NOT NULL,
        status scheduling.ticket_status NOT NULL DEFAULT 'WAITING',
        channel scheduling.ticket_channel NOT NULL,
        language varchar(2),
        needs text[] NOT NULL DEFAULT '{}',
        joint_visit_id uuid REFERENCES scheduling.joint_visit (id),
        appointment_id uuid REFERENCES scheduling.appointment (id),
        next_appointment_ids uuid[] NOT NULL DEFAULT '{}',
        booked_start timestamptz,
        arrived_at timestamptz NOT NULL,
        due_at timestamptz NOT NULL,
        overdue_at timestamptz NOT NULL,
        first_in_line_at timestamptz,
        reserved_staff_id uuid,
        reserved_counter_id uuid,
        counter_id uuid,
        counter_name varchar(100),
        staff_id uuid,
        called_at timestamptz,
        call_count smallint NOT NULL DEFAULT 0,
        started_at timestamptz,
        ended_at timestamptz,
        park_reason varchar(16),
        outcome varchar(20),
        delivered_service_ids uuid[],
        transfer_count smallint NOT NULL DEFAULT 0,
        note varchar(500),
        token_hash bytea NOT NULL,
        citizen_key varchar(128),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_ticket PRIMARY KEY (id),
        CONSTRAINT uq_ticket_number UNIQUE (office_id, local_date, letter, sequence),
        CONSTRAINT uq_ticket_token UNIQUE (token_hash),
        CONSTRAINT ck_ticket_at_counter CHECK (
          status NOT IN ('CALLED', 'IN_SERVICE')
          OR (counter_id IS NOT NULL AND staff_id IS NOT NULL AND called_at IS NOT NULL)),
        CONSTRAINT ck_ticket_overdue CHECK (overdue_at >= due_at)
      )`);
    // One citizen per counter and per person at a time, whatever the replicas do.
    await queryRunner.query(`
      CREATE UNIQUE INDEX uq_ticket_counter_busy ON scheduling.ticket (counter_id)
      WHERE status IN ('CALLED', 'IN_SERVICE')`);
    await queryRunner.query(`
      CREATE UNIQUE INDEX uq_ticket_staff_busy ON scheduling.ticket (staff_id)
      WHERE status IN ('CALLED', 'IN_SERVICE')`);
    // An appointment is in the queue at most once.
    await queryRunner.query(`
      CREATE UNIQUE INDEX uq_ticket_open_appointment ON scheduling.ticket (appointment_id)
      WHERE status NOT IN ('COMPLETED', 'NO_SHOW', 'CANCELLED')`);
    await queryRunner.query(`
      CREATE INDEX ix_ticket_waiting ON scheduling.ticket (office_id, due_at)
      WHERE status = 'WAITING'`);
    await queryRunner.query(`
      CREATE INDEX ix_ticket_open ON scheduling.ticket (office_id, local_date)
      WHERE status IN ('WAITING', 'CALLED', 'IN_SERVICE', 'PARKED')`);

    // Personal data a ticket holds only when the citizen gives it: its own table, for retention.
    await queryRunner.query(`
      CREATE TABLE scheduling.ticket_contact (
        ticket_id uuid NOT NULL REFERENCES scheduling.ticket (id) ON DELETE CASCADE,
        identity_number_sealed bytea,
        CONSTRAINT pk_ticket_contact PRIMARY KEY (ticket_id)
      )`);

    await queryRunner.query(`
      CREATE TABLE scheduling.ticket_event (
        id bigint GENERATED ALWAYS AS IDENTITY,
        ticket_id uuid NOT NULL REFERENCES scheduling.ticket (id) ON DELETE CASCADE,
        office_id uuid NOT NULL,
        agency_id uuid NOT NULL,
        service_id uuid NOT NULL,
        kind varchar(16) NOT NULL CHECK (kind IN (${TICKET_EVENT_KINDS.map((k) => `'${k}'`).join(', ')})),
        at timestamptz NOT NULL,
        staff_id uuid,
        counter_id uuid,
        call_key varchar(200),
        details jsonb NOT NULL DEFAULT '{}',
        CONSTRAINT pk_ticket_event PRIMARY KEY (id)
      )`);
    // A retried callNext with the same key finds the first call instead of making a second.
    await queryRunner.query(`
      CREATE UNIQUE INDEX uq_ticket_event_call_key ON scheduling.ticket_event (counter_id, call_key)
      WHERE call_key IS NOT NULL`);
    await queryRunner.query(`
      CREATE INDEX ix_ticket_event_calls ON scheduling.ticket_event (office_id, at)
      WHERE kind IN ('CALLED', 'RECALLED')`);
    await queryRunner.query(`
      CREATE INDEX ix_ticket_event_served ON scheduling.ticket_event (office_id, service_id, at)
      WHERE kind IN ('ENDED', 'TRANSFERRED')`);
    await queryRunner.query(
      `CREATE INDEX ix_ticket_event_ticket ON scheduling.ticket_event (ticket_id)`,
    );

    // Every event is announced on commit, to every replica (lobby displays, queue lengths,
    // estimates): what a call shows on a display travels with it, nothing personal.
    await queryRunner.query(`
      CREATE FUNCTION scheduling.announce_ticket_event() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('samservice_frontdesk', json_build_object(
          'eventId', NEW.id,
          'officeId', NEW.office_id,
          'kind', NEW.kind,
          'at', NEW.at,
          'ticketNumber', NEW.details->>'number',
          'counterName', NEW.details->>'counterName')::text);
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER announce_ticket_event AFTER INSERT ON scheduling.ticket_event
      FOR EACH ROW EXECUTE FUNCTION scheduling.announce_ticket_event()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE scheduling.ticket_event`);
    await queryRunner.query(`DROP FUNCTION scheduling.announce_ticket_event()`);
    await queryRunner.query(`DROP TABLE scheduling.ticket_contact`);
    await queryRunner.query(`DROP TABLE scheduling.ticket`);
    await queryRunner.query(`DROP TABLE scheduling.ticket_day_counter`);
    await queryRunner.query(`DROP TABLE scheduling.queue_rule`);
    await queryRunner.query(`DROP TYPE scheduling.ticket_channel`);
    await queryRunner.query(`DROP TYPE scheduling.ticket_status`);
  }
}
