import type { FlushBatch, KeyTotal } from './rate-limit-counter';
import { RateLimiter } from './rate-limiter';
import type { RateLimitStore } from './rate-limit-store';

const T0 = Date.parse('2027-03-01T10:00:00Z');
const OPTIONS = {
  enabled: true,
  windowSeconds: 60,
  perIp: 3,
  perClient: 2,
  perAgencyClient: 10,
  flushMs: 250,
};

class MemoryStore implements RateLimitStore {
  readonly sums = new Map<string, number>();
  down = false;
  deleted: number[] = [];
  async flush(batch: FlushBatch): Promise<KeyTotal[]> {
    if (this.down) throw new Error('connect ECONNREFUSED');
    const totals = batch.keys.map((key, i) => {
      this.sums.set(key, (this.sums.get(key) ?? 0) + (batch.hits[i] as number));
      return { key, hits: this.sums.get(key) as number };
    });
    return totals;
  }
  async deleteBefore(before: number): Promise<number> {
    if (this.down) throw new Error('connect ECONNREFUSED');
    this.deleted.push(before);
    return 0;
  }
  async close(): Promise<void> {
    // nothing to close
  }
}

function logger() {
  return { info: jest.fn(), warn: jest.fn() };
}

describe('RateLimiter', () => {
  it('refuses over the limit with a GraphQL-shaped RATE_LIMITED body and retryAfterSeconds', () => {
    const limiter = new RateLimiter(OPTIONS, undefined, logger(), () => T0 + 15_000);
    for (let i = 0; i < 3; i++) expect(limiter.admitConnection('192.0.2.1')).toBeUndefined();
    const refusal = limiter.admitRequest({ role: 'anonymous' }, '192.0.2.1');
    expect(refusal?.retryAfterSeconds).toBe(45);
    expect(JSON.parse(refusal?.body as string)).toEqual({
      errors: [
        {
          message: expect.stringMatching(/^Too many requests .*try again in 45 seconds\.$/),
          extensions: { code: 'RATE_LIMITED', retryAfterSeconds: 45 },
        },
      ],
    });
  });

  it('limits nothing when disabled', () => {
    const limiter = new RateLimiter({ ...OPTIONS, enabled: false }, undefined, logger(), () => T0);
    for (let i = 0; i < 10; i++) expect(limiter.admitConnection('192.0.2.1')).toBeUndefined();
  });

  it('logs one line per refused caller and window, naming neither address nor subject', () => {
    const log = logger();
    const limiter = new RateLimiter(OPTIONS, undefined, log, () => T0);
    for (let i = 0; i < 10; i++) limiter.admitConnection('192.0.2.1');
    expect(log.info).toHaveBeenCalledTimes(1);
    expect(JSON.stringify(log.info.mock.calls)).not.toContain('192.0.2.1');
  });

  it('shares counts through the store, and deletes past windows once a window', async () => {
    const store = new MemoryStore();
    let now = T0;
    const a = new RateLimiter(OPTIONS, store, logger(), () => now);
    const b = new RateLimiter(OPTIONS, store, logger(), () => now);
    const citizen = { role: 'citizen' as const, subject: 'c', personnummer: 'x' };
    expect(a.admitRequest(citizen, '192.0.2.1')).toBeUndefined();
    await a.flush();
    expect(b.admitRequest(citizen, '192.0.2.2')).toBeUndefined();
    await b.flush(); // b learns 2
    expect(b.admitRequest(citizen, '192.0.2.2')).toBeDefined();
    expect(store.deleted).toEqual([T0 - 60_000, T0 - 60_000]); // each replica, once
    now += 1_000;
    await a.flush();
    expect(store.deleted).toHaveLength(2);
    now += 60_000;
    await a.flush();
    expect(store.deleted).toEqual([T0 - 60_000, T0 - 60_000, T0]);
  });

  it('fails open on its own counts while the database is down, with one warning', async () => {
    const store = new MemoryStore();
    const log = logger();
    const limiter = new RateLimiter(OPTIONS, store, log, () => T0);
    store.down = true;
    for (let i = 0; i < 3; i++) {
      expect(limiter.admitConnection('192.0.2.1')).toBeUndefined();
      await limiter.flush();
    }
    expect(limiter.admitConnection('192.0.2.1')).toBeDefined(); // local limit still holds
    expect(log.warn).toHaveBeenCalledTimes(1);
    store.down = false;
    await limiter.flush();
    expect(store.sums.get('ip:192.0.2.1')).toBe(3); // the kept counts caught up
    expect(log.info).toHaveBeenCalledWith(expect.stringMatching(/answers again/));
  });
});
