import fc from 'fast-check';
import { compareForCall, mayServe, nextFor, QueueEntry } from './call-order';
import { MINUTE, newEntry, newServer, oneTimeIn, T0, TestServer } from './test-builders';
import { EstimateInput, estimateWaits, WaitEstimate } from './wait-estimate';

const now = T0;
const minutes = new Map([
  ['FK-1', 10],
  ['AF-2', 20],
  ['SKV-3', 5],
]);

function callMinutes(estimates: Map<string, WaitEstimate>): Record<string, number> {
  return Object.fromEntries([...estimates].map(([id, e]) => [id, (e.callAt - now) / MINUTE]));
}

describe('wait estimates', () => {
  it('lets free servers call at once and then every service length', () => {
    const entries = [1, 2, 3, 4].map((sequence) => newEntry({ id: `w${sequence}`, sequence }));
    const servers = [
      newServer({ staffId: 'a' }),
      newServer({ staffId: 'b', busyUntil: now + 4 * MINUTE }),
    ];
    const estimates = estimateWaits({ now, entries, servers, minutesPerService: minutes });
    expect(callMinutes(estimates)).toEqual({ w1: 0, w2: 4, w3: 10, w4: 14 });
    expect(estimates.get('w4')).toEqual({ callAt: now + 14 * MINUTE, waitMinutes: 14 });
  });

  it('makes a free server wait for the next dueAt', () => {
    const entries = [newEntry({ id: 'later', dueAt: now + 15 * MINUTE, appointment: true })];
    const estimates = estimateWaits({
      now,
      entries,
      servers: [newServer()],
      minutesPerService: minutes,
    });
    expect(callMinutes(estimates)).toEqual({ later: 15 });
  });

  it('gives a booked appointment its place when it comes due, ahead of walk-ins', () => {
    const entries = [
      newEntry({ id: 'w1', sequence: 1 }),
      newEntry({ id: 'w2', sequence: 2 }),
      newEntry({ id: 'w3', sequence: 3 }),
      newEntry({ id: 'booked', sequence: 4, dueAt: now + 5 * MINUTE, appointment: true }),
    ];
    const estimates = estimateWaits({
      now,
      entries,
      servers: [newServer()],
      minutesPerService: minutes,
    });
    expect(callMinutes(estimates)).toEqual({ w1: 0, booked: 10, w2: 20, w3: 30 });
  });

  it('lets a walk-in that becomes overdue pass the appointments', () => {
    const entries = [
      newEntry({
        id: 'walk-in',
        sequence: 1,
        dueAt: now - 15 * MINUTE,
        overdueAt: now + 15 * MINUTE,
      }),
      ...[2, 3, 4].map((sequence) =>
        newEntry({ id: `a${sequence}`, sequence, appointment: true, overdueAt: now + 60 * MINUTE }),
      ),
    ];
    const estimates = estimateWaits({
      now,
      entries,
      servers: [newServer()],
      minutesPerService: minutes,
    });
    expect(callMinutes(estimates)).toEqual({ a2: 0, a3: 10, 'walk-in': 20, a4: 30 });
  });

  it('calls overdue tickets by when their target passed, across services with other targets', () => {
    // AF's target wait is 45 minutes here, FK's 20: the FK walk-in came 10 minutes after the AF
    // one but passed its target 15 minutes before it. The second FK walk-in becomes overdue
    // at +5 and queues behind the AF ticket, whose target passed at −5.
    const entries = [
      newEntry({
        id: 'af',
        sequence: 1,
        serviceId: 'AF-2',
        dueAt: now - 50 * MINUTE,
        overdueAt: now - 5 * MINUTE,
      }),
      newEntry({ id: 'fk', sequence: 2, dueAt: now - 40 * MINUTE, overdueAt: now - 20 * MINUTE }),
      newEntry({ id: 'fk2', sequence: 3, dueAt: now - 15 * MINUTE, overdueAt: now + 5 * MINUTE }),
    ];
    const estimates = estimateWaits({
      now,
      entries,
      servers: [newServer({ serviceIds: ['FK-1', 'AF-2'] })],
      minutesPerService: minutes,
    });
    // By dueAt it would be af 0, fk 20, fk2 30.
    expect(callMinutes(estimates)).toEqual({ fk: 0, af: 10, fk2: 30 });
  });

  it("calls a joint visit's later part when the earlier part's simulated service ends", () => {
    const entries = [
      newEntry({ id: 'fk', serviceId: 'FK-1' }),
      newEntry({ id: 'af', serviceId: 'AF-2', afterId: 'fk' }),
    ];
    const servers = [
      newServer({ staffId: 'fk-staff', serviceIds: ['FK-1'], busyUntil: now + 3 * MINUTE }),
      newServer({ staffId: 'af-staff', serviceIds: ['AF-2'] }),
    ];
    const estimates = estimateWaits({ now, entries, servers, minutesPerService: minutes });
    expect(callMinutes(estimates)).toEqual({ fk: 3, af: 13 });
  });

  it('knows when an earlier part being served now ends, and when it is finished', () => {
    const entries = [newEntry({ id: 'af', serviceId: 'AF-2', afterId: 'fk' })];
    const af = newServer({ staffId: 'af-staff', serviceIds: ['AF-2'] });
    const fkServing = newServer({
      staffId: 'fk-staff',
      serviceIds: ['FK-1'],
      busyUntil: now + 6 * MINUTE,
      servingId: 'fk',
    });
    const input = { now, entries, minutesPerService: minutes };
    expect(callMinutes(estimateWaits({ ...input, servers: [af, fkServing] }))).toEqual({ af: 6 });
    expect(callMinutes(estimateWaits({ ...input, servers: [af] }))).toEqual({});
    expect(
      callMinutes(estimateWaits({ ...input, servers: [af], finishedIds: new Set(['fk']) })),
    ).toEqual({ af: 0 });
  });

  it('leaves out what nobody may serve, and what waits for something nobody may serve', () => {
    const entries = [
      newEntry({ id: 'skv', serviceId: 'SKV-3' }),
      newEntry({ id: 'loop', needs: ['HEARING_LOOP'] }),
      newEntry({ id: 'after-loop', afterId: 'loop' }),
      newEntry({ id: 'ok' }),
    ];
    const estimates = estimateWaits({
      now,
      entries,
      servers: [newServer()],
      minutesPerService: minutes,
    });
    expect(callMinutes(estimates)).toEqual({ ok: 0 });
  });

  it('lets a specialist take its own service while a generalist works the rest', () => {
    const entries = [
      newEntry({ id: 'fk1', sequence: 1 }),
      newEntry({ id: 'fk2', sequence: 2 }),
      newEntry({ id: 'af', sequence: 3, serviceId: 'AF-2' }),
    ];
    const servers = [
      newServer({ staffId: 'generalist', serviceIds: ['FK-1', 'AF-2'] }),
      newServer({ staffId: 'specialist', serviceIds: ['AF-2'], busyUntil: now + 2 * MINUTE }),
    ];
    const estimates = estimateWaits({ now, entries, servers, minutesPerService: minutes });
    expect(callMinutes(estimates)).toEqual({ fk1: 0, af: 2, fk2: 10 });
  });

  it('breaks a full tie by input order, as nextFor does, within and across groups', () => {
    const loop = newServer({ counterFeatures: ['HEARING_LOOP'] });
    // Busy all day: only there so that a hearing-loop entry is in a group of its own.
    const noLoop = newServer({ staffId: 'staff-2', busyUntil: now + 600 * MINUTE });
    const twins = (ids: string[]) =>
      ids.map((id, i) => newEntry({ id, sequence: 1, needs: i === 1 ? ['HEARING_LOOP'] : [] }));
    for (const ids of [
      ['a', 'b', 'c'],
      ['c', 'b', 'a'],
    ]) {
      const entries = twins(ids);
      const servers = [loop, noLoop];
      const estimates = estimateWaits({ now, entries, servers, minutesPerService: minutes });
      expect([...estimates.keys()]).toEqual(ids);
      expect(nextFor(entries, loop, now, new Set())?.id).toBe(ids[0]);
    }
  });

  it('refuses an entry without expected minutes and duplicate ids', () => {
    const servers = [newServer({ serviceIds: ['FK-1', 'NEW-9'] })];
    const input = { now, servers, minutesPerService: minutes };
    expect(() => estimateWaits({ ...input, entries: [newEntry({ serviceId: 'NEW-9' })] })).toThrow(
      /NEW-9/,
    );
    const twice = [newEntry({ id: 'x' }), newEntry({ id: 'x' })];
    expect(() => estimateWaits({ ...input, entries: twice })).toThrow(RangeError);
    // Nobody may serve it, so it needs no minutes.
    expect(estimateWaits({ ...input, entries: [newEntry({ serviceId: 'OTHER' })] }).size).toBe(0);
  });
});

