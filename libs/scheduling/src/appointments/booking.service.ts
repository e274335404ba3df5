import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import { isoInZone } from '@samservice/calendar';
import type { Pool } from 'pg';
import { pgPoolOf } from '@samservice/platform/database';
import { DataSource, type QueryRunner } from 'typeorm';
import type { Principal } from '@samservice/platform/auth';
import { APP_CONFIG, type AppConfig } from '@samservice/platform/config';
import { PersonalDataProtector } from '@samservice/platform/crypto';
import { isUuid, parseIsoInstant } from '@samservice/platform/http';
import { DomainError, ErrorCode } from '@samservice/platform/errors';
import {
  assignmentCandidates,
  availableSlots,
  unavailableReason,
  type AvailabilityInput,
  type UnavailableReason,
} from '@samservice/scheduling-engine';
import { AvailabilityService } from '../availability/availability.service';
import type { OfficeRow, ServiceRow } from '../availability/office-calendar.repository';
import { requireOwnAgency } from '../common/agency-access';
import { Clock } from '../common/clock';
import { SCHEDULING_DATA_SOURCE } from '../scheduling.database';
import { AppointmentEntity, type ChannelValue } from './appointment.entity';
import type { BookAppointmentInput } from './appointment.model';
import { agencyLimitReached, parseAgencyLimitDetail } from './booking-limits';
import { citizenIdentity, type CitizenIdentity } from './citizen-identity';
import { newReferenceCode } from './reference-code';

export const PERSONAL_DATA_PROTECTOR = Symbol('PERSONAL_DATA_PROTECTOR');

/** Enough to compare a few times; too few for a script to freeze a morning's release. */
export const MAX_HOLDS_PER_CLIENT = 3;

/** How long a worked-out earliest free start is reused for the bookings' events. */
export const EARLIEST_FREE_REUSE_MS = 2_000;

const REASONS: Record<UnavailableReason, string> = {
  OFF_GRID: "This time is not one of the service's start times; pick one of the free times listed.",
  CLOSED: 'The office is closed at this time.',
  TOO_SOON: 'This time is too soon: the service must be booked further ahead.',
  BEYOND_HORIZON:
    'This time is too far ahead: the service cannot be booked that far in advance yet.',
  FULL: 'This time is fully booked; pick another free time.',
  OUT_OF_RANGE: 'This time cannot be booked.',
};

export function slotUnavailable(message: string, reason?: string): DomainError {
  return new DomainError(ErrorCode.SLOT_UNAVAILABLE, message, reason ? { reason } : {});
}

/** What `scheduling.book_appointment` takes (see its migration); references are added per call. */
interface BookingStatement {
  kind: 'BOOK' | 'HOLD';
  citizenKey: string | null;
  maxActive?: number;
  idempotencyScope?: string | null;
  requestHash?: string | null;
  holdId?: string | null;
  holdClient?: string;
  maxHolds?: number;
  holdExpiresAt?: Date;
  now: Date;
  officeId: string;
  agencyId: string;
  serviceId: string;
  startsAt: Date;
  endsAt: Date;
  busyUntil: Date;
  channel: ChannelValue;
  bookedByRole: string;
  bookedBySubject: string | null;
  needs: string[];
  language: string | null;
  candidates: Array<{ counterId: string; staffId: string }>;
  earliestFreeStart?: Date | null;
  contact?: BookingContact;
}

/** An appointment row as `to_jsonb` writes it. */
type AppointmentRow = Record<string, unknown> & { id: string };

function appointmentFromRow(row: AppointmentRow): AppointmentEntity {
  const date = (value: unknown) => (value === null ? null : new Date(value as string));
  return Object.assign(new AppointmentEntity(), {
    id: row.id,
    officeId: row['office_id'],
    agencyId: row['agency_id'],
    serviceId: row['service_id'],
    counterId: row['counter_id'],
    staffId: row['staff_id'],
    citizenKey: row['citizen_key'],
    reference: row['reference'],
    status: row['status'],
    startsAt: date(row['starts_at']),
    endsAt: date(row['ends_at']),
    busyUntil: date(row['busy_until']),
    holdExpiresAt: date(row['hold_expires_at']),
    holdClient: row['hold_client'],
    holdGroup: row['hold_group'] ?? null,
    channel: row['channel'],
    bookedByRole: row['booked_by_role'],
    bookedBySubject: row['booked_by_subject'],
    needs: row['needs'],
    language: row['language'],
    createdAt: date(row['created_at']),
    updatedAt: date(row['updated_at']),
  });
}

