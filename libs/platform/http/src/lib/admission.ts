import type { IncomingMessage, ServerResponse } from 'node:http';
import { ErrorCode } from '@samservice/platform/errors';

export interface AdmissionOptions {
  /** Requests worked on at once; the rest wait. For a subgraph: its database pool size. */
  limit: number;
  /** Requests that may wait at once; one more is refused at once. */
  maxQueue: number;
  /** The longest a request waits for its turn before it is refused. */
  maxWaitMs: number;
}

/** Why a request was not admitted, and when to try again. */
export class Overloaded extends Error {
  constructor(
    readonly reason: 'QUEUE_FULL' | 'WAITED_TOO_LONG',
    readonly retryAfterSeconds: number,
  ) {
    super(`overloaded: ${reason}`);
  }
}

interface Waiter {
  admit: () => void;
  timer: NodeJS.Timeout;
}

/**
 * Bounded admission, first come, first served: at most `limit` requests are worked on at
 * once; the next ones wait in line, at most `maxQueue` of them and each at most `maxWaitMs`,
 * then they are refused with a time to try again. Under a rush a request waits its turn
 * (the wait counts in its answer's time) instead of crowding the database pool until the
 * pool's own timeout turns it into a server error.
 *
 * Per process on purpose: each replica bounds its own work; what must hold across replicas
 * (no double booking) is the database's job. Written here rather than taken from a library:
 * the maintained CommonJS semaphores (async-sema) have no bounded queue or wait, and p-queue
 * is ESM-only and bounds run time, not waiting time.
 */
export class AdmissionGate {
  private active = 0;
  private readonly queue: Waiter[] = [];
  /** Recent time a request held its turn, for the retry hint (exponentially smoothed). */
  private meanServiceMs = 50;

  constructor(private readonly options: AdmissionOptions) {
    if (!(options.limit >= 1) || !(options.maxQueue >= 0) || !(options.maxWaitMs >= 0)) {
      throw new RangeError('admission: limit >= 1, maxQueue >= 0 and maxWaitMs >= 0');
    }
  }

  get inFlight(): number {
    return this.active;
  }

  get waiting(): number {
    return this.queue.length;
  }

  /**
   * Resolves with `release` (call it exactly once when the work is done) when the request's
   * turn comes; rejects with Overloaded when the line is full or the wait ran out.
   */
  acquire(): Promise<() => void> {
    if (this.active < this.options.limit && this.queue.length === 0) {
      this.active++;
      return Promise.resolve(this.releaser());
    }
    if (this.queue.length >= this.options.maxQueue) {
      return Promise.reject(new Overloaded('QUEUE_FULL', this.retryAfterSeconds()));
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        admit: () => {
          clearTimeout(waiter.timer);
          resolve(this.releaser());
        },
        timer: setTimeout(() => {
          const index = this.queue.indexOf(waiter);
          if (index >= 0) this.queue.splice(index, 1);
          reject(new Overloaded('WAITED_TOO_LONG', this.retryAfterSeconds()));
        }, this.options.maxWaitMs),
      };
      this.queue.push(waiter);
    });
  }

  private releaser(): () => void {
    const started = performance.now();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.meanServiceMs = 0.9 * this.meanServiceMs + 0.1 * (performance.now() - started);
      const next = this.queue.shift();
      // The turn passes straight to the first in line: the count stays, nobody can cut in.
      if (next) next.admit();
      else this.active--;
    };
  }

  /** About how long the line ahead takes to clear, in whole seconds (at least 1). */
  private retryAfterSeconds(): number {
    const clearMs = ((this.queue.length + this.active) * this.meanServiceMs) / this.options.limit;
    return Math.max(1, Math.min(60, Math.ceil(clearMs / 1000)));
  }
}

/** The GraphQL-shaped answer to a request refused for overload (HTTP 503, Retry-After). */
export function overloadedBody(error: Overloaded): string {
  return JSON.stringify({
    errors: [
      {
        message: `Samservice is very busy right now. Please try again in ${error.retryAfterSeconds} second${error.retryAfterSeconds === 1 ? '' : 's'}; nothing was changed.`,
        extensions: {
          code: ErrorCode.SERVICE_UNAVAILABLE,
          retryAfterSeconds: error.retryAfterSeconds,
        },
      },
    ],
  });
}

/**
 * Express/Connect middleware admitting requests through the gate; the turn is held until
 * the response is finished or the connection closes. Refusals are answered here, with one
 * log line each through `onRefused`.
 */
export function admissionMiddleware(
  gate: AdmissionGate,
  onRefused: (error: Overloaded, req: IncomingMessage) => void,
) {
  return (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void): void => {
    gate.acquire().then(
      (release) => {
        res.once('finish', release);
        res.once('close', release);
        if (req.destroyed) {
          // The client gave up while waiting: pass the turn on without doing the work.
          release();
          return;
        }
        next();
      },
      (error: unknown) => {
        if (!(error instanceof Overloaded)) return next(error);
        onRefused(error, req);
        if (res.headersSent || res.destroyed) return;
        res.statusCode = 503;
        res.setHeader('content-type', 'application/json; charset=utf-8');
        res.setHeader('retry-after', String(error.retryAfterSeconds));
        res.end(overloadedBody(error));
      },
    );
  };
}
