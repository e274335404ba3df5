import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DateTime } from 'luxon';
import { Client } from 'pg';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@samservice/platform/config';
import { APP_LOGGER } from '@samservice/platform/logging';
import {
  assignmentCandidates,
  unavailableReason,
  type AvailabilityInput,
} from '@samservice/scheduling-engine';
import { AppointmentEntity } from '../appointments/appointment.entity';
import { BookingService, type Actor } from '../appointments/booking.service';
import { AvailabilityService } from '../availability/availability.service';
import type { VisitNeed } from '../availability/needs';
import { OfficeCalendarRepository } from '../availability/office-calendar.repository';
import { Clock } from '../common/clock';
import { SCHEDULING_DATA_SOURCE } from '../scheduling.database';

/** The channel and payload the directory announces changes with (its contract with scheduling). */
export const DIRECTORY_CHANGED_CHANNEL = 'samservice_directory_changed';

export interface DirectoryChangeScope {
  officeId: string;
  kind: string;
  from?: string;
  to?: string;
  staffId?: string;
  counterId?: string;
}

export interface RevalidationResult {
  kept: number;
  reassigned: number;
  flagged: number;
}

/** What one sweep did. */
export interface SweepResult {
  /** Changes this sweep rechecked and recorded as handled. */
  handled: string[];
  /** Changes recorded as handled without a recheck: their span had ended. */
  ended: number;
  /** Changes whose recheck failed; they stay pending for the next sweep. */
  failed: string[];
}

const SYSTEM: Actor = { role: 'SYSTEM', subject: 'revalidation', channel: 'API' };

/** Advisory lock (hashtext) under which replicas note new changes one at a time. */
const NOTE_LOCK = 'scheduling.directory_change_handled';

/**
 * Keeps booked appointments valid when the directory changes under them (a closure, an
 * absence, a removed shift, a counter out of order, shorter hours): each appointment the
 * change may hit is checked against the new calendar; if its counter and person still serve
 * it, nothing happens; if another free counter/person can, it is moved there (REASSIGNED);
 * otherwise it is flagged NEEDS_REBOOKING for staff to move or cancel (affectedAppointments).
 * Nothing is silently invalidated.
 *
 * Every change is handled once, by one replica, even if none was listening when it was
 * announced: the directory logs each change (`directory.published_change`), and a sweep notes
 * the ones scheduling has not seen in `scheduling.directory_change_handled`, then claims them
 * one by one, oldest first, with `FOR UPDATE SKIP LOCKED`, rechecks and records the result in
 * the claiming transaction. Sweeps run at start (after LISTEN), on every NOTIFY (which also
 * evicts the office's cached calendar at once) and every `REVALIDATION_SWEEP_SECONDS`.
 */
@Injectable()
export class RevalidationService implements OnApplicationBootstrap, OnApplicationShutdown {
  private listener?: Client;
  private connecting?: Promise<void>;
  private timer?: NodeJS.Timeout;
  private stopping = false;
  /** This process's work, one item at a time. */
  private queue: Promise<unknown> = Promise.resolve();
  /** A sweep queued but not started yet: later requests join it. */
  private pendingSweep?: Promise<SweepResult | undefined>;

