import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `scheduling.book_joint_visit(request jsonb)`: books (kind BOOK) or moves (kind MOVE) every
 * part of a joint visit in one statement, so all parts are written or none is.
 *
 * The parts are ordinary appointments: the exclusion constraints on counters, staff and the
 * citizen's own time decide for them exactly as for single bookings. The application sends
 * the chain the engine lists first for the requested start (each part with its counter and
 * person); when any part is taken meanwhile the whole statement is rolled back and the
 * refusal names the part (DETAIL = its index in visit order), so the application can search
 * again with fresh data or tell the citizen which part no longer fits.
 *
 * BOOK:
 * 1. lock on the citizen's key, so limits and the idempotency key are checked and written by
 *    one request at a time, then on the office's joint visits (no two chains deadlock);
 * 2. a retried idempotency key returns the first visit's id (another request with it raises
 *    IDEMPOTENCY_CONFLICT);
 * 3. per part, the citizen's limit of active bookings of that service (LIMIT_REACHED, DETAIL
 *    'part:count');
 * 4. expired holds in the way are removed;
 * 5. the visit row (a fresh reference on a clash of codes), then each part (FULL or
 *    CITIZEN_BUSY with the part's index; a deadlock tries the same part again);
 * 6. contact details and a BOOKED event per part, and the idempotency key.
 *
 * MOVE (request.jointVisitId): the visit's active parts (each part names its appointmentId)
 * are set aside (CANCELLED) and put back at their new times, positions and resources in the
 * same statement, so a part may take a time another part of the same visit had; any refusal
 * rolls everything back, so the visit keeps its old times.
 */
export class BookJointVisit1795522800000 implements MigrationInterface {
  name = 'BookJointVisit1795522800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
CREATE FUNCTION scheduling.book_joint_visit(request jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $body$
DECLARE
  is_move boolean := request->>'kind' = 'MOVE';
  at_now timestamptz := (request->>'now')::timestamptz;
  parts jsonb := request->'parts';
  part jsonb;
  part_index int;
  counted int;
  earlier record;
  refs text[] := ARRAY(SELECT jsonb_array_elements_text(request->'references'));
  next_ref int := 1;
  attempt int;
  done boolean;
  failed_constraint text;
  visit_id uuid;
  booked scheduling.appointment;
  first_id uuid;
  moved int;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext(request->>'citizenKey'));
  -- Joint visits at one office are written one at a time: two chains inserting their parts
  -- in different orders could otherwise wait on each other's rows (a deadlock, found only
  -- after deadlock_timeout). A statement takes milliseconds; single bookings do not wait.
  PERFORM pg_advisory_xact_lock(hashtext('joint-visit:' || (request->>'officeId')));

  IF is_move THEN
    visit_id := (request->>'jointVisitId')::uuid;
    PERFORM 1 FROM scheduling.joint_visit WHERE id = visit_id AND status = 'BOOKED' FOR UPDATE;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'CHANGED';
    END IF;
    UPDATE scheduling.appointment SET status = 'CANCELLED'
     WHERE joint_visit_id = visit_id AND status IN ('BOOKED', 'NEEDS_REBOOKING')
       AND id IN (SELECT (p->>'appointmentId')::uuid FROM jsonb_array_elements(parts) p);
    GET DIAGNOSTICS moved = ROW_COUNT;
    IF moved <> jsonb_array_length(parts) THEN
      RAISE EXCEPTION 'CHANGED';
    END IF;
  ELSE
    IF request->>'idempotencyScope' IS NOT NULL THEN
      SELECT k.request_hash, a.joint_visit_id INTO earlier
        FROM scheduling.idempotency_key k
        JOIN scheduling.appointment a ON a.id = k.appointment_id
       WHERE k.scope = request->>'idempotencyScope';
      IF FOUND THEN
        IF earlier.request_hash <> request->>'requestHash' OR earlier.joint_visit_id IS NULL THEN
          RAISE EXCEPTION 'IDEMPOTENCY_CONFLICT';
        END IF;
        RETURN jsonb_build_object('existing', earlier.joint_visit_id);
      END IF;
    END IF;
    FOR part_index IN 0 .. jsonb_array_length(parts) - 1 LOOP
      part := parts->part_index;
      SELECT count(*) INTO counted FROM scheduling.appointment
       WHERE citizen_key = request->>'citizenKey' AND service_id = (part->>'serviceId')::uuid
         AND status IN ('BOOKED', 'CHECKED_IN', 'CALLED', 'IN_SERVICE') AND ends_at > at_now;
      IF counted >= (part->>'maxActive')::int THEN
        RAISE EXCEPTION 'LIMIT_REACHED' USING DETAIL = part_index || ':' || counted;
      END IF;
    END LOOP;
    LOOP
      IF next_ref > coalesce(array_length(refs, 1), 0) THEN
        RAISE EXCEPTION 'NO_REFERENCE_LEFT';
      END IF;
      BEGIN
        INSERT INTO scheduling.joint_visit (reference, office_id, citizen_key, status, service_ids, any_order, party_size)
        VALUES (refs[next_ref], (request->>'officeId')::uuid, request->>'citizenKey', 'BOOKED',
                ARRAY(SELECT jsonb_array_elements_text(request->'serviceIds'))::uuid[],
                (request->>'anyOrder')::boolean, (request->>'partySize')::int)
        RETURNING id INTO visit_id;
        next_ref := next_ref + 1;
        EXIT;
      EXCEPTION WHEN unique_violation THEN
        next_ref := next_ref + 1;
      END;
    END LOOP;
  END IF;

  DELETE FROM scheduling.appointment
   WHERE status = 'HELD' AND hold_expires_at <= at_now
     AND tstzrange(starts_at, busy_until) && tstzrange((parts->0->>'startsAt')::timestamptz,
                                                        (parts->-1->>'busyUntil')::timestamptz);

  FOR part_index IN 0 .. jsonb_array_length(parts) - 1 LOOP
    part := parts->part_index;
    done := false;
    FOR attempt IN 1..3 LOOP
      IF NOT is_move AND next_ref > coalesce(array_length(refs, 1), 0) THEN
        RAISE EXCEPTION 'NO_REFERENCE_LEFT';
      END IF;
      BEGIN
        IF is_move THEN
          UPDATE scheduling.appointment
             SET status = 'BOOKED', starts_at = (part->>'startsAt')::timestamptz,
                 ends_at = (part->>'endsAt')::timestamptz, busy_until = (part->>'busyUntil')::timestamptz,
                 counter_id = (part->>'counterId')::uuid, staff_id = (part->>'staffId')::uuid,
                 joint_part = part_index, updated_at = now()
           WHERE id = (part->>'appointmentId')::uuid AND joint_visit_id = visit_id
             AND status = 'CANCELLED'
          RETURNING * INTO booked;
          IF NOT FOUND THEN
            RAISE EXCEPTION 'CHANGED';
          END IF;
        ELSE
          INSERT INTO scheduling.appointment
            (office_id, agency_id, service_id, counter_id, staff_id, citizen_key, reference, status,
             starts_at, ends_at, busy_until, channel, booked_by_role, booked_by_subject, needs,
             language, joint_visit_id, joint_part)
          VALUES
            ((request->>'officeId')::uuid, (part->>'agencyId')::uuid, (part->>'serviceId')::uuid,
             (part->>'counterId')::uuid, (part->>'staffId')::uuid, request->>'citizenKey',
             refs[next_ref], 'BOOKED', (part->>'startsAt')::timestamptz,
             (part->>'endsAt')::timestamptz, (part->>'busyUntil')::timestamptz,
             (request->>'channel')::scheduling.booking_channel, request->>'bookedByRole',
             request->>'bookedBySubject',
             ARRAY(SELECT jsonb_array_elements_text(request->'needs'))::varchar(32)[],
             request->>'language', visit_id, part_index)
          RETURNING * INTO booked;
        END IF;
        done := true;
        EXIT;
      EXCEPTION
        WHEN unique_violation THEN
          GET STACKED DIAGNOSTICS failed_constraint = CONSTRAINT_NAME;
          IF failed_constraint <> 'uq_appointment_reference_active' THEN RAISE; END IF;
          next_ref := next_ref + 1; -- the same part with a new code
        WHEN exclusion_violation THEN
          GET STACKED DIAGNOSTICS failed_constraint = CONSTRAINT_NAME;
          IF failed_constraint = 'ex_appointment_citizen' THEN
            RAISE EXCEPTION 'CITIZEN_BUSY' USING DETAIL = part_index::text;
          END IF;
          IF failed_constraint NOT IN ('ex_appointment_counter', 'ex_appointment_staff') THEN RAISE; END IF;
          RAISE EXCEPTION 'FULL' USING DETAIL = part_index::text;
        WHEN deadlock_detected THEN
          NULL; -- two bookings waited on each other's rows; this one lost: the same part again
      END;
    END LOOP;
    IF NOT done THEN
      RAISE EXCEPTION 'FULL' USING DETAIL = part_index::text;
    END IF;
    IF first_id IS NULL THEN first_id := booked.id; END IF;

    IF NOT is_move THEN
      next_ref := next_ref + 1;
      INSERT INTO scheduling.appointment_contact
        (appointment_id, name, email, phone, identity_number_sealed, birth_date)
      VALUES (booked.id, request->'contact'->>'name', request->'contact'->>'email',
              request->'contact'->>'phone', decode(request->'contact'->>'sealed', 'base64'),
              (request->'contact'->>'birthDate')::date);
    END IF;
    INSERT INTO scheduling.appointment_event
      (appointment_id, office_id, agency_id, type, actor_role, actor_subject, channel, details)
    VALUES (booked.id, booked.office_id, booked.agency_id,
            CASE WHEN is_move THEN 'RESCHEDULED' ELSE 'BOOKED' END, request->>'bookedByRole',
            request->>'bookedBySubject', request->>'channel',
            jsonb_build_object('jointVisitId', visit_id, 'part', part_index));
  END LOOP;

  IF is_move THEN
    UPDATE scheduling.joint_visit SET updated_at = now() WHERE id = visit_id;
  ELSIF request->>'idempotencyScope' IS NOT NULL THEN
    INSERT INTO scheduling.idempotency_key (scope, request_hash, appointment_id)
    VALUES (request->>'idempotencyScope', request->>'requestHash', first_id);
  END IF;
  RETURN jsonb_build_object('jointVisitId', visit_id);
END
$body$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP FUNCTION scheduling.book_joint_visit(jsonb)');
  }
}
