import fc from 'fast-check';
import {
  jointVisitOptions,
  jointVisitOptionsBaseline,
  type AvailabilityInput,
  type EngineService,
  type JointVisitInput,
  type JointVisitOption,
} from '../index';
import {
  DAY_MINUTES,
  LANGUAGES,
  MIN,
  at,
  counterArb,
  needsArb,
  officeOpenArb,
  openArb,
  oracleCounterCanServe,
  oracleStaffCanServe,
  rarely,
  staffArb,
} from './test-support';

/*
 * Joint visits against a brute-force oracle that knows nothing of the engine: it walks every
 * minute for every part start, decides the calendar rules and every counter and person
 * minute by minute from the raw input (test-support), enumerates every chain (every order when
 * anyOrder, every start in the gap window, every free counter x person pair), rejects chains
 * in which two parts share a counter or a person at overlapping occupied times, and picks per
 * start the minimum of (hand-offs, length, plan, resources) with its own comparator.
 */

const DEFAULT_GAP = 10;
const DEFAULT_LIMIT = 10;

interface OracleChain {
  handOffs: number;
  length: number;
  /** Per part: the service's position in the given order, start, counter id, staff id. */
  positions: number[];
  starts: number[];
  counters: string[];
  staff: string[];
}

function serviceInput(input: JointVisitInput, i: number): AvailabilityInput {
  const needs = input.needs ?? {};
  return {
    service: input.services[i],
    open: input.open,
    counters: input.counters,
    staff: input.staff,
    now: input.now,
    horizonEnd: input.horizonEnd,
    from: input.from,
    to: input.to,
    needs: {
      ...needs,
      extraTimeMinutes: (needs.extraTimeMinutes ?? 0) + (input.extraMinutes?.[i] ?? 0),
    },
  };
}

const visitMs = (input: JointVisitInput, i: number): number =>
  (input.services[i].durationMinutes +
    (input.needs?.extraTimeMinutes ?? 0) +
    (input.extraMinutes?.[i] ?? 0)) *
  MIN;

const occupancyMs = (input: JointVisitInput, i: number): number =>
  visitMs(input, i) + input.services[i].bufferAfterMinutes * MIN;

/**
 * The calendar rules of service i at t: the first part as a single booking (on the grid, within
 * [from, to)); a later part a whole number of 5-minute steps after the previous part's end.
 */
function calendarAllows(
  input: JointVisitInput,
  i: number,
  t: number,
  first: boolean,
  previousEnd = t,
): boolean {
  const service = input.services[i];
  const open = input.open.find((o) => o.start <= t && t < o.end);
  if (open === undefined) return false;
  if (first && (t - open.start) % (service.slotGranularityMinutes * MIN) !== 0) return false;
  if (!first && (t - previousEnd) % (5 * MIN) !== 0) return false;
  if (t + visitMs(input, i) > open.end) return false;
  if (t < input.now + service.minNoticeMinutes * MIN) return false;
  if (t >= input.horizonEnd) return false;
  return !first || (input.from <= t && t < input.to);
}

function permutations(n: number): number[][] {
  if (n === 0) return [[]];
  return permutations(n - 1).flatMap((p) =>
    Array.from({ length: n }, (_, k) => [...p.slice(0, k), n - 1, ...p.slice(k)]),
  );
}

const byId = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function compareOracleChains(a: OracleChain, b: OracleChain): number {
  if (a.handOffs !== b.handOffs) return a.handOffs - b.handOffs;
  if (a.length !== b.length) return a.length - b.length;
  for (let k = 0; k < a.positions.length; k++) {
    if (a.positions[k] !== b.positions[k]) return a.positions[k] - b.positions[k];
    if (a.starts[k] !== b.starts[k]) return a.starts[k] - b.starts[k];
  }
  for (let k = 0; k < a.positions.length; k++) {
    const c = byId(a.counters[k], b.counters[k]) || byId(a.staff[k], b.staff[k]);
    if (c !== 0) return c;
  }
  return 0;
}

const overlaps = (aStart: number, aEnd: number, bStart: number, bEnd: number): boolean =>
  aStart < bEnd && bStart < aEnd;

