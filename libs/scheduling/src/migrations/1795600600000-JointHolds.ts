import type { MigrationInterface, QueryRunner } from 'typeorm';
import { AgencyBookingLimit1795600500000 } from './1795600500000-AgencyBookingLimit';

/**
 * Holds for joint visits (holdJointVisit) and holds given back early (releaseHold).
 *
 * - `appointment.hold_group`: a joint hold's token, the same on each held part (indexed where
 *   set). A slot hold keeps its id as its token and no group.
 * - `scheduling.hold_joint_visit(request jsonb)`: every part of the chain as a HELD row with
 *   one expiry, or none (FULL with the part's index in visit order, as book_joint_visit). The
 *   parts sit under the same exclusion constraints as any hold. The per-client hold limit
 *   counts a joint hold once (a citizen compares a joint visit like a single time; counting
 *   its parts would make a visit of four or five services impossible to hold at all), under
 *   the same lock on the client as book_appointment's holds.
 * - `book_appointment`: the limit counts each hold group once; a booking takes over only a
 *   slot hold (never one part of a joint hold). Otherwise as AgencyBookingLimit wrote it.
 * - `book_joint_visit`: with request.holdGroup the held parts are removed in the statement
 *   that writes the booked ones, so the held time becomes the booking without a gap anyone
 *   could book into. Otherwise as AgencyBookingLimit wrote it.
 */