/** The refusal `scheduling.book_appointment` raised, as the error a caller can act on. */
function refusal(error: unknown, request: BookingStatement): DomainError | undefined {
  const pg = error as { code?: string; message?: string; detail?: string };
  if (pg?.code !== 'P0001') return undefined;
  switch (pg.message) {
    case 'FULL':
      return slotUnavailable('This time was taken just now; pick another free time.', 'FULL');
    case 'CITIZEN_BUSY':
      return slotUnavailable('You already have another visit booked at this time.', 'CITIZEN_BUSY');
    case 'LIMIT_REACHED':
      return new DomainError(
        ErrorCode.LIMIT_REACHED,
        `You already have ${pg.detail} active booking(s) for this service, the most allowed. Cancel or change one first.`,
        { scope: 'SERVICE', limit: request.maxActive },
      );
    case 'AGENCY_LIMIT_REACHED': {
      const detail = parseAgencyLimitDetail(pg.detail);
      return detail ? agencyLimitReached(detail) : undefined;
    }
    case 'HOLD_LIMIT':
      return new DomainError(
        ErrorCode.LIMIT_REACHED,
        `You already hold ${pg.detail} times; book or let them expire before holding another.`,
      );
    case 'IDEMPOTENCY_CONFLICT':
      return DomainError.conflict(
        'This idempotency key was already used for a different booking request.',
      );
    default:
      return undefined;
  }
}

export interface Actor {
  role: string;
  subject: string | null;
  channel: ChannelValue;
}

/** Who is acting and through which channel; staff may book only for their own offices. */
export function actorFor(principal: Principal, officeId: string, channel?: string | null): Actor {
  switch (principal.role) {
    case 'staff':
      if (!principal.offices.includes(officeId)) {
        throw DomainError.forbidden('Staff can book only at the offices they work at.');
      }
      return {
        role: 'STAFF',
        subject: principal.subject,
        channel: channel === 'PHONE' ? 'PHONE' : 'DESK',
      };
    case 'agency':
      return { role: 'AGENCY', subject: principal.subject, channel: 'API' };
    case 'citizen':
      return { role: 'CITIZEN', subject: principal.subject, channel: 'WEB' };
    case 'admin':
      return { role: 'ADMIN', subject: principal.subject, channel: 'API' };
    default:
      return { role: 'ANONYMOUS', subject: null, channel: 'WEB' };
  }
}

/** Who changes (moves, cancels) a booking: staff of its office at the desk, else online. */
export function actorForChange(principal: Principal, officeId: string): Actor {
  if (principal.role === 'staff' && principal.offices.includes(officeId)) {
    return { role: 'STAFF', subject: principal.subject, channel: 'DESK' };
  }
  return {
    role: principal.role === 'anonymous' ? 'ANONYMOUS' : principal.role.toUpperCase(),
    subject: principal.role === 'anonymous' ? null : principal.subject,
    channel: 'WEB',
  };
}

/** The contact details a booking stores (`appointment_contact`), as the SQL functions take them. */
export interface BookingContact {
  name: string;
  email: string | null;
  phone: string | null;
  sealed: string | null;
  birthDate: string | null;
}

/**
 * Books appointments. The engine proposes counter/staff pairs; the database decides with
 * its exclusion constraints, in one transaction per booking: a lost race on a counter or a
 * person is retried with the next pair, and only when none is left is the answer
 * SLOT_UNAVAILABLE. Never two bookings of one counter, person or citizen at once.
 */
@Injectable()
export class BookingService {
  private readonly earliestFree = new Map<
    string,
    { expires: number; value: Promise<number | null> }
  >();

