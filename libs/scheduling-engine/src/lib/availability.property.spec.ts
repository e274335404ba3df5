import fc from 'fast-check';
import {
  assignmentCandidates,
  availableSlots,
  capacityAt,
  unavailableReason,
  type Assignment,
  type AvailabilityInput,
  type EngineCounter,
  type EngineStaff,
  type Interval,
  type Slot,
  type UnavailableReason,
} from '../index';
import {
  DAY_MINUTES,
  LANGUAGES,
  MIN,
  at,
  contains,
  counterArb,
  needsArb,
  occupancyMinutes,
  openArb,
  oracleCounterCanServe,
  oracleStaffCanServe,
  rarely,
  staffArb,
  visitMinutes,
} from './test-support';

/*
 * Property tests against a brute-force oracle. The oracle knows nothing of the engine's
 * indexes: it walks every minute, decides every rule pointwise (all generated instants lie on
 * whole minutes, so checking each minute of a range is exact), and computes the capacity by
 * enumerating every injective assignment of staff to counters over pair-level eligibility.
 */

interface OracleResult {
  reason: UnavailableReason | undefined;
  capacity: number;
  counters: EngineCounter[];
  staff: EngineStaff[];
}

/** Largest number of staff that can be given distinct counters, trying every assignment. */
function bruteForceMatching(edges: boolean[][], counterCount: number): number {
  const used = new Array<boolean>(counterCount).fill(false);
  const best = (i: number): number => {
    if (i === edges.length) return 0;
    let result = best(i + 1); // this person stays unassigned
    for (let j = 0; j < counterCount; j++) {
      if (edges[i][j] && !used[j]) {
        used[j] = true;
        result = Math.max(result, 1 + best(i + 1));
        used[j] = false;
      }
    }
    return result;
  };
  return best(0);
}

function oracle(input: AvailabilityInput, s: number): OracleResult {
  const none = (reason: UnavailableReason): OracleResult => ({
    reason,
    capacity: 0,
    counters: [],
    staff: [],
  });
  const { service } = input;
  const open = input.open.find((o) => o.start <= s && s < o.end);
  if (open === undefined) return none('CLOSED');
  if ((s - open.start) % (service.slotGranularityMinutes * MIN) !== 0) return none('OFF_GRID');
  if (s + visitMinutes(input) * MIN > open.end) return none('CLOSED');
  if (s < input.now + service.minNoticeMinutes * MIN) return none('TOO_SOON');
  if (s >= input.horizonEnd) return none('BEYOND_HORIZON');
  if (s < input.from || s >= input.to) return none('OUT_OF_RANGE');
  const counters = input.counters.filter((c) => oracleCounterCanServe(input, c, s));
  const staff = input.staff.filter((p) => oracleStaffCanServe(input, p, s));
  // Pair-level edges, as if eligibility could depend on the pair: the engine's min() must match.
  const edges = input.staff.map((p) =>
    input.counters.map((c) => staff.includes(p) && counters.includes(c)),
  );
  const capacity = bruteForceMatching(edges, input.counters.length);
  return { reason: capacity > 0 ? undefined : 'FULL', capacity, counters, staff };
}

function oracleSlots(input: AvailabilityInput): Slot[] {
  const slots: Slot[] = [];
  for (let s = input.from; s < input.to; s += MIN) {
    const result = oracle(input, s);
    if (result.reason === undefined) {
      slots.push({ start: s, end: s + visitMinutes(input) * MIN, capacity: result.capacity });
    }
  }
  return slots;
}

