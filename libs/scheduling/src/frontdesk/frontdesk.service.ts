import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Pool, PoolClient } from 'pg';
import { DataSource } from 'typeorm';
import type { Principal } from '@samservice/platform/auth';
import { APP_CONFIG, type AppConfig } from '@samservice/platform/config';
import { PersonalDataProtector } from '@samservice/platform/crypto';
import { pgPoolOf } from '@samservice/platform/database';
import { isUuid } from '@samservice/platform/http';
import { DomainError, ErrorCode } from '@samservice/platform/errors';
import { localMinuteToUtc } from '@samservice/calendar';
import { checkInDecision, closingDecision, waitBand } from '@samservice/queue';
import type { OfficeRow, ServiceRow, StaffRow } from '../availability/office-calendar.repository';
import { AvailabilityService } from '../availability/availability.service';
import { VisitNeed } from '../availability/needs';
import { PERSONAL_DATA_PROTECTOR } from '../appointments/booking.service';
import { citizenIdentity } from '../appointments/citizen-identity';
import { normalizeReference } from '../appointments/reference-code';
import { Clock } from '../common/clock';
import { SCHEDULING_DATA_SOURCE } from '../scheduling.database';
import { DeskFacts, competentFor, localDate, type CounterNow } from './desk-facts';
import { QueueEstimates } from './queue-estimates';
import {
  CALL_NEXT_SQL,
  CALL_ORDER,
  OPEN_STATUSES,
  TAKE_TICKET_SQL,
  TICKET_COLUMNS,
  WITH_REFERENCE,
  type TicketRow,
  type TicketStatusValue,
} from './tickets.sql';

export type TicketChannelValue = 'KIOSK' | 'STAFF' | 'REMOTE' | 'CHECK_IN';

export interface Receipt {
  ticket: TicketRow;
  token: string;
  passesClosingTime: boolean;
}

export interface TakeTicketRequest {
  officeId: string;
  serviceId: string;
  language?: string | null;
  needs?: VisitNeed[] | null;
  channel?: TicketChannelValue | null;
  personnummer?: string | null;
}

export interface TransferRequest {
  serviceId: string;
  note?: string | null;
  placement?: 'ARRIVAL' | 'FIRST_IN_LINE' | null;
  staffId?: string | null;
  counterId?: string | null;
}

/** The person at a counter, as the front desk knows them. */
interface Caller {
  staff: StaffRow;
  office: OfficeRow;
}

const MAX_NOTE_LENGTH = 500;
/**
 * What checkIn answers for every reference that does not check in here and now, to anyone
 * but the office's staff: one code, one message, nothing of the booking.
 */
const CHECK_IN_NOT_HERE = (earlyMinutes: number) =>
  `No booking to check in with this reference here today. Check-in opens ${earlyMinutes} minutes before the visit; staff at the desk can help.`;
const TICKET_NOT_FOUND = (id: string) => DomainError.notFound(`No ticket with id "${id}".`);

