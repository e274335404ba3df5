import type { Logger } from 'pino';
import type { Principal } from '@samservice/platform/auth';
import type { AppConfig } from '@samservice/platform/config';
import { ErrorCode } from '@samservice/platform/errors';
import { RateLimitCounter, type RateLimitDecision } from './rate-limit-counter';
import {
  ipSubject,
  rateLimitSubject,
  type RateLimitSubject,
  type RateLimits,
} from './rate-limit-keys';
import type { RateLimitStore } from './rate-limit-store';

export const RATE_LIMITER = Symbol('RATE_LIMITER');

export interface RateLimitRefusal {
  retryAfterSeconds: number;
  /** The GraphQL-shaped body of the 429. */
  body: string;
}

/** The answer to a caller over its limit: HTTP 429 with this body and `Retry-After`. */
export function rateLimitedBody(retryAfterSeconds: number): string {
  const seconds = `${retryAfterSeconds} second${retryAfterSeconds === 1 ? '' : 's'}`;
  return JSON.stringify({
    errors: [
      {
        message: `Too many requests from this client; nothing was done. Please try again in ${seconds}.`,
        extensions: { code: ErrorCode.RATE_LIMITED, retryAfterSeconds },
      },
    ],
  });
}

/** What kind of caller a key counts, for log lines that name no address and no subject. */
function kindOf(key: string): string {
  return key.slice(0, key.indexOf(':'));
}

/**
 * The gateway's rate limits (docs/security.md, "Rate limits"). Decisions are made in memory
 * (`RateLimitCounter`), never waiting for the database; every `flushMs` the replica sends
 * what it counted in one statement and learns the sums of every replica back. A database
 * that does not answer leaves each replica with its own counts (fail open, one warning),
 * and it catches up when the database is back.
 */
export class RateLimiter {
  private readonly counter: RateLimitCounter;
  private readonly limits: RateLimits;
  private timer?: NodeJS.Timeout;
  private flushing?: Promise<void>;
  private failing = false;
  private lastCleanupWindow = Number.NEGATIVE_INFINITY;
  /** Keys refused in `refusedWindow`: one log line per caller and window, not per request. */
  private refused = new Set<string>();
  private refusedWindow = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly options: AppConfig['rateLimit'],
    private readonly store: RateLimitStore | undefined,
    private readonly logger: Pick<Logger, 'info' | 'warn'>,
    private readonly now: () => number = Date.now,
  ) {
    this.counter = new RateLimitCounter(options.windowSeconds * 1000);
    this.limits = options;
  }

  get enabled(): boolean {
    return this.options.enabled;
  }

  /** Flushes every `flushMs` from now on (not when disabled). */
  start(): void {
    if (!this.options.enabled || this.timer) return;
    this.timer = setInterval(() => void this.flush(), this.options.flushMs);
    this.timer.unref();
  }

  /** A GraphQL request over HTTP: counted per identity when signed in, else per address. */
  admitRequest(principal: Principal | undefined, address: string | undefined) {
    return this.admit(rateLimitSubject(principal, address, this.limits));
  }

  /** A WebSocket connection attempt: counted per address (it authenticates only later). */
  admitConnection(address: string | undefined) {
    return this.admit(address === undefined ? undefined : ipSubject(address, this.limits));
  }

  /** `undefined`: go on; else the refusal to send. */
  private admit(subject: RateLimitSubject | undefined): RateLimitRefusal | undefined {
    if (!this.options.enabled || !subject) return undefined;
    const now = this.now();
    const decision: RateLimitDecision = this.counter.hit(subject.key, subject.limit, now);
    if (decision.allowed) return undefined;
    this.noteRefusal(subject, now, decision.retryAfterSeconds);
    return {
      retryAfterSeconds: decision.retryAfterSeconds,
      body: rateLimitedBody(decision.retryAfterSeconds),
    };
  }

  /**
   * Sends this replica's counts and learns everyone's (one statement); deletes past windows
   * once a window. Never throws: a failure keeps the counts for the next flush.
   */
  flush(): Promise<void> {
    this.flushing ??= this.flushOnce().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  /** Nest's hook: the last counts are sent, the pool is closed. */
  onModuleDestroy(): Promise<void> {
    return this.stop();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    if (this.options.enabled) await this.flush();
    await this.store?.close();
  }

  private async flushOnce(): Promise<void> {
    const store = this.store;
    if (!store) return;
    const now = this.now();
    const batch = this.counter.takeBatch(now);
    try {
      if (batch) this.counter.settle(batch, await store.flush(batch));
      const window = this.counter.windowOf(now);
      if (window > this.lastCleanupWindow) {
        // The current window and the one before are kept (a replica's clock may lag a little).
        await store.deleteBefore(window - this.counter.windowMs);
        this.lastCleanupWindow = window;
      }
      if (this.failing) {
        this.failing = false;
        this.logger.info('rate limits: the database answers again; limits hold across replicas');
      }
    } catch (error) {
      if (batch) this.counter.fail(batch);
      if (!this.failing) {
        this.failing = true;
        this.logger.warn(
          { reason: (error as Error).message },
          'rate limits: the database does not answer; each gateway replica limits on its own counts until it does',
        );
      }
    }
  }

  private noteRefusal(subject: RateLimitSubject, now: number, retryAfterSeconds: number): void {
    const window = this.counter.windowOf(now);
    if (window !== this.refusedWindow) {
      this.refusedWindow = window;
      this.refused = new Set();
    }
    if (this.refused.has(subject.key)) return;
    this.refused.add(subject.key);
    this.logger.info(
      { caller: kindOf(subject.key), limit: subject.limit, retryAfterSeconds },
      'request refused: rate limit reached',
    );
  }
}
