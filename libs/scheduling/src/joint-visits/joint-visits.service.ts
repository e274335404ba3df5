import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import { DataSource, In, Not } from 'typeorm';
import { isoInZone } from '@samservice/calendar';
import type { Principal } from '@samservice/platform/auth';
import { pgPoolOf } from '@samservice/platform/database';
import { PersonalDataProtector } from '@samservice/platform/crypto';
import { DomainError, ErrorCode } from '@samservice/platform/errors';
import { parseIsoInstant } from '@samservice/platform/http';
import {
  jointVisitOptions,
  type JointVisitInput,
  type JointVisitOption,
} from '@samservice/scheduling-engine';
import { AppointmentContactEntity, AppointmentEntity } from '../appointments/appointment.entity';
import {
  BookingService,
  MAX_HOLDS_PER_CLIENT,
  PERSONAL_DATA_PROTECTOR,
  actorFor,
  actorForChange,
} from '../appointments/booking.service';
import { identityKey, normalizeEmail } from '../appointments/citizen-identity';
import { agencyLimitReached, parseAgencyLimitDetail } from '../appointments/booking-limits';
import { newReferenceCode, normalizeReference } from '../appointments/reference-code';
import type { OfficeRow, ServiceRow } from '../availability/office-calendar.repository';
import { AvailabilityService } from '../availability/availability.service';
import { actsForAgency, requireOwnAgency, trainedFor } from '../common/agency-access';
import { Clock } from '../common/clock';
import { SCHEDULING_DATA_SOURCE } from '../scheduling.database';
import { JointVisitEntity } from './joint-visit.entity';
import type { BookJointVisitInput, HoldJointVisitInput } from './joint-visit.model';
import { JointVisitSearchService, type JointVisitCriteria } from './joint-visit-search.service';

/** A joint visit with its parts (visit order; cancelled parts last). */
export interface JointVisitWithParts {
  visit: JointVisitEntity;
  parts: AppointmentEntity[];
}

/** A joint visit held for a few minutes: its token, expiry and the held chain. */
export interface HeldJointVisit {
  token: string;
  expiresAt: Date;
  office: OfficeRow;
  option: JointVisitOption;
}

/** The live parts of a joint hold a booking takes over. */
interface LiveJointHold {
  token: string;
  parts: AppointmentEntity[];
}

export interface JointReferenceProof {
  reference: string;
  personnummer?: string | null;
  email?: string | null;
}

const NOT_FOUND_MESSAGE =
  'No joint visit matches this reference and identity number (or e-mail). Check both and try again.';

/** How often a booking searches again after a part was taken between its search and its write. */
const RACE_RETRIES = 2;

const REASON_MESSAGES: Record<string, string> = {
  OFF_GRID:
    "This time is not one of the visit's start times; pick one of the options listed by jointVisitOptions.",
  CLOSED: 'The office is closed at this time.',
  TOO_SOON: 'This time is too soon: the first service must be booked further ahead.',
  BEYOND_HORIZON: 'This time is too far ahead to be booked yet.',
  OUT_OF_RANGE: 'This time cannot be booked.',
};

const ACTIVE_PART = ['BOOKED', 'CHECKED_IN', 'CALLED', 'IN_SERVICE', 'NEEDS_REBOOKING'];

/**
 * Books, looks up, moves and cancels joint visits. A booking writes every part in one
 * statement (`scheduling.book_joint_visit`): all parts or none, under the same exclusion
 * constraints as single bookings.
 */
@Injectable()
export class JointVisitsService {
  constructor(
    @InjectDataSource(SCHEDULING_DATA_SOURCE) private readonly db: DataSource,
    @Inject(PERSONAL_DATA_PROTECTOR) private readonly protector: PersonalDataProtector,
    private readonly search: JointVisitSearchService,
    private readonly booking: BookingService,
    private readonly availability: AvailabilityService,
    private readonly clock: Clock,
  ) {}

