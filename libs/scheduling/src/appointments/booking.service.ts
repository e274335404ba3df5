import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import { DataSource, type QueryRunner } from 'typeorm';
import type { Principal } from '@samservice/platform/auth';
import { APP_CONFIG, type AppConfig } from '@samservice/platform/config';
import { PersonalDataProtector } from '@samservice/platform/crypto';
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
import { Clock } from '../common/clock';
import { SCHEDULING_DATA_SOURCE } from '../scheduling.database';
import { ACTIVE_STATUSES, AppointmentEntity, type ChannelValue } from './appointment.entity';
import type { BookAppointmentInput } from './appointment.model';
import { citizenIdentity, type CitizenIdentity } from './citizen-identity';
import { newReferenceCode } from './reference-code';

export const PERSONAL_DATA_PROTECTOR = Symbol('PERSONAL_DATA_PROTECTOR');

/** Enough to compare a few times; too few for a script to freeze a morning's release. */
export const MAX_HOLDS_PER_CLIENT = 3;

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

interface PgError {
  code?: string;
  constraint?: string;
  driverError?: PgError;
}

function pgError(error: unknown): PgError {
  return ((error as PgError)?.driverError ?? error) as PgError;
}

const DEADLOCK_DETECTED = '40P01';

const ACTIVE_SQL = `(${ACTIVE_STATUSES.map((s) => `'${s}'`).join(', ')})`;

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

/**
 * Books appointments. The engine proposes counter/staff pairs; the database decides with
 * its exclusion constraints, in one transaction per booking: a lost race on a counter or a
 * person is retried with the next pair, and only when none is left is the answer
 * SLOT_UNAVAILABLE. Never two bookings of one counter, person or citizen at once.
 */
