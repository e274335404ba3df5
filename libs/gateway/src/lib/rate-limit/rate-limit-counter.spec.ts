import { RateLimitCounter, type FlushBatch, type KeyTotal } from './rate-limit-counter';

const WINDOW_MS = 60_000;
/** 10:00:00 UTC on 1 March 2027: the start of a window. */
const T0 = Date.parse('2027-03-01T10:00:00Z');

/** The database's side of the statement, for replicas that share it. */
function sharedSums() {
  const sums = new Map<string, number>();
  return (batch: FlushBatch): KeyTotal[] => {
    const totals: KeyTotal[] = batch.keys.map((key, i) => {
      const id = `${batch.windowStart}|${key}`;
      sums.set(id, (sums.get(id) ?? 0) + (batch.hits[i] as number));
      return { key, hits: sums.get(id) as number };
    });
    for (const key of batch.refresh) {
      const hits = sums.get(`${batch.windowStart}|${key}`);
      if (hits !== undefined) totals.push({ key, hits });
    }
    return totals;
  };
}

function flush(counter: RateLimitCounter, db: (batch: FlushBatch) => KeyTotal[], now: number) {
  const batch = counter.takeBatch(now);
  if (batch) counter.settle(batch, db(batch));
  return batch;
}

describe('RateLimitCounter', () => {
  it('allows `limit` hits in a window, then refuses until the window ends', () => {
    const counter = new RateLimitCounter(WINDOW_MS);
    for (let i = 0; i < 3; i++) expect(counter.hit('ip:1.2.3.4', 3, T0 + i).allowed).toBe(true);
    expect(counter.hit('ip:1.2.3.4', 3, T0 + 20_000)).toEqual({
      allowed: false,
      retryAfterSeconds: 40,
    });
    expect(counter.hit('ip:1.2.3.4', 3, T0 + 59_500).retryAfterSeconds).toBe(1);
    // Another caller is not affected; the next window starts from zero.
    expect(counter.hit('ip:5.6.7.8', 3, T0 + 30_000).allowed).toBe(true);
    expect(counter.hit('ip:1.2.3.4', 3, T0 + WINDOW_MS).allowed).toBe(true);
  });

  it('does not count refused hits', () => {
    const counter = new RateLimitCounter(WINDOW_MS);
    counter.hit('k', 1, T0);
    for (let i = 0; i < 5; i++) counter.hit('k', 1, T0 + 1);
    expect(counter.seen('k')).toBe(1);
  });

  it('sends its hits since the last flush, keys sorted, and learns the sums back', () => {
    const db = sharedSums();
    const counter = new RateLimitCounter(WINDOW_MS);
    counter.hit('ip:b', 10, T0);
    counter.hit('ip:a', 10, T0);
    counter.hit('ip:b', 10, T0);
    expect(flush(counter, db, T0 + 250)).toEqual({
      windowStart: T0,
      keys: ['ip:a', 'ip:b'],
      hits: [1, 2],
      refresh: [],
    });
    expect(counter.seen('ip:b')).toBe(2);
    expect(counter.takeBatch(T0 + 500)).toBeUndefined(); // nothing new, nothing near a limit
  });

  it('holds one limit across replicas that flush to the same sums', () => {
    const db = sharedSums();
    const a = new RateLimitCounter(WINDOW_MS);
    const b = new RateLimitCounter(WINDOW_MS);
    let allowed = 0;
    let now = T0;
    // Alternating, slower than the flushes: each replica has sent its hits and read the
    // other's before the next request comes (two rounds: a's read may precede b's send).
    for (let i = 0; i < 20; i++) {
      const replica = i % 2 === 0 ? a : b;
      if (replica.hit('client:citizen:x', 8, now).allowed) allowed++;
      for (const round of [250, 500]) {
        flush(a, db, now + round);
        flush(b, db, now + round);
      }
      now += 600;
    }
    expect(allowed).toBe(8);
  });

  it('goes over by at most what arrives between flushes (the documented slack)', () => {
    const db = sharedSums();
    const replicas = [1, 2, 3].map(() => new RateLimitCounter(WINDOW_MS));
    // A burst inside one flush interval: each replica knows only its own hits.
    let allowed = 0;
    for (let i = 0; i < 30; i++) {
      if ((replicas[i % 3] as RateLimitCounter).hit('ip:x', 4, T0 + i).allowed) allowed++;
    }
    expect(allowed).toBe(12); // N × limit, the worst case
    for (const replica of replicas) flush(replica, db, T0 + 250);
    // After one flush every replica knows the sum (12 ≥ 4) and refuses.
    for (const replica of replicas) expect(replica.hit('ip:x', 4, T0 + 300).allowed).toBe(false);
  });

  it('re-reads keys near their limit that are quiet here, so a quiet replica learns', () => {
    const db = sharedSums();
    const a = new RateLimitCounter(WINDOW_MS);
    const b = new RateLimitCounter(WINDOW_MS);
    b.hit('k', 10, T0);
    flush(b, db, T0 + 250); // b knows 1
    for (let i = 0; i < 6; i++) a.hit('k', 10, T0 + 300);
    flush(a, db, T0 + 500); // sum 7
    for (let i = 0; i < 3; i++) b.hit('k', 10, T0 + 600);
    flush(b, db, T0 + 750); // b sends 3, learns 10
    expect(b.seen('k')).toBe(10);
    // a has nothing new, but 7 ≥ half of 10: it asks for the sum and learns 10.
    expect(a.takeBatch(T0 + 800)).toMatchObject({ keys: [], refresh: ['k'] });
  });

  it('keeps the hits of a failed flush and sends them with the next (fail open meanwhile)', () => {
    const db = sharedSums();
    const counter = new RateLimitCounter(WINDOW_MS);
    counter.hit('k', 5, T0);
    const failed = counter.takeBatch(T0 + 250) as FlushBatch;
    counter.fail(failed);
    counter.hit('k', 5, T0 + 300);
    expect(counter.seen('k')).toBe(2); // the local count still limits
    expect(flush(counter, db, T0 + 500)).toMatchObject({ keys: ['k'], hits: [2] });
  });

  it('counts hits made while a flush is under way, and sends one flush at a time', () => {
    const db = sharedSums();
    const counter = new RateLimitCounter(WINDOW_MS);
    counter.hit('k', 3, T0);
    const batch = counter.takeBatch(T0 + 250) as FlushBatch;
    counter.hit('k', 3, T0 + 260);
    expect(counter.takeBatch(T0 + 270)).toBeUndefined();
    counter.hit('k', 3, T0 + 280);
    expect(counter.hit('k', 3, T0 + 290).allowed).toBe(false); // 1 in flight + 2 pending
    counter.settle(batch, db(batch));
    expect(counter.seen('k')).toBe(3);
  });

  it('drops the answer of a flush from a window that has passed', () => {
    const counter = new RateLimitCounter(WINDOW_MS);
    counter.hit('k', 1, T0 + 59_900);
    const batch = counter.takeBatch(T0 + 59_950) as FlushBatch;
    expect(counter.hit('k', 1, T0 + WINDOW_MS).allowed).toBe(true); // a new window
    counter.settle(batch, [{ key: 'k', hits: 1 }]);
    expect(counter.seen('k')).toBe(1); // the new window's own hit, not last window's sum
  });
});