  async book(input: BookJointVisitInput, principal: Principal): Promise<JointVisitWithParts> {
    const now = this.clock.now();
    const serviceIds = this.search.checkServiceIds(input.serviceIds);
    const criteria: JointVisitCriteria = {
      language: input.citizen.language,
      needs: input.needs,
      anyOrder: input.anyOrder,
      partySize: input.partySize,
    };
    const { office, services } = await this.search.officeServices(
      input.officeId,
      serviceIds,
      criteria,
    );
    const actor = actorFor(principal, office.id, input.channel);
    requireOwnAgency(
      principal,
      await Promise.all(services.map((s) => this.availability.agencyCode(s.agencyId))),
    );
    const { citizen, contact } = this.booking.bookingCitizen(input, principal, now);
    const start = parseIsoInstant(input.start);
    if (Number.isNaN(start)) throw DomainError.badInput('start: not a date and time.', 'start');

    const idempotency = input.idempotencyKey
      ? {
          scope: this.protector.hash(
            'idempotency',
            `${citizen.key}|bookJointVisit|${input.idempotencyKey}`,
          ),
          requestHash: createHash('sha256')
            .update(
              JSON.stringify([
                office.id,
                serviceIds,
                start,
                [...(input.needs ?? [])].sort(),
                input.citizen.language ?? null,
                input.anyOrder ?? false,
                input.partySize ?? 1,
              ]),
            )
            .digest('hex'),
        }
      : undefined;
    if (idempotency) {
      // Before the search, as single bookings do: when the first attempt took the last chain
      // at this start, a search would find none and the retry would answer "taken".
      const earlier = await this.idempotentVisit(
        citizen.key,
        idempotency.scope,
        idempotency.requestHash,
      );
      if (earlier) return this.load(earlier);
    }

    // A live hold of this visit (office, services, start) is taken over: its parts do not
    // block the search, its chain comes first, and the statement that writes the booking
    // removes them. Expired, unknown or other holds are ignored: a normal booking attempt,
    // as bookAppointment does with such a holdToken.
    const hold = input.holdToken
      ? await this.liveJointHold(input.holdToken, office.id, serviceIds, start)
      : undefined;
    for (let attempt = 0; ; attempt++) {
      const { option, input: engineInput } = await this.firstChain(
        office,
        services,
        start,
        criteria,
        hold?.parts.map((p) => p.id) ?? [],
        hold?.parts,
      );
      try {
        const id = await this.write({
          kind: 'BOOK',
          holdGroup: hold?.token ?? null,
          citizenKey: citizen.key,
          idempotencyScope: idempotency?.scope ?? null,
          requestHash: idempotency?.requestHash ?? null,
          now: new Date(now),
          officeId: office.id,
          serviceIds,
          anyOrder: input.anyOrder ?? false,
          partySize: input.partySize ?? 1,
          channel: actor.channel,
          bookedByRole: actor.role,
          bookedBySubject: actor.subject,
          needs: input.needs ?? [],
          language: input.citizen.language ?? null,
          parts: this.parts(option, services),
          contact,
        });
        return await this.load(id);
      } catch (error) {
        const refused = this.refusal(error, option, services, serviceIds);
        if (!refused) throw error;
        // A part was taken between the search and the write: search again with fresh data.
        if (refused.raced && attempt < RACE_RETRIES) continue;
        if (refused.raced) throw this.unavailable(engineInput, start, services, option);
        throw refused.error;
      }
    }
  }