@Injectable()
export class BookingService {
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
    excludeAppointmentId?: string,
  ): Promise<{ start: number; input: AvailabilityInput }> {
    const parsed = DateTime.fromISO(startIso, { setZone: true });
    if (!parsed.isValid) throw DomainError.badInput('start: not a date and time.', 'start');
    const start = parsed.toMillis();
    const date = DateTime.fromMillis(start, { zone: office.timeZone }).toISODate() as string;
    const input = await this.availability.engineInput(
      office,
      service,
      date,
      date,
      { language: needs.language, needs: needs.needs },
      excludeAppointmentId,
    );
    const reason = unavailableReason(input, start);
    if (reason) throw slotUnavailable(REASONS[reason], reason);
    return { start, input };
  }

  /** The earliest start that is free for the service now (recorded with each booking). */
  async earliestFreeStart(
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
    this.availability.validateNeeds(service, request.language);
    const client = this.protector.hash(
      'hold-client',
      principal.role === 'anonymous'
        ? `address:${clientAddress ?? 'unknown'}`
        : `subject:${principal.subject}`,
    );
    const { start, input } = await this.bookableStart(office, service, request.start, {
      needs: request.needs,
      language: request.language,
    });
    const candidates = assignmentCandidates(input, start);
    if (candidates.length === 0) throw slotUnavailable(REASONS.FULL, 'FULL');
    const extra = input.needs?.extraTimeMinutes ?? 0;
    const endsAt = start + (service.durationMinutes + extra) * 60_000;
    const actor = actorFor(principal, office.id);
    const runner = this.db.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      await runner.query('SELECT pg_advisory_xact_lock(hashtext($1))', [client]);
      const [{ count }] = await runner.query(
        `SELECT count(*)::int AS count FROM scheduling.appointment WHERE hold_client = $1 AND status = 'HELD' AND hold_expires_at > $2`,
        [client, new Date(now)],
      );
      if (count >= MAX_HOLDS_PER_CLIENT) {
        throw new DomainError(
          ErrorCode.LIMIT_REACHED,
          `You already hold ${count} times; book or let them expire before holding another.`,
        );
      }
      await runner.query(
        `DELETE FROM scheduling.appointment
         WHERE status = 'HELD' AND hold_expires_at <= $1 AND tstzrange(starts_at, busy_until) && tstzrange($2, $3)`,
        [new Date(now), new Date(start), new Date(endsAt + service.bufferAfterMinutes * 60_000)],
      );
      const held = await this.insertFirstFree(runner, candidates, {
        officeId: office.id,
        agencyId: service.agencyId,
        serviceId: service.serviceId,
        citizenKey: null,
        startsAt: new Date(start),
        endsAt: new Date(endsAt),
        busyUntil: new Date(endsAt + service.bufferAfterMinutes * 60_000),
        channel: actor.channel,
        bookedByRole: actor.role,
        bookedBySubject: actor.subject,
        needs: request.needs ?? [],
        language: request.language ?? null,
        status: 'HELD',
        holdExpiresAt: new Date(now + this.holdMinutes * 60_000),
        holdClient: client,
      });
      await this.recordEvent(runner, held, 'HELD', actor, null);
      await runner.commitTransaction();
      return held;
    } catch (error) {
      await runner.rollbackTransaction();
      throw error;
    } finally {
      await runner.release();
    }
  }

  async book(input: BookAppointmentInput, principal: Principal): Promise<AppointmentEntity> {
    const now = this.clock.now();
    const { office, service } = await this.availability.officeAndService(
      input.officeId,
      input.serviceId,
    );
    const actor = actorFor(principal, office.id, input.channel);
    this.availability.validateNeeds(service, input.citizen.language);
    const citizen = this.citizenFor(input, principal, now);
    const name = input.citizen.name.trim();
    if (!name)
      throw DomainError.badInput(
        'citizen.name: your name is needed for the booking.',
        'citizen.name',
      );

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
                DateTime.fromISO(input.start).toMillis(),
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
      hold?.id,
    );
    const candidates = hold
      ? [
          { counterId: hold.counterId, staffId: hold.staffId },
          ...assignmentCandidates(engineInput, start),
        ]
      : assignmentCandidates(engineInput, start);
    if (candidates.length === 0) throw slotUnavailable(REASONS.FULL, 'FULL');
    const extra = engineInput.needs?.extraTimeMinutes ?? 0;
    const endsAt = start + (service.durationMinutes + extra) * 60_000;
    const busyUntil = endsAt + service.bufferAfterMinutes * 60_000;
    const earliest = await this.earliestFreeStart(office, service, start);

    const runner = this.db.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      // One booking per citizen at a time: the limit and the idempotency key are checked and
      // written under this lock, so concurrent retries see the first one's result.
      await runner.query('SELECT pg_advisory_xact_lock(hashtext($1))', [citizen.key]);
      if (idempotency) {
        const earlier = await this.findIdempotent(
          idempotency.scope,
          idempotency.requestHash,
          runner,
        );
        if (earlier) {
          await runner.commitTransaction();
          return earlier;
        }
      }
      const [{ count }] = await runner.query(
        `SELECT count(*)::int AS count FROM scheduling.appointment
         WHERE citizen_key = $1 AND service_id = $2 AND status IN ${ACTIVE_SQL} AND status <> 'HELD' AND ends_at > $3`,
        [citizen.key, service.serviceId, new Date(now)],
      );
      if (count >= service.maxActiveBookings) {
        throw new DomainError(
          ErrorCode.LIMIT_REACHED,
          `You already have ${count} active booking(s) for this service, the most allowed. Cancel or change one first.`,
        );
      }
      // Expired holds in the way are removed in the same transaction.
      await runner.query(
        `DELETE FROM scheduling.appointment
         WHERE status = 'HELD' AND hold_expires_at <= $1
           AND tstzrange(starts_at, busy_until) && tstzrange($2, $3)`,
        [new Date(now), new Date(start), new Date(busyUntil)],
      );
      // The citizen's own hold gives way to the booking it becomes.
      if (hold)
        await runner.query(`DELETE FROM scheduling.appointment WHERE id = $1 AND status = 'HELD'`, [
          hold.id,
        ]);
      const appointment = await this.insertFirstFree(runner, candidates, {
        officeId: office.id,
        agencyId: service.agencyId,
        serviceId: service.serviceId,
        citizenKey: citizen.key,
        startsAt: new Date(start),
        endsAt: new Date(endsAt),
        busyUntil: new Date(busyUntil),
        channel: actor.channel,
        bookedByRole: actor.role,
        bookedBySubject: actor.subject,
        needs: input.needs ?? [],
        language: input.citizen.language ?? null,
      });
      await runner.query(
        `INSERT INTO scheduling.appointment_contact (appointment_id, name, email, phone, identity_number_sealed, birth_date)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [
          appointment.id,
          name,
          citizen.email,
          input.citizen.phone?.trim() || null,
          citizen.sealed,
          citizen.birthDate,
        ],
      );
      await this.recordEvent(
        runner,
        appointment,
        'BOOKED',
        actor,
        earliest === null ? null : new Date(earliest),
      );
      if (idempotency) {
        await runner.query(
          `INSERT INTO scheduling.idempotency_key (scope, request_hash, appointment_id) VALUES ($1, $2, $3)`,
          [idempotency.scope, idempotency.requestHash, appointment.id],
        );
      }
      await runner.commitTransaction();
      return appointment;
    } catch (error) {
      await runner.rollbackTransaction();
      throw error;
    } finally {
      await runner.release();
    }
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
    const start = DateTime.fromISO(input.start, { setZone: true }).toMillis();
    if (
      !hold ||
      hold.officeId !== officeId ||
      hold.serviceId !== serviceId ||
      hold.startsAt.getTime() !== start
    )
      return undefined;
    return hold.holdExpiresAt && hold.holdExpiresAt.getTime() > this.clock.now() ? hold : undefined;
  }

  private citizenFor(
    input: BookAppointmentInput,
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
    runner?: QueryRunner,
  ): Promise<AppointmentEntity | undefined> {
    const rows = await (runner ?? this.db).query(
      `SELECT request_hash AS "requestHash", appointment_id AS "appointmentId" FROM scheduling.idempotency_key WHERE scope = $1`,
      [scope],
    );
    if (rows.length === 0) return undefined;
    if (rows[0].requestHash !== requestHash) {
      throw DomainError.conflict(
        'This idempotency key was already used for a different booking request.',
      );
    }
    const manager = runner?.manager ?? this.db.manager;
    return (await manager.findOneBy(AppointmentEntity, { id: rows[0].appointmentId })) ?? undefined;
  }

  /**
   * Tries the engine's counter/staff pairs in order, each under a savepoint: the exclusion
   * constraints refuse a pair someone else took meanwhile, and the next one is tried.
   */
  async insertFirstFree(
    runner: QueryRunner,
    candidates: Array<{ counterId: string; staffId: string }>,
    row: Omit<
      AppointmentEntity,
      | 'id'
      | 'reference'
      | 'status'
      | 'counterId'
      | 'staffId'
      | 'holdExpiresAt'
      | 'holdClient'
      | 'createdAt'
      | 'updatedAt'
    > &
      Partial<Pick<AppointmentEntity, 'status' | 'holdExpiresAt' | 'holdClient'>>,
  ): Promise<AppointmentEntity> {
    for (const candidate of candidates) {
      for (let attempt = 0; attempt < 3; attempt++) {
        await runner.query('SAVEPOINT booking_attempt');
        try {
          const entity = runner.manager.create(AppointmentEntity, {
            ...row,
            status: row.status ?? 'BOOKED',
            counterId: candidate.counterId,
            staffId: candidate.staffId,
            reference: newReferenceCode(),
          });
          const saved = await runner.manager.save(entity);
          await runner.query('RELEASE SAVEPOINT booking_attempt');
          return saved;
        } catch (error) {
          await runner.query('ROLLBACK TO SAVEPOINT booking_attempt');
          const pg = pgError(error);
          if (pg.constraint === 'uq_appointment_reference_active') continue; // a new code, same pair
          // Two bookings waiting on each other's uncommitted rows (counter vs. person): the
          // database picks one to fail; the savepoint keeps the transaction, try again.
          if (pg.code === DEADLOCK_DETECTED) continue;
          if (pg.constraint === 'ex_appointment_citizen') {
            throw slotUnavailable(
              'You already have another visit booked at this time.',
              'CITIZEN_BUSY',
            );
          }
          if (
            pg.constraint === 'ex_appointment_counter' ||
            pg.constraint === 'ex_appointment_staff'
          )
            break;
          throw error;
        }
      }
    }
    throw slotUnavailable('This time was taken just now; pick another free time.', 'FULL');
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