  constructor(
    @InjectDataSource(SCHEDULING_DATA_SOURCE) private readonly db: DataSource,
    @Inject(PERSONAL_DATA_PROTECTOR) private readonly protector: PersonalDataProtector,
    private readonly availability: AvailabilityService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private get holdMinutes(): number {
    return this.config.holdMinutes;
  }

  /** Parses a requested start and checks it is bookable; returns the engine input of its day. */
  async bookableStart(
    office: OfficeRow,
    service: ServiceRow,
    startIso: string,
    needs: Pick<BookAppointmentInput, 'needs'> & { language?: string | null },
    excludeAppointmentIds: readonly string[] = [],
  ): Promise<{ start: number; input: AvailabilityInput }> {
    const start = parseIsoInstant(startIso);
    if (Number.isNaN(start)) throw DomainError.badInput('start: not a date and time.', 'start');
    const date = isoInZone(start, office.timeZone).slice(0, 10);
    const input = await this.availability.engineInput(
      office,
      service,
      date,
      date,
      { language: needs.language, needs: needs.needs },
      excludeAppointmentIds,
    );
    const reason = unavailableReason(input, start);
    if (reason === 'FULL') throw this.fullWithNextFree(office, input, start);
    if (reason) throw slotUnavailable(REASONS[reason], reason);
    return { start, input };
  }

  /**
   * A full time's refusal, with the next free start of the same day when there is one
   * (`extensions.nextFreeStart`), so a citizen (or the page) can take that one instead of
   * guessing. Worked out from the day already read: no extra query.
   */
  private fullWithNextFree(
    office: OfficeRow,
    input: AvailabilityInput,
    start: number,
  ): DomainError {
    const next = availableSlots(input).find((slot) => slot.start > start);
    if (!next) {
      return new DomainError(
        ErrorCode.SLOT_UNAVAILABLE,
        'This time is fully booked, and so is the rest of that day; pick another day.',
        { reason: 'FULL', nextFreeStart: null },
      );
    }
    const local = isoInZone(next.start, office.timeZone, { suppressMilliseconds: true });
    return new DomainError(
      ErrorCode.SLOT_UNAVAILABLE,
      `This time is fully booked; the next free time that day is ${local.slice(11, 16)}.`,
      { reason: 'FULL', nextFreeStart: local },
    );
  }

  /**
   * The earliest start that is free for the service now, recorded with each booking
   * ("time to first available"). Worked out at most once per EARLIEST_FREE_REUSE_MS per
   * office and service: under a rush every booking would otherwise read the days up to the
   * first free time again. A figure seconds old is exact enough for that statistic, and it
   * never lies after the booked start, which was free at that moment.
   */
  async earliestFreeStart(
    office: OfficeRow,
    service: ServiceRow,
    until: number,
  ): Promise<number | null> {
    const key = `${office.id}:${service.serviceId}`;
    const now = Date.now();
    const known = this.earliestFree.get(key);
    if (known && known.expires > now) {
      const value = await known.value.catch(() => null);
      if (value !== null) return Math.min(value, until);
    }
    const value = this.searchEarliestFreeStart(office, service, until);
    this.earliestFree.set(key, { expires: now + EARLIEST_FREE_REUSE_MS, value });
    if (this.earliestFree.size > 10_000) this.earliestFree.clear();
    return value;
  }

  private async searchEarliestFreeStart(
    office: OfficeRow,
    service: ServiceRow,
    until: number,
  ): Promise<number | null> {
    const zone = office.timeZone;
    let day = DateTime.fromMillis(this.clock.now(), { zone }).startOf('day');
    const last = DateTime.fromMillis(until, { zone }).startOf('day');
    while (day <= last) {
      // Usually free within days: look a few days at a time, further only if needed.
      const to = DateTime.min(day.plus({ days: 2 }), last);
      const input = await this.availability.engineInput(
        office,
        service,
        day.toISODate() as string,
        to.toISODate() as string,
        {},
      );
      const first = availableSlots(input)[0];
      if (first) return first.start;
      day = to.plus({ days: 1 });
    }
    return null;
  }

  /** Whose holds a hold counts with (MAX_HOLDS_PER_CLIENT): the signed-in subject, else the address. */
  holdClientOf(principal: Principal, clientAddress: string | undefined): string {
    return this.protector.hash(
      'hold-client',
      principal.role === 'anonymous'
        ? `address:${clientAddress ?? 'unknown'}`
        : `subject:${principal.subject}`,
    );
  }

  /** When a hold made now expires (HOLD_MINUTES), for slot and joint-visit holds alike. */
  holdExpiresAt(now: number): Date {
    return new Date(now + this.holdMinutes * 60_000);
  }

  /**
   * Gives a live hold back before it expires (releaseHold): a slot hold by its token (its id)
   * or every part of a joint-visit hold by its token (their hold group), in one statement, so
   * the time is free again at once. The token is the capability: whoever has it may release.
   * False, changing nothing, for a token that is malformed, unknown, expired or already
   * booked (the held rows are gone once booked): all alike, so nothing can be learnt from it.
   */
  async release(token: string, principal: Principal): Promise<boolean> {
    if (!isUuid(token)) return false;
    const actor = actorForChange(principal, '');
    // The rows go, as an expired hold's do; each leaves a RELEASED event (who, when).
    const result = await this.pool().query({
      name: 'scheduling_release_hold',
      text: `WITH released AS (
               DELETE FROM scheduling.appointment
                WHERE status = 'HELD' AND hold_expires_at > $2
                  AND ((id = $1 AND hold_group IS NULL) OR hold_group = $1)
               RETURNING id, office_id, agency_id, hold_group)
             INSERT INTO scheduling.appointment_event
               (appointment_id, office_id, agency_id, type, actor_role, actor_subject, channel, details)
             SELECT id, office_id, agency_id, 'RELEASED', $3, $4, $5,
                    CASE WHEN hold_group IS NULL THEN '{}'::jsonb
                         ELSE jsonb_build_object('holdGroup', hold_group) END
               FROM released`,
      values: [token, new Date(this.clock.now()), actor.role, actor.subject, actor.channel],
    });
    return (result.rowCount ?? 0) > 0;
  }

  /**
   * Reserves a slot for a few minutes (HOLD_MINUTES) while the citizen fills in the form.
   * A hold is an appointment row with status HELD and an expiry: it counts against
   * capacity under the same constraints, until it expires or becomes a booking.
   */
  async hold(
    request: {
      officeId: string;
      serviceId: string;
      start: string;
      needs?: BookAppointmentInput['needs'];
      language?: string | null;
    },
    principal: Principal,
    clientAddress: string | undefined,
  ): Promise<AppointmentEntity> {
    const now = this.clock.now();
    const { office, service } = await this.availability.officeAndService(
      request.officeId,
      request.serviceId,
    );
    requireOwnAgency(principal, [await this.availability.agencyCode(service.agencyId)]);
    this.availability.validateNeeds(service, request.language);
    const client = this.holdClientOf(principal, clientAddress);
    const { start, input } = await this.bookableStart(office, service, request.start, {
      needs: request.needs,
      language: request.language,
    });
    const candidates = assignmentCandidates(input, start);
    if (candidates.length === 0) throw slotUnavailable(REASONS.FULL, 'FULL');
    const extra = input.needs?.extraTimeMinutes ?? 0;
    const endsAt = start + (service.durationMinutes + extra) * 60_000;
    const actor = actorFor(principal, office.id);
    return this.bookInOneStatement({
      kind: 'HOLD',
      holdClient: client,
      maxHolds: MAX_HOLDS_PER_CLIENT,
      now: new Date(now),
      officeId: office.id,
      agencyId: service.agencyId,
      serviceId: service.serviceId,
      citizenKey: null,
      startsAt: new Date(start),
      endsAt: new Date(endsAt),
      busyUntil: new Date(endsAt + service.bufferAfterMinutes * 60_000),
      holdExpiresAt: this.holdExpiresAt(now),
      channel: actor.channel,
      bookedByRole: actor.role,
      bookedBySubject: actor.subject,
      needs: request.needs ?? [],
      language: request.language ?? null,
      candidates,
    });
  }

  async book(input: BookAppointmentInput, principal: Principal): Promise<AppointmentEntity> {
    const now = this.clock.now();
    const { office, service } = await this.availability.officeAndService(
      input.officeId,
      input.serviceId,
    );
    const actor = actorFor(principal, office.id, input.channel);
    requireOwnAgency(principal, [await this.availability.agencyCode(service.agencyId)]);
    this.availability.validateNeeds(service, input.citizen.language);
    const { citizen, contact } = this.bookingCitizen(input, principal, now);

    const idempotency = input.idempotencyKey
      ? {
          scope: this.protector.hash(
            'idempotency',
            `${citizen.key}|bookAppointment|${input.idempotencyKey}`,
          ),
          requestHash: createHash('sha256')
            .update(
              JSON.stringify([
                office.id,
                service.serviceId,
                parseIsoInstant(input.start),
                [...(input.needs ?? [])].sort(),
                input.citizen.language ?? null,
              ]),
            )
            .digest('hex'),
        }
      : undefined;
    if (idempotency) {
      const earlier = await this.findIdempotent(idempotency.scope, idempotency.requestHash);
      if (earlier) return earlier;
    }

    const hold = input.holdToken
      ? await this.liveHold(input, office.id, service.serviceId)
      : undefined;
    const { start, input: engineInput } = await this.bookableStart(
      office,
      service,
      input.start,
      { needs: input.needs, language: input.citizen.language },
      hold ? [hold.id] : [],
    );
    // The held counter and person come first, but only when they serve this booking: the
    // hold was made before the form said what the visit needs (an accessible desk, a language,
    // extra time that must fit the person's shift). The engine input leaves the hold's own
    // time out, so the pair is among the candidates exactly when it still fits.
    const fitting = assignmentCandidates(engineInput, start);
    const isHeld = (c: { counterId: string; staffId: string }) =>
      hold !== undefined && c.counterId === hold.counterId && c.staffId === hold.staffId;
    const candidates = [...fitting.filter(isHeld), ...fitting.filter((c) => !isHeld(c))];
    if (candidates.length === 0) throw slotUnavailable(REASONS.FULL, 'FULL');
    const extra = engineInput.needs?.extraTimeMinutes ?? 0;
    const endsAt = start + (service.durationMinutes + extra) * 60_000;
    const busyUntil = endsAt + service.bufferAfterMinutes * 60_000;
    const earliest = await this.earliestFreeStart(office, service, start);

    const booked = await this.bookInOneStatement({
      kind: 'BOOK',
      citizenKey: citizen.key,
      maxActive: service.maxActiveBookings,
      idempotencyScope: idempotency?.scope ?? null,
      requestHash: idempotency?.requestHash ?? null,
      holdId: hold?.id ?? null,
      now: new Date(now),
      officeId: office.id,
      agencyId: service.agencyId,
      serviceId: service.serviceId,
      startsAt: new Date(start),
      endsAt: new Date(endsAt),
      busyUntil: new Date(busyUntil),
      channel: actor.channel,
      bookedByRole: actor.role,
      bookedBySubject: actor.subject,
      needs: input.needs ?? [],
      language: input.citizen.language ?? null,
      candidates,
      earliestFreeStart: earliest === null ? null : new Date(Math.min(earliest, start)),
      contact,
    });
    return booked;
  }

  /**
   * A booking or a hold in one statement: `scheduling.book_appointment` (see its migration)
   * takes the lock, checks the limits and the idempotency key, removes expired holds in the
   * way and tries the engine's counter/staff pairs under the exclusion constraints, all in
   * one round trip. Its refusals come back as errors that change nothing.
   */
  private async bookInOneStatement(request: BookingStatement): Promise<AppointmentEntity> {
    const references = Array.from({ length: 4 }, newReferenceCode);
    let result: { rows: Array<{ result: { appointment?: AppointmentRow; existing?: string } }> };
    try {
      result = await this.pool().query({
        name: 'scheduling_book_appointment',
        text: 'SELECT scheduling.book_appointment($1::jsonb) AS result',
        values: [JSON.stringify({ ...request, references })],
      });
    } catch (error) {
      throw refusal(error, request) ?? error;
    }
    const { appointment, existing } = result.rows[0].result;
    if (existing) {
      return (await this.db
        .getRepository(AppointmentEntity)
        .findOneBy({ id: existing })) as AppointmentEntity;
    }
    return appointmentFromRow(appointment as AppointmentRow);
  }

  private pool(): Pool {
    return pgPoolOf(this.db);
  }

  /** A hold the booking may take over: live, for this office, service and start. */
  private async liveHold(
    input: BookAppointmentInput,
    officeId: string,
    serviceId: string,
  ): Promise<AppointmentEntity | undefined> {
    const hold = await this.db
      .getRepository(AppointmentEntity)
      .findOneBy({ id: input.holdToken as string, status: 'HELD' });
    const start = parseIsoInstant(input.start);
    if (
      !hold ||
      hold.holdGroup !== null ||
      hold.officeId !== officeId ||
      hold.serviceId !== serviceId ||
      hold.startsAt.getTime() !== start
    )
      return undefined;
    return hold.holdExpiresAt && hold.holdExpiresAt.getTime() > this.clock.now() ? hold : undefined;
  }

  /**
   * Whom a booking is for (the signed-in citizen, or the one named in the input) and the
   * contact details to store; a booking without a name is refused.
   */
  bookingCitizen(
    input: Pick<BookAppointmentInput, 'citizen'>,
    principal: Principal,
    now: number,
  ): { citizen: CitizenIdentity; contact: BookingContact } {
    const citizen = this.citizenFor(input, principal, now);
    const name = input.citizen.name.trim();
    if (!name) {
      throw DomainError.badInput(
        'citizen.name: your name is needed for the booking.',
        'citizen.name',
      );
    }
    return {
      citizen,
      contact: {
        name,
        email: citizen.email,
        phone: input.citizen.phone?.trim() || null,
        sealed: citizen.sealed?.toString('base64') ?? null,
        birthDate: citizen.birthDate,
      },
    };
  }

  /** Whom a booking is for: the signed-in citizen, or the one named in the input. */
  citizenFor(
    input: Pick<BookAppointmentInput, 'citizen'>,
    principal: Principal,
    now: number,
  ): CitizenIdentity {
    if (principal.role === 'citizen') {
      // Signed in with e-ID: the booking is for that person.
      return citizenIdentity(
        this.protector,
        { personnummer: principal.personnummer, email: input.citizen.email },
        now,
      );
    }
    return citizenIdentity(this.protector, input.citizen, now);
  }

  private async findIdempotent(
    scope: string,
    requestHash: string,
  ): Promise<AppointmentEntity | undefined> {
    const rows = await this.db.query(
      `SELECT request_hash AS "requestHash", appointment_id AS "appointmentId" FROM scheduling.idempotency_key WHERE scope = $1`,
      [scope],
    );
    if (rows.length === 0) return undefined;
    if (rows[0].requestHash !== requestHash) {
      throw DomainError.conflict(
        'This idempotency key was already used for a different booking request.',
      );
    }
    return (
      (await this.db.manager.findOneBy(AppointmentEntity, { id: rows[0].appointmentId })) ??
      undefined
    );
  }

  async recordEvent(
    runner: QueryRunner,
    appointment: AppointmentEntity,
    type: string,
    actor: Actor,
    earliest: Date | null,
    details: Record<string, unknown> = {},
  ): Promise<void> {
    await runner.query(
      `INSERT INTO scheduling.appointment_event
         (appointment_id, office_id, agency_id, type, actor_role, actor_subject, channel, earliest_free_start, details)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        appointment.id,
        appointment.officeId,
        appointment.agencyId,
        type,
        actor.role,
        actor.subject,
        actor.channel,
        earliest,
        details,
      ],
    );
  }
}