/** Every feasible chain whose first part starts at `first`. */
function oracleChains(input: JointVisitInput, first: number): OracleChain[] {
  const n = input.services.length;
  const gap = (input.maxGapMinutes ?? DEFAULT_GAP) * MIN;
  const orders = input.anyOrder ? permutations(n) : [Array.from({ length: n }, (_, i) => i)];
  const chains: OracleChain[] = [];
  const parts: Array<{ i: number; start: number; counter: string; staff: string }> = [];
  const walk = (order: number[], k: number, previousEnd: number): void => {
    if (k === n) {
      let handOffs = 0;
      for (let x = 1; x < n; x++) {
        const a = parts[x - 1];
        const b = parts[x];
        if (a.counter !== b.counter || a.staff !== b.staff) handOffs++;
      }
      chains.push({
        handOffs,
        length: previousEnd - first,
        positions: parts.map((p) => p.i),
        starts: parts.map((p) => p.start),
        counters: parts.map((p) => p.counter),
        staff: parts.map((p) => p.staff),
      });
      return;
    }
    const i = order[k];
    const single = serviceInput(input, i);
    const lo = k === 0 ? first : previousEnd;
    const hi = k === 0 ? first : previousEnd + gap;
    for (let t = lo; t <= hi; t += MIN) {
      if (!calendarAllows(input, i, t, k === 0, previousEnd)) continue;
      const until = t + occupancyMs(input, i);
      for (const c of input.counters) {
        if (!oracleCounterCanServe(single, c, t)) continue;
        for (const p of input.staff) {
          if (!oracleStaffCanServe(single, p, t)) continue;
          const clash = parts.some(
            (q) =>
              (q.counter === c.id || q.staff === p.id) &&
              overlaps(q.start, q.start + occupancyMs(input, q.i), t, until),
          );
          if (clash) continue;
          parts.push({ i, start: t, counter: c.id, staff: p.id });
          walk(order, k + 1, t + visitMs(input, i));
          parts.pop();
        }
      }
    }
  };
  for (const order of orders) walk(order, 0, first);
  return chains;
}

function oracleBest(input: JointVisitInput, first: number): OracleChain | undefined {
  const chains = oracleChains(input, first);
  return chains.sort(compareOracleChains)[0];
}

/** The best chain of each of the first `limit` starts with any feasible chain. */
function oracleOptions(input: JointVisitInput): JointVisitOption[] {
  const limit = input.limit ?? DEFAULT_LIMIT;
  const options: JointVisitOption[] = [];
  for (let t = input.from; t < input.to && options.length < limit; t += MIN) {
    const best = oracleBest(input, t);
    if (best === undefined) continue;
    const parts = best.positions.map((i, k) => ({
      serviceId: input.services[i].id,
      start: best.starts[k],
      end: best.starts[k] + visitMs(input, i),
      counterId: best.counters[k],
      staffId: best.staff[k],
    }));
    options.push({ start: t, end: t + best.length, parts, handOffs: best.handOffs });
  }
  return options;
}

/** Every rule broken by an option, checked from the raw input minute by minute. */
function violations(input: JointVisitInput, option: JointVisitOption): string[] {
  const problems: string[] = [];
  const gap = (input.maxGapMinutes ?? DEFAULT_GAP) * MIN;
  const n = input.services.length;
  const seen = new Set<string>();
  const positions = option.parts.map((part) =>
    input.services.findIndex((s) => s.id === part.serviceId),
  );
  if (option.parts.length !== n) problems.push('wrong number of parts');
  positions.forEach((i, k) => {
    const part = option.parts[k];
    if (i < 0 || seen.has(part.serviceId)) problems.push(`part ${k}: unknown or repeated service`);
    seen.add(part.serviceId);
    if (!input.anyOrder && i !== k) problems.push(`part ${k}: out of the given order`);
    const single = serviceInput(input, i);
    const previousEnd = k > 0 ? option.parts[k - 1].end : part.start;
    if (!calendarAllows(input, i, part.start, k === 0, previousEnd)) {
      problems.push(`part ${k}: calendar`);
    }
    if (part.end !== part.start + visitMs(input, i)) problems.push(`part ${k}: wrong end`);
    const counter = input.counters.find((c) => c.id === part.counterId);
    const person = input.staff.find((p) => p.id === part.staffId);
    if (counter === undefined || !oracleCounterCanServe(single, counter, part.start)) {
      problems.push(`part ${k}: counter ${part.counterId} cannot serve`);
    }
    if (person === undefined || !oracleStaffCanServe(single, person, part.start)) {
      problems.push(`part ${k}: staff ${part.staffId} cannot serve`);
    }
    if (k > 0) {
      const previous = option.parts[k - 1];
      if (part.start < previous.end) problems.push(`part ${k}: starts before the previous ends`);
      if (part.start > previous.end + gap) problems.push(`part ${k}: gap too long`);
    }
    // Minute by minute: no earlier part holds the same counter or person at the same time.
    for (let x = 0; x < k; x++) {
      const other = option.parts[x];
      if (other.counterId !== part.counterId && other.staffId !== part.staffId) continue;
      const otherUntil = other.start + occupancyMs(input, positions[x]);
      const until = part.start + occupancyMs(input, i);
      for (let t = part.start; t < until; t += MIN) {
        if (other.start <= t && t < otherUntil) {
          problems.push(`parts ${x} and ${k} share a resource at ${t}`);
          break;
        }
      }
    }
  });
  let handOffs = 0;
  for (let k = 1; k < option.parts.length; k++) {
    const a = option.parts[k - 1];
    const b = option.parts[k];
    if (a.counterId !== b.counterId || a.staffId !== b.staffId) handOffs++;
  }
  if (handOffs !== option.handOffs) problems.push('wrong hand-off count');
  if (option.start !== option.parts[0]?.start) problems.push('wrong start');
  if (option.end !== option.parts[option.parts.length - 1]?.end) problems.push('wrong end');
  return problems;
}

