import { EventEmitter, on } from 'node:events';
import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client } from 'pg';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { APP_LOGGER } from '@samservice/platform/logging';
import { SCHEDULING_DATA_SOURCE } from '../scheduling.database';

/** The channel every ticket event is announced on (trigger `announce_ticket_event`). */
export const FRONTDESK_CHANNEL = 'samservice_frontdesk';

export interface TicketEventNotice {
  eventId: number;
  officeId: string;
  kind: string;
  at: string;
  ticketNumber: string | null;
  counterName: string | null;
}

/** How long a lost listener waits before connecting again. */
const RECONNECT_MS = 1_000;

/**
 * Every ticket event of every replica, as it commits: the database announces each inserted
 * `ticket_event` (a trigger, in the inserting transaction, so only committed steps are
 * heard), and each replica listens on one connection and fans the notices out to its own
 * subscribers (lobby displays, staff queue views) and caches (estimates).
 *
 * A notice missed while the listener was down is not lost to a display: it asks again with
 * the time of the last call it showed (`lobbyCallMade(after:)`), and the calls are read from
 * the event rows.
 */
@Injectable()
export class FrontDeskEvents implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly emitter = new EventEmitter();
  private listener?: Client;
  private stopping = false;
  private retry?: NodeJS.Timeout;

  constructor(
    @InjectDataSource(SCHEDULING_DATA_SOURCE) private readonly db: DataSource,
    @Inject(APP_LOGGER) private readonly logger: Logger,
  ) {
    // Every display and staff view is a listener of its office: no arbitrary cap here (the
    // gateway bounds connections and subscriptions per connection).
    this.emitter.setMaxListeners(0);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.listen();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.retry);
    const listener = this.listener;
    this.listener = undefined;
    await listener?.end().catch(() => undefined);
    this.emitter.emit('shutdown');
  }

  /** Whether notices are being heard right now (readiness of the live parts). */
  get listening(): boolean {
    return this.listener !== undefined;
  }

  /** Every notice of one office from now on, until the signal aborts. */
  notices(officeId: string, signal: AbortSignal): AsyncIterableIterator<[TicketEventNotice]> {
    return on(this.emitter, `office:${officeId}`, { signal }) as AsyncIterableIterator<
      [TicketEventNotice]
    >;
  }

  /** Called for every notice of any office (caches). */
  onAny(handler: (notice: TicketEventNotice) => void): void {
    this.emitter.on('any', handler);
  }

  private async listen(): Promise<void> {
    const url = (this.db.options as { url?: string }).url;
    const client = new Client({
      connectionString: url,
      application_name: 'samservice-frontdesk-listener',
    });
    const lost = (error?: Error) => {
      if (this.listener !== client) return;
      this.listener = undefined;
      void client.end().catch(() => undefined);
      if (this.stopping) return;
      this.logger.warn({ err: error }, 'front desk listener lost; reconnecting');
      this.retry = setTimeout(() => void this.reconnect(), RECONNECT_MS);
      this.retry.unref();
    };
    client.on('error', lost);
    client.on('end', () => lost());
    client.on('notification', (message) => this.publish(message.payload));
    try {
      await client.connect();
      await client.query(`LISTEN ${FRONTDESK_CHANNEL}`);
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

  private async reconnect(): Promise<void> {
    if (this.stopping || this.listener) return;
    try {
      await this.listen();
      this.logger.info('front desk listener reconnected');
    } catch (error) {
      this.logger.warn({ err: error }, 'front desk listener could not reconnect; trying again');
      this.retry = setTimeout(() => void this.reconnect(), RECONNECT_MS * 5);
      this.retry.unref();
    }
  }

  private publish(payload: string | undefined): void {
    let notice: TicketEventNotice;
    try {
      notice = JSON.parse(payload ?? '') as TicketEventNotice;
    } catch {
      return;
    }
    if (typeof notice.officeId !== 'string') return;
    this.emitter.emit('any', notice);
    this.emitter.emit(`office:${notice.officeId}`, notice);
  }
}