/** The documented order: staff-major, each side ranked by its keys, ties by id. */
function oracleCandidates(input: AvailabilityInput, s: number): Assignment[] {
  const result = oracle(input, s);
  if (result.reason !== undefined) return [];
  const { service } = input;
  const needs = input.needs ?? {};
  const needsPrivateRoom = service.needsPrivateRoom || needs.privateRoom === true;
  const flexibility = (p: EngineStaff): number =>
    new Set(p.agencyIds.filter((a) => a !== service.agencyId)).size +
    new Set(p.serviceIds.filter((x) => x !== service.id)).size;
  const unneeded = (c: EngineCounter): number =>
    Number(c.privateRoom && !needsPrivateRoom) +
    Number(c.accessibleDesk && !needs.wheelchairAccess) +
    Number(c.hearingLoop && !needs.hearingLoop);
  const open = input.open.find((o) => o.start <= s && s < o.end) as Interval;
  const busyMinutes = (c: EngineCounter): number => {
    let minutes = 0;
    for (let t = open.start; t < open.end; t += MIN) if (contains(c.busy, t)) minutes++;
    return minutes;
  };
  const byId = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  const staff = [...result.staff].sort(
    (a, b) =>
      flexibility(a) - flexibility(b) ||
      (a.bookedMinutes ?? 0) - (b.bookedMinutes ?? 0) ||
      byId(a.id, b.id),
  );
  const counters = [...result.counters].sort(
    (a, b) => unneeded(a) - unneeded(b) || busyMinutes(a) - busyMinutes(b) || byId(a.id, b.id),
  );
  return staff.flatMap((p) => counters.map((c) => ({ counterId: c.id, staffId: p.id })));
}

/** The input after booking `pair` at s: both resources busy for the visit and its buffer. */
function book(input: AvailabilityInput, s: number, pair: Assignment): AvailabilityInput {
  const taken = { start: s, end: s + occupancyMinutes(input) * MIN };
  return {
    ...input,
    counters: input.counters.map((c) =>
      c.id === pair.counterId ? { ...c, busy: [...c.busy, taken] } : c,
    ),
    staff: input.staff.map((p) => (p.id === pair.staffId ? { ...p, busy: [...p.busy, taken] } : p)),
  };
}

const inputArb: fc.Arbitrary<AvailabilityInput> = fc.integer({ min: 1, max: 2 }).chain((days) => {
  const span = days * DAY_MINUTES;
  return fc
    .record({
      service: fc.record({
        id: fc.constant('s1'),
        agencyId: fc.constant('A'),
        durationMinutes: fc.integer({ min: 5, max: 60 }),
        bufferAfterMinutes: fc.integer({ min: 0, max: 15 }),
        slotGranularityMinutes: fc.integer({ min: 5, max: 30 }),
        minNoticeMinutes: fc.integer({ min: 0, max: 240 }),
        needsPrivateRoom: rarely,
        // Usually given in Swedish, the language most often asked for.
        languages: fc.oneof(
          fc.subarray(LANGUAGES).map((more) => [...new Set(['sv', ...more])]),
          fc.subarray(LANGUAGES),
        ),
      }),
      open: openArb(days),
      counters: fc
        .constantFrom(1, 2, 3, 4)
        .chain((n) => fc.shuffledSubarray(['c1', 'c2', 'c3', 'c4'], { minLength: n, maxLength: n }))
        .chain((ids) => fc.tuple(...ids.map((id) => counterArb(id, days)))),
      staff: fc
        .constantFrom(1, 2, 3, 4)
        .chain((n) => fc.shuffledSubarray(['p1', 'p2', 'p3', 'p4'], { minLength: n, maxLength: n }))
        .chain((ids) => fc.tuple(...ids.map((id) => staffArb(id, days)))),
      now: fc.integer({ min: -600, max: span / 4 }),
      horizonEnd: fc.oneof(
        { arbitrary: fc.integer({ min: span / 2, max: span + 120 }), weight: 4 },
        { arbitrary: fc.integer({ min: 0, max: span / 2 }), weight: 1 },
      ),
      from: fc.integer({ min: -60, max: span / 4 }),
      length: fc.oneof(
        { arbitrary: fc.integer({ min: span / 3, max: span + 60 }), weight: 9 },
        { arbitrary: fc.integer({ min: -60, max: span / 3 }), weight: 1 },
      ),
      needs: needsArb,
    })
    .map(({ now, horizonEnd, from, length, ...rest }) => ({
      ...rest,
      now: at(now),
      horizonEnd: at(horizonEnd),
      from: at(from),
      to: at(from + length),
    }));
});

/** Inputs with at least one slot, for the properties about booking. */
const bookableArb = inputArb.filter((input) => oracleSlots(input).length > 0);

