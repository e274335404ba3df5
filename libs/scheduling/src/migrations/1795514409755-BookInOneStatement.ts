import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `scheduling.book_appointment(request jsonb)`: a booking or a hold in one statement (one
 * round trip, one short transaction) instead of a dozen statements in a client-side
 * transaction. The exclusion constraints still decide; the function only runs, next to the
 * data, the steps the application used to send one by one:
 *
 * 1. lock on the citizen's key (bookings) or the client's key (holds), so the per-citizen
 *    limit, the idempotency key and the per-client hold limit are checked and written by one
 *    request at a time;
 * 2. a retried idempotency key returns the first appointment's id; a reused one with another
 *    request raises IDEMPOTENCY_CONFLICT;
 * 3. the limit (active bookings of the service, or live holds of the client);
 * 4. expired holds in the way, and the citizen's own hold being turned into the booking, are
 *    removed;
 * 5. the counter/staff pairs proposed by the engine are tried in order, each insert in its own
 *    subtransaction: a pair taken meanwhile (ex_appointment_counter / _staff) moves on to the
 *    next pair, a deadlock with a concurrent booking or a clash of reference codes tries the
 *    same pair again, the citizen's own overlapping visit (ex_appointment_citizen) raises
 *    CITIZEN_BUSY; when no pair is left, FULL;
 * 6. the contact details, the event (with the earliest free start) and the idempotency key.
 *
 * Refusals are raised (SQLSTATE P0001, message = the reason, detail = a count where there is
 * one), so a refused request changes nothing: the whole statement is rolled back.
 */