export class JointHolds1795600600000 implements MigrationInterface {
  name = 'JointHolds1795600600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "scheduling"."appointment" ADD "hold_group" uuid');
    await queryRunner.query(
      'CREATE INDEX "ix_appointment_hold_group" ON "scheduling"."appointment"  ("hold_group") WHERE "hold_group" IS NOT NULL',
    );
    await queryRunner.query(`
CREATE OR REPLACE FUNCTION scheduling.book_appointment(request jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $body$
DECLARE
  is_hold boolean := request->>'kind' = 'HOLD';
  at_now timestamptz := (request->>'now')::timestamptz;
  at_start timestamptz := (request->>'startsAt')::timestamptz;
  at_busy_until timestamptz := (request->>'busyUntil')::timestamptz;
  counted int;
  agency_rule record;
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
    -- A joint visit's hold counts once, whatever its number of parts.
    SELECT count(DISTINCT coalesce(hold_group, id)) INTO counted FROM scheduling.appointment
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
    -- The agency's limit across all its services, counted the same way, read fresh from the
    -- directory's published view under the same lock.
    SELECT max_active_bookings, name INTO agency_rule
      FROM directory.published_agency WHERE agency_id = (request->>'agencyId')::uuid;
    IF FOUND THEN
      SELECT count(*) INTO counted FROM scheduling.appointment
       WHERE citizen_key = request->>'citizenKey' AND agency_id = (request->>'agencyId')::uuid
         AND status IN ('BOOKED', 'CHECKED_IN', 'CALLED', 'IN_SERVICE') AND ends_at > at_now;
      IF counted >= agency_rule.max_active_bookings THEN
        RAISE EXCEPTION 'AGENCY_LIMIT_REACHED' USING DETAIL = jsonb_build_object(
          'count', counted, 'limit', agency_rule.max_active_bookings,
          'agencyName', agency_rule.name)::text;
      END IF;
    END IF;
  END IF;

  DELETE FROM scheduling.appointment
   WHERE status = 'HELD' AND hold_expires_at <= at_now
     AND tstzrange(starts_at, busy_until) && tstzrange(at_start, at_busy_until);
  IF request->>'holdId' IS NOT NULL THEN
    DELETE FROM scheduling.appointment
     WHERE id = (request->>'holdId')::uuid AND status = 'HELD' AND hold_group IS NULL;
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
    await queryRunner.query(`
CREATE OR REPLACE FUNCTION scheduling.book_joint_visit(request jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $body$
DECLARE
  is_move boolean := request->>'kind' = 'MOVE';
  at_now timestamptz := (request->>'now')::timestamptz;
  parts jsonb := request->'parts';
  part jsonb;
  part_index int;
  counted int;
  agency_rule record;
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
    -- The agency's limit across all its services: what the citizen holds with the part's
    -- agency, plus the earlier parts of this visit of the same agency (two parts of one agency
    -- count two), read fresh from the directory's published view under the same lock.
    FOR part_index IN 0 .. jsonb_array_length(parts) - 1 LOOP
      part := parts->part_index;
      SELECT max_active_bookings, name INTO agency_rule
        FROM directory.published_agency WHERE agency_id = (part->>'agencyId')::uuid;
      CONTINUE WHEN NOT FOUND;
      SELECT count(*) INTO counted FROM scheduling.appointment
       WHERE citizen_key = request->>'citizenKey' AND agency_id = (part->>'agencyId')::uuid
         AND status IN ('BOOKED', 'CHECKED_IN', 'CALLED', 'IN_SERVICE') AND ends_at > at_now;
      IF counted + (SELECT count(*) FROM jsonb_array_elements(parts) WITH ORDINALITY AS p(value, position)
                     WHERE p.position <= part_index AND p.value->>'agencyId' = part->>'agencyId')
         >= agency_rule.max_active_bookings THEN
        RAISE EXCEPTION 'AGENCY_LIMIT_REACHED' USING DETAIL = jsonb_build_object(
          'part', part_index, 'count', counted, 'limit', agency_rule.max_active_bookings,
          'agencyName', agency_rule.name,
          'partsOfAgency', (SELECT count(*) FROM jsonb_array_elements(parts) p
                             WHERE p->>'agencyId' = part->>'agencyId'))::text;
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
  -- A booking that takes over its joint hold: the held parts give way to the booked ones in
  -- this statement (none if the hold expired, was released or was taken over meanwhile).
  IF request->>'holdGroup' IS NOT NULL THEN
    DELETE FROM scheduling.appointment
     WHERE hold_group = (request->>'holdGroup')::uuid AND status = 'HELD';
  END IF;

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

    await queryRunner.query(`
CREATE FUNCTION scheduling.hold_joint_visit(request jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $body$
DECLARE
  at_now timestamptz := (request->>'now')::timestamptz;
  parts jsonb := request->'parts';
  part jsonb;
  part_index int;
  counted int;
  refs text[] := ARRAY(SELECT jsonb_array_elements_text(request->'references'));
  next_ref int := 1;
  attempt int;
  done boolean;
  failed_constraint text;
  group_id uuid := gen_random_uuid();
  held scheduling.appointment;
BEGIN
  -- The client's live holds (slot holds and joint holds, each joint hold once), counted under
  -- the same lock as book_appointment's holds.
  PERFORM pg_advisory_xact_lock(hashtext(request->>'holdClient'));
  SELECT count(DISTINCT coalesce(hold_group, id)) INTO counted FROM scheduling.appointment
   WHERE hold_client = request->>'holdClient' AND status = 'HELD' AND hold_expires_at > at_now;
  IF counted >= (request->>'maxHolds')::int THEN
    RAISE EXCEPTION 'HOLD_LIMIT' USING DETAIL = counted::text;
  END IF;
  -- Chains at one office are written one at a time, as book_joint_visit writes them.
  PERFORM pg_advisory_xact_lock(hashtext('joint-visit:' || (request->>'officeId')));

  DELETE FROM scheduling.appointment
   WHERE status = 'HELD' AND hold_expires_at <= at_now
     AND tstzrange(starts_at, busy_until) && tstzrange((parts->0->>'startsAt')::timestamptz,
                                                        (parts->-1->>'busyUntil')::timestamptz);

  FOR part_index IN 0 .. jsonb_array_length(parts) - 1 LOOP
    part := parts->part_index;
    done := false;
    FOR attempt IN 1..3 LOOP
      IF next_ref > coalesce(array_length(refs, 1), 0) THEN
        RAISE EXCEPTION 'NO_REFERENCE_LEFT';
      END IF;
      BEGIN
        INSERT INTO scheduling.appointment
          (office_id, agency_id, service_id, counter_id, staff_id, citizen_key, reference, status,
           starts_at, ends_at, busy_until, hold_expires_at, hold_client, hold_group, channel,
           booked_by_role, booked_by_subject, needs, language)
        VALUES
          ((request->>'officeId')::uuid, (part->>'agencyId')::uuid, (part->>'serviceId')::uuid,
           (part->>'counterId')::uuid, (part->>'staffId')::uuid, NULL, refs[next_ref], 'HELD',
           (part->>'startsAt')::timestamptz, (part->>'endsAt')::timestamptz,
           (part->>'busyUntil')::timestamptz, (request->>'holdExpiresAt')::timestamptz,
           request->>'holdClient', group_id, (request->>'channel')::scheduling.booking_channel,
           request->>'bookedByRole', request->>'bookedBySubject',
           ARRAY(SELECT jsonb_array_elements_text(request->'needs'))::varchar(32)[],
           request->>'language')
        RETURNING * INTO held;
        done := true;
        EXIT;
      EXCEPTION
        WHEN unique_violation THEN
          GET STACKED DIAGNOSTICS failed_constraint = CONSTRAINT_NAME;
          IF failed_constraint <> 'uq_appointment_reference_active' THEN RAISE; END IF;
          next_ref := next_ref + 1; -- the same part with a new code
        WHEN exclusion_violation THEN
          GET STACKED DIAGNOSTICS failed_constraint = CONSTRAINT_NAME;
          IF failed_constraint NOT IN ('ex_appointment_counter', 'ex_appointment_staff') THEN RAISE; END IF;
          RAISE EXCEPTION 'FULL' USING DETAIL = part_index::text;
        WHEN deadlock_detected THEN
          NULL; -- two writes waited on each other's rows; this one lost: the same part again
      END;
    END LOOP;
    IF NOT done THEN
      RAISE EXCEPTION 'FULL' USING DETAIL = part_index::text;
    END IF;
    next_ref := next_ref + 1;
    INSERT INTO scheduling.appointment_event
      (appointment_id, office_id, agency_id, type, actor_role, actor_subject, channel, details)
    VALUES (held.id, held.office_id, held.agency_id, 'HELD', request->>'bookedByRole',
            request->>'bookedBySubject', request->>'channel',
            jsonb_build_object('holdGroup', group_id, 'part', part_index));
  END LOOP;
  RETURN jsonb_build_object('token', group_id);
END
$body$`);
  }

  /** Back to the functions without joint holds, as AgencyBookingLimit wrote them. */
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP FUNCTION scheduling.hold_joint_visit(jsonb)');
    await queryRunner.query(
      `DELETE FROM scheduling.appointment WHERE status = 'HELD' AND hold_group IS NOT NULL`,
    );
    await new AgencyBookingLimit1795600500000().up(queryRunner);
    await queryRunner.query('DROP INDEX "scheduling"."ix_appointment_hold_group"');
    await queryRunner.query('ALTER TABLE "scheduling"."appointment" DROP COLUMN "hold_group"');
  }
}