// ---- generators ----------------------------------------------------------------------------

const serviceArb = (id: string, agencyId: fc.Arbitrary<string>): fc.Arbitrary<EngineService> =>
  fc.record({
    id: fc.constant(id),
    agencyId,
    durationMinutes: fc.integer({ min: 5, max: 45 }),
    bufferAfterMinutes: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 15 })),
    slotGranularityMinutes: fc.constantFrom(5, 5, 10, 15, 20, 30),
    minNoticeMinutes: fc.integer({ min: 0, max: 120 }),
    needsPrivateRoom: rarely,
    languages: fc.subarray(LANGUAGES).map((more) => [...new Set(['sv', ...more])]),
  });

const idsArb = (ids: string[], max: number): fc.Arbitrary<string[]> =>
  fc
    .integer({ min: 1, max })
    .chain((n) => fc.shuffledSubarray(ids, { minLength: n, maxLength: n }));

const jointInputArb: fc.Arbitrary<JointVisitInput> = fc
  .record({
    services: fc
      .tuple(
        serviceArb('s1', fc.constant('A')),
        serviceArb('s2', fc.constantFrom('B', 'B', 'A')),
        serviceArb('s3', fc.constant('C')),
        fc.constantFrom(2, 2, 3),
        fc.boolean(),
      )
      .map(([a, b, c, n, swap]) => (swap ? [b, a, c] : [a, b, c]).slice(0, n)),
    open: fc.oneof(
      { arbitrary: officeOpenArb(1), weight: 3 },
      { arbitrary: openArb(1), weight: 1 },
    ),
    // A quieter office (everyone at work all day, at most one busy interval each) half the time.
    quiet: fc.boolean(),
    counters: idsArb(['c1', 'c2', 'c3'], 3).chain((ids) =>
      fc.tuple(...ids.map((id) => counterArb(id, 1))),
    ),
    // Cross-trained more often than for single services, so that chains exist.
    staff: idsArb(['p1', 'p2', 'p3'], 3).chain((ids) =>
      fc.tuple(
        ...ids.map((id) =>
          fc
            .tuple(staffArb(id, 1), fc.subarray(['A', 'B', 'C']))
            .map(([p, more]) => ({ ...p, agencyIds: [...new Set([...p.agencyIds, ...more])] })),
        ),
      ),
    ),
    now: fc.integer({ min: -600, max: DAY_MINUTES / 6 }),
    horizonEnd: fc.oneof(
      { arbitrary: fc.integer({ min: DAY_MINUTES / 2, max: DAY_MINUTES + 120 }), weight: 4 },
      { arbitrary: fc.integer({ min: 0, max: DAY_MINUTES / 2 }), weight: 1 },
    ),
    from: fc.integer({ min: -60, max: DAY_MINUTES / 4 }),
    length: fc.integer({ min: DAY_MINUTES / 4, max: DAY_MINUTES + 60 }),
    needs: fc.oneof(
      { arbitrary: fc.constant(undefined), weight: 2 },
      {
        arbitrary: needsArb.map((needs) =>
          needs === undefined ? undefined : { ...needs, extraTimeMinutes: undefined },
        ),
        weight: 1,
      },
    ),
    maxGapMinutes: fc.option(fc.constantFrom(0, 5, 10, 15, 25), { nil: undefined }),
    anyOrder: fc.boolean(),
    limit: fc.option(fc.integer({ min: 1, max: 6 }), { nil: undefined }),
    extraMinutes: fc.option(fc.array(fc.constantFrom(0, 0, 5, 10), { maxLength: 3 }), {
      nil: undefined,
    }),
  })
  .map(({ now, horizonEnd, from, length, needs, extraMinutes, services, quiet, ...rest }) => ({
    ...rest,
    counters: quiet
      ? rest.counters.map((c) => ({ ...c, busy: c.busy.slice(0, 1) }))
      : rest.counters,
    staff: quiet
      ? rest.staff.map((p) => ({
          ...p,
          available: [{ start: at(-60), end: at(DAY_MINUTES + 600) }],
          busy: p.busy.slice(0, 1),
        }))
      : rest.staff,
    services,
    needs,
    extraMinutes: extraMinutes?.slice(0, services.length),
    now: at(now),
    horizonEnd: at(horizonEnd),
    from: at(from),
    to: at(from + length),
  }));

