import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import type { Principal } from '@samservice/platform/auth';
import { APP_CONFIG, type AppConfig } from '@samservice/platform/config';
import { pgPoolOf } from '@samservice/platform/database';
import { APP_LOGGER } from '@samservice/platform/logging';
import { Clock } from '../common/clock';
import { SCHEDULING_DATA_SOURCE } from '../scheduling.database';

export type AbuseKind = 'APPOINTMENT_TRADING' | 'MANY_IDENTITIES';

export interface AbuseFlag {
  kind: AbuseKind;
  /** `citizen:<key>` (a keyed hash, never the number), `address:<ip>` or `citizen-login:<sub>`. */
  subject: string;
  at: Date;
  count: number;
  windowMinutes: number;
}

/**
 * Watches for two patterns of release-morning abuse (OWASP API6) and flags them for review;
 * it never refuses anything itself (a family may really cancel and rebook):
 *
 * - **appointment trading**: one citizen (their key) cancelling `ABUSE_TRADING_CANCELS` times
 *   or more within `ABUSE_TRADING_WINDOW_HOURS` — a reseller booking good times and handing
 *   them over by cancel-and-rebook;
 * - **many identities**: one client — an anonymous caller's network address, or one e-ID
 *   login — booking for more than `ABUSE_IDENTITIES_PER_CLIENT` different citizens within
 *   `ABUSE_IDENTITIES_WINDOW_MINUTES`. Staff and agency clients book for many citizens by
 *   their nature and are not counted.
 *
 * One flag per kind, subject and day (a unique constraint). A check that fails is logged,
 * never the cause of a failed booking.
 */
@Injectable()
export class AbuseWatch {
  constructor(
    @InjectDataSource(SCHEDULING_DATA_SOURCE) private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(APP_LOGGER) private readonly logger: Logger,
    private readonly clock: Clock,
  ) {}

  private get rules() {
    return this.config.abuse;
  }

  /** After a booking: who booked it for whom. */
  async booked(
    citizenKey: string | null,
    principal: Principal,
    clientAddress: string | undefined,
  ): Promise<void> {
    const client =
      principal.role === 'anonymous'
        ? clientAddress && `address:${clientAddress}`
        : principal.role === 'citizen'
          ? `citizen-login:${principal.subject}`
          : undefined;
    if (!client || !citizenKey) return;
    await this.guard(async () => {
      const now = new Date(this.clock.now());
      const window = this.rules.identitiesWindowMinutes;
      const [{ identities }] = (
        await pgPoolOf(this.db).query<{ identities: number }>(
          // Once the client is flagged today nothing more is noted or counted: under a rush
          // from one address the count would otherwise grow with every booking.
          `WITH flagged AS (
             SELECT EXISTS (
               SELECT 1 FROM scheduling.abuse_flag
               WHERE kind = 'MANY_IDENTITIES' AND subject = $1
                 AND flag_day = ($3::timestamptz AT TIME ZONE 'Europe/Stockholm')::date) AS yes
           ), noted AS (
             INSERT INTO scheduling.client_booking (client, citizen_key, at)
             SELECT $1, $2, $3 FROM flagged WHERE NOT flagged.yes
           )
           SELECT CASE WHEN (SELECT yes FROM flagged) THEN 0 ELSE (
             SELECT count(DISTINCT citizen_key)::int
                    + CASE WHEN bool_or(citizen_key = $2) THEN 0 ELSE 1 END
             FROM scheduling.client_booking
             WHERE client = $1 AND at > $3::timestamptz - make_interval(mins => $4)) END AS identities`,
          [client, citizenKey, now, window],
        )
      ).rows;
      if (identities > this.rules.identitiesPerClient) {
        await this.flag('MANY_IDENTITIES', client, now, identities, window);
      }
    });
  }

  /** After a cancellation: how often this citizen has cancelled lately. */
  async cancelled(citizenKey: string | null): Promise<void> {
    if (!citizenKey) return;
    await this.guard(async () => {
      const now = new Date(this.clock.now());
      const window = this.rules.tradingWindowMinutes;
      const [{ cancels }] = (
        await pgPoolOf(this.db).query<{ cancels: number }>(
          `SELECT count(*)::int AS cancels
           FROM scheduling.appointment_event e JOIN scheduling.appointment a ON a.id = e.appointment_id
           WHERE a.citizen_key = $1 AND e.type = 'CANCELLED'
             AND e.occurred_at > now() - make_interval(mins => $2)`,
          // Appointment events are stamped by the database's clock (occurred_at's default).
          [citizenKey, window],
        )
      ).rows;
      if (cancels >= this.rules.tradingCancels) {
        await this.flag('APPOINTMENT_TRADING', `citizen:${citizenKey}`, now, cancels, window);
      }
    });
  }

  /** The flags for an admin, newest first. */
  async list(first: number): Promise<AbuseFlag[]> {
    return pgPoolOf(this.db)
      .query<AbuseFlag>(
        `SELECT kind, subject, at, count, window_minutes AS "windowMinutes"
         FROM scheduling.abuse_flag ORDER BY id DESC LIMIT $1`,
        [first],
      )
      .then((r) => r.rows);
  }

  private async flag(
    kind: AbuseKind,
    subject: string,
    at: Date,
    count: number,
    windowMinutes: number,
  ): Promise<void> {
    const inserted = await pgPoolOf(this.db).query(
      `INSERT INTO scheduling.abuse_flag (kind, subject, flag_day, at, count, window_minutes)
       VALUES ($1, $2, ($3::timestamptz AT TIME ZONE 'Europe/Stockholm')::date, $3, $4, $5)
       ON CONFLICT (kind, subject, flag_day) DO UPDATE SET count = greatest(abuse_flag.count, EXCLUDED.count)`,
      [kind, subject, at, count, windowMinutes],
    );
    if ((inserted.rowCount ?? 0) > 0) {
      // The subject is a keyed hash or an address: no identity number in the log.
      this.logger.warn({ kind, subject, count, windowMinutes }, 'possible abuse flagged');
    }
  }

  private async guard(check: () => Promise<void>): Promise<void> {
    try {
      await check();
    } catch (error) {
      this.logger.error({ err: error }, 'checking for abuse failed; the request went through');
    }
  }
}