/**
 * The calling rules simulated literally: at each step the server free earliest (the first in
 * the input on a tie) calls nextFor over everything not yet called.
 */
function referenceEstimate(input: EstimateInput): Map<string, WaitEstimate> {
  const { now: start, entries, servers, minutesPerService } = input;
  const finishedIds = input.finishedIds ?? new Set<string>();
  const endOf = new Map<string, number>();
  for (const s of servers)
    if (s.servingId !== undefined) endOf.set(s.servingId, Math.max(start, s.busyUntil));
  const free = servers.map((s) => Math.max(start, s.busyUntil));
  const idle = servers.map(() => false);
  let waiting = [...entries];
  const result = new Map<string, WaitEstimate>();
  const releaseOf = (e: QueueEntry) => {
    if (e.afterId === undefined || finishedIds.has(e.afterId)) return e.dueAt;
    const end = endOf.get(e.afterId);
    return end === undefined ? Infinity : Math.max(e.dueAt, end);
  };
  const wakeAt = (s: number) =>
    Math.min(Infinity, ...waiting.filter((e) => mayServe(e, servers[s])).map(releaseOf));
  for (;;) {
    let s = -1;
    free.forEach((at, i) => {
      if (at !== Infinity && (s < 0 || at < free[s])) s = i;
    });
    if (s < 0) break;
    const t = free[s];
    const finished = new Set(finishedIds);
    for (const [id, end] of endOf) if (end <= t) finished.add(id);
    const next = nextFor(waiting, servers[s], t, finished);
    if (next === undefined) {
      idle[s] = true;
      free[s] = wakeAt(s);
      continue;
    }
    idle[s] = false;
    waiting = waiting.filter((e) => e !== next);
    result.set(next.id, { callAt: t, waitMinutes: (t - start) / MINUTE });
    free[s] = t + (minutesPerService.get(next.serviceId) as number) * MINUTE;
    endOf.set(next.id, free[s]);
    free.forEach((_, i) => {
      if (idle[i]) free[i] = wakeAt(i);
    });
  }
  return result;
}

