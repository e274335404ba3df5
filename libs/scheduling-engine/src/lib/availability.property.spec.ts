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

/*
 * Property tests against a brute-force oracle. The oracle knows nothing of the engine's
 * indexes: it walks every minute, decides every rule pointwise (all generated instants lie on
 * whole minutes, so checking each minute of a range is exact), and computes the capacity by
 * enumerating every injective assignment of staff to counters over pair-level eligibility.
 */

const MIN = 60_000;
const DAY_MINUTES = 1440;
// A Monday, on a whole minute: every generated instant is BASE + whole minutes.
const BASE = Date.UTC(2026, 2, 2);
const LANGUAGES = ['sv', 'en', 'ar', 'so'];

const at = (minute: number): number => BASE + minute * MIN;
const contains = (list: readonly Interval[], t: number): boolean =>
  list.some((i) => i.start <= t && t < i.end);
const sameLanguage = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

interface OracleResult {
  reason: UnavailableReason | undefined;
  capacity: number;
  counters: EngineCounter[];
  staff: EngineStaff[];
}

function visitMinutes(input: AvailabilityInput): number {
  return input.service.durationMinutes + (input.needs?.extraTimeMinutes ?? 0);
}

function occupancyMinutes(input: AvailabilityInput): number {
  return visitMinutes(input) + input.service.bufferAfterMinutes;
}

function oracleCounterCanServe(input: AvailabilityInput, c: EngineCounter, s: number): boolean {
  const needs = input.needs ?? {};
  if ((input.service.needsPrivateRoom || needs.privateRoom) && !c.privateRoom) return false;
  if (needs.wheelchairAccess && !c.accessibleDesk) return false;
  if (needs.hearingLoop && !c.hearingLoop) return false;
  for (let m = 0; m < occupancyMinutes(input); m++) {
    const t = s + m * MIN;
    if (contains(c.busy, t)) return false;
    const foreign = c.allocations.some(
      (a) =>
        a.start <= t && t < a.end && a.agencyId !== null && a.agencyId !== input.service.agencyId,
    );
    if (foreign) return false;
  }
  return true;
}

