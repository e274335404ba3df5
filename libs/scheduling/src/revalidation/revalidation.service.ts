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
import { APP_LOGGER } from '@samservice/platform/logging';
import { assignmentCandidates, unavailableReason } from '@samservice/scheduling-engine';
import { AppointmentEntity } from '../appointments/appointment.entity';
import { BookingService, type Actor } from '../appointments/booking.service';
import { AvailabilityService } from '../availability/availability.service';
import type { VisitNeed } from '../availability/needs';
import { OfficeCalendarRepository } from '../availability/office-calendar.repository';
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

const SYSTEM: Actor = { role: 'SYSTEM', subject: 'revalidation', channel: 'API' };

/**
 * Keeps booked appointments valid when the directory changes under them (a closure, an
 * absence, a removed shift, a counter out of order): each appointment the change may hit is
 * checked against the new calendar; if its counter and person still serve it, nothing
 * happens; if another free counter/person can, it is moved there (REASSIGNED); otherwise it
 * is flagged NEEDS_REBOOKING for staff to move or cancel (affectedAppointments). Nothing is
 * silently invalidated. Driven by the directory's NOTIFY, so it runs only for committed changes.
 */
@Injectable()
export class RevalidationService implements OnApplicationBootstrap, OnApplicationShutdown {
  private listener?: Client;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    @InjectDataSource(SCHEDULING_DATA_SOURCE) private readonly db: DataSource,
    private readonly availability: AvailabilityService,
    private readonly calendar: OfficeCalendarRepository,
    private readonly booking: BookingService,
    @Inject(APP_LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const url = (this.db.options as { url?: string }).url;
    this.listener = new Client({
      connectionString: url,
      application_name: 'samservice-scheduling-listener',
    });
    this.listener.on('error', (error) =>
      this.logger.error({ err: error }, 'directory change listener failed'),
    );
    this.listener.on('notification', (message) => {
      let scope: DirectoryChangeScope;
      try {
        scope = JSON.parse(message.payload ?? '') as DirectoryChangeScope;
      } catch {
        return;
      }
      // The directory changed: its cached facts for the office are stale from now on.
      this.calendar.invalidate(scope.officeId);
      // One change at a time per process: revalidations of one office never interleave here.
      this.queue = this.queue
        .then(() => this.revalidate(scope))
        .catch((error: unknown) =>
          this.logger.error({ err: error, office: scope.officeId }, 'revalidation failed'),
        );
    });
    await this.listener.connect();
    await this.listener.query(`LISTEN ${DIRECTORY_CHANGED_CHANNEL}`);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.queue.catch(() => undefined);
    await this.listener?.end().catch(() => undefined);
  }

  /** Waits for changes heard so far to be handled (tests, shutdown). */
  idle(): Promise<unknown> {
    return this.queue;
  }

  async revalidate(
    scope: DirectoryChangeScope,
  ): Promise<{ kept: number; reassigned: number; flagged: number }> {
    const rows: AppointmentEntity[] = await this.db.getRepository(AppointmentEntity).query(
      `SELECT id FROM scheduling.appointment
       WHERE office_id = $1 AND status = 'BOOKED' AND busy_until > COALESCE($2::timestamptz, now())
         AND ($3::timestamptz IS NULL OR starts_at < $3)
         AND ($4::uuid IS NULL OR staff_id = $4) AND ($5::uuid IS NULL OR counter_id = $5)
       ORDER BY starts_at`,
      [
        scope.officeId,
        scope.from ?? null,
        scope.to ?? null,
        scope.staffId ?? null,
        scope.counterId ?? null,
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
        appointment.id,
      );
      // An existing booking is judged by the calendar only, not by notice or horizon.
      const asBooked = { ...input, now: 0, horizonEnd: Number.MAX_SAFE_INTEGER };
      const start = appointment.startsAt.getTime();
      if (!unavailableReason(asBooked, start)) candidates = assignmentCandidates(asBooked, start);
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
            `UPDATE scheduling.appointment SET counter_id = $2, staff_id = $3, updated_at = now() WHERE id = $1 AND status = 'BOOKED'`,
            [appointment.id, candidate.counterId, candidate.staffId],
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
      await runner.query(
        `UPDATE scheduling.appointment SET status = 'NEEDS_REBOOKING', updated_at = now() WHERE id = $1 AND status = 'BOOKED'`,
        [appointment.id],
      );
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
