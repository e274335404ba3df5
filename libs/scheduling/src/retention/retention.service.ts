import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@samservice/platform/config';
import { pgPoolOf } from '@samservice/platform/database';
import { APP_LOGGER } from '@samservice/platform/logging';
import { Clock } from '../common/clock';
import { SCHEDULING_DATA_SOURCE } from '../scheduling.database';

/** Rows purged per statement: a long backlog is worked off in bounded transactions. */
const BATCH = 1_000;
const LOCK = 'samservice:scheduling:retention';

export interface PurgeResult {
  /** Appointments whose contact details, identity number and citizen keys were removed. */
  appointments: number;
  jointVisits: number;
  /** Tickets whose identity number, citizen key and transfer note were removed. */
  tickets: number;
  /** Idempotency records of purged bookings removed. */
  idempotencyKeys: number;
  /** Records of which client booked for which citizen, older than a day. */
  clientBookings: number;
}

/**
 * Retention of personal data (docs/security.md, "Retention"): `PERSONAL_DATA_RETENTION_DAYS`
 * (default 90) after a visit, everything that identifies its citizen is removed — the contact
 * row (name, e-mail, phone, sealed identity number, birth date), the keyed hashes that link
 * visits to one person, a citizen's own sign-in subject, a ticket's identity number and its
 * transfer note — while the rows themselves stay: office, agency, service, times, status,
 * channel and the event rows are the anonymous statistics (service declarations, KPIs).
 *
 * Each replica sweeps at start and every `RETENTION_SWEEP_SECONDS`; a session advisory lock
 * lets one replica at a time do it, and every statement is idempotent (it only touches rows
 * not purged yet), so a sweep cut short is finished by the next.
 */
@Injectable()
export class RetentionService implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private running?: Promise<PurgeResult | undefined>;

  constructor(
    @InjectDataSource(SCHEDULING_DATA_SOURCE) private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(APP_LOGGER) private readonly logger: Logger,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    void this.sweep();
    this.timer = setInterval(() => void this.sweep(), this.config.retention.sweepSeconds * 1000);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One sweep (joined when one is running); undefined when another replica holds it or it failed. */
  sweep(): Promise<PurgeResult | undefined> {
    this.running ??= this.purge()
      .catch((error: unknown) => {
        this.logger.error({ err: error }, 'purging personal data past retention failed');
        return undefined;
      })
      .finally(() => (this.running = undefined));
    return this.running;
  }

  /** Everything past retention at the clock's now; undefined when another replica is at it. */
  async purge(): Promise<PurgeResult | undefined> {
    const cutoff = new Date(this.clock.now() - this.config.retention.days * 86_400_000);
    const client = await pgPoolOf(this.db).connect();
    try {
      const locked = await client.query<{ ok: boolean }>(
        'SELECT pg_try_advisory_lock(hashtext($1)) AS ok',
        [LOCK],
      );
      if (!locked.rows[0].ok) return undefined;
      try {
        const result: PurgeResult = {
          appointments: 0,
          jointVisits: 0,
          tickets: 0,
          idempotencyKeys: 0,
          clientBookings: 0,
        };
        const repeat = async (sql: string): Promise<number> => {
          let total = 0;
          for (;;) {
            const done = (await client.query(sql, [cutoff, BATCH])).rowCount ?? 0;
            total += done;
            if (done < BATCH) return total;
          }
        };
        // Appointments that ended before the cutoff (whatever their status: a past booking
        // nobody came to is as past as a completed one), their contact row with them.
        result.appointments = await repeat(`
          WITH due AS (
            SELECT id FROM scheduling.appointment a
            WHERE a.ends_at < $1
              AND (a.citizen_key IS NOT NULL OR a.booked_by_role = 'CITIZEN' AND a.booked_by_subject IS NOT NULL
                   OR EXISTS (SELECT 1 FROM scheduling.appointment_contact c WHERE c.appointment_id = a.id))
            LIMIT $2
          ), contact AS (
            DELETE FROM scheduling.appointment_contact c USING due WHERE c.appointment_id = due.id
          ), events AS (
            UPDATE scheduling.appointment_event e SET actor_subject = NULL
            FROM due WHERE e.appointment_id = due.id AND e.actor_role = 'CITIZEN'
          )
          UPDATE scheduling.appointment a
             SET citizen_key = NULL,
                 booked_by_subject = CASE WHEN a.booked_by_role = 'CITIZEN' THEN NULL ELSE a.booked_by_subject END
          FROM due WHERE a.id = due.id`);
        result.jointVisits = await repeat(`
          UPDATE scheduling.joint_visit v SET citizen_key = NULL
          WHERE v.id IN (
            SELECT v2.id FROM scheduling.joint_visit v2
            WHERE v2.citizen_key IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM scheduling.appointment a
                              WHERE a.joint_visit_id = v2.id AND a.ends_at >= $1)
            LIMIT $2)`);
        result.tickets = await repeat(`
          WITH due AS (
            SELECT t.id FROM scheduling.ticket t
            WHERE t.arrived_at < $1
              AND (t.citizen_key IS NOT NULL OR t.note IS NOT NULL
                   OR EXISTS (SELECT 1 FROM scheduling.ticket_contact c WHERE c.ticket_id = t.id))
            LIMIT $2
          ), contact AS (
            DELETE FROM scheduling.ticket_contact c USING due WHERE c.ticket_id = due.id
          )
          UPDATE scheduling.ticket t SET citizen_key = NULL, note = NULL
          FROM due WHERE t.id = due.id`);
        // A retried booking is answered from these for a few minutes; months later they only
        // link a request to a purged booking.
        result.idempotencyKeys = await repeat(`
          DELETE FROM scheduling.idempotency_key k
          WHERE k.scope IN (SELECT scope FROM scheduling.idempotency_key WHERE created_at < $1 LIMIT $2)`);
        // Which client booked for whom matters only within the abuse watch's window (a day).
        const dayAgo = new Date(this.clock.now() - 86_400_000);
        for (;;) {
          const done =
            (
              await client.query(
                `DELETE FROM scheduling.client_booking WHERE id IN (
                   SELECT id FROM scheduling.client_booking WHERE at < $1 LIMIT $2)`,
                [dayAgo, BATCH],
              )
            ).rowCount ?? 0;
          result.clientBookings += done;
          if (done < BATCH) break;
        }
        const purged = Object.values(result).some((n) => n > 0);
        if (purged) {
          this.logger.info(
            { ...result, retentionDays: this.config.retention.days },
            'personal data past retention purged',
          );
        }
        return result;
      } finally {
        await client.query('SELECT pg_advisory_unlock(hashtext($1))', [LOCK]);
      }
    } finally {
      client.release();
    }
  }
}
