import { AdmissionGate, Overloaded } from './admission';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('AdmissionGate', () => {
  beforeEach(() => jest.useFakeTimers({ doNotFake: ['setImmediate', 'performance'] }));
  afterEach(() => jest.useRealTimers());

  it('admits up to the limit at once and the rest first come, first served', async () => {
    const gate = new AdmissionGate({ limit: 2, maxQueue: 10, maxWaitMs: 1_000 });
    const order: number[] = [];
    const releases: Array<() => void> = [];
    const requests = [1, 2, 3, 4, 5].map((n) =>
      gate.acquire().then((release) => {
        order.push(n);
        releases.push(release);
      }),
    );
    await tick();
    expect(order).toEqual([1, 2]);
    expect(gate.inFlight).toBe(2);
    expect(gate.waiting).toBe(3);
    releases[0]();
    releases[0](); // twice is once
    await tick();
    expect(order).toEqual([1, 2, 3]);
    releases[1]();
    releases[2]();
    await tick();
    expect(order).toEqual([1, 2, 3, 4, 5]);
    expect(gate.inFlight).toBe(2);
    releases[3]();
    releases[4]();
    await Promise.all(requests);
    expect(gate.inFlight).toBe(0);
  });

  it('never lets a newcomer pass someone waiting, even at the moment a turn frees', async () => {
    const gate = new AdmissionGate({ limit: 1, maxQueue: 10, maxWaitMs: 1_000 });
    const first = await gate.acquire();
    const order: string[] = [];
    const waiting = gate.acquire().then((release) => {
      order.push('waiting');
      release();
    });
    first();
    const newcomer = gate.acquire().then((release) => {
      order.push('newcomer');
      release();
    });
    await Promise.all([waiting, newcomer]);
    expect(order).toEqual(['waiting', 'newcomer']);
  });

  it('refuses at once when the line is full, with a time to try again', async () => {
    const gate = new AdmissionGate({ limit: 1, maxQueue: 1, maxWaitMs: 1_000 });
    await gate.acquire();
    const queued = gate.acquire();
    await expect(gate.acquire()).rejects.toMatchObject({ reason: 'QUEUE_FULL' });
    const refusal = await gate.acquire().catch((error: Overloaded) => error);
    expect(refusal).toBeInstanceOf(Overloaded);
    expect((refusal as Overloaded).retryAfterSeconds).toBeGreaterThanOrEqual(1);
    jest.advanceTimersByTime(1_000);
    await expect(queued).rejects.toMatchObject({ reason: 'WAITED_TOO_LONG' });
  });

  it('refuses a request that waited too long and leaves the line in order', async () => {
    const gate = new AdmissionGate({ limit: 1, maxQueue: 10, maxWaitMs: 500 });
    const first = await gate.acquire();
    const early = gate.acquire();
    jest.advanceTimersByTime(300);
    const late = gate.acquire();
    jest.advanceTimersByTime(200);
    await expect(early).rejects.toMatchObject({ reason: 'WAITED_TOO_LONG' });
    expect(gate.waiting).toBe(1);
    first();
    const release = await late;
    expect(gate.inFlight).toBe(1);
    release();
    expect(gate.inFlight).toBe(0);
  });

  it('refuses nonsense limits', () => {
    expect(() => new AdmissionGate({ limit: 0, maxQueue: 1, maxWaitMs: 1 })).toThrow(RangeError);
  });
});
