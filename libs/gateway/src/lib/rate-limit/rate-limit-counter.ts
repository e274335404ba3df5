/**
 * One gateway replica's side of a rate limit shared by every replica: counts per caller in
 * the current fixed window, what the replicas together had counted at the last flush, and
 * the hits counted here since. Pure: the caller passes `now` (epoch ms) and does the I/O
 * (RateLimitStore); nothing here waits for the database.
 *
 * A hit is decided on `global + in flight + pending`: the sum the database returned at this
 * replica's last flush of the key, the hits of the flush being sent, the hits since. Refused
 * hits are not counted (a window's refusal lasts to its end anyway). The window is fixed
 * (`floor(now / window)`), the same on every replica with synchronised clocks.
 */
export interface RateLimitDecision {
  allowed: boolean;
  /** Whole seconds until the window ends (at least 1); 0 when allowed. */
  retryAfterSeconds: number;
}

/** What a replica sends in one flush: its hits since the last one, and keys to re-read. */
export interface FlushBatch {
  /** Start of the window the hits belong to (epoch ms). */
  windowStart: number;
  /** Sorted, so replicas upserting the same keys lock rows in one order (no deadlocks). */
  keys: string[];
  hits: number[];
  /**
   * Keys with no new hits here but near their limit: their sums are read back too, so a
   * replica that is quiet for a key still learns what the others counted.
   */
  refresh: string[];
}

export interface KeyTotal {
  key: string;
  hits: number;
}

/** A key is re-read while quiet here once the replicas together have used this share of it. */
const REFRESH_SHARE = 0.5;

export class RateLimitCounter {
  private windowStart = Number.NEGATIVE_INFINITY;
  /** Sums over every replica, as the database returned them at the last flush. */
  private readonly global = new Map<string, number>();
  /** Hits counted here, not yet sent. */
  private pending = new Map<string, number>();
  /** Hits of the flush under way (`undefined`: none). */
  private inFlight?: { windowStart: number; hits: Map<string, number> };
  /** Each key's limit, as last asked for (to choose which quiet keys to re-read). */
  private readonly limits = new Map<string, number>();

  constructor(readonly windowMs: number) {
    if (!(windowMs > 0)) throw new Error('RateLimitCounter: the window must be positive');
  }

  /** Start (epoch ms) of the window `now` falls in. */
  windowOf(now: number): number {
    return Math.floor(now / this.windowMs) * this.windowMs;
  }

  /** Keys counted in the current window (for tests and the log). */
  get keys(): number {
    return new Set([...this.global.keys(), ...this.pending.keys()]).size;
  }

  /** Counts one request of `key` if it is within `limit` in the window of `now`. */
  hit(key: string, limit: number, now: number): RateLimitDecision {
    this.roll(now);
    this.limits.set(key, limit);
    if (this.seen(key) >= limit) {
      const left = this.windowStart + this.windowMs - now;
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(left / 1000)) };
    }
    this.pending.set(key, (this.pending.get(key) ?? 0) + 1);
    return { allowed: true, retryAfterSeconds: 0 };
  }

  /** Hits of `key` in the current window as this replica knows them. */
  seen(key: string): number {
    const inFlight =
      this.inFlight?.windowStart === this.windowStart ? (this.inFlight.hits.get(key) ?? 0) : 0;
    return (this.global.get(key) ?? 0) + inFlight + (this.pending.get(key) ?? 0);
  }

  /**
   * The next flush, or `undefined` when one is under way or there is nothing to send or
   * re-read. Its hits move from pending to in flight until `settle` or `fail`.
   */
  takeBatch(now: number): FlushBatch | undefined {
    this.roll(now);
    if (this.inFlight) return undefined;
    const keys = [...this.pending.keys()].sort();
    const refresh = [...this.global.entries()]
      .filter(([key, hits]) => {
        const limit = this.limits.get(key);
        return !this.pending.has(key) && limit !== undefined && hits >= limit * REFRESH_SHARE;
      })
      .map(([key]) => key)
      .sort();
    if (keys.length === 0 && refresh.length === 0) return undefined;
    const hits = keys.map((key) => this.pending.get(key) as number);
    this.inFlight = { windowStart: this.windowStart, hits: this.pending };
    this.pending = new Map();
    return { windowStart: this.windowStart, keys, hits, refresh };
  }

  /** The database's sums after `batch`: they include this replica's in-flight hits. */
  settle(batch: FlushBatch, totals: readonly KeyTotal[]): void {
    this.inFlight = undefined;
    if (batch.windowStart !== this.windowStart) return; // the window has passed meanwhile
    for (const { key, hits } of totals) {
      // Sums only grow within a window; an older answer never lowers a newer one.
      this.global.set(key, Math.max(hits, this.global.get(key) ?? 0));
    }
  }

  /**
   * The flush failed (database unreachable): its hits go back to pending, to be sent with
   * the next one. Meanwhile decisions go on with what this replica knows: local limits.
   */
  fail(batch: FlushBatch): void {
    const inFlight = this.inFlight;
    this.inFlight = undefined;
    if (!inFlight || batch.windowStart !== this.windowStart) return;
    for (const [key, hits] of inFlight.hits) {
      this.pending.set(key, (this.pending.get(key) ?? 0) + hits);
    }
  }

  /** A new window starts from zero; hits of the old one not yet sent are dropped. */
  private roll(now: number): void {
    const windowStart = this.windowOf(now);
    if (windowStart === this.windowStart) return;
    this.windowStart = windowStart;
    this.global.clear();
    this.pending = new Map();
    this.limits.clear();
  }
}