/** Inputs with at least one option, for the properties about the best chain. */
const feasibleArb = jointInputArb.filter(
  (input) => oracleOptions({ ...input, limit: 1 }).length > 0,
);

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let x = seed || 1;
  for (let i = out.length - 1; i > 0; i--) {
    x = (x * 1103515245 + 12345) % 2147483648;
    const j = x % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

// ---- properties ----------------------------------------------------------------------------

describe('joint visits against a brute-force oracle', () => {
  it('every option returned is feasible', () => {
    fc.assert(
      fc.property(jointInputArb, (input) => {
        for (const option of jointVisitOptions(input)) {
          expect([option, violations(input, option)]).toEqual([option, []]);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('the first option starts at the earliest feasible start, with the fewest hand-offs, then the shortest', () => {
    fc.assert(
      fc.property(feasibleArb, (input) => {
        const [first] = jointVisitOptions(input);
        const [expected] = oracleOptions({ ...input, limit: 1 });
        expect(first?.start).toBe(expected.start);
        const chains = oracleChains(input, expected.start);
        const fewest = Math.min(...chains.map((c) => c.handOffs));
        const shortest = Math.min(
          ...chains.filter((c) => c.handOffs === fewest).map((c) => c.length),
        );
        expect(first.handOffs).toBe(fewest);
        expect(first.end - first.start).toBe(shortest);
      }),
      { numRuns: 150 },
    );
  });

  it('misses nothing within the limit: the option starts are the first feasible ones', () => {
    fc.assert(
      fc.property(jointInputArb, (input) => {
        const starts = jointVisitOptions(input).map((o) => o.start);
        expect(starts).toEqual(oracleOptions(input).map((o) => o.start));
      }),
      { numRuns: 150 },
    );
  });

  it('returns exactly the oracle best chain per start (including the tie-break)', () => {
    fc.assert(
      fc.property(jointInputArb, (input) => {
        expect(jointVisitOptions(input)).toEqual(oracleOptions(input));
      }),
      { numRuns: 200 },
    );
  });

  it('is deterministic and does not depend on the order of counters or staff', () => {
    fc.assert(
      fc.property(feasibleArb, fc.nat(), (input, seed) => {
        const result = jointVisitOptions(input);
        expect(jointVisitOptions(input)).toEqual(result);
        const reordered: JointVisitInput = {
          ...input,
          counters: shuffled(input.counters, seed).map((c) => ({
            ...c,
            busy: shuffled(c.busy, seed + 1),
            allocations: shuffled(c.allocations, seed + 2),
          })),
          staff: shuffled(input.staff, seed + 3).map((p) => ({
            ...p,
            busy: shuffled(p.busy, seed + 4),
            available: shuffled(p.available, seed + 5),
          })),
        };
        expect(jointVisitOptions(reordered)).toEqual(result);
      }),
      { numRuns: 100 },
    );
  });

  it('the baseline enumeration gives identical results', () => {
    fc.assert(
      fc.property(jointInputArb, (input) => {
        expect(jointVisitOptionsBaseline(input)).toEqual(jointVisitOptions(input));
      }),
      { numRuns: 200 },
    );
  });
});