  /**
   * Holds every part of the chain the search lists first for `start` (holdJointVisit), for
   * as long as a slot hold (HOLD_MINUTES), or none: the parts are HELD rows under the same
   * exclusion constraints as any hold, written in one statement
   * (`scheduling.hold_joint_visit`). The hold counts once against the client's holds
   * (MAX_HOLDS_PER_CLIENT, slot holds included). Inputs are checked as for bookJointVisit.
   */
  async hold(
    input: HoldJointVisitInput,
    principal: Principal,
    clientAddress: string | undefined,
  ): Promise<HeldJointVisit> {
    const now = this.clock.now();
    const serviceIds = this.search.checkServiceIds(input.serviceIds);
    const criteria: JointVisitCriteria = { language: input.language, needs: input.needs };
    const { office, services } = await this.search.officeServices(
      input.officeId,
      serviceIds,
      criteria,
    );
    const actor = actorFor(principal, office.id);
    requireOwnAgency(
      principal,
      await Promise.all(services.map((s) => this.availability.agencyCode(s.agencyId))),
    );
    const start = parseIsoInstant(input.start);
    if (Number.isNaN(start)) throw DomainError.badInput('start: not a date and time.', 'start');
    const client = this.booking.holdClientOf(principal, clientAddress);
    const expiresAt = this.booking.holdExpiresAt(now);
    for (let attempt = 0; ; attempt++) {
      const { option, input: engineInput } = await this.firstChain(
        office,
        services,
        start,
        criteria,
      );
      try {
        const references = Array.from({ length: 10 }, newReferenceCode);
        const result = await this.pool().query<{ result: { token: string } }>({
          name: 'scheduling_hold_joint_visit',
          text: 'SELECT scheduling.hold_joint_visit($1::jsonb) AS result',
          values: [
            JSON.stringify({
              now: new Date(now),
              holdClient: client,
              maxHolds: MAX_HOLDS_PER_CLIENT,
              holdExpiresAt: expiresAt,
              officeId: office.id,
              channel: actor.channel,
              bookedByRole: actor.role,
              bookedBySubject: actor.subject,
              needs: input.needs ?? [],
              language: input.language ?? null,
              parts: this.parts(option, services),
              references,
            }),
          ],
        });
        return { token: result.rows[0].result.token, expiresAt, office, option };
      } catch (error) {
        const refused = this.refusal(error, option, services, serviceIds);
        if (!refused) throw error;
        if (refused.raced && attempt < RACE_RETRIES) continue;
        if (refused.raced) throw this.unavailable(engineInput, start, services, option);
        throw refused.error;
      }
    }
  }

  /**
   * The parts of a live joint hold that a booking of this visit may take over: every part
   * still HELD and unexpired, at this office, of exactly these services, starting at `start`.
   */
  private async liveJointHold(
    token: string,
    officeId: string,
    serviceIds: string[],
    start: number,
  ): Promise<LiveJointHold | undefined> {
    const parts = await this.db
      .getRepository(AppointmentEntity)
      .find({ where: { holdGroup: token, status: 'HELD' }, order: { startsAt: 'ASC' } });
    const now = this.clock.now();
    const live =
      parts.length === serviceIds.length &&
      parts.every((p) => p.officeId === officeId && (p.holdExpiresAt?.getTime() ?? 0) > now) &&
      [...parts.map((p) => p.serviceId)].sort().join() === [...serviceIds].sort().join() &&
      parts[0].startsAt.getTime() === start;
    return live ? { token, parts } : undefined;
  }

  /**
   * The chain the search lists first for `start`, with the input it came from; the refusal
   * the citizen can act on when there is none.
   */
  private async firstChain(
    office: OfficeRow,
    services: ServiceRow[],
    start: number,
    criteria: JointVisitCriteria,
    excludeAppointmentIds: readonly string[] = [],
    held?: readonly AppointmentEntity[],
  ): Promise<{ option: JointVisitOption; input: JointVisitInput }> {
    const date = isoInZone(start, office.timeZone).slice(0, 10);
    const input = await this.search.engineInput(
      office,
      services,
      date,
      date,
      { ...criteria, limit: 1 },
      excludeAppointmentIds,
    );
    if (held && held.length > 0) {
      // The held chain first: the search among the held counters and people alone finds it
      // again when it still serves this booking (its needs may differ from the hold's).
      const counters = new Set(held.map((p) => p.counterId));
      const staff = new Set(held.map((p) => p.staffId));
      const [own] = jointVisitOptions({
        ...input,
        counters: input.counters.filter((c) => counters.has(c.id)),
        staff: input.staff.filter((p) => staff.has(p.id)),
        from: start,
        to: start + 1,
        limit: 1,
      });
      if (own && own.start === start) return { option: own, input };
    }
    const [option] = jointVisitOptions({ ...input, from: start, to: start + 1, limit: 1 });
    if (!option || option.start !== start) throw this.unavailable(input, start, services);
    return { option, input };
  }

