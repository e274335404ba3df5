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

/** What a counter and a person may be called for now (the parameters of call_next). */
const ELIGIBLE = `
      AND t.service_id = ANY(p_services)
      AND t.needs <@ p_features
      AND (t.language IS NULL OR t.language = ANY(p_languages))
      AND (t.reserved_staff_id IS NULL OR t.reserved_staff_id = p_staff)
      AND (t.reserved_counter_id IS NULL OR t.reserved_counter_id = p_counter)`;

/** The first unlocked eligible ticket of one class, in the class's order, locked. */
const scan = (condition: string, order: string) => `
    SELECT t.id INTO v_id FROM scheduling.ticket t
    WHERE t.office_id = p_office AND t.local_date = p_date AND t.status = 'WAITING'
      AND ${condition}${ELIGIBLE}
    ORDER BY ${order}, t.sequence
    LIMIT 1 FOR UPDATE SKIP LOCKED;`;

/**
 * callNext's claim, called in one statement (docs/frontdesk.md, "Calling"). The call order
 * (`@samservice/queue` compareForCall) is walked class by class, each class a range of its
 * own index in its own order: 0 first in line (by when placed there), 1 overdue (by when the
 * target passed), 2 checked-in appointments whose time has come, 3 walk-ins (both by when
 * due). In each, the first eligible row not locked by another caller is locked
 * (FOR UPDATE SKIP LOCKED): concurrent callers never wait for one another and never get the
 * same ticket. A row that fails a class's condition after another caller's commit is not
 * returned (the lock re-checks it). Then the ticket is CALLED, its appointment moves along,
 * and the event row is written (its trigger announces the call). No row: nobody to call.
 */
const CALL_NEXT_FUNCTION = `
CREATE FUNCTION scheduling.call_next(
  p_office uuid, p_date date, p_now timestamptz, p_services uuid[], p_features text[],
  p_languages text[], p_staff uuid, p_counter uuid, p_counter_name text, p_key text)
RETURNS SETOF scheduling.ticket
LANGUAGE plpgsql AS $fn$
DECLARE
  v_id uuid;
  v_ticket scheduling.ticket;
  v_busy record;
BEGIN
  -- One citizen per counter and per person at a time (the unique indexes are the final word).
  -- A call left open by an earlier day is the caller's to end first (FRONTDESK_STALE_CALL).
  SELECT t.number, t.counter_id = p_counter AS at_counter, t.local_date < p_date AS stale
    INTO v_busy
    FROM scheduling.ticket t
   WHERE t.status IN ('CALLED', 'IN_SERVICE') AND (t.counter_id = p_counter OR t.staff_id = p_staff)
   ORDER BY t.local_date < p_date
   LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION USING
      ERRCODE = 'P0001',
      MESSAGE = CASE WHEN v_busy.stale THEN 'FRONTDESK_STALE_CALL'
                     WHEN v_busy.at_counter THEN 'FRONTDESK_COUNTER_BUSY'
                     ELSE 'FRONTDESK_STAFF_BUSY' END,
      DETAIL = v_busy.number;
  END IF;
  ${scan('t.first_in_line_at IS NOT NULL AND t.due_at <= p_now', 't.first_in_line_at')}
  IF v_id IS NULL THEN
    ${scan('t.first_in_line_at IS NULL AND t.overdue_at <= p_now', 't.overdue_at')}
  END IF;
  IF v_id IS NULL THEN
    ${scan('t.first_in_line_at IS NULL AND t.booked_start IS NOT NULL AND t.due_at <= p_now', 't.due_at')}
  END IF;
  IF v_id IS NULL THEN
    ${scan('t.first_in_line_at IS NULL AND t.booked_start IS NULL AND t.due_at <= p_now', 't.due_at')}
  END IF;
  IF v_id IS NULL THEN
    RETURN;
  END IF;

  UPDATE scheduling.ticket t
     SET status = 'CALLED', counter_id = p_counter, counter_name = p_counter_name,
         staff_id = p_staff, called_at = p_now, call_count = 1, first_in_line_at = NULL,
         updated_at = p_now
   WHERE t.id = v_id
  RETURNING t.* INTO v_ticket;
  UPDATE scheduling.appointment SET status = 'CALLED', updated_at = p_now
   WHERE id = v_ticket.appointment_id AND status = 'CHECKED_IN';
  INSERT INTO scheduling.ticket_event
    (ticket_id, office_id, agency_id, service_id, kind, at, staff_id, counter_id, call_key, details)
  VALUES (v_ticket.id, v_ticket.office_id, v_ticket.agency_id, v_ticket.service_id, 'CALLED', p_now,
          p_staff, p_counter, p_key,
          jsonb_build_object('number', v_ticket.number, 'counterName', p_counter_name,
                             'waitedSeconds', floor(extract(epoch FROM p_now - v_ticket.due_at))));
  RETURN NEXT v_ticket;
END $fn$`;

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
    // The queue of the day, one index per class of the call order, each in that class's
    // order: callNext walks them one after another (scheduling.call_next), never sorting
    // the whole queue.
    await queryRunner.query(`
      CREATE INDEX ix_ticket_first_in_line ON scheduling.ticket
        (office_id, local_date, first_in_line_at, sequence)
      WHERE status = 'WAITING' AND first_in_line_at IS NOT NULL`);
    await queryRunner.query(`
      CREATE INDEX ix_ticket_overdue ON scheduling.ticket
        (office_id, local_date, overdue_at, sequence)
      WHERE status = 'WAITING' AND first_in_line_at IS NULL`);
    await queryRunner.query(`
      CREATE INDEX ix_ticket_appointments ON scheduling.ticket
        (office_id, local_date, due_at, sequence)
      WHERE status = 'WAITING' AND first_in_line_at IS NULL AND booked_start IS NOT NULL`);
    await queryRunner.query(`
      CREATE INDEX ix_ticket_walk_ins ON scheduling.ticket
        (office_id, local_date, due_at, sequence)
      WHERE status = 'WAITING' AND first_in_line_at IS NULL AND booked_start IS NULL`);
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
    await queryRunner.query(CALL_NEXT_FUNCTION);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `DROP FUNCTION scheduling.call_next(uuid, date, timestamptz, uuid[], text[], text[], uuid, uuid, text, text)`,
    );
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