function tokenHash(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

function statusWord(status: TicketStatusValue): string {
  return status.toLowerCase().replace('_', ' ');
}

/** A ticket that is not in a state this step starts from: what it is, and what to do. */
function wrongState(ticket: TicketRow, action: string): DomainError {
  const finished = !OPEN_STATUSES.includes(ticket.status);
  return new DomainError(
    ErrorCode.CONFLICT,
    finished
      ? `Ticket ${ticket.number} is ${statusWord(ticket.status)}: it can no longer be ${action}.`
      : `Ticket ${ticket.number} is ${statusWord(ticket.status)} and cannot be ${action} now.`,
    { status: ticket.status, ticketNumber: ticket.number },
  );
}

/**
 * The front desk: walk-in tickets, check-in of appointments, calling to counters, transfers.
 * Tickets and checked-in appointments meet in one queue per office (docs/frontdesk.md).
 * Every step is one statement or one transaction that locks the ticket's row, and writes
 * its event row; the database announces each event to every replica.
 */
@Injectable()
export class FrontDeskService {
  constructor(
    @InjectDataSource(SCHEDULING_DATA_SOURCE) private readonly db: DataSource,
    @Inject(PERSONAL_DATA_PROTECTOR) private readonly protector: PersonalDataProtector,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly facts: DeskFacts,
    private readonly availability: AvailabilityService,
    private readonly estimates: QueueEstimates,
    private readonly clock: Clock,
  ) {}

  private pool(): Pool {
    return pgPoolOf(this.db);
  }

  private get rules() {
    return this.config.frontDesk;
  }

  // ---------------------------------------------------------------------------------------
  // Who is calling

  /**
   * The staff member of the office whose sign-in subject is the token's `sub`. Anyone else
   * (another office's staff, an admin or agency without a staff member) is refused.
   */
  async caller(principal: Principal, office: OfficeRow): Promise<Caller> {
    if (principal.role === 'anonymous') throw DomainError.unauthenticated();
    const staff =
      principal.role === 'staff'
        ? await this.facts.staffBySubject(office.id, principal.subject)
        : undefined;
    if (!staff) {
      throw DomainError.forbidden(
        `Only staff of ${office.name} act at its counters, and this sign-in is not linked to any of them.`,
      );
    }
    return { staff, office };
  }

  /** Staff see and handle only tickets of services they are trained for (agency secrecy). */
  private requireCompetent(caller: Caller, ticket: TicketRow): void {
    if (!competentFor(caller.staff, ticket)) {
      throw DomainError.forbidden(
        `Ticket ${ticket.number} is for another agency's service, which you are not trained for.`,
      );
    }
  }

  /** A counter of the caller's office in use, or the error saying why not. */
  private async counter(office: OfficeRow, counterId: string, now: number): Promise<CounterNow> {
    const here = isUuid(counterId)
      ? await this.facts.counterNow(office, counterId, now)
      : undefined;
    if (here) return here;
    throw DomainError.notFound(`No counter in use with id "${counterId}" at ${office.name}.`);
  }

  /** The office of a counter (DeskFacts remembers it: a counter never moves office). */
  private async officeOfCounter(counterId: string): Promise<OfficeRow> {
    const officeId = isUuid(counterId) ? await this.facts.officeIdOfCounter(counterId) : undefined;
    if (!officeId) throw DomainError.notFound(`No counter with id "${counterId}".`);
    return this.facts.office(officeId);
  }

  // ---------------------------------------------------------------------------------------
  // Tickets

  async takeTicket(request: TakeTicketRequest, principal: Principal): Promise<Receipt> {
    // The queue is the office's walk-ins: an agency's integration books appointments, it does
    // not stand in the queue (nor fill it) on the citizens' behalf.
    if (principal.role === 'agency') {
      throw DomainError.forbidden(
        "Tickets are taken at the office's kiosk, by its staff, or by the citizen; an agency's client books appointments.",
      );
    }
    const now = this.clock.now();
    const office = await this.facts.office(request.officeId);
    const service = await this.facts.offeredService(office, request.serviceId);
    this.availability.validateNeeds(service, request.language);
    const channel = await this.channelFor(request.channel, principal, office);
    const needs = ticketNeeds(request.needs, service);

    const day = await this.facts.day(office, now);
    if (!day.open) throw closedNow(office, day.nextOpening);
    const rule = await this.queueRule(office.id, service.serviceId);
    if (rule.dailyTicketLimit === 0) throw contingentUsed(service);

    // What the queue looks like to this ticket if it were added now.
    const forecast = await this.estimates.forecast(office, now, {
      serviceId: service.serviceId,
      needs,
      language: request.language ?? undefined,
    });
    const band = forecast ? waitBand(forecast.waitMinutes) : { low: 0, high: 0 };
    const minutes = await this.estimates.minutesFor(office, service, now);
    const closing = closingDecision({
      callAt: forecast?.callAt ?? now,
      band,
      serviceMinutes: minutes,
      closesAt: day.open.end,
      now,
    });
    if (closing === 'TOO_LATE') {
      throw new DomainError(
        ErrorCode.SLOT_UNAVAILABLE,
        `${office.name} cannot serve another ticket for this service before it closes today.`,
        { reason: 'AFTER_LAST_TICKET', closesAt: new Date(day.open.end).toISOString() },
      );
    }

    // Staff give the citizen's number; a citizen signed in with e-ID is who they are, so the
    // ticket shows in their myTickets.
    const personnummer =
      request.personnummer ?? (principal.role === 'citizen' ? principal.personnummer : undefined);
    const identity = personnummer
      ? citizenIdentity(this.protector, { personnummer }, now)
      : undefined;
    // An identity number ties the ticket to a person (their myTickets and myData). Only the
    // office's staff, who see the citizen in front of them, record one; from anyone else it
    // would let a kiosk or a script put tickets into a stranger's records.
    if (request.personnummer && !(await this.staffIdOf(principal, office))) {
      throw DomainError.forbidden(
        `Only staff of ${office.name} record an identity number on a ticket; a citizen signed in with e-ID is recognised without one.`,
      );
    }
    const letter = (await this.facts.letters(office.id)).get(service.agencyId) ?? 'X';
    const token = randomBytes(24).toString('base64url');
    const target = rule.targetWaitMinutes;
    const rows: TicketRow[] = await this.pool()
      .query(TAKE_TICKET_SQL, [
        office.id,
        day.today,
        service.serviceId,
        rule.dailyTicketLimit,
        letter,
        service.agencyId,
        channel,
        request.language ?? null,
        needs,
        new Date(now),
        new Date(now),
        new Date(now + target * 60_000),
        tokenHash(token),
        identity?.key ?? null,
        null,
        null,
        [],
        null,
        'ARRIVED',
        channel === 'STAFF' ? ((await this.staffIdOf(principal, office)) ?? null) : null,
        true,
      ])
      .then((r) => r.rows);
    if (rows.length === 0) throw contingentUsed(service);
    const ticket = rows[0];
    if (identity?.sealed) {
      await this.pool().query(
        `INSERT INTO scheduling.ticket_contact (ticket_id, identity_number_sealed) VALUES ($1, $2)`,
        [ticket.id, identity.sealed],
      );
    }
    this.estimates.invalidate(office.id);
    return { ticket, token, passesClosingTime: closing === 'PASSES_CLOSING' };
  }

  private async channelFor(
    asked: TicketChannelValue | null | undefined,
    principal: Principal,
    office: OfficeRow,
  ): Promise<TicketChannelValue> {
    if (asked === 'CHECK_IN') {
      throw DomainError.badInput('channel: appointments arrive with checkIn.', 'channel');
    }
    const staffHere =
      principal.role === 'staff' && (await this.facts.staffBySubject(office.id, principal.subject));
    if (asked === 'STAFF' && !staffHere) {
      throw DomainError.forbidden(`Only staff of ${office.name} take tickets for citizens there.`);
    }
    return asked ?? (staffHere ? 'STAFF' : 'KIOSK');
  }

  private async staffIdOf(principal: Principal, office: OfficeRow): Promise<string | undefined> {
    return principal.role === 'staff'
      ? (await this.facts.staffBySubject(office.id, principal.subject))?.id
      : undefined;
  }

  /** The office's rule for one service's queue, with the configured defaults. */
  async queueRule(
    officeId: string,
    serviceId: string,
  ): Promise<{ targetWaitMinutes: number; dailyTicketLimit: number | null }> {
    const rows: Array<{ target: number | null; limit: number | null }> = await this.pool()
      .query(
        `SELECT target_wait_minutes AS target, daily_ticket_limit AS "limit"
         FROM scheduling.queue_rule WHERE office_id = $1 AND service_id = $2`,
        [officeId, serviceId],
      )
      .then((r) => r.rows);
    return {
      targetWaitMinutes: rows[0]?.target ?? this.rules.targetWaitMinutes,
      dailyTicketLimit: rows[0]?.limit ?? null,
    };
  }

  async setQueueRule(
    input: {
      officeId: string;
      serviceId: string;
      targetWaitMinutes?: number | null;
      dailyTicketLimit?: number | null;
    },
    principal: Principal,
  ): Promise<{ targetWaitMinutes: number; dailyTicketLimit: number | null }> {
    const office = await this.facts.office(input.officeId);
    const administers =
      principal.role === 'admin' ||
      (principal.role === 'staff' && principal.adminOffices.includes(office.id));
    if (!administers) {
      throw principal.role === 'anonymous'
        ? DomainError.unauthenticated()
        : DomainError.forbidden(`Only an admin of ${office.name} sets its queue rules.`);
    }
    const service = await this.facts.offeredService(office, input.serviceId);
    const target = input.targetWaitMinutes;
    if (
      target !== undefined &&
      target !== null &&
      (!Number.isInteger(target) || target < 1 || target > 480)
    ) {
      throw DomainError.badInput(
        'targetWaitMinutes: whole minutes from 1 to 480.',
        'targetWaitMinutes',
      );
    }
    const limit = input.dailyTicketLimit;
    if (
      limit !== undefined &&
      limit !== null &&
      (!Number.isInteger(limit) || limit < 0 || limit > 100_000)
    ) {
      throw DomainError.badInput(
        'dailyTicketLimit: a whole number from 0 to 100000, or null.',
        'dailyTicketLimit',
      );
    }
    await this.pool().query(
      `INSERT INTO scheduling.queue_rule (office_id, service_id, target_wait_minutes, daily_ticket_limit, updated_at)
       VALUES ($1, $2, $3, $4, now())
       ON CONFLICT (office_id, service_id) DO UPDATE SET
         target_wait_minutes = CASE WHEN $5 THEN EXCLUDED.target_wait_minutes ELSE queue_rule.target_wait_minutes END,
         daily_ticket_limit = CASE WHEN $6 THEN EXCLUDED.daily_ticket_limit ELSE queue_rule.daily_ticket_limit END,
         updated_at = now()`,
      [
        office.id,
        service.serviceId,
        target ?? null,
        limit ?? null,
        target !== undefined,
        limit !== undefined,
      ],
    );
    return this.queueRule(office.id, service.serviceId);
  }

  /**
   * An appointment arrives (its reference at the kiosk, or staff for the citizen). In the
   * window (default 15 minutes early to 10 late) it queues as an appointment, called at or
   * after its time ahead of walk-ins; later the same day it becomes a walk-in ticket for the
   * same service, waiting from now. A joint visit checks in once: one ticket, whose parts
   * follow one another (endService moves it to the next part, keeping number and arrival).
   *
   * The kiosk checks in by the reference alone, so the reference must not be an oracle:
   * to anyone but staff of the booking's office, an unknown reference, one at another office
   * (the kiosk's `officeId`, or the staff member's offices), one not of today, a cancelled,
   * too early, already checked-in or missed booking all get the same NOT_FOUND and message.
   * Only a genuine check-in in its window tells the caller something: its receipt. Staff of
   * the office, who see the booking in their schedule anyway, are told why not.
   */
  async checkIn(
    referenceInput: string,
    principal: Principal,
    kioskOfficeId?: string | null,
  ): Promise<Receipt> {
    // Refused before anything is looked up: the refusal must not depend on the reference.
    if (principal.role === 'agency') {
      throw DomainError.forbidden('Citizens check in at the office, or staff for them.');
    }
    const now = this.clock.now();
    const reference = normalizeReference(referenceInput);
    const notHere = DomainError.notFound(CHECK_IN_NOT_HERE(this.rules.checkInEarlyMinutes));
    if (!reference) throw notHere;
    const parts: Array<{
      id: string;
      officeId: string;
      serviceId: string;
      agencyId: string;
      status: string;
      startsAt: Date;
      jointVisitId: string | null;
    }> = await this.pool()
      .query(
        `WITH hit AS (
           SELECT a.id, a.joint_visit_id FROM scheduling.appointment a WHERE a.reference = $1
           UNION ALL
           SELECT NULL, v.id FROM scheduling.joint_visit v WHERE v.reference = $1)
         SELECT a.id, a.office_id AS "officeId", a.service_id AS "serviceId", a.agency_id AS "agencyId",
                a.status::text AS status, a.starts_at AS "startsAt", a.joint_visit_id AS "jointVisitId"
         FROM scheduling.appointment a
         WHERE a.id IN (SELECT id FROM hit WHERE joint_visit_id IS NULL)
            OR a.joint_visit_id IN (SELECT joint_visit_id FROM hit WHERE joint_visit_id IS NOT NULL)
         ORDER BY a.joint_part NULLS FIRST, a.starts_at`,
        [reference],
      )
      .then((r) => r.rows);
    const active = parts.filter((p) => p.status !== 'CANCELLED' && p.status !== 'HELD');
    if (active.length === 0) throw notHere;
    if (
      kioskOfficeId !== undefined &&
      kioskOfficeId !== null &&
      kioskOfficeId !== active[0].officeId
    )
      throw notHere;
    const office = await this.facts.office(active[0].officeId);
    // Staff elsewhere were FORBIDDEN here, after the look-up: that told a real reference
    // from an unknown one. They are now answered as for an unknown reference.
    const desk =
      principal.role === 'staff' &&
      (await this.facts.staffBySubject(office.id, principal.subject)) !== undefined;
    if (principal.role === 'staff' && !desk) throw notHere;
    const refuse = (why: DomainError): DomainError => (desk ? why : notHere);

    const already = active.find((p) => p.status !== 'BOOKED' && p.status !== 'NEEDS_REBOOKING');
    const waiting = active.filter((p) => p.status === 'BOOKED');
    if (waiting.length === 0 || already) {
      const open = await this.openTicketOfAppointments(active.map((p) => p.id));
      throw refuse(
        new DomainError(
          ErrorCode.CONFLICT,
          open
            ? `This booking has already checked in: ticket ${open.number}.`
            : 'This booking can no longer be checked in (it was rebooked, completed or missed).',
          open ? { ticketNumber: open.number } : {},
        ),
      );
    }
    const first = waiting[0];
    const decision = checkInDecision({
      bookedStart: first.startsAt.getTime(),
      now,
      zone: office.timeZone,
      earlyMinutes: this.rules.checkInEarlyMinutes,
      lateMinutes: this.rules.checkInLateMinutes,
    });
    if (decision.kind === 'NOT_TODAY') {
      throw refuse(
        new DomainError(
          ErrorCode.CONFLICT,
          'This booking is for another day: check in on the day of the visit.',
          { reason: 'NOT_TODAY', start: first.startsAt.toISOString() },
        ),
      );
    }
    if (decision.kind === 'TOO_EARLY') {
      throw refuse(
        new DomainError(
          ErrorCode.CONFLICT,
          `It is too early to check in: check-in opens ${this.rules.checkInEarlyMinutes} minutes before the visit.`,
          { reason: 'TOO_EARLY', checkInFrom: new Date(decision.opensAt).toISOString() },
        ),
      );
    }
    const service = (await this.facts.services(office.id)).get(first.serviceId);
    if (!service)
      throw refuse(new DomainError(ErrorCode.CONFLICT, 'This service is no longer offered here.'));
    const day = await this.facts.day(office, now);
    const late = decision.kind === 'LATE';
    // A late arrival becomes a walk-in, which only an open office takes. On time, the visit
    // was booked in opening hours (an early check-in before opening waits for its time).
    if (late && !day.open) throw refuse(closedNow(office, day.nextOpening));
    const rule = await this.queueRule(office.id, service.serviceId);
    const letter = (await this.facts.letters(office.id)).get(service.agencyId) ?? 'X';
    const token = randomBytes(24).toString('base64url');
    const due = late ? now : Math.max(now, first.startsAt.getTime());
    const staffId = await this.staffIdOf(principal, office);

    const client = await this.pool().connect();
    try {
      await client.query('BEGIN');
      const updated = await client.query(
        `UPDATE scheduling.appointment SET status = 'CHECKED_IN', updated_at = $2
         WHERE id = ANY($1::uuid[]) AND status = 'BOOKED' RETURNING id`,
        [waiting.map((p) => p.id), new Date(now)],
      );
      if (updated.rowCount !== waiting.length) {
        throw refuse(new DomainError(ErrorCode.CONFLICT, 'This booking has just checked in.'));
      }
      const rows: TicketRow[] = (
        await client.query(TAKE_TICKET_SQL, [
          office.id,
          day.today,
          service.serviceId,
          null,
          letter,
          service.agencyId,
          'CHECK_IN',
          null,
          ticketNeeds(undefined, service),
          new Date(now),
          new Date(due),
          new Date(due + rule.targetWaitMinutes * 60_000),
          tokenHash(token),
          null,
          first.id,
          first.jointVisitId,
          waiting.slice(1).map((p) => p.id),
          late ? null : first.startsAt,
          'CHECKED_IN',
          staffId ?? null,
          false,
        ])
      ).rows;
      await client.query(
        `INSERT INTO scheduling.appointment_event
           (appointment_id, office_id, agency_id, type, actor_role, actor_subject, channel, occurred_at, details)
         SELECT a.id, a.office_id, a.agency_id, 'CHECKED_IN', $2, $3, 'DESK', $4, $5::jsonb
         FROM scheduling.appointment a WHERE a.id = ANY($1::uuid[])`,
        [
          waiting.map((p) => p.id),
          principal.role === 'staff' ? 'STAFF' : 'ANONYMOUS',
          principal.role === 'staff' ? principal.subject : null,
          new Date(now),
          JSON.stringify({ ticket: rows[0].number, late }),
        ],
      );
      await client.query('COMMIT');
      this.estimates.invalidate(office.id);
      return { ticket: rows[0], token, passesClosingTime: false };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  private async openTicketOfAppointments(ids: string[]): Promise<TicketRow | undefined> {
    const rows: TicketRow[] = await this.pool()
      .query(
        `WITH r AS (SELECT ${TICKET_COLUMNS} FROM scheduling.ticket t
                    WHERE (t.appointment_id = ANY($1::uuid[]) OR t.next_appointment_ids && $1::uuid[])
                      AND t.status IN ('WAITING', 'CALLED', 'IN_SERVICE', 'PARKED'))
         ${WITH_REFERENCE}`,
        [ids],
      )
      .then((r) => r.rows);
    return rows[0];
  }

  /** The holder's ticket; undefined for an unknown token. */
  async byToken(token: string): Promise<TicketRow | undefined> {
    if (typeof token !== 'string' || token.length < 16 || token.length > 64) return undefined;
    const rows: TicketRow[] = await this.pool()
      .query(
        `WITH r AS (SELECT ${TICKET_COLUMNS} FROM scheduling.ticket t WHERE t.token_hash = $1)
         ${WITH_REFERENCE}`,
        [tokenHash(token)],
      )
      .then((r) => r.rows);
    return rows[0];
  }

  /** A signed-in citizen's tickets of today that are still open (`myTickets`), newest first. */
  async openTicketsOf(citizenKey: string, limit: number): Promise<TicketRow[]> {
    return this.pool()
      .query(
        `WITH r AS (SELECT ${TICKET_COLUMNS} FROM scheduling.ticket t
           WHERE (t.citizen_key = $1
                  OR t.appointment_id IN (SELECT a.id FROM scheduling.appointment a WHERE a.citizen_key = $1))
             AND t.status IN ('WAITING', 'CALLED', 'IN_SERVICE', 'PARKED')
           ORDER BY t.arrived_at DESC, t.id LIMIT $2)
         ${WITH_REFERENCE}`,
        [citizenKey, limit],
      )
      .then((r) => r.rows as TicketRow[]);
  }

  /** The holder leaves the queue (a virtual ticket no longer needed). */
  async cancelByToken(token: string): Promise<TicketRow> {
    const ticket = await this.byToken(token);
    if (!ticket) throw DomainError.notFound('No ticket matches this token.');
    return this.step(ticket.id, undefined, {
      from: ['WAITING', 'PARKED'],
      action: 'cancelled',
      kind: 'CANCELLED',
      set: `status = 'CANCELLED', ended_at = $now`,
      appointments: { to: 'CANCELLED', all: true },
    });
  }

  // ---------------------------------------------------------------------------------------
  // Calling

  /**
   * The next citizen this counter may serve now and the caller is competent for, claimed in
   * one statement; null when nobody such is waiting. A retried call with the same
   * idempotency key answers the ticket the first call got.
   */
  async callNext(
    counterId: string,
    idempotencyKey: string | null | undefined,
    principal: Principal,
  ): Promise<TicketRow | null> {
    const now = this.clock.now();
    const office = await this.officeOfCounter(counterId);
    const caller = await this.caller(principal, office);
    const counter = await this.counter(office, counterId, now);
    if (idempotencyKey !== undefined && idempotencyKey !== null) {
      if (idempotencyKey.length === 0 || idempotencyKey.length > 200) {
        throw DomainError.badInput('idempotencyKey: 1 to 200 characters.', 'idempotencyKey');
      }
      const earlier = await this.calledWithKey(counterId, idempotencyKey);
      if (earlier) return earlier;
    }
    const services = await this.facts.servicesFor(office, caller.staff, counter);
    const claim = () =>
      this.pool()
        .query<TicketRow>({
          name: 'frontdesk_call_next',
          text: CALL_NEXT_SQL,
          values: [
            office.id,
            new Date(now),
            services.map((s) => s.serviceId),
            counter.features,
            caller.staff.languages,
            caller.staff.id,
            counter.counter.id,
            counter.counter.name,
            idempotencyKey ?? null,
            localDate(office.timeZone, now),
          ],
        })
        .then((r) => r.rows);
    try {
      let rows: TicketRow[];
      try {
        rows = await claim();
      } catch (error) {
        if ((error as Error).message !== 'FRONTDESK_STALE_CALL') throw error;
        // A citizen left at this counter or with this person when an earlier day ended.
        await this.endEarlierDaysOf(counter.counter.id, caller.staff.id);
        rows = await claim();
      }
      if (rows.length > 0) this.estimates.invalidate(office.id);
      return rows[0] ?? null;
    } catch (error) {
      const { constraint, message, detail } = error as {
        constraint?: string;
        message?: string;
        detail?: string;
      };
      if (constraint === 'uq_ticket_event_call_key' && idempotencyKey) {
        const earlier = await this.calledWithKey(counterId, idempotencyKey);
        if (earlier) return earlier;
      }
      if (message === 'FRONTDESK_COUNTER_BUSY' || message === 'FRONTDESK_STAFF_BUSY') {
        throw new DomainError(
          ErrorCode.CONFLICT,
          message === 'FRONTDESK_COUNTER_BUSY'
            ? `${counter.counter.name} is serving ${detail}: end, park or transfer it first.`
            : `You are serving ${detail}: end, park or transfer it first.`,
          { ticketNumber: detail },
        );
      }
      if (constraint === 'uq_ticket_counter_busy' || constraint === 'uq_ticket_staff_busy') {
        throw new DomainError(
          ErrorCode.CONFLICT,
          constraint === 'uq_ticket_counter_busy'
            ? `${counter.counter.name} has just called someone: end or park that ticket first.`
            : 'You have just called someone: end or park that ticket first.',
        );
      }
      throw error;
    }
  }

  /** Ends the earlier days at every office where this counter or person has a call left open. */
  private async endEarlierDaysOf(counterId: string, staffId: string): Promise<void> {
    const offices = await this.pool()
      .query<{ officeId: string }>(
        `SELECT DISTINCT office_id AS "officeId" FROM scheduling.ticket
         WHERE status IN ('CALLED', 'IN_SERVICE') AND (counter_id = $1 OR staff_id = $2)`,
        [counterId, staffId],
      )
      .then((r) => r.rows);
    for (const { officeId } of offices)
      await this.endEarlierDays(await this.facts.office(officeId));
  }

  private async calledWithKey(counterId: string, key: string): Promise<TicketRow | undefined> {
    const rows: TicketRow[] = await this.pool()
      .query(
        `WITH r AS (SELECT ${TICKET_COLUMNS} FROM scheduling.ticket t
                    JOIN scheduling.ticket_event e ON e.ticket_id = t.id
                    WHERE e.counter_id = $1 AND e.call_key = $2)
         ${WITH_REFERENCE}`,
        [counterId, key],
      )
      .then((r) => r.rows);
    return rows[0];
  }

  /** A counter and a person serve one citizen at a time (the unique indexes are the final word). */
  private async requireFree(caller: Caller, counter: CounterNow): Promise<void> {
    const busy = () =>
      this.pool()
        .query<{ number: string; atCounter: boolean; officeId: string; stale: boolean }>(
          `SELECT t.number, t.counter_id = $1 AS "atCounter", t.office_id AS "officeId",
                  t.local_date < (($3::timestamptz) AT TIME ZONE o.time_zone)::date AS stale
           FROM scheduling.ticket t JOIN directory.published_office o ON o.id = t.office_id
           WHERE t.status IN ('CALLED', 'IN_SERVICE') AND (t.counter_id = $1 OR t.staff_id = $2)`,
          [counter.counter.id, caller.staff.id, new Date(this.clock.now())],
        )
        .then((r) => r.rows);
    let rows = await busy();
    // A citizen left at a counter when an earlier day ended does not keep it busy today.
    if (rows.some((r) => r.stale)) {
      for (const officeId of new Set(rows.filter((r) => r.stale).map((r) => r.officeId))) {
        await this.endEarlierDays(await this.facts.office(officeId));
      }
      rows = await busy();
    }
    if (rows.length > 0) {
      throw new DomainError(
        ErrorCode.CONFLICT,
        rows[0].atCounter
          ? `${counter.counter.name} is serving ${rows[0].number}: end, park or transfer it first.`
          : `You are serving ${rows[0].number}: end, park or transfer it first.`,
        { ticketNumber: rows[0].number },
      );
    }
  }

  /**
   * Tickets still open from an earlier day at the office are ended: CANCELLED at that day's
   * closing time, with a CANCELLED event (`reason: DAY_ENDED`). Nothing is served across
   * midnight, and a counter or person left with an open call is free the next morning.
   */
  async endEarlierDays(office: OfficeRow): Promise<number> {
    const now = this.clock.now();
    const today = localDate(office.timeZone, now);
    const client = await this.pool().connect();
    try {
      await client.query('BEGIN');
      const stale = (
        await client.query<{ id: string; localDate: string }>(
          `SELECT id, to_char(local_date, 'YYYY-MM-DD') AS "localDate" FROM scheduling.ticket
           WHERE office_id = $1 AND local_date < $2
             AND status IN ('WAITING', 'CALLED', 'IN_SERVICE', 'PARKED')
           FOR UPDATE SKIP LOCKED`,
          [office.id, today],
        )
      ).rows;
      for (const date of new Set(stale.map((t) => t.localDate))) {
        const closing = (await this.facts.closingOf(office, date)) ?? now;
        const ids = stale.filter((t) => t.localDate === date).map((t) => t.id);
        await client.query(
          `WITH ended AS (
             UPDATE scheduling.ticket SET status = 'CANCELLED', ended_at = $2, updated_at = $2
             WHERE id = ANY($1::uuid[])
             RETURNING id, office_id, agency_id, service_id, number)
           INSERT INTO scheduling.ticket_event (ticket_id, office_id, agency_id, service_id, kind, at, details)
           SELECT id, office_id, agency_id, service_id, 'CANCELLED', $2,
                  jsonb_build_object('number', number, 'reason', 'DAY_ENDED')
           FROM ended`,
          [ids, new Date(Math.min(closing, now))],
        );
      }
      await client.query('COMMIT');
      return stale.length;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** Calls one waiting ticket by id to the caller's counter (out of order, e.g. a returning citizen). */
  async callTicket(ticketId: string, counterId: string, principal: Principal): Promise<TicketRow> {
    const now = this.clock.now();
    const office = await this.officeOfCounter(counterId);
    const counter = await this.counter(office, counterId, now);
    return this.step(ticketId, principal, {
      from: ['WAITING'],
      action: 'called',
      kind: 'CALLED',
      counter,
      check: async (ticket, caller) => {
        if (ticket.officeId !== office.id) {
          throw DomainError.forbidden(
            `${counter.counter.name} is at another office than this ticket.`,
          );
        }
        if (!ticket.needs.every((n) => counter.features.includes(n))) {
          throw DomainError.badInput(
            `${counter.counter.name} does not meet this ticket's needs (${ticket.needs.join(', ')}).`,
            'counterId',
          );
        }
        if (counter.reservedFor !== undefined && counter.reservedFor !== ticket.agencyId) {
          throw DomainError.forbidden(
            `${counter.counter.name} is reserved for another agency now.`,
          );
        }
        if (
          (ticket.reservedStaffId !== null && ticket.reservedStaffId !== caller.staff.id) ||
          (ticket.reservedCounterId !== null && ticket.reservedCounterId !== counter.counter.id)
        ) {
          throw DomainError.forbidden(
            `Ticket ${ticket.number} was handed over to another ${ticket.reservedStaffId !== null ? 'person' : 'counter'}.`,
          );
        }
        await this.requireFree(caller, counter);
      },
      set: `status = 'CALLED', counter_id = $counter, counter_name = $counterName,
            staff_id = $staff, called_at = $now, call_count = 1, first_in_line_at = NULL`,
      appointments: { to: 'CALLED', from: ['CHECKED_IN'] },
    });
  }

  /** Calls the citizen again to the same counter; at most the no-show number of calls. */
  async recall(ticketId: string, principal: Principal): Promise<TicketRow> {
    return this.step(ticketId, principal, {
      from: ['CALLED'],
      action: 'called again',
      kind: 'RECALLED',
      atOwnCounter: true,
      check: async (ticket) => {
        if (ticket.callCount >= this.rules.noShowCalls) {
          throw new DomainError(
            ErrorCode.CONFLICT,
            `Ticket ${ticket.number} has been called ${ticket.callCount} times: mark it as a no-show.`,
            { callCount: ticket.callCount },
          );
        }
      },
      set: `call_count = call_count + 1, called_at = $now`,
    });
  }

  async startService(ticketId: string, principal: Principal): Promise<TicketRow> {
    return this.step(ticketId, principal, {
      from: ['CALLED'],
      action: 'started',
      kind: 'STARTED',
      atOwnCounter: true,
      set: `status = 'IN_SERVICE', started_at = $now`,
      appointments: { to: 'IN_SERVICE', from: ['CALLED', 'CHECKED_IN'] },
    });
  }

  /**
   * The citizen has been served: the outcome and the services actually delivered (Qmatic's
   * "delivered services"; by default the ticket's own). A joint visit with parts left goes
   * on to its next part, keeping number and arrival, first among the appointments.
   */
  async endService(
    ticketId: string,
    principal: Principal,
    outcome: string,
    deliveredServiceIds: string[] | null | undefined,
  ): Promise<TicketRow> {
    return this.step(ticketId, principal, {
      from: ['CALLED', 'IN_SERVICE'],
      action: 'ended',
      kind: 'ENDED',
      atOwnCounter: true,
      details: async (ticket, caller) => {
        const delivered = deliveredServiceIds ?? [ticket.serviceId];
        if (delivered.length > 10) {
          throw DomainError.badInput('deliveredServiceIds: at most 10.', 'deliveredServiceIds');
        }
        const offered = await this.facts.services(caller.office.id);
        for (const id of delivered) {
          if (!offered.has(id)) {
            throw DomainError.badInput(
              `deliveredServiceIds: ${caller.office.name} does not offer "${id}".`,
              'deliveredServiceIds',
            );
          }
        }
        const now = this.clock.now();
        const started = (ticket.startedAt ?? ticket.calledAt ?? new Date(now)).getTime();
        return {
          outcome,
          deliveredServiceIds: [...new Set(delivered)],
          servedSeconds: Math.max(0, Math.round((now - started) / 1000)),
        };
      },
      set: `status = CASE WHEN cardinality(next_appointment_ids) > 0 THEN 'WAITING'::scheduling.ticket_status ELSE 'COMPLETED' END,
            ended_at = $now, outcome = $outcome, delivered_service_ids = $delivered::uuid[]`,
      appointments: { to: 'COMPLETED', from: ['CALLED', 'IN_SERVICE', 'CHECKED_IN'] },
      nextPart: true,
    });
  }

  /** After the configured number of calls, the citizen did not come: NO_SHOW (and their appointment). */
  async markNoShow(ticketId: string, principal: Principal): Promise<TicketRow> {
    return this.step(ticketId, principal, {
      from: ['CALLED'],
      action: 'marked as a no-show',
      kind: 'NO_SHOW',
      atOwnCounter: true,
      check: async (ticket) => {
        if (ticket.callCount < this.rules.noShowCalls) {
          throw new DomainError(
            ErrorCode.CONFLICT,
            `Ticket ${ticket.number} has been called ${ticket.callCount} of ${this.rules.noShowCalls} times: call it again first.`,
            { callCount: ticket.callCount, callsNeeded: this.rules.noShowCalls },
          );
        }
      },
      set: `status = 'NO_SHOW', ended_at = $now`,
      appointments: { to: 'NO_SHOW', all: true },
    });
  }

  /** Sets the ticket aside, keeping its place (the citizen fetches a document: BACK_LATER). */
  async park(ticketId: string, principal: Principal, reason: string): Promise<TicketRow> {
    return this.step(ticketId, principal, {
      from: ['WAITING', 'CALLED', 'IN_SERVICE'],
      action: 'parked',
      kind: 'PARKED',
      details: async () => ({ reason }),
      set: `status = 'PARKED', park_reason = $reason, counter_id = NULL, counter_name = NULL, staff_id = NULL`,
      appointments: { to: 'CHECKED_IN', from: ['CALLED', 'IN_SERVICE'] },
      reason,
    });
  }

  /** Back in the queue at the place it had (its due time is unchanged). */
  async unpark(ticketId: string, principal: Principal): Promise<TicketRow> {
    return this.step(ticketId, principal, {
      from: ['PARKED'],
      action: 'put back in the queue',
      kind: 'UNPARKED',
      set: `status = 'WAITING', park_reason = NULL`,
    });
  }

  /**
   * Hands the citizen to another service (of any agency) at the same office, keeping the
   * arrival time and the number, with a note for the next officer; optionally to one person
   * or one counter. Placement: by original arrival (default) or first in line; from the
   * (cap+1)-th transfer on, the ticket queues from the time of the transfer instead, so
   * repeated transfers cannot keep a ticket ahead of everyone.
   */
  async transfer(
    ticketId: string,
    principal: Principal,
    request: TransferRequest,
  ): Promise<TicketRow> {
    if (request.note && request.note.length > MAX_NOTE_LENGTH) {
      throw DomainError.badInput(`note: at most ${MAX_NOTE_LENGTH} characters.`, 'note');
    }
    return this.step(ticketId, principal, {
      from: ['WAITING', 'CALLED', 'IN_SERVICE', 'PARKED'],
      action: 'transferred',
      kind: 'TRANSFERRED',
      // A citizen at a counter is handed over by the person serving them; one in the queue
      // by anyone trained for their current service.
      check: async (ticket, caller) => {
        const atCounter = ticket.status === 'CALLED' || ticket.status === 'IN_SERVICE';
        if (atCounter && ticket.staffId !== caller.staff.id) {
          throw DomainError.forbidden(
            `Ticket ${ticket.number} is being served at ${ticket.counterName ?? 'another counter'} by someone else.`,
          );
        }
      },
      transfer: request,
    });
  }

  // ---------------------------------------------------------------------------------------
  // One step of a ticket

  /**
   * Locks the ticket's row, checks the caller and the ticket's state, applies `set`, writes
   * the event and moves the appointment(s) along, in one transaction.
   * `principal` undefined: the holder acting with their token (checked by the caller).
   */
  private async step(
    ticketId: string,
    principal: Principal | undefined,
    spec: StepSpec,
  ): Promise<TicketRow> {
    if (!isUuid(ticketId)) throw TICKET_NOT_FOUND(ticketId);
    const now = this.clock.now();
    const client = await this.pool().connect();
    try {
      await client.query('BEGIN');
      const locked: TicketRow[] = (
        await client.query(
          `WITH r AS (SELECT ${TICKET_COLUMNS} FROM scheduling.ticket t WHERE t.id = $1 FOR UPDATE)
           ${WITH_REFERENCE}`,
          [ticketId],
        )
      ).rows;
      const ticket = locked[0];
      if (!ticket) throw TICKET_NOT_FOUND(ticketId);
      let caller: Caller | undefined;
      if (principal) {
        caller = await this.caller(principal, await this.facts.office(ticket.officeId));
        this.requireCompetent(caller, ticket);
      }
      if (!spec.from.includes(ticket.status)) throw wrongState(ticket, spec.action);
      if (spec.atOwnCounter && caller && ticket.staffId !== caller.staff.id) {
        throw DomainError.forbidden(
          `Ticket ${ticket.number} was called to ${ticket.counterName ?? 'another counter'} by someone else.`,
        );
      }
      if (spec.check && caller) await spec.check(ticket, caller);
      const details = spec.details && caller ? await spec.details(ticket, caller) : {};

      const result = spec.transfer
        ? await this.applyTransfer(client, ticket, caller as Caller, spec.transfer, now, details)
        : await this.apply(client, ticket, caller, spec, now, details);
      await client.query('COMMIT');
      this.estimates.invalidate(ticket.officeId);
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  private async apply(
    client: PoolClient,
    ticket: TicketRow,
    caller: Caller | undefined,
    spec: StepSpec,
    now: number,
    details: Record<string, unknown>,
  ): Promise<TicketRow> {
    const values: unknown[] = [ticket.id, new Date(now)];
    const param = (value: unknown) => {
      values.push(value);
      return `$${values.length}`;
    };
    const counter = spec.counter;
    const set = spec.set
      ?.replaceAll('$now', '$2')
      .replace('$counterName', () => param(counter?.counter.name ?? null))
      .replace('$counter', () => param(counter?.counter.id ?? null))
      .replace('$staff', () => param(caller?.staff.id ?? null))
      .replace('$outcome', () => param(details['outcome'] ?? null))
      .replace('$delivered', () => param(details['deliveredServiceIds'] ?? null))
      .replace('$reason', () => param(spec.reason ?? null));
    await client.query(
      `UPDATE scheduling.ticket SET ${set}, updated_at = $2 WHERE id = $1`,
      values,
    );
    const counterName =
      spec.kind === 'CALLED'
        ? counter?.counter.name
        : spec.kind === 'RECALLED'
          ? ticket.counterName
          : undefined;
    await this.event(
      client,
      ticket,
      spec.kind,
      now,
      caller,
      counter?.counter.id ?? ticket.counterId,
      {
        ...details,
        ...(counterName ? { counterName } : {}),
      },
    );
    if (spec.appointments && ticket.appointmentId) {
      const ids = spec.appointments.all
        ? [ticket.appointmentId, ...ticket.nextAppointmentIds]
        : [ticket.appointmentId];
      await client.query(
        `UPDATE scheduling.appointment SET status = $2, updated_at = $3
         WHERE id = ANY($1::uuid[]) AND ($4::text[] IS NULL OR status::text = ANY($4::text[]))`,
        [ids, spec.appointments.to, new Date(now), spec.appointments.from ?? null],
      );
    }
    if (spec.nextPart && ticket.nextAppointmentIds.length > 0) {
      await this.nextPart(client, ticket, now);
    }
    return this.reread(client, ticket.id);
  }

  /**
   * A joint visit's next part: the same ticket, now for that part's service, first among
   * appointments. The last transfer's note was for the part just served (often another
   * agency's matter) and is dropped.
   */
  private async nextPart(client: PoolClient, ticket: TicketRow, now: number): Promise<void> {
    const [nextId, ...rest] = ticket.nextAppointmentIds;
    const part: { serviceId: string; agencyId: string; startsAt: Date } | undefined = (
      await client.query(
        `SELECT service_id AS "serviceId", agency_id AS "agencyId", starts_at AS "startsAt"
         FROM scheduling.appointment WHERE id = $1`,
        [nextId],
      )
    ).rows[0];
    if (!part) return;
    const rule = await this.queueRule(ticket.officeId, part.serviceId);
    await client.query(
      `UPDATE scheduling.ticket SET service_id = $2, agency_id = $3, appointment_id = $4,
              next_appointment_ids = $5::uuid[], booked_start = $6, due_at = $7, overdue_at = $8,
              counter_id = NULL, counter_name = NULL, staff_id = NULL, call_count = 0,
              started_at = NULL, ended_at = NULL, outcome = NULL, delivered_service_ids = NULL,
              note = NULL, updated_at = $7
       WHERE id = $1`,
      [
        ticket.id,
        part.serviceId,
        part.agencyId,
        nextId,
        rest,
        part.startsAt,
        new Date(now),
        new Date(now + rule.targetWaitMinutes * 60_000),
      ],
    );
  }

  private async applyTransfer(
    client: PoolClient,
    ticket: TicketRow,
    caller: Caller,
    request: TransferRequest,
    now: number,
    details: Record<string, unknown>,
  ): Promise<TicketRow> {
    const office = caller.office;
    const service = await this.facts.offeredService(office, request.serviceId);
    if (service.serviceId === ticket.serviceId && !request.staffId && !request.counterId) {
      throw DomainError.badInput('serviceId: the ticket is already for this service.', 'serviceId');
    }
    let staffId: string | null = null;
    if (request.staffId) {
      const person = isUuid(request.staffId)
        ? (await this.facts.staff(office.id)).find((s) => s.id === request.staffId)
        : undefined;
      if (!person)
        throw DomainError.notFound(`No staff member "${request.staffId}" at ${office.name}.`);
      if (!competentFor(person, service)) {
        throw DomainError.badInput(
          `staffId: ${person.name} is not trained for this service.`,
          'staffId',
        );
      }
      staffId = person.id;
    }
    let counterId: string | null = null;
    if (request.counterId) {
      const counter = isUuid(request.counterId)
        ? await this.facts.counterNow(office, request.counterId, now)
        : undefined;
      if (!counter)
        throw DomainError.notFound(`No counter in use "${request.counterId}" at ${office.name}.`);
      counterId = counter.counter.id;
    }
    const keepsPlace = ticket.transferCount < this.rules.transferCap;
    const placement = request.placement ?? 'ARRIVAL';
    const rule = await this.queueRule(office.id, service.serviceId);
    const due = keepsPlace ? ticket.arrivedAt.getTime() : now;
    const firstInLine = keepsPlace && placement === 'FIRST_IN_LINE' ? new Date(now) : null;
    const servedFrom = (ticket.startedAt ?? ticket.calledAt)?.getTime();
    await client.query(
      `UPDATE scheduling.ticket SET status = 'WAITING', service_id = $2, agency_id = $3,
              due_at = $4, overdue_at = $5, first_in_line_at = $6, reserved_staff_id = $7,
              reserved_counter_id = $8, note = $9, transfer_count = transfer_count + 1,
              counter_id = NULL, counter_name = NULL, staff_id = NULL, call_count = 0,
              started_at = NULL, booked_start = NULL, appointment_id = NULL, updated_at = $10
       WHERE id = $1`,
      [
        ticket.id,
        service.serviceId,
        service.agencyId,
        new Date(due),
        new Date(due + rule.targetWaitMinutes * 60_000),
        firstInLine,
        staffId,
        counterId,
        request.note ?? null,
        new Date(now),
      ],
    );
    // The appointment it came for has been served by the officer handing over.
    if (ticket.appointmentId) {
      await client.query(
        `UPDATE scheduling.appointment SET status = 'COMPLETED', updated_at = $2
         WHERE id = $1 AND status IN ('CHECKED_IN', 'CALLED', 'IN_SERVICE')`,
        [ticket.appointmentId, new Date(now)],
      );
    }
    await this.event(client, ticket, 'TRANSFERRED', now, caller, ticket.counterId, {
      ...details,
      toServiceId: service.serviceId,
      placement: keepsPlace ? placement : 'TRANSFER_TIME',
      ...(servedFrom !== undefined
        ? { servedSeconds: Math.max(0, Math.round((now - servedFrom) / 1000)) }
        : {}),
      ...(staffId ? { toStaffId: staffId } : {}),
      ...(counterId ? { toCounterId: counterId } : {}),
    });
    return this.reread(client, ticket.id);
  }

  private async event(
    client: PoolClient,
    ticket: TicketRow,
    kind: string,
    now: number,
    caller: Caller | undefined,
    counterId: string | null | undefined,
    details: Record<string, unknown>,
  ): Promise<void> {
    await client.query(
      `INSERT INTO scheduling.ticket_event
         (ticket_id, office_id, agency_id, service_id, kind, at, staff_id, counter_id, details)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb)`,
      [
        ticket.id,
        ticket.officeId,
        ticket.agencyId,
        ticket.serviceId,
        kind,
        new Date(now),
        caller?.staff.id ?? null,
        counterId ?? null,
        JSON.stringify({ number: ticket.number, ...details }),
      ],
    );
  }

  private async reread(client: PoolClient, ticketId: string): Promise<TicketRow> {
    const rows: TicketRow[] = (
      await client.query(
        `WITH r AS (SELECT ${TICKET_COLUMNS} FROM scheduling.ticket t WHERE t.id = $1) ${WITH_REFERENCE}`,
        [ticketId],
      )
    ).rows;
    return rows[0];
  }

  // ---------------------------------------------------------------------------------------
  // Reading

  /** A staff member's view of a ticket they may see (any open or finished one of their office). */
  async ticketForStaff(ticketId: string, principal: Principal): Promise<TicketRow> {
    if (!isUuid(ticketId)) throw TICKET_NOT_FOUND(ticketId);
    const rows: TicketRow[] = await this.pool()
      .query(
        `WITH r AS (SELECT ${TICKET_COLUMNS} FROM scheduling.ticket t WHERE t.id = $1) ${WITH_REFERENCE}`,
        [ticketId],
      )
      .then((r) => r.rows);
    if (!rows[0]) throw TICKET_NOT_FOUND(ticketId);
    const caller = await this.caller(principal, await this.facts.office(rows[0].officeId));
    this.requireCompetent(caller, rows[0]);
    return rows[0];
  }

  /**
   * The office's queue (waiting and parked tickets, in call order) as a staff member of the
   * office sees it: only services they are trained for; an admin sees all. At most `first`.
   */
  async queue(officeId: string, principal: Principal, first: number): Promise<TicketRow[]> {
    const office = await this.facts.office(officeId);
    const services = await this.visibleServices(office, principal);
    const now = this.clock.now();
    const day = await this.facts.day(office, now);
    return this.pool()
      .query(
        `WITH r AS (
           SELECT ${TICKET_COLUMNS} FROM scheduling.ticket t
           WHERE t.office_id = $1 AND t.local_date = $2 AND t.status IN ('WAITING', 'PARKED')
             AND t.service_id = ANY($3::uuid[])
           ORDER BY t.status = 'PARKED', ${CALL_ORDER('$4')}
           LIMIT $5)
         ${WITH_REFERENCE}`,
        [office.id, day.today, services, new Date(now), first],
      )
      .then((r) => r.rows);
  }

  /** The services whose tickets a caller may see at the office. */
  async visibleServices(office: OfficeRow, principal: Principal): Promise<string[]> {
    const services = [...(await this.facts.services(office.id)).values()];
    if (principal.role === 'admin') return services.map((s) => s.serviceId);
    if (principal.role === 'agency') {
      const codes = await Promise.all(services.map((s) => this.facts.agencyCode(s.agencyId)));
      return services.filter((_, i) => codes[i] === principal.agency).map((s) => s.serviceId);
    }
    const caller = await this.caller(principal, office);
    return services.filter((s) => competentFor(caller.staff, s)).map((s) => s.serviceId);
  }

  /** Waiting tickets per visible service, for the staff's queue view. */
  async queueLengths(officeId: string, principal: Principal) {
    const office = await this.facts.office(officeId);
    const services = await this.visibleServices(office, principal);
    const now = this.clock.now();
    const day = await this.facts.day(office, now);
    const rows: Array<{ serviceId: string; waiting: number; longestSeconds: number }> =
      await this.pool()
        .query(
          `SELECT service_id AS "serviceId", count(*)::int AS waiting,
                floor(extract(epoch FROM $4::timestamptz - min(due_at)))::int AS "longestSeconds"
         FROM scheduling.ticket
         WHERE office_id = $1 AND local_date = $2 AND status = 'WAITING' AND service_id = ANY($3::uuid[])
         GROUP BY service_id ORDER BY service_id`,
          [office.id, day.today, services, new Date(now)],
        )
        .then((r) => r.rows);
    return {
      officeId: office.id,
      waiting: rows.reduce((sum, r) => sum + r.waiting, 0),
      services: rows.map((r) => ({
        service: { id: r.serviceId },
        waiting: r.waiting,
        longestWaitMinutes: Math.max(0, Math.floor(r.longestSeconds / 60)),
      })),
    };
  }

  /** Recent calls of the office's day (newest first), or those after an instant (oldest first). */
  async lobbyCalls(
    officeId: string,
    options: { limit: number; after?: number },
  ): Promise<
    Array<{
      id: number;
      ticketNumber: string;
      counterName: string;
      calledAt: Date;
      recall: boolean;
    }>
  > {
    const office = await this.facts.office(officeId);
    const now = this.clock.now();
    const day = await this.facts.day(office, now);
    const dayStart = localMinuteToUtc(office.timeZone, day.today, 0);
    const from = Math.max(options.after ?? dayStart, dayStart);
    return this.pool()
      .query(
        `SELECT e.id::int AS id, e.details->>'number' AS "ticketNumber", e.details->>'counterName' AS "counterName",
                e.at AS "calledAt", e.kind = 'RECALLED' AS recall
         FROM scheduling.ticket_event e
         JOIN scheduling.ticket t ON t.id = e.ticket_id AND t.local_date = $2
         WHERE e.office_id = $1 AND e.kind IN ('CALLED', 'RECALLED') AND e.at > $3
         ORDER BY e.at ${options.after !== undefined ? 'ASC' : 'DESC'}, e.id ${options.after !== undefined ? 'ASC' : 'DESC'}
         LIMIT $4`,
        [office.id, day.today, new Date(from), options.limit],
      )
      .then((r) => r.rows);
  }

  /** The estimate shown on a waiting ticket. */
  async estimateOf(ticket: TicketRow) {
    if (ticket.status !== 'WAITING') return undefined;
    const office = await this.facts.office(ticket.officeId);
    return this.estimates.of(office, this.clock.now(), ticket.id);
  }
}

interface StepSpec {
  from: TicketStatusValue[];
  action: string;
  kind: string;
  set?: string;
  atOwnCounter?: boolean;
  counter?: CounterNow;
  reason?: string;
  check?: (ticket: TicketRow, caller: Caller) => Promise<void>;
  details?: (ticket: TicketRow, caller: Caller) => Promise<Record<string, unknown>>;
  appointments?: { to: string; from?: string[]; all?: boolean };
  nextPart?: boolean;
  transfer?: TransferRequest;
}

/** The counter features a ticket needs: the citizen's needs and the service's own. */
function ticketNeeds(needs: VisitNeed[] | null | undefined, service: ServiceRow): string[] {
  const set = new Set<string>(needs ?? []);
  if (service.needsPrivateRoom) set.add(VisitNeed.PRIVATE_ROOM);
  set.delete(VisitNeed.EXTRA_TIME);
  return [...set].sort();
}

function closedNow(office: OfficeRow, nextOpening: number | undefined): DomainError {
  return new DomainError(
    ErrorCode.SLOT_UNAVAILABLE,
    `${office.name} is closed now${nextOpening ? '; tickets can be taken when it opens' : ''}.`,
    { reason: 'CLOSED', ...(nextOpening ? { opensAt: new Date(nextOpening).toISOString() } : {}) },
  );
}

function contingentUsed(service: ServiceRow): DomainError {
  return new DomainError(
    ErrorCode.LIMIT_REACHED,
    `Today's tickets for ${service.nameSv} have all been given out. You can book a time instead.`,
    { reason: 'CONTINGENT' },
  );
}