  private unavailable(
    input: JointVisitInput,
    start: number,
    services: ServiceRow[],
    raced?: JointVisitOption,
  ): DomainError {
    const { reason, part } = this.search.whyNot(input, start);
    if (reason !== 'FULL') {
      return new DomainError(ErrorCode.SLOT_UNAVAILABLE, REASON_MESSAGES[reason], {
        reason,
        part,
      });
    }
    const service = services[part];
    return new DomainError(
      ErrorCode.SLOT_UNAVAILABLE,
      `${raced ? 'This visit was taken just now' : 'No visit of these services can start at this time'}: part ${part + 1} ("${service.nameSv}") no longer fits. Nothing was booked; pick another option.`,
      { reason: 'FULL', part },
    );
  }

  /**
   * The visit an idempotency key was first used for; CONFLICT when it was used for another
   * request. Read under the citizen's lock that book_joint_visit takes, so a retry sent while
   * the first attempt is still being written waits for it and then sees its visit.
   */
  private async idempotentVisit(
    citizenKey: string,
    scope: string,
    requestHash: string,
  ): Promise<string | undefined> {
    const rows: Array<{ requestHash: string; jointVisitId: string | null }> =
      await this.db.transaction(async (manager) => {
        await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [citizenKey]);
        return manager.query(
          `SELECT k.request_hash AS "requestHash", a.joint_visit_id AS "jointVisitId"
           FROM scheduling.idempotency_key k JOIN scheduling.appointment a ON a.id = k.appointment_id
           WHERE k.scope = $1`,
          [scope],
        );
      });
    if (rows.length === 0) return undefined;
    if (rows[0].requestHash !== requestHash || rows[0].jointVisitId === null) {
      throw DomainError.conflict(
        'This idempotency key was already used for a different booking request.',
      );
    }
    return rows[0].jointVisitId;
  }

  private parts(option: JointVisitOption, services: ServiceRow[], appointmentIds?: string[]) {
    const byId = new Map(services.map((s) => [s.serviceId, s]));
    return option.parts.map((part) => {
      const service = byId.get(part.serviceId) as ServiceRow;
      return {
        serviceId: service.serviceId,
        agencyId: service.agencyId,
        maxActive: service.maxActiveBookings,
        startsAt: new Date(part.start),
        endsAt: new Date(part.end),
        busyUntil: new Date(part.end + service.bufferAfterMinutes * 60_000),
        counterId: part.counterId,
        staffId: part.staffId,
        appointmentId: appointmentIds?.[services.indexOf(service)],
      };
    });
  }

  private async write(request: Record<string, unknown>): Promise<string> {
    const references = Array.from({ length: 10 }, newReferenceCode);
    const result = await this.pool().query<{
      result: { jointVisitId?: string; existing?: string };
    }>({
      name: 'scheduling_book_joint_visit',
      text: 'SELECT scheduling.book_joint_visit($1::jsonb) AS result',
      values: [JSON.stringify({ ...request, references })],
    });
    const { jointVisitId, existing } = result.rows[0].result;
    return (existing ?? jointVisitId) as string;
  }

  /**
   * The refusal `scheduling.book_joint_visit` raised: `raced` when a part was taken by
   * someone else between the search and the write (worth searching again), else the error.
   * `part` is given in the citizen's order of the services.
   */
  private refusal(
    error: unknown,
    option: JointVisitOption,
    services: ServiceRow[],
    serviceIds: string[],
  ): { raced: boolean; error: DomainError } | undefined {
    const pg = error as { code?: string; message?: string; detail?: string };
    if (pg?.code !== 'P0001') return undefined;
    const [indexText, count] = (pg.detail ?? '').split(':');
    const visitIndex = Number(indexText);
    const serviceId = option.parts[visitIndex]?.serviceId;
    const part = serviceId ? serviceIds.indexOf(serviceId) : 0;
    const service = services[part];
    switch (pg.message) {
      case 'FULL':
        return {
          raced: true,
          error: new DomainError(ErrorCode.SLOT_UNAVAILABLE, 'This visit was taken just now.', {
            reason: 'FULL',
            part,
          }),
        };
      case 'CITIZEN_BUSY':
        return {
          raced: false,
          error: new DomainError(
            ErrorCode.SLOT_UNAVAILABLE,
            `You already have another visit booked at the time of part ${part + 1} ("${service?.nameSv}"). Nothing was booked.`,
            { reason: 'CITIZEN_BUSY', part },
          ),
        };
      case 'LIMIT_REACHED':
        return {
          raced: false,
          error: new DomainError(
            ErrorCode.LIMIT_REACHED,
            `You already have ${count} active booking(s) of "${service?.nameSv}" (part ${part + 1}), the most allowed. Cancel or change one first; nothing was booked.`,
            { part, scope: 'SERVICE', limit: service?.maxActiveBookings },
          ),
        };
      case 'AGENCY_LIMIT_REACHED': {
        // DETAIL is JSON here, not 'part:count': the part it names is read from it.
        const detail = parseAgencyLimitDetail(pg.detail);
        if (!detail) return undefined;
        const limitedId = option.parts[detail.part ?? 0]?.serviceId;
        const limitedPart = limitedId ? serviceIds.indexOf(limitedId) : 0;
        return {
          raced: false,
          error: agencyLimitReached(detail, {
            part: limitedPart,
            serviceName: services[limitedPart]?.nameSv ?? '',
          }),
        };
      }
      case 'HOLD_LIMIT':
        return {
          raced: false,
          error: new DomainError(
            ErrorCode.LIMIT_REACHED,
            `You already hold ${pg.detail} times; book or let them expire before holding another.`,
          ),
        };
      case 'IDEMPOTENCY_CONFLICT':
        return {
          raced: false,
          error: DomainError.conflict(
            'This idempotency key was already used for a different booking request.',
          ),
        };
      case 'CHANGED':
        return {
          raced: false,
          error: DomainError.conflict('This visit was changed meanwhile; look it up again.'),
        };
      default:
        return undefined;
    }
  }

  /** A signed-in citizen's joint visits with a part still to come (`myJointVisits`). */
  async activeOf(citizenKey: string, now: number, limit: number): Promise<JointVisitWithParts[]> {
    const rows: Array<{ id: string }> = await this.db.query(
      `SELECT j.id FROM scheduling.joint_visit j
       WHERE j.citizen_key = $1 AND j.status <> 'CANCELLED'
         AND EXISTS (SELECT 1 FROM scheduling.appointment a
                     WHERE a.joint_visit_id = j.id AND a.status::text = ANY($2::text[]) AND a.ends_at > $3)
       ORDER BY j.id LIMIT $4`,
      [citizenKey, ACTIVE_PART, new Date(now), limit],
    );
    const visits = await Promise.all(rows.map((row) => this.load(row.id)));
    return visits.sort(
      (a, b) =>
        Math.min(...a.parts.map((p) => p.startsAt.getTime())) -
        Math.min(...b.parts.map((p) => p.startsAt.getTime())),
    );
  }

  async load(id: string): Promise<JointVisitWithParts> {
    const visit = (await this.db
      .getRepository(JointVisitEntity)
      .findOneBy({ id })) as JointVisitEntity;
    const parts = await this.db.getRepository(AppointmentEntity).find({
      where: { jointVisitId: id },
      order: { createdAt: 'ASC' },
    });
    const active = (a: AppointmentEntity) => ACTIVE_PART.includes(a.status);
    parts.sort(
      (a, b) =>
        Number(active(b)) - Number(active(a)) ||
        (a.jointPart ?? 0) - (b.jointPart ?? 0) ||
        a.startsAt.getTime() - b.startsAt.getTime(),
    );
    return { visit, parts };
  }

  /**
   * The joint visit with this reference if the proof matches: the identity number it was
   * booked with, or for a visitor without one the e-mail; staff of the office need none.
   * Any mismatch answers like an unknown reference.
   */
  async findByReference(
    proof: JointReferenceProof,
    principal: Principal,
  ): Promise<JointVisitWithParts | undefined> {
    const reference = normalizeReference(proof.reference);
    if (!reference) return undefined;
    const visit = await this.visitOfReference(reference);
    if (!visit) return undefined;
    const found = await this.load(visit.id);
    const agencies = await Promise.all(
      found.parts.map((p) => this.availability.agencyCode(p.agencyId)),
    );
    // An agency's client reaches a visit only when every part is its own agency's.
    if (!agencies.every((code) => actsForAgency(principal, code))) return undefined;
    // Staff of the office need no proof only when trained for every part's agency: the visit
    // lists every part's service, which the schedule hides from staff not trained for it.
    if (
      principal.role === 'staff' &&
      principal.offices.includes(visit.officeId) &&
      agencies.every((code) => trainedFor(principal, code))
    )
      return found;
    const now = this.clock.now();
    const personnummer =
      proof.personnummer ?? (principal.role === 'citizen' ? principal.personnummer : undefined);
    if (personnummer) {
      const key = identityKey(this.protector, personnummer, now);
      return key && key === visit.citizenKey ? found : undefined;
    }
    if (proof.email && found.parts.length > 0) {
      const contacts = await this.db
        .getRepository(AppointmentContactEntity)
        .findBy({ appointmentId: In(found.parts.map((p) => p.id)) });
      const email = normalizeEmail(proof.email);
      const matches =
        contacts.length > 0 &&
        contacts.every((c) => c.identityNumberSealed === null && c.email === email);
      return matches ? found : undefined;
    }
    return undefined;
  }

  /**
   * The visit's own reference, or else the reference of one of its parts (a citizen may keep
   * a part's code): either leads to the whole visit, under the same proof.
   */
  private async visitOfReference(reference: string): Promise<JointVisitEntity | null> {
    const visits = this.db.getRepository(JointVisitEntity);
    const own = await visits.findOne({ where: { reference }, order: { createdAt: 'DESC' } });
    if (own) return own;
    // The booking appointmentByReference would find (codes are unique among active ones
    // only): followed to its visit only when it is a part of one.
    const part = await this.db.getRepository(AppointmentEntity).findOne({
      where: { reference, status: Not('HELD') },
      order: { createdAt: 'DESC' },
    });
    return part?.jointVisitId ? visits.findOneBy({ id: part.jointVisitId }) : null;
  }

  private async changeable(
    proof: JointReferenceProof,
    principal: Principal,
  ): Promise<JointVisitWithParts> {
    const found = await this.findByReference(proof, principal);
    if (!found) throw DomainError.notFound(NOT_FOUND_MESSAGE);
    const changeable = found.parts.filter(
      (p) => p.status === 'BOOKED' || p.status === 'NEEDS_REBOOKING',
    );
    if (found.visit.status !== 'BOOKED' || changeable.length === 0) {
      throw DomainError.conflict('This visit is cancelled and can no longer be changed.');
    }
    if (found.parts.some((p) => ACTIVE_PART.includes(p.status) && !changeable.includes(p))) {
      throw DomainError.conflict(
        'This visit has begun (a part is checked in or being served) and can no longer be changed as a whole.',
      );
    }
    if (changeable[0].startsAt.getTime() <= this.clock.now()) {
      throw DomainError.conflict(
        'This visit has already started or passed and can no longer be changed.',
      );
    }
    return { visit: found.visit, parts: changeable };
  }

  /** Cancels every part that is still booked, in one transaction; the times are free at once. */
  async cancel(proof: JointReferenceProof, principal: Principal): Promise<JointVisitWithParts> {
    const { visit, parts } = await this.changeable(proof, principal);
    const actor = actorForChange(principal, visit.officeId);
    await this.db.transaction(async (manager) => {
      const [, changed] = await manager.query(
        `UPDATE scheduling.joint_visit SET status = 'CANCELLED', updated_at = now()
         WHERE id = $1 AND status = 'BOOKED'`,
        [visit.id],
      );
      const [, cancelled] = await manager.query(
        `UPDATE scheduling.appointment SET status = 'CANCELLED', updated_at = now()
         WHERE id = ANY($1::uuid[]) AND status IN ('BOOKED', 'NEEDS_REBOOKING')`,
        [parts.map((p) => p.id)],
      );
      if (changed !== 1 || cancelled !== parts.length) {
        throw DomainError.conflict('This visit was changed meanwhile; look it up again.');
      }
      const runner = manager.queryRunner;
      if (!runner) throw new Error('transaction without query runner');
      for (const part of parts) {
        await this.booking.recordEvent(runner, part, 'CANCELLED', actor, null, {
          jointVisitId: visit.id,
          part: part.jointPart,
        });
      }
    });
    return this.load(visit.id);
  }

  /**
   * Moves the whole visit to a new start atomically: the chain the search lists first for
   * that start (the visit's own parts do not block it) replaces every part at once, or
   * nothing changes and the old times are kept.
   */
  async reschedule(
    proof: JointReferenceProof,
    newStart: string,
    principal: Principal,
  ): Promise<JointVisitWithParts> {
    const { visit, parts } = await this.changeable(proof, principal);
    const start = parseIsoInstant(newStart);
    if (Number.isNaN(start)) throw DomainError.badInput('start: not a date and time.', 'start');
    // The services still booked, in the citizen's order.
    const serviceIds = visit.serviceIds.filter((id) => parts.some((p) => p.serviceId === id));
    const first = parts[0];
    const criteria: JointVisitCriteria = {
      language: first.language,
      needs: first.needs as JointVisitCriteria['needs'],
      anyOrder: visit.anyOrder,
      partySize: visit.partySize,
    };
    const { office, services } = await this.search.officeServices(
      visit.officeId,
      serviceIds,
      criteria,
    );
    const appointmentIds = services.map(
      (s) => (parts.find((p) => p.serviceId === s.serviceId) as AppointmentEntity).id,
    );
    const actor = actorForChange(principal, visit.officeId);
    for (let attempt = 0; ; attempt++) {
      const { option, input } = await this.firstChain(
        office,
        services,
        start,
        criteria,
        appointmentIds,
      );
      try {
        await this.write({
          kind: 'MOVE',
          jointVisitId: visit.id,
          citizenKey: visit.citizenKey,
          now: new Date(this.clock.now()),
          officeId: office.id,
          channel: actor.channel,
          bookedByRole: actor.role,
          bookedBySubject: actor.subject,
          parts: this.parts(option, services, appointmentIds),
        });
        return await this.load(visit.id);
      } catch (error) {
        const refused = this.refusal(error, option, services, serviceIds);
        if (!refused) throw error;
        if (refused.raced && attempt < RACE_RETRIES) continue;
        if (refused.raced) throw this.unavailable(input, start, services, option);
        throw refused.error;
      }
    }
  }

  private pool(): Pool {
    return pgPoolOf(this.db);
  }
}