function reversedResources(input: AvailabilityInput): AvailabilityInput {
  return {
    ...input,
    counters: [...input.counters].reverse().map((c) => ({
      ...c,
      busy: [...c.busy].reverse(),
      allocations: [...c.allocations].reverse(),
    })),
    staff: [...input.staff]
      .reverse()
      .map((p) => ({ ...p, busy: [...p.busy].reverse(), available: [...p.available].reverse() })),
  };
}

// ---- properties ----------------------------------------------------------------------------

describe('scheduling engine against a brute-force oracle', () => {
  it('returns exactly the oracle slots and capacities', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        expect(availableSlots(input)).toEqual(oracleSlots(input));
      }),
      { numRuns: 400 },
    );
  });

  it('agrees with the oracle on capacityAt and unavailableReason at any instant', () => {
    fc.assert(
      fc.property(
        inputArb,
        fc.array(fc.integer({ min: -120, max: 2 * DAY_MINUTES + 120 }), { maxLength: 30 }),
        fc.integer({ min: 1, max: MIN - 1 }),
        (input, minutes, offMinuteMs) => {
          const probes = [
            ...minutes.map(at),
            ...availableSlots(input).flatMap((s) => [s.start - MIN, s.start, s.start + MIN]),
            ...input.open.flatMap((o) => [o.start, o.end, o.start + offMinuteMs]),
          ];
          for (const s of probes) {
            const expected = oracle(input, s);
            expect([s, unavailableReason(input, s)]).toEqual([s, expected.reason]);
            expect([s, capacityAt(input, s)]).toEqual([s, expected.capacity]);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('the matching size is min(#free counters, #free staff) (no pair-level constraint)', () => {
    fc.assert(
      fc.property(bookableArb, (input) => {
        for (const slot of availableSlots(input)) {
          const { counters, staff, capacity } = oracle(input, slot.start);
          expect(capacity).toBe(Math.min(counters.length, staff.length));
          expect(slot.capacity).toBe(capacity);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('lists every free pair, in the documented order, each leaving capacity - 1', () => {
    fc.assert(
      fc.property(bookableArb, fc.nat(), (input, pick) => {
        const slots = availableSlots(input);
        const slot = slots[pick % slots.length];
        const candidates = assignmentCandidates(input, slot.start);
        expect(candidates).toEqual(oracleCandidates(input, slot.start));
        expect(candidates.length).toBeGreaterThanOrEqual(slot.capacity);
        const { counters, staff } = oracle(input, slot.start);
        for (const pair of candidates) {
          // Neither resource is busy, foreign-allocated, unfit or off work for the visit.
          expect(counters.map((c) => c.id)).toContain(pair.counterId);
          expect(staff.map((p) => p.id)).toContain(pair.staffId);
          const after = book(input, slot.start, pair);
          expect(capacityAt(after, slot.start)).toBe(slot.capacity - 1);
          expect(oracle(after, slot.start).capacity).toBe(slot.capacity - 1);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('booking capacity times with the first candidate always succeeds, then nothing is left', () => {
    fc.assert(
      fc.property(bookableArb, fc.nat(), (input, pick) => {
        const slots = availableSlots(input);
        const slot = slots[pick % slots.length];
        let current = input;
        for (let remaining = slot.capacity; remaining > 0; remaining--) {
          expect(capacityAt(current, slot.start)).toBe(remaining);
          const [best] = assignmentCandidates(current, slot.start);
          expect(best).toBeDefined();
          current = book(current, slot.start, best);
          expect(capacityAt(current, slot.start)).toBe(remaining - 1);
          expect(oracle(current, slot.start).capacity).toBe(remaining - 1);
        }
        expect(assignmentCandidates(current, slot.start)).toEqual([]);
        expect(unavailableReason(current, slot.start)).toBe('FULL');
        expect(availableSlots(current).map((s) => s.start)).not.toContain(slot.start);
      }),
      { numRuns: 300 },
    );
  });

  it('does not depend on the order of counters, staff or their intervals', () => {
    fc.assert(
      fc.property(bookableArb, (input) => {
        const reordered = reversedResources(input);
        const slots = availableSlots(input);
        expect(availableSlots(reordered)).toEqual(slots);
        for (const slot of slots.slice(0, 5)) {
          expect(assignmentCandidates(reordered, slot.start)).toEqual(
            assignmentCandidates(input, slot.start),
          );
        }
      }),
      { numRuns: 200 },
    );
  });
});