const SERVICES = ['FK-1', 'AF-2', 'SKV-3'];
const FEATURES = ['ACCESSIBLE_DESK', 'HEARING_LOOP', 'PRIVATE_ROOM'];
const LANGUAGES = ['sv', 'en', 'ar'];

// Instants on a 5-minute grid and services of whole 5 minutes, so that calls, dueAt, overdueAt
// and service ends often coincide: the ties are where a fast simulation goes wrong.
const onGrid = (min: number, max: number) =>
  fc.integer({ min: min / 5, max: max / 5 }).map((k) => now + k * 5 * MINUTE);
const minuteNear = onGrid(-30, 60);
const queues: fc.Arbitrary<EstimateInput> = fc
  .record({
    rows: fc.array(
      fc.record({
        serviceId: fc.constantFrom(...SERVICES),
        dueAt: minuteNear,
        wait: fc.integer({ min: 0, max: 12 }).map((k) => k * 5),
        // Sequences are unique in an office's day; repeated here to pin the tie-break too.
        sequence: fc.integer({ min: 1, max: 4 }),
        appointment: fc.boolean(),
        firstInLineAt: oneTimeIn(6, minuteNear),
        after: oneTimeIn(3, fc.integer({ min: 0, max: 30 })),
        needs: fc.subarray(FEATURES, { maxLength: 1 }),
        language: fc.option(fc.constantFrom(...LANGUAGES), { nil: undefined }),
        reservedStaffId: oneTimeIn(8, fc.constantFrom('s0', 's1')),
        reservedCounterId: oneTimeIn(8, fc.constantFrom('c0', 'c1')),
      }),
      { maxLength: 30, size: 'max' },
    ),
    servers: fc.array(
      fc.record({
        serviceIds: fc.subarray(SERVICES, { minLength: 1 }),
        counterFeatures: fc.subarray(FEATURES),
        languages: fc.subarray(LANGUAGES),
        busyUntil: onGrid(-10, 20),
        serving: oneTimeIn(4, fc.constantFrom('busy-1', 'busy-2')),
      }),
      { minLength: 1, maxLength: 4 },
    ),
    minutes: fc.tuple(...SERVICES.map(() => fc.constantFrom(0, 5, 10, 15))),
    finished: fc.subarray(['e3', 'e7', 'busy-1']),
  })
  .map(({ rows, servers, minutes: perService, finished }) => ({
    now,
    // afterId: another entry (a chain, a cycle or itself), a ticket in service, or unknown.
    entries: rows.map(({ wait, after, ...row }, i) =>
      newEntry({
        ...row,
        id: `e${i}`,
        overdueAt: row.dueAt + wait * MINUTE,
        afterId: after === undefined ? undefined : after >= 28 ? `busy-${after - 27}` : `e${after}`,
      }),
    ),
    servers: servers.map(({ serving, ...s }, i) =>
      newServer({
        ...s,
        staffId: `s${i}`,
        counterId: i === 2 ? undefined : `c${i}`,
        servingId: serving,
      }),
    ),
    minutesPerService: new Map(SERVICES.map((id, i) => [id, perService[i]])),
    finishedIds: new Set(finished),
  }));