  constructor(
    @InjectDataSource(SCHEDULING_DATA_SOURCE) private readonly db: DataSource,
    private readonly availability: AvailabilityService,
    private readonly calendar: OfficeCalendarRepository,
    private readonly booking: BookingService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(APP_LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.listen();
    // Changes announced while this replica was not listening: caught up from the log.
    void this.requestSweep();
    this.timer = setInterval(() => this.tick(), this.config.revalidationSweepSeconds * 1000);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    await this.connecting;
    await this.idle();
    const listener = this.listener;
    this.listener = undefined;
    await listener?.end().catch(() => undefined);
  }

  /** Waits until the work queued so far (and anything queued meanwhile) is done (tests, shutdown). */
  async idle(): Promise<void> {
    let current: Promise<unknown>;
    do {
      current = this.queue;
      await current.catch(() => undefined);
    } while (current !== this.queue);
  }

  /**
   * Queues a sweep after the work already queued; requests made before it starts share it.
   * Resolves with its result (undefined when it failed as a whole or the service is stopping).
   */
  requestSweep(): Promise<SweepResult | undefined> {
    if (this.stopping) return Promise.resolve(undefined);
    if (!this.pendingSweep) {
      const sweep = this.queue.then(() => {
        this.pendingSweep = undefined;
        return this.sweep();
      });
      const settled = sweep.catch((error: unknown) => {
        this.logger.error({ err: error }, 'sweeping the directory change log failed');
        return undefined;
      });
      this.pendingSweep = settled;
      this.queue = settled;
    }
    return this.pendingSweep;
  }

  /**
   * Handles every change in the directory's log that no replica has handled yet, oldest
   * first. Safe on any number of replicas at once: the database lets one claim a change.
   * A change whose recheck fails stays pending and is retried by the next sweep.
   */
  async sweep(): Promise<SweepResult> {
    const result: SweepResult = { handled: [], ended: await this.noteNewChanges(), failed: [] };
    while (!this.stopping) {
      const next = await this.handleNext(result.failed);
      if (!next) break;
      if (next.ok) result.handled.push(next.changeId);
      else result.failed.push(next.changeId);
    }
    return result;
  }

  /**
   * Records the changes in the log not seen before as pending; those whose span has ended
   * (no appointment left to recheck) as handled at once. One replica at a time (advisory lock).
   */
  private async noteNewChanges(): Promise<number> {
    return this.db.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [NOTE_LOCK]);
      const fresh: Array<{ id: string; to: string | null }> = await manager.query(
        `SELECT c.id, c.scope->>'to' AS "to" FROM directory.published_change c
         WHERE NOT EXISTS (SELECT 1 FROM scheduling.directory_change_handled h WHERE h.change_id = c.id)`,
      );
      if (fresh.length === 0) return 0;
      const now = this.clock.now();
      // An unreadable end counts as open: the change is rechecked rather than skipped.
      const ended = fresh.map((c) => c.to !== null && Date.parse(c.to) <= now);
      await manager.query(
        `INSERT INTO scheduling.directory_change_handled (change_id, office_id, changed_at, handled_at, result)
         SELECT c.id, c.office_id, c.changed_at,
                CASE WHEN n.ended THEN now() END,
                CASE WHEN n.ended THEN '{"skipped": "ended"}'::jsonb END
         FROM unnest($1::uuid[], $2::boolean[]) AS n(id, ended)
         JOIN directory.published_change c ON c.id = n.id
         ORDER BY c.changed_at, c.id
         ON CONFLICT (change_id) DO NOTHING`,
        [fresh.map((c) => c.id), ended],
      );
      return ended.filter(Boolean).length;
    });
  }

  /**
   * Claims the oldest pending change no other replica is working on, rechecks it and records
   * it handled, all in one transaction whose row lock is the claim: if this process dies
   * mid-way the transaction rolls back and the change stays pending. Undefined: none left.
   */
  private async handleNext(
    skip: readonly string[],
  ): Promise<{ changeId: string; ok: boolean } | undefined> {
    const runner = this.db.createQueryRunner();
    await runner.connect();
    let changeId: string | undefined;
    let officeId: string | undefined;
    try {
      await runner.startTransaction();
      const [change]: Array<{
        change_id: string;
        office_id: string;
        kind: string | null;
        scope: Partial<DirectoryChangeScope> | null;
      }> = await runner.query(
        `SELECT h.change_id, h.office_id, c.kind, c.scope
         FROM scheduling.directory_change_handled h
         LEFT JOIN directory.published_change c ON c.id = h.change_id
         WHERE h.handled_at IS NULL AND h.change_id <> ALL($1::uuid[])
         ORDER BY h.changed_at, h.change_id
         LIMIT 1
         FOR UPDATE OF h SKIP LOCKED`,
        [skip],
      );
      if (!change) {
        await runner.commitTransaction();
        return undefined;
      }
      changeId = change.change_id;
      officeId = change.office_id;
      // This replica may have missed the NOTIFY: its cached facts for the office are stale.
      this.calendar.invalidate(officeId);
      const result =
        change.kind === null
          ? { skipped: 'gone' } // no longer in the log: nothing to recheck against
          : await this.revalidate({ ...change.scope, officeId, kind: change.kind });
      await runner.query(
        `UPDATE scheduling.directory_change_handled SET handled_at = clock_timestamp(), result = $2
         WHERE change_id = $1`,
        [changeId, JSON.stringify(result)],
      );
      await runner.commitTransaction();
      return { changeId, ok: true };
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      if (changeId === undefined) throw error; // the claim itself failed: the sweep stops
      this.logger.error(
        { err: error, change: changeId, office: officeId },
        'revalidation after a directory change failed; retried by the next sweep',
      );
      return { changeId, ok: false };
    } finally {
      await runner.release();
    }
  }

  /** Sets up LISTEN on a connection of its own; a lost connection is replaced by the next tick. */
  private async listen(): Promise<void> {
    const url = (this.db.options as { url?: string }).url;
    const client = new Client({
      connectionString: url,
      application_name: 'samservice-scheduling-listener',
    });
    const lost = (error?: Error) => {
      if (this.listener !== client) return;
      this.listener = undefined;
      if (!this.stopping)
        this.logger.warn(
          { err: error },
          'directory change listener lost; reconnecting, the periodic sweep catches up meanwhile',
        );
      void client.end().catch(() => undefined);
    };
    client.on('error', lost);
    client.on('end', () => lost());
    client.on('notification', (message) => this.onNotification(message.payload));
    try {
      await client.connect();
      await client.query(`LISTEN ${DIRECTORY_CHANGED_CHANNEL}`);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    if (this.stopping) {
      await client.end().catch(() => undefined);
      return;
    }
    this.listener = client;
  }

  private onNotification(payload: string | undefined): void {
    let scope: Partial<DirectoryChangeScope> = {};
    try {
      scope = JSON.parse(payload ?? '') as Partial<DirectoryChangeScope>;
    } catch {
      // Not ours to read: the sweep reads the change from the log anyway.
    }
    // The directory changed: its cached facts for the office are stale from now on.
    if (typeof scope.officeId === 'string') this.calendar.invalidate(scope.officeId);
    void this.requestSweep();
  }

  private tick(): void {
    if (this.stopping) return;
    if (!this.listener && !this.connecting) {
      this.connecting = this.listen()
        .then(() => void this.requestSweep())
        .catch((error: unknown) =>
          this.logger.warn({ err: error }, 'directory change listener could not reconnect'),
        )
        .finally(() => {
          this.connecting = undefined;
        });
    }
    void this.requestSweep();
  }

  /**
   * Rechecks the booked appointments a change may hit. Idempotent: a recheck of an
   * appointment that still holds keeps it, and every update is conditional on the row being
   * as it was read, so two rechecks of one appointment at once change it at most once.
   */
  async revalidate(scope: DirectoryChangeScope): Promise<RevalidationResult> {
    const rows: AppointmentEntity[] = await this.db.getRepository(AppointmentEntity).query(
      `SELECT id FROM scheduling.appointment
       WHERE office_id = $1 AND status = 'BOOKED' AND busy_until > GREATEST($2::timestamptz, $6::timestamptz)
         AND ($3::timestamptz IS NULL OR starts_at < $3)
         AND ($4::uuid IS NULL OR staff_id = $4) AND ($5::uuid IS NULL OR counter_id = $5)
       ORDER BY starts_at`,
      [
        scope.officeId,
        scope.from ?? null,
        scope.to ?? null,
        scope.staffId ?? null,
        scope.counterId ?? null,
        // Only appointments still to come (the service's clock, as everywhere in scheduling).
        new Date(this.clock.now()),
      ],
    );
    const result = { kept: 0, reassigned: 0, flagged: 0 };
    for (const { id } of rows) {
      const appointment = await this.db
        .getRepository(AppointmentEntity)
        .findOneBy({ id, status: 'BOOKED' });
      if (appointment) result[await this.recheck(appointment)]++;
    }
    if (result.reassigned + result.flagged > 0) {
      this.logger.info(
        { office: scope.officeId, kind: scope.kind, ...result },
        'appointments revalidated after a directory change',
      );
    }
    return result;
  }

  private async recheck(
    appointment: AppointmentEntity,
  ): Promise<'kept' | 'reassigned' | 'flagged'> {
    let candidates: Array<{ counterId: string; staffId: string }> = [];
    try {
      const { office, service } = await this.availability.officeAndService(
        appointment.officeId,
        appointment.serviceId,
      );
      const date = DateTime.fromJSDate(appointment.startsAt, {
        zone: office.timeZone,
      }).toISODate() as string;
      const input = await this.availability.engineInput(
        office,
        service,
        date,
        date,
        { needs: appointment.needs as VisitNeed[], language: appointment.language },
        [appointment.id],
      );
      const start = appointment.startsAt.getTime();
      // An existing booking is judged by the calendar only, not by notice or horizon, and for
      // the length it was booked for: extra time and a party's per-person minutes are in it.
      const bookedMinutes = (appointment.endsAt.getTime() - start) / 60_000;
      const asBooked: AvailabilityInput = {
        ...input,
        now: 0,
        horizonEnd: Number.MAX_SAFE_INTEGER,
        needs: {
          ...input.needs,
          extraTimeMinutes: Math.max(0, bookedMinutes - service.durationMinutes),
        },
      };
      // Not the grid either: hours opening a few minutes later, or a new grid, leave a booked
      // time valid, and a joint visit's later parts were booked off the grid.
      if (!unavailableReason(asBooked, start, 'AS_BOOKED'))
        candidates = assignmentCandidates(asBooked, start, 'AS_BOOKED');
    } catch {
      candidates = []; // the office or service is gone: the booking must be redone
    }
    if (
      candidates.some(
        (c) => c.counterId === appointment.counterId && c.staffId === appointment.staffId,
      )
    )
      return 'kept';

    const runner = this.db.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      for (const candidate of candidates) {
        await runner.query('SAVEPOINT reassign');
        try {
          const [, count] = await runner.query(
            `UPDATE scheduling.appointment SET counter_id = $2, staff_id = $3, updated_at = now()
             WHERE id = $1 AND status = 'BOOKED' AND counter_id = $4 AND staff_id = $5
               AND starts_at = $6`,
            [
              appointment.id,
              candidate.counterId,
              candidate.staffId,
              appointment.counterId,
              appointment.staffId,
              appointment.startsAt,
            ],
          );
          await runner.query('RELEASE SAVEPOINT reassign');
          if (count === 0) {
            await runner.commitTransaction();
            return 'kept';
          }
          await this.booking.recordEvent(runner, appointment, 'REASSIGNED', SYSTEM, null, {
            fromCounter: appointment.counterId,
            fromStaff: appointment.staffId,
            toCounter: candidate.counterId,
            toStaff: candidate.staffId,
          });
          await runner.commitTransaction();
          return 'reassigned';
        } catch (error) {
          await runner.query('ROLLBACK TO SAVEPOINT reassign');
          const constraint = (error as { driverError?: { constraint?: string } }).driverError
            ?.constraint;
          if (constraint !== 'ex_appointment_counter' && constraint !== 'ex_appointment_staff')
            throw error;
        }
      }
      const [, count] = await runner.query(
        `UPDATE scheduling.appointment SET status = 'NEEDS_REBOOKING', updated_at = now()
         WHERE id = $1 AND status = 'BOOKED' AND counter_id = $2 AND staff_id = $3
           AND starts_at = $4`,
        [appointment.id, appointment.counterId, appointment.staffId, appointment.startsAt],
      );
      if (count === 0) {
        // Moved, cancelled or flagged meanwhile (another recheck, staff): that change stands.
        await runner.commitTransaction();
        return 'kept';
      }
      await this.booking.recordEvent(runner, appointment, 'NEEDS_REBOOKING', SYSTEM, null);
      await runner.commitTransaction();
      return 'flagged';
    } catch (error) {
      await runner.rollbackTransaction();
      throw error;
    } finally {
      await runner.release();
    }
  }
}