function oracleStaffCanServe(input: AvailabilityInput, p: EngineStaff, s: number): boolean {
  const { service } = input;
  const needs = input.needs ?? {};
  if (!p.agencyIds.includes(service.agencyId) && !p.serviceIds.includes(service.id)) return false;
  const language = needs.language;
  if (language !== undefined) {
    if (!service.languages.some((l) => sameLanguage(l, language))) return false;
    if (!needs.interpreterAllowed && !p.languages.some((l) => sameLanguage(l, language))) {
      return false;
    }
  }
  for (let m = 0; m < occupancyMinutes(input); m++) {
    const t = s + m * MIN;
    if (!contains(p.available, t) || contains(p.busy, t)) return false;
  }
  return true;
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

// ---- generators ----------------------------------------------------------------------------

const intervalArb = (maxStart: number, maxLength: number): fc.Arbitrary<Interval> =>
  fc
    .record({
      start: fc.integer({ min: -60, max: maxStart }),
      length: fc.integer({ min: 0, max: maxLength }),
    })
    .map(({ start, length }) => ({ start: at(start), end: at(start + length) }));

/** 1-3 sorted, non-overlapping open intervals, at random; a gap of 0 makes two of them touch. */
const randomOpenArb = (days: number): fc.Arbitrary<Interval[]> =>
  fc
    .tuple(
      fc.integer({ min: 0, max: (days * DAY_MINUTES) / 2 }),
      fc.array(
        fc.record({
          gap: fc.oneof(
            fc.constant(0),
            fc.integer({ min: 1, max: 120 }),
            fc.integer({ min: 120, max: (days * DAY_MINUTES) / 2 }),
          ),
          length: fc.oneof(
            { arbitrary: fc.integer({ min: 30, max: 600 }), weight: 4 },
            { arbitrary: fc.integer({ min: 1, max: 30 }), weight: 1 },
          ),
        }),
        { minLength: 1, maxLength: 3 },
      ),
    )
    .map(([first, parts]) => {
      const open: Interval[] = [];
      let cursor = first;
      for (const { gap, length } of parts) {
        const start = open.length === 0 ? cursor : cursor + gap;
        open.push({ start: at(start), end: at(start + length) });
        cursor = start + length;
      }
      return open;
    });

/** Office hours: one interval a day, the first day maybe split by a lunch break (or touching). */
const officeOpenArb = (days: number): fc.Arbitrary<Interval[]> =>
  fc
    .tuple(
      fc.array(
        fc.record({
          opens: fc.integer({ min: 420, max: 600 }),
          length: fc.integer({ min: 240, max: 600 }),
        }),
        { minLength: days, maxLength: days },
      ),
      fc.option(fc.record({ after: fc.integer({ min: 60, max: 200 }), gap: fc.nat(60) })),
    )
    .map(([hours, lunch]) => {
      const open: Interval[] = [];
      hours.forEach(({ opens, length }, day) => {
        const start = day * DAY_MINUTES + opens;
        if (day === 0 && lunch !== null) {
          const breakStart = start + lunch.after;
          const breakEnd = breakStart + lunch.gap;
          open.push({ start: at(start), end: at(breakStart) });
          open.push({ start: at(breakEnd), end: at(Math.max(breakEnd + 1, start + length)) });
        } else {
          open.push({ start: at(start), end: at(start + length) });
        }
      });
      return open;
    });

const openArb = (days: number): fc.Arbitrary<Interval[]> =>
  fc.oneof(officeOpenArb(days), randomOpenArb(days));

/** Mostly false: random needs that are all true would leave hardly any counter. */
const rarely = fc.oneof(
  { arbitrary: fc.constant(false), weight: 3 },
  { arbitrary: fc.constant(true), weight: 1 },
);

const counterArb = (id: string, days: number): fc.Arbitrary<EngineCounter> =>
  fc.record({
    id: fc.constant(id),
    privateRoom: fc.boolean(),
    accessibleDesk: fc.boolean(),
    hearingLoop: fc.boolean(),
    allocations: fc.array(
      fc
        .tuple(intervalArb(days * DAY_MINUTES, 400), fc.constantFrom<string | null>('A', 'B', null))
        .map(([interval, agencyId]) => ({ ...interval, agencyId })),
      { maxLength: 3 },
    ),
    busy: fc.array(intervalArb(days * DAY_MINUTES, 120), { maxLength: 4 }),
  });

/** Often at work all the time, else one to three shifts (which may overlap or touch). */
const availableArb = (days: number): fc.Arbitrary<Interval[]> =>
  fc.oneof(
    {
      arbitrary: fc.constant<Interval[]>([{ start: at(-60), end: at(days * DAY_MINUTES + 1200) }]),
      weight: 3,
    },
    {
      arbitrary: fc.array(intervalArb(days * DAY_MINUTES, 1200), { minLength: 1, maxLength: 3 }),
      weight: 3,
    },
    // Back-to-back shifts: together they cover a visit across the seam.
    {
      arbitrary: fc
        .tuple(fc.integer({ min: 300, max: 700 }), fc.integer({ min: 30, max: 300 }))
        .map(([seam, length]): Interval[] => [
          { start: at(seam), end: at(seam + length) },
          { start: at(seam - length), end: at(seam) },
        ]),
      weight: 1,
    },
    { arbitrary: fc.constant<Interval[]>([]), weight: 1 },
  );

const staffArb = (id: string, days: number): fc.Arbitrary<EngineStaff> =>
  fc.record({
    id: fc.constant(id),
    agencyIds: fc.oneof(
      fc.subarray(['B', 'C']).map((more) => ['A', ...more]),
      fc.subarray(['A', 'B', 'C']),
    ),
    serviceIds: fc.subarray(['s1', 's2', 's3']),
    languages: fc.subarray(LANGUAGES),
    available: availableArb(days),
    busy: fc.array(intervalArb(days * DAY_MINUTES, 120), { maxLength: 4 }),
    bookedMinutes: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
  });

const needsArb = fc.option(
  fc.record(
    {
      language: fc.constantFrom('sv', 'sv', 'SV', 'en', 'ar', 'so'),
      interpreterAllowed: fc.boolean(),
      wheelchairAccess: rarely,
      hearingLoop: rarely,
      privateRoom: rarely,
      extraTimeMinutes: fc.integer({ min: 0, max: 30 }),
    },
    { requiredKeys: [] },
  ),
  { nil: undefined },
);

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