describe('wait estimates, properties', () => {
  it('equal the literal simulation with nextFor', () => {
    fc.assert(
      fc.property(queues, (input) => {
        expect([...estimateWaits(input)]).toEqual([...referenceEstimate(input)]);
      }),
      { numRuns: 300 },
    );
  });

  it('estimate only entries some server may serve, each once, never before now or dueAt', () => {
    fc.assert(
      fc.property(queues, (input) => {
        const estimates = estimateWaits(input);
        const byId = new Map(input.entries.map((e) => [e.id, e]));
        for (const [id, { callAt, waitMinutes }] of estimates) {
          const e = byId.get(id) as QueueEntry;
          expect(input.servers.some((s) => mayServe(e, s))).toBe(true);
          expect(callAt).toBeGreaterThanOrEqual(input.now);
          expect(callAt).toBeGreaterThanOrEqual(e.dueAt);
          expect(waitMinutes).toBeCloseTo((callAt - input.now) / MINUTE, 9);
        }
      }),
    );
  });

  // One server for everything and every walk-in callable now: the estimates follow the call
  // order at `now`, one service after the other, as long as no entry changes place while the
  // queue is worked. None does with one target wait (an entry that becomes overdue stays behind
  // every one queued before it and ahead of every one queued after), nor when every entry is
  // first in line or overdue already, whatever the targets.
  const oneServer = (
    rows: { serviceId: string; queuedMinutesAgo: number; firstInLine: boolean }[],
    targetOf: (serviceId: string) => number,
    busyMinutes: number,
  ) => {
    const entries = rows.map((r, i) =>
      newEntry({
        id: `e${i}`,
        sequence: i + 1,
        serviceId: r.serviceId,
        dueAt: now - r.queuedMinutesAgo * MINUTE,
        overdueAt: now + (targetOf(r.serviceId) - r.queuedMinutesAgo) * MINUTE,
        firstInLineAt: r.firstInLine ? now - r.queuedMinutesAgo * MINUTE : undefined,
      }),
    );
    const server: TestServer = newServer({
      serviceIds: SERVICES,
      busyUntil: now + busyMinutes * MINUTE,
    });
    const estimates = estimateWaits({
      now,
      entries,
      servers: [server],
      minutesPerService: minutes,
    });
    expect(estimates.size).toBe(entries.length);
    const ordered = [...entries].sort((a, b) => compareForCall(a, b, now));
    let expectedCall = now + busyMinutes * MINUTE;
    for (const e of ordered) {
      expect(estimates.get(e.id)?.callAt).toBe(expectedCall);
      expectedCall += (minutes.get(e.serviceId) as number) * MINUTE;
    }
    return ordered;
  };
  const oneServerRow = (minQueued: number) =>
    fc.record({
      serviceId: fc.constantFrom(...SERVICES),
      queuedMinutesAgo: fc.integer({ min: minQueued, max: 90 }),
      firstInLine: fc.boolean(),
    });

  it('follow the call order for one server serving everything, with one target wait', () => {
    fc.assert(
      fc.property(
        fc.array(oneServerRow(0), { maxLength: 40 }),
        fc.integer({ min: 0, max: 20 }),
        (rows, busyMinutes) => {
          oneServer(rows, () => 45, busyMinutes);
        },
      ),
    );
  });

  it('follow the call order for one server, everything overdue, the targets per service', () => {
    fc.assert(
      fc.property(
        fc.array(oneServerRow(30), { maxLength: 40 }),
        fc.tuple(...SERVICES.map(() => fc.integer({ min: 0, max: 30 }))),
        fc.integer({ min: 0, max: 20 }),
        (rows, targets, busyMinutes) => {
          const ordered = oneServer(rows, (id) => targets[SERVICES.indexOf(id)], busyMinutes);
          // The overdue ones by when their target passed, then by number.
          const overdue = ordered.filter((e) => e.firstInLineAt === undefined);
          for (let i = 1; i < overdue.length; i++) {
            const [a, b] = [overdue[i - 1], overdue[i]];
            expect(
              a.overdueAt < b.overdueAt || (a.overdueAt === b.overdueAt && a.sequence < b.sequence),
            ).toBe(true);
          }
        },
      ),
    );
  });
});
