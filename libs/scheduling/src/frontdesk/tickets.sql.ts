/**
 * The front desk's statements. Ticket columns come back under the names of `TicketRow`.
 */

export type TicketStatusValue =
  'WAITING' | 'CALLED' | 'IN_SERVICE' | 'PARKED' | 'COMPLETED' | 'NO_SHOW' | 'CANCELLED';

export const OPEN_STATUSES: readonly TicketStatusValue[] = [
  'WAITING',
  'CALLED',
  'IN_SERVICE',
  'PARKED',
];

export interface TicketRow {
  id: string;
  officeId: string;
  localDate: string;
  number: string;
  sequence: number;
  agencyId: string;
  serviceId: string;
  status: TicketStatusValue;
  channel: 'KIOSK' | 'STAFF' | 'REMOTE' | 'CHECK_IN';
  language: string | null;
  needs: string[];
  appointmentId: string | null;
  appointmentReference: string | null;
  jointVisitId: string | null;
  nextAppointmentIds: string[];
  bookedStart: Date | null;
  arrivedAt: Date;
  dueAt: Date;
  overdueAt: Date;
  firstInLineAt: Date | null;
  reservedStaffId: string | null;
  reservedCounterId: string | null;
  counterId: string | null;
  counterName: string | null;
  staffId: string | null;
  calledAt: Date | null;
  callCount: number;
  startedAt: Date | null;
  transferCount: number;
  note: string | null;
}

/** The ticket columns as `TicketRow` names them, of table alias `t`. */
export const TICKET_COLUMNS = `t.id, t.office_id AS "officeId", to_char(t.local_date, 'YYYY-MM-DD') AS "localDate",
  t.number, t.sequence, t.agency_id AS "agencyId", t.service_id AS "serviceId", t.status::text AS status,
  t.channel::text AS channel, t.language, t.needs, t.appointment_id AS "appointmentId",
  t.joint_visit_id AS "jointVisitId", t.next_appointment_ids AS "nextAppointmentIds",
  t.booked_start AS "bookedStart", t.arrived_at AS "arrivedAt", t.due_at AS "dueAt",
  t.overdue_at AS "overdueAt", t.first_in_line_at AS "firstInLineAt",
  t.reserved_staff_id AS "reservedStaffId", t.reserved_counter_id AS "reservedCounterId",
  t.counter_id AS "counterId", t.counter_name AS "counterName", t.staff_id AS "staffId",
  t.called_at AS "calledAt", t.call_count AS "callCount", t.started_at AS "startedAt",
  t.transfer_count AS "transferCount", t.note`;

/** The reference of the ticket's appointment, for a result set `r` of TICKET_COLUMNS. */
export const WITH_REFERENCE = `SELECT r.*, a.reference AS "appointmentReference"
  FROM r LEFT JOIN scheduling.appointment a ON a.id = r."appointmentId"`;

/**
 * The call order (docs/frontdesk.md, `@samservice/queue` compareForCall) as one sort key, for
 * lists (officeQueue): first in line (by when placed there), then overdue (waited beyond the
 * service's target, by when it passed), then checked-in appointments whose time has come,
 * then walk-ins (both by when due); then by the office's count. `now` names the parameter
 * holding the clock's time. callNext walks the same order on indexes (call_next).
 */
export const CALL_ORDER = (now: string) => `
  CASE WHEN t.first_in_line_at IS NOT NULL THEN 0
       WHEN t.overdue_at <= ${now} THEN 1
       WHEN t.booked_start IS NOT NULL THEN 2
       ELSE 3 END,
  CASE WHEN t.first_in_line_at IS NOT NULL THEN t.first_in_line_at
       WHEN t.overdue_at <= ${now} THEN t.overdue_at
       ELSE t.due_at END,
  t.sequence, t.id`;

/**
 * callNext in one statement: `scheduling.call_next` (migration FrontDesk) walks the call
 * order class by class, each on its own index, locks the first ticket this counter and
 * person may serve now that no other caller has locked (FOR UPDATE SKIP LOCKED: two counters
 * never wait for each other and never get the same citizen, on any number of replicas),
 * marks it CALLED, moves its appointment along and writes the event (whose trigger announces
 * the call). Nothing waiting that may be served: no row.
 *
 * $1 office, $2 now, $3 service ids, $4 counter features, $5 staff languages, $6 staff,
 * $7 counter, $8 counter name, $9 idempotency key (or null), $10 the office-local date (the
 * queue of the day: a ticket left waiting when an earlier day ended is not called).
 */