export class BookInOneStatement1795514409755 implements MigrationInterface {
  name = 'BookInOneStatement1795514409755';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
CREATE FUNCTION scheduling.book_appointment(request jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $body$
DECLARE
  is_hold boolean := request->>'kind' = 'HOLD';
  at_now timestamptz := (request->>'now')::timestamptz;
  at_start timestamptz := (request->>'startsAt')::timestamptz;
  at_busy_until timestamptz := (request->>'busyUntil')::timestamptz;
  counted int;
  earlier record;
  candidate jsonb;
  refs text[] := ARRAY(SELECT jsonb_array_elements_text(request->'references'));
  next_ref int := 1;
  attempt int;
  failed_constraint text;
  booked scheduling.appointment;
BEGIN
  IF is_hold THEN
    PERFORM pg_advisory_xact_lock(hashtext(request->>'holdClient'));
    SELECT count(*) INTO counted FROM scheduling.appointment
     WHERE hold_client = request->>'holdClient' AND status = 'HELD' AND hold_expires_at > at_now;
    IF counted >= (request->>'maxHolds')::int THEN
      RAISE EXCEPTION 'HOLD_LIMIT' USING DETAIL = counted::text;
    END IF;
  ELSE
    PERFORM pg_advisory_xact_lock(hashtext(request->>'citizenKey'));
    IF request->>'idempotencyScope' IS NOT NULL THEN
      SELECT request_hash, appointment_id INTO earlier
        FROM scheduling.idempotency_key WHERE scope = request->>'idempotencyScope';
      IF FOUND THEN
        IF earlier.request_hash <> request->>'requestHash' THEN
          RAISE EXCEPTION 'IDEMPOTENCY_CONFLICT';
        END IF;
        RETURN jsonb_build_object('existing', earlier.appointment_id);
      END IF;
    END IF;
    SELECT count(*) INTO counted FROM scheduling.appointment
     WHERE citizen_key = request->>'citizenKey' AND service_id = (request->>'serviceId')::uuid
       AND status IN ('BOOKED', 'CHECKED_IN', 'CALLED', 'IN_SERVICE') AND ends_at > at_now;
    IF counted >= (request->>'maxActive')::int THEN
      RAISE EXCEPTION 'LIMIT_REACHED' USING DETAIL = counted::text;
    END IF;
  END IF;

  DELETE FROM scheduling.appointment
   WHERE status = 'HELD' AND hold_expires_at <= at_now
     AND tstzrange(starts_at, busy_until) && tstzrange(at_start, at_busy_until);
  IF request->>'holdId' IS NOT NULL THEN
    DELETE FROM scheduling.appointment WHERE id = (request->>'holdId')::uuid AND status = 'HELD';
  END IF;

  <<candidates>>
  FOR candidate IN SELECT value FROM jsonb_array_elements(request->'candidates') LOOP
    FOR attempt IN 1..3 LOOP
      IF next_ref > coalesce(array_length(refs, 1), 0) THEN
        RAISE EXCEPTION 'NO_REFERENCE_LEFT';
      END IF;
      BEGIN
        INSERT INTO scheduling.appointment
          (office_id, agency_id, service_id, counter_id, staff_id, citizen_key, reference, status,
           starts_at, ends_at, busy_until, hold_expires_at, hold_client, channel, booked_by_role,
           booked_by_subject, needs, language)
        VALUES
          ((request->>'officeId')::uuid, (request->>'agencyId')::uuid, (request->>'serviceId')::uuid,
           (candidate->>'counterId')::uuid, (candidate->>'staffId')::uuid, request->>'citizenKey',
           refs[next_ref], CASE WHEN is_hold THEN 'HELD' ELSE 'BOOKED' END::scheduling.appointment_status,
           at_start, (request->>'endsAt')::timestamptz, at_busy_until,
           (request->>'holdExpiresAt')::timestamptz, request->>'holdClient',
           (request->>'channel')::scheduling.booking_channel, request->>'bookedByRole',
           request->>'bookedBySubject',
           ARRAY(SELECT jsonb_array_elements_text(request->'needs'))::varchar(32)[],
           request->>'language')
        RETURNING * INTO booked;
        EXIT candidates;
      EXCEPTION
        WHEN unique_violation THEN
          GET STACKED DIAGNOSTICS failed_constraint = CONSTRAINT_NAME;
          IF failed_constraint <> 'uq_appointment_reference_active' THEN RAISE; END IF;
          next_ref := next_ref + 1; -- the same pair with a new code
        WHEN exclusion_violation THEN
          GET STACKED DIAGNOSTICS failed_constraint = CONSTRAINT_NAME;
          IF failed_constraint = 'ex_appointment_citizen' THEN
            RAISE EXCEPTION 'CITIZEN_BUSY';
          END IF;
          IF failed_constraint NOT IN ('ex_appointment_counter', 'ex_appointment_staff') THEN RAISE; END IF;
          EXIT; -- this pair was taken meanwhile: the next pair
        WHEN deadlock_detected THEN
          NULL; -- two bookings waited on each other's rows; this one lost: the same pair again
      END;
    END LOOP;
  END LOOP;
  IF booked.id IS NULL THEN
    RAISE EXCEPTION 'FULL';
  END IF;

  IF NOT is_hold THEN
    INSERT INTO scheduling.appointment_contact
      (appointment_id, name, email, phone, identity_number_sealed, birth_date)
    VALUES (booked.id, request->'contact'->>'name', request->'contact'->>'email',
            request->'contact'->>'phone', decode(request->'contact'->>'sealed', 'base64'),
            (request->'contact'->>'birthDate')::date);
    IF request->>'idempotencyScope' IS NOT NULL THEN
      INSERT INTO scheduling.idempotency_key (scope, request_hash, appointment_id)
      VALUES (request->>'idempotencyScope', request->>'requestHash', booked.id);
    END IF;
  END IF;
  INSERT INTO scheduling.appointment_event
    (appointment_id, office_id, agency_id, type, actor_role, actor_subject, channel,
     earliest_free_start, details)
  VALUES (booked.id, booked.office_id, booked.agency_id,
          CASE WHEN is_hold THEN 'HELD' ELSE 'BOOKED' END, request->>'bookedByRole',
          request->>'bookedBySubject', request->>'channel',
          (request->>'earliestFreeStart')::timestamptz, '{}');
  RETURN jsonb_build_object('appointment', to_jsonb(booked));
END
$body$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP FUNCTION scheduling.book_appointment(jsonb)');
  }
}