export const CALL_NEXT_SQL = `
WITH r AS (
  SELECT ${TICKET_COLUMNS}
  FROM scheduling.call_next($1::uuid, $10::date, $2::timestamptz, $3::uuid[], $4::text[],
                            $5::text[], $6::uuid, $7::uuid, $8::text, $9::text) t
)
${WITH_REFERENCE}`;

/**
 * A new ticket in one statement: the service's contingent of the day (when it has one), the
 * letter's next number and the office's next `sequence` (the call order's final tie-break,
 * one count for every letter: tickets taken at the same instant are called in the order
 * taken, whatever their agency) are counted in `ticket_day_counter` rows, whose row locks
 * order concurrent kiosks; a contingent that is used up inserts nothing (no row comes back).
 *
 * $1 office, $2 local date, $3 service, $4 daily limit (null: none, or not counted),
 * $5 letter, $6 agency, $7 channel, $8 language, $9 needs, $10 now (arrival),
 * $11 due, $12 overdue, $13 token hash, $14 citizen key, $15 appointment, $16 joint visit,
 * $17 next appointment ids, $18 booked start, $19 event kind, $20 staff (or null),
 * $21 count against the contingent (boolean).
 */
export const TAKE_TICKET_SQL = `
WITH quota AS (
  INSERT INTO scheduling.ticket_day_counter AS c (office_id, local_date, counter_key, value)
  SELECT $1::uuid, $2::date, 'service:' || $3::text, 1 WHERE $21::boolean
  ON CONFLICT (office_id, local_date, counter_key)
    DO UPDATE SET value = c.value + 1 WHERE $4::int IS NULL OR c.value < $4::int
  RETURNING value
), allowed AS (
  SELECT 1 WHERE NOT $21::boolean OR EXISTS (SELECT 1 FROM quota)
), seq AS (
  INSERT INTO scheduling.ticket_day_counter AS c (office_id, local_date, counter_key, value)
  SELECT $1::uuid, $2::date, 'letter:' || $5::text, 1 FROM allowed
  ON CONFLICT (office_id, local_date, counter_key) DO UPDATE SET value = c.value + 1
  RETURNING value
), place AS (
  INSERT INTO scheduling.ticket_day_counter AS c (office_id, local_date, counter_key, value)
  SELECT $1::uuid, $2::date, 'office', 1 FROM allowed
  ON CONFLICT (office_id, local_date, counter_key) DO UPDATE SET value = c.value + 1
  RETURNING value
), r AS (
  INSERT INTO scheduling.ticket AS t
    (office_id, local_date, letter, sequence, number, agency_id, service_id, channel, language,
     needs, arrived_at, due_at, overdue_at, token_hash, citizen_key, appointment_id,
     joint_visit_id, next_appointment_ids, booked_start, created_at, updated_at)
  SELECT $1::uuid, $2::date, $5::text, place.value,
         $5::text || CASE WHEN seq.value < 1000 THEN lpad(seq.value::text, 3, '0') ELSE seq.value::text END,
         $6::uuid, $3::uuid, $7::scheduling.ticket_channel, $8::text, $9::text[], $10::timestamptz,
         $11::timestamptz, $12::timestamptz, $13::bytea, $14::text, $15::uuid, $16::uuid,
         $17::uuid[], $18::timestamptz, $10::timestamptz, $10::timestamptz
  FROM seq, place
  RETURNING ${TICKET_COLUMNS}
), event AS (
  INSERT INTO scheduling.ticket_event
    (ticket_id, office_id, agency_id, service_id, kind, at, staff_id, details)
  SELECT r.id, r."officeId", r."agencyId", r."serviceId", $19::text, $10::timestamptz, $20::uuid,
         jsonb_build_object('number', r.number, 'channel', $7::text)
  FROM r
)
${WITH_REFERENCE}`;
