import { clip, difference, intersection, lastStartingAtOrBefore, union } from './intervals';
import {
  MINUTE_MS,
  calendarReason,
  compareIds,
  counterFree,
  openIntervalAt,
  prepare,
  requireNumber,
  staffFree,
  type NormalizeMemo,
  type Prepared,
} from './prepared';
import type { EngineCounter, EngineService, EngineStaff, Interval, VisitNeeds } from './types';

/*
 * Joint visits: one citizen, 2-5 services (of one or several agencies) back to back at one
 * office.
 *
 * Rules (each part is a single booking of its service, plus the chain rules):
 * - The first part starts on its service's grid (anchored at the start of each open interval),
 *   like a start availableSlots lists. A later part starts at its predecessor's end or a whole
 *   number of CONTINUATION_STEP_MINUTES (5) after it: the citizen is already in the building,
 *   and a service's grid (15 minutes, say) with a buffer after the previous part would
 *   otherwise rarely leave a start within the gap. Every part lies inside one open interval (start + duration + extra time <= its end; the buffer may run
 *   past it), starts at or after now + X's minimum notice and before horizonEnd, and has a
 *   counter and a person free for [start, end + X's buffer) under exactly the rules of
 *   availableSlots (agency allocations of X's agency, busy time, room features and needs;
 *   competence for X, language, shifts, busy time).
 * - `from`/`to` bound only the option's start (the first part's start), like the requested
 *   days of availableSlots; later parts may run past `to`.
 * - Part k+1 starts in [end_k, end_k + maxGapMinutes] at end_k + m * 5 minutes, end_k =
 *   start_k + duration + extra time.
 * - Within a chain, each part occupies its counter and its person for [start, end + buffer),
 *   exactly like two separate appointments: two parts sharing a counter or a person must not
 *   overlap there. So one person at one counter can give consecutive parts only when the next
 *   part starts at or after end + buffer of the previous one.
 * - Extra time: needs.extraTimeMinutes lengthens every part; extraMinutes[i] (e.g. for a party
 *   of several people, computed by the caller) lengthens part i on top of it.
 *
 * Ordering: options are distinct first-part starts, earliest first, at most `limit`. For one
 * start the best chain is the minimum of, in this order:
 * 1. hand-offs: consecutive parts with a different person OR a different counter;
 * 2. total visit length: last end - first start;
 * 3. the plan: per part (position of its service in the given order, start), lexicographically
 *    (so at a tie the citizen's own order and earlier parts win);
 * 4. the resources: per part (counter id, person id), lexicographically (plain code-unit
 *    comparison of ids, independent of locale and of the order of the input arrays).
 * With anyOrder every order of the services is considered under the same ordering.
 *
 * Algorithm (jointVisitOptions):
 * - Per service, the single-booking preparation of availability.ts (prepare) and, memoized
 *   per start, the sets of free counters and free staff at that start as bitsets over the
 *   counters and staff sorted by id.
 * - First-part starts are walked in increasing order (a merge of the grids of the services
 *   that may come first). For each start, a depth-first search over plans (service order and
 *   part starts; the next part's candidate starts are end, end + 5 min, ... up to
 *   end + maxGap, memoized per (service, end)), skipping parts without a free counter
 *   or a free person. Plans are visited in the tie-break order 3, so a later plan must be
 *   strictly better on (hand-offs, length) to win; with a best of 0 hand-offs a branch whose
 *   length lower bound (its end + the remaining durations) is not smaller is cut.
 * - For a complete plan the assignment is solved exactly, without enumerating counter x person
 *   pairs: for h = 0, 1, ... hand-offs, each choice of the h hand-off positions splits the parts
 *   into blocks served by one counter and one person each. The eligibility rules look at a
 *   counter alone and at a person alone (see availability.ts), so counters and staff can be
 *   chosen independently: each block needs a counter free at all its parts (bitset AND) and
 *   distinct counters for blocks whose occupied times overlap, which is list colouring of at
 *   most 5 blocks, solved depth-first in id order (so the first colouring found is the
 *   lexicographically smallest), cutting branches by colour symmetry; the same for staff.
 *   Adjacent blocks that happen to get the same pair merely count one hand-off too many, which
 *   cannot matter since the smallest h is taken.
 * Complexity: entries cost O((|C| + |P|) log b) once per (service, start) touched (b = busy
 * intervals per resource); per first start the plans number at most n! * w^(n-1) with
 * w = maxGap / 5 min + 1 (in the given order: w^(n-1)), each solved with at most 2^(n-1)
 * block splits of two colourings of <= n blocks. The search stops at `limit` starts.
 *
 * jointVisitOptionsBaseline is the straightforward enumeration of every chain (every order,
 * every start, every free counter and person per part, no memo, no bound) with the same
 * ordering: the same result, for benchmarks and as a cross-check.
 */

export interface JointVisitInput {
  /**
   * In the citizen's order, 2 to 5 distinct services, all at this office (1 is accepted: a
   * visit whose other parts were cancelled is moved as a chain of one).
   */
  services: EngineService[];
  /** The office's open intervals, sorted, non-overlapping (as in AvailabilityInput). */
  open: Interval[];
  counters: EngineCounter[];
  staff: EngineStaff[];
  now: number;
  /** Every part must start before this instant. */
  horizonEnd: number;
  /** Only options (first-part starts) within [from, to) are returned. */
  from: number;
  to: number;
  /** The citizen's needs, applying to every part. */
  needs?: VisitNeeds;
  /** Longest wait between the end of one part and the start of the next. Default 10. */
  maxGapMinutes?: number;
  /** Consider every order of the services, not only the given one. Default false. */
  anyOrder?: boolean;
  /** How many options (distinct starts) at most. Default 10. */
  limit?: number;
  /**
   * Per service (same index as `services`), minutes added to that part on top of
   * needs.extraTimeMinutes, e.g. for a party of several people. Default 0 each.
   */
  extraMinutes?: number[];
}

export interface JointPart {
  serviceId: string;
  start: number;
  /** start + duration + extra time (the buffer is not part of the citizen's visit). */
  end: number;
  counterId: string;
  staffId: string;
}

export interface JointVisitOption {
  /** The first part's start. */
  start: number;
  /** The last part's end. */
  end: number;
  /** In visit order. */
  parts: JointPart[];
  /** Consecutive parts with a different person or a different counter. */
  handOffs: number;
}

export const DEFAULT_MAX_GAP_MINUTES = 10;
/** Later parts start this many whole minutes after the previous part's end (0, 5, 10, ...). */
export const CONTINUATION_STEP_MINUTES = 5;
const CONTINUATION_STEP_MS = CONTINUATION_STEP_MINUTES * MINUTE_MS;
const DAY_MS = 24 * 60 * MINUTE_MS;
export const DEFAULT_JOINT_LIMIT = 10;
const MAX_SERVICES = 5;

// ---- bitsets over counters / staff sorted by id ---------------------------------------------

type Bits = Uint32Array;

function newBits(size: number): Bits {
  return new Uint32Array((size + 31) >>> 5);
}

function setBit(bits: Bits, i: number): void {
  bits[i >>> 5] |= 1 << (i & 31);
}

function hasBit(bits: Bits, i: number): boolean {
  return (bits[i >>> 5] & (1 << (i & 31))) !== 0;
}

function isEmptyBits(bits: Bits): boolean {
  for (let w = 0; w < bits.length; w++) if (bits[w] !== 0) return false;
  return true;
}

function andBits(a: Bits, b: Bits): Bits {
  const out = new Uint32Array(a.length);
  for (let w = 0; w < a.length; w++) out[w] = a[w] & b[w];
  return out;
}

function intersects(a: Bits, b: Bits): boolean {
  for (let w = 0; w < a.length; w++) if ((a[w] & b[w]) !== 0) return true;
  return false;
}

function popCount(v: number): number {
  let count = 0;
  for (let x = v; x !== 0; x &= x - 1) count++;
  return count;
}

/** Set bits in increasing order. */
function bitList(bits: Bits): number[] {
  const out: number[] = [];
  for (let w = 0; w < bits.length; w++) {
    let v = bits[w];
    while (v !== 0) {
      const low = v & -v;
      out.push(w * 32 + 31 - Math.clz32(low));
      v = (v ^ low) >>> 0;
    }
  }
  return out;
}

// ---- setup shared by the search and the baseline ---------------------------------------------

interface ServiceSetup {
  service: EngineService;
  prepared: Prepared;
  visitMs: number;
  occupancyMs: number;
  /** Indexes (into the id-sorted lists) of the counters / staff the service may use at all. */
  counterIndexes: number[];
  staffIndexes: number[];
}

interface Setup {
  services: ServiceSetup[];
  counterIds: string[];
  staffIds: string[];
  gapMs: number;
  anyOrder: boolean;
  limit: number;
  from: number;
  to: number;
  horizonEnd: number;
}

function sortedIds(items: ReadonlyArray<{ id: string }>, what: string): string[] {
  const ids = items.map((i) => i.id).sort(compareIds);
  for (let i = 1; i < ids.length; i++) {
    if (ids[i] === ids[i - 1]) throw new RangeError(`duplicate ${what} id ${ids[i]}`);
  }
  return ids;
}

/** shared: normalize each resource's interval lists once for all services (not the baseline). */
function setUp(input: JointVisitInput, shared: boolean): Setup {
  const n = input.services.length;
  if (n < 1 || n > MAX_SERVICES) {
    throw new RangeError(`a joint visit needs 1 to ${MAX_SERVICES} services, got ${n}`);
  }
  sortedIds(input.services, 'service');
  const counterIds = sortedIds(input.counters, 'counter');
  const staffIds = sortedIds(input.staff, 'staff');
  const maxGap = input.maxGapMinutes ?? DEFAULT_MAX_GAP_MINUTES;
  requireNumber(maxGap, 'maxGapMinutes', 0, true);
  const limit = input.limit ?? DEFAULT_JOINT_LIMIT;
  if (!Number.isInteger(limit) || limit < 0) {
    throw new RangeError(`limit must be an integer >= 0, got ${limit}`);
  }
  const extra = input.extraMinutes ?? [];
  if (extra.length > n) throw new RangeError('extraMinutes has more entries than services');
  const counterIndex = new Map(counterIds.map((id, i) => [id, i]));
  const staffIndex = new Map(staffIds.map((id, i) => [id, i]));

  const memo: NormalizeMemo | undefined = shared ? new Map() : undefined;
  const services = input.services.map((service, i): ServiceSetup => {
    const extraMinutes = extra[i] ?? 0;
    requireNumber(extraMinutes, `extraMinutes[${i}]`, 0, true);
    const needs = input.needs ?? {};
    const prepared = prepare(
      {
        service,
        open: input.open,
        counters: input.counters,
        staff: input.staff,
        now: input.now,
        horizonEnd: input.horizonEnd,
        // Later parts are not bound to the requested range; the first part is checked apart.
        from: -Infinity,
        to: Infinity,
        needs: { ...needs, extraTimeMinutes: (needs.extraTimeMinutes ?? 0) + extraMinutes },
      },
      memo,
    );
    return {
      service,
      prepared,
      visitMs: prepared.visitMs,
      occupancyMs: prepared.occupancyMs,
      counterIndexes: prepared.counters.map((c) => counterIndex.get(c.counter.id) as number),
      staffIndexes: prepared.staff.map((v) => staffIndex.get(v.staff.id) as number),
    };
  });

  return {
    services,
    counterIds,
    staffIds,
    gapMs: maxGap * MINUTE_MS,
    anyOrder: input.anyOrder === true,
    limit,
    from: input.from,
    to: input.to,
    horizonEnd: input.horizonEnd,
  };
}

/** Grid starts of one service in [lo, hi] that its calendar allows, increasing. */
function gridStarts(s: ServiceSetup, lo: number, hi: number): number[] {
  const p = s.prepared;
  const open = p.open;
  const out: number[] = [];
  for (let k = Math.max(0, lastStartingAtOrBefore(open, lo)); k < open.length; k++) {
    const o = open[k];
    if (o.start > hi) break;
    const first = Math.max(0, Math.ceil((lo - o.start) / p.gridMs));
    for (let m = first; ; m++) {
      const t = o.start + m * p.gridMs;
      if (t > hi || t + p.visitMs > o.end) break;
      // The arbiter of every calendar rule, so the grid here is that of availableSlots.
      if (calendarReason(p, t) === undefined && (out.length === 0 || t > out[out.length - 1])) {
        out.push(t);
      }
    }
  }
  return out;
}

/**
 * The instants t at which some counter and some person could give a part of service s, as
 * normalized intervals: a person can when [t, t + occupancy) lies in their available minus
 * busy time, a counter when it meets nothing blocked. Exactly the starts where entryAt finds
 * an entry, computed by walking each list once instead of searching every list at every grid
 * start: in a busy calendar most starts are full, and the search then skips them wholesale.
 */
function startWindows(s: ServiceSetup, lo: number, hi: number): Interval[] {
  const occupancy = s.occupancyMs;
  // A start in [lo, hi) needs free time in [lo, hi + occupancy): only that part of each list
  // is read, so a search that finds its options in the first days reads only those.
  const end = hi + occupancy;
  const fitting = (free: readonly Interval[]): Interval[] => {
    const out: Interval[] = [];
    for (const f of free) {
      // Starts are whole milliseconds: [a, b - occupancy] as a half-open interval.
      if (f.end - f.start >= occupancy) {
        out.push({ start: f.start, end: Math.min(hi, f.end - occupancy + 1) });
      }
    }
    return out;
  };
  // Each resource's list is sorted and disjoint, so the union of all of them is merged pairwise
  // (log k rounds of linear merges) rather than sorted again.
  const unionAll = (lists: Interval[][]): Interval[] => {
    while (lists.length > 1) {
      const next: Interval[][] = [];
      for (let i = 0; i < lists.length; i += 2) {
        next.push(i + 1 < lists.length ? union(lists[i], lists[i + 1]) : lists[i]);
      }
      lists = next;
    }
    return lists[0] ?? [];
  };
  const range = [{ start: lo, end }];
  return intersection(
    unionAll(
      s.prepared.staff.map((v) =>
        fitting(difference(clip(v.available, lo, end), clip(v.busy, lo, end))),
      ),
    ),
    unionAll(s.prepared.counters.map((c) => fitting(difference(range, clip(c.blocked, lo, end))))),
  );
}

/**
 * Starts of a later part of service s after a part ending at `end`: end, end + 5 min, ... up to
 * end + gap, where the part lies inside one open interval, after the service's notice and
 * before the horizon.
 */
function continuationStarts(s: ServiceSetup, end: number, gapMs: number): number[] {
  const p = s.prepared;
  const out: number[] = [];
  for (let t = end; t <= end + gapMs; t += CONTINUATION_STEP_MS) {
    const open = openIntervalAt(p, t);
    if (open === undefined || t + p.visitMs > open.end) continue;
    if (t < p.earliest || t >= p.horizonEnd) continue;
    out.push(t);
  }
  return out;
}

/** Increasing distinct first-part starts in [from, to) over the services that may come first. */
function* firstStarts(
  setup: Setup,
  first: readonly number[],
  /**
   * The only instants worth trying for service j in [lo, hi) (startWindows), asked for a day
   * at a time (the search stops at `limit` options, usually within days); without it, every
   * open instant is tried.
   */
  windowsOf?: (j: number, lo: number, hi: number) => Interval[],
): Generator<number> {
  const cursors = first.map((j) => {
    const s = setup.services[j];
    const lo = Math.max(setup.from, s.prepared.earliest);
    const hi = Math.min(setup.to, setup.horizonEnd);
    const spans: readonly Interval[] = windowsOf ? [] : s.prepared.open;
    let index = 0;
    while (index < spans.length && spans[index].end <= lo) index++;
    return { j, s, lo, hi, spans, index, chunkEnd: windowsOf ? lo : hi };
  });
  // One span (open interval, or window) of one service at a time, merged by a pointer per
  // service.
  const buffers: number[][] = cursors.map(() => []);
  const positions = cursors.map(() => 0);
  const refill = (c: number): boolean => {
    const cur = cursors[c];
    while (positions[c] >= buffers[c].length) {
      if (cur.index >= cur.spans.length || cur.spans[cur.index].start >= cur.hi) {
        if (!windowsOf || cur.chunkEnd >= cur.hi) return false;
        const chunkStart = cur.chunkEnd;
        cur.chunkEnd = Math.min(cur.hi, chunkStart + DAY_MS);
        cur.spans = windowsOf(cur.j, chunkStart, cur.chunkEnd);
        cur.index = 0;
        continue;
      }
      const span = cur.spans[cur.index++];
      const lo = Math.max(cur.lo, span.start);
      const hi = Math.min(cur.hi, span.end);
      buffers[c] = gridStarts(cur.s, lo, hi).filter((t) => t >= lo && t < hi);
      positions[c] = 0;
    }
    return true;
  };
  let last = -Infinity;
  for (;;) {
    let next = Infinity;
    for (let c = 0; c < cursors.length; c++) {
      while (refill(c) && buffers[c][positions[c]] <= last) positions[c]++;
      if (positions[c] < buffers[c].length) next = Math.min(next, buffers[c][positions[c]]);
    }
    if (next === Infinity) return;
    last = next;
    yield next;
  }
}

function orderOfFirst(setup: Setup): number[] {
  return setup.anyOrder ? setup.services.map((_, i) => i) : [0];
}

function toOption(
  setup: Setup,
  plan: readonly number[],
  starts: readonly number[],
  counters: readonly number[],
  staff: readonly number[],
  handOffs: number,
): JointVisitOption {
  const parts = plan.map((j, k): JointPart => ({
    serviceId: setup.services[j].service.id,
    start: starts[k],
    end: starts[k] + setup.services[j].visitMs,
    counterId: setup.counterIds[counters[k]],
    staffId: setup.staffIds[staff[k]],
  }));
  return { start: parts[0].start, end: parts[parts.length - 1].end, parts, handOffs };
}

// ---- the search -------------------------------------------------------------------------------

interface Entry {
  counters: Bits;
  staff: Bits;
}

interface Candidate {
  start: number;
  entry: Entry;
}

/**
 * The lexicographically smallest list colouring of blocks (colour = counter or person index),
 * blocks that conflict getting distinct colours; undefined when there is none.
 */
function colourLexMin(
  lists: readonly Bits[],
  conflict: readonly boolean[][],
): number[] | undefined {
  const m = lists.length;
  const colour = new Array<number>(m).fill(-1);
  const takenFor = (l: number, x: number, before: number): boolean => {
    for (let j = 0; j < before; j++) if (conflict[j][l] && colour[j] === x) return true;
    return false;
  };
  const place = (k: number): boolean => {
    if (k === m) return true;
    // Two colours available to exactly the same later blocks lead to isomorphic subproblems
    // (swap them): once one failed, the other fails too.
    const failed = new Set<number>();
    for (const x of bitList(lists[k])) {
      if (takenFor(k, x, k)) continue;
      let pattern = 0;
      for (let l = k + 1; l < m; l++) {
        if (hasBit(lists[l], x) && !takenFor(l, x, k)) pattern |= 1 << l;
      }
      if (failed.has(pattern)) continue;
      colour[k] = x;
      if (place(k + 1)) return true;
      failed.add(pattern);
    }
    colour[k] = -1;
    return false;
  };
  return place(0) ? colour : undefined;
}

interface Assigned {
  handOffs: number;
  counters: number[];
  staff: number[];
}

function compareResources(a: Assigned, b: Assigned): number {
  for (let k = 0; k < a.counters.length; k++) {
    if (a.counters[k] !== b.counters[k]) return a.counters[k] - b.counters[k];
    if (a.staff[k] !== b.staff[k]) return a.staff[k] - b.staff[k];
  }
  return 0;
}

/** Hand-off position masks (bit k: hand-off between part k and k + 1), by number of hand-offs. */
function masksByCount(n: number): number[][] {
  const byCount: number[][] = Array.from({ length: n }, () => []);
  for (let mask = 0; mask < 1 << (n - 1); mask++) {
    let bits = 0;
    for (let v = mask; v !== 0; v &= v - 1) bits++;
    byCount[bits].push(mask);
  }
  return byCount;
}

/**
 * The assignment of a complete plan with the fewest hand-offs (at most maxHandOffs), then the
 * smallest (counter, person) per part; undefined when there is none within the bound.
 */
function assign(
  starts: readonly number[],
  occupiedUntil: readonly number[],
  entries: readonly Entry[],
  masks: readonly number[][],
  maxHandOffs: number,
  /** Hand-offs no assignment can avoid (see forcedHandOff): every split must have them. */
  forced: number,
): Assigned | undefined {
  const n = starts.length;
  for (let h = popCount(forced); h <= maxHandOffs; h++) {
    let best: Assigned | undefined;
    split: for (const mask of masks[h]) {
      if ((mask & forced) !== forced) continue;
      // Blocks of parts served by one counter and one person.
      const firstPart: number[] = [0];
      const blockOf: number[] = [0];
      for (let k = 0; k + 1 < n; k++) {
        if ((mask >>> k) & 1) {
          firstPart.push(k + 1);
        } else if (starts[k + 1] < occupiedUntil[k]) {
          continue split; // the same counter and person, still busy with the buffer
        }
        blockOf.push(firstPart.length - 1);
      }
      const m = firstPart.length;
      const counterLists: Bits[] = [];
      const staffLists: Bits[] = [];
      const blockUntil: number[] = [];
      for (let k = 0; k < n; k++) {
        const b = blockOf[k];
        if (b === counterLists.length) {
          counterLists.push(entries[k].counters);
          staffLists.push(entries[k].staff);
          blockUntil.push(occupiedUntil[k]);
        } else {
          counterLists[b] = andBits(counterLists[b], entries[k].counters);
          staffLists[b] = andBits(staffLists[b], entries[k].staff);
          if (isEmptyBits(counterLists[b]) || isEmptyBits(staffLists[b])) continue split;
          blockUntil[b] = Math.max(blockUntil[b], occupiedUntil[k]);
        }
      }
      // Later parts start after earlier ones, so blocks overlap iff an earlier block is still
      // occupied when the later one starts.
      const conflict: boolean[][] = Array.from({ length: m }, () =>
        new Array<boolean>(m).fill(false),
      );
      for (let a = 0; a < m; a++) {
        for (let b = a + 1; b < m; b++) {
          if (blockUntil[a] > starts[firstPart[b]]) conflict[a][b] = conflict[b][a] = true;
        }
      }
      const counterColours = colourLexMin(counterLists, conflict);
      if (counterColours === undefined) continue;
      const staffColours = colourLexMin(staffLists, conflict);
      if (staffColours === undefined) continue;
      const found: Assigned = {
        handOffs: h,
        counters: blockOf.map((b) => counterColours[b]),
        staff: blockOf.map((b) => staffColours[b]),
      };
      if (best === undefined || compareResources(found, best) < 0) best = found;
    }
    if (best !== undefined) return best;
  }
  return undefined;
}

interface BestPlan {
  d: number;
  plan: number[];
  starts: number[];
  assigned: Assigned;
}

/**
 * Options for a joint visit, earliest start first, one best chain per start (see the rules and
 * the ordering at the top of this file). Same input, same output.
 */
export function jointVisitOptions(input: JointVisitInput): JointVisitOption[] {
  const setup = setUp(input, true);
  const options: JointVisitOption[] = [];
  if (setup.limit === 0) return options;
  const { services, gapMs, anyOrder } = setup;
  const n = services.length;
  const counterCount = setup.counterIds.length;
  const staffCount = setup.staffIds.length;
  const masks = masksByCount(n);

  const entryCache = services.map(() => new Map<number, Entry | null>());
  const entryAt = (j: number, t: number): Entry | null => {
    const cache = entryCache[j];
    const known = cache.get(t);
    if (known !== undefined) return known;
    const s = services[j];
    const p = s.prepared;
    const until = t + s.occupancyMs;
    let entry: Entry | null = null;
    // People first: fewer of them are competent for a service than counters may serve it.
    let staff: Bits | undefined;
    for (let i = 0; i < p.staff.length; i++) {
      if (!staffFree(p.staff[i], t, until)) continue;
      staff ??= newBits(staffCount);
      setBit(staff, s.staffIndexes[i]);
    }
    if (staff !== undefined) {
      let counters: Bits | undefined;
      for (let i = 0; i < p.counters.length; i++) {
        if (!counterFree(p.counters[i], t, until)) continue;
        counters ??= newBits(counterCount);
        setBit(counters, s.counterIndexes[i]);
      }
      if (counters !== undefined) entry = { counters, staff };
    }
    cache.set(t, entry);
    return entry;
  };
  // Candidate next parts of service j after a part ending at `end`.
  const windowCache = services.map(() => new Map<number, Candidate[]>());
  const nextParts = (j: number, end: number): Candidate[] => {
    const known = windowCache[j].get(end);
    if (known !== undefined) return known;
    const found: Candidate[] = [];
    for (const t of continuationStarts(services[j], end, gapMs)) {
      const entry = entryAt(j, t);
      if (entry !== null) found.push({ start: t, entry });
    }
    windowCache[j].set(end, found);
    return found;
  };

  const plan = new Array<number>(n);
  const starts = new Array<number>(n);
  const until = new Array<number>(n);
  const entries = new Array<Entry>(n);
  const totalVisit = services.reduce((sum, s) => sum + s.visitMs, 0);

  let first = 0;
  let best: BestPlan | undefined;

  // Plans come in tie-break order: a later plan must be strictly better on (h, d). The most
  // hand-offs a plan of length at least d may still have:
  const allowedHandOffs = (d: number): number => {
    if (best === undefined) return n - 1;
    return d < best.d ? best.assigned.handOffs : best.assigned.handOffs - 1;
  };

  const leaf = (forced: number): void => {
    const d = starts[n - 1] + services[plan[n - 1]].visitMs - first;
    const maxHandOffs = allowedHandOffs(d);
    if (maxHandOffs < popCount(forced)) return;
    const assigned = assign(starts, until, entries, masks, maxHandOffs, forced);
    if (assigned !== undefined) {
      best = { d, plan: [...plan], starts: [...starts], assigned };
    }
  };

  /*
   * A hand-off between parts k-1 and k that no assignment avoids: one counter and one person
   * cannot give both (the next part starts within the buffer of the previous one, or no
   * counter or no person is free for both). Counting them bounds a partial chain's hand-offs
   * from below, which prunes the search in busy calendars, where most hand-offs are forced.
   */
  const forcedHandOff = (k: number, start: number, entry: Entry): boolean =>
    start < until[k - 1] ||
    !intersects(entries[k - 1].counters, entry.counters) ||
    !intersects(entries[k - 1].staff, entry.staff);

  const extend = (
    depth: number,
    used: number,
    end: number,
    remainingVisit: number,
    forced: number,
  ): void => {
    if (depth === n) {
      leaf(forced);
      return;
    }
    for (let j = anyOrder ? 0 : depth; j < (anyOrder ? n : depth + 1); j++) {
      if ((used >>> j) & 1) continue;
      const s = services[j];
      const rest = remainingVisit - s.visitMs;
      for (const c of nextParts(j, end)) {
        const partEnd = c.start + s.visitMs;
        if (
          best !== undefined &&
          best.assigned.handOffs === 0 &&
          partEnd + rest - first >= best.d
        ) {
          break; // no better length possible from here or any later start
        }
        const withThis = forcedHandOff(depth, c.start, c.entry)
          ? forced | (1 << (depth - 1))
          : forced;
        if (popCount(withThis) > allowedHandOffs(partEnd + rest - first)) continue;
        plan[depth] = j;
        starts[depth] = c.start;
        until[depth] = c.start + s.occupancyMs;
        entries[depth] = c.entry;
        extend(depth + 1, used | (1 << j), partEnd, rest, withThis);
      }
    }
  };

  const firstServices = orderOfFirst(setup);
  const windowsOf = (j: number, lo: number, hi: number) => startWindows(services[j], lo, hi);
  for (const t of firstStarts(setup, firstServices, windowsOf)) {
    first = t;
    best = undefined;
    for (const j of firstServices) {
      if (calendarReason(services[j].prepared, t) !== undefined) continue;
      const entry = entryAt(j, t);
      if (entry === null) continue;
      plan[0] = j;
      starts[0] = t;
      until[0] = t + services[j].occupancyMs;
      entries[0] = entry;
      extend(1, 1 << j, t + services[j].visitMs, totalVisit - services[j].visitMs, 0);
    }
    const found = best as BestPlan | undefined;
    if (found !== undefined) {
      const { plan: p, starts: st, assigned } = found;
      options.push(toOption(setup, p, st, assigned.counters, assigned.staff, assigned.handOffs));
      if (options.length >= setup.limit) break;
    }
  }
  return options;
}

// ---- the baseline ---------------------------------------------------------------------------

interface Chain {
  handOffs: number;
  length: number;
  plan: number[];
  starts: number[];
  counters: number[];
  staff: number[];
}

function compareChains(a: Chain, b: Chain): number {
  if (a.handOffs !== b.handOffs) return a.handOffs - b.handOffs;
  if (a.length !== b.length) return a.length - b.length;
  for (let k = 0; k < a.plan.length; k++) {
    if (a.plan[k] !== b.plan[k]) return a.plan[k] - b.plan[k];
    if (a.starts[k] !== b.starts[k]) return a.starts[k] - b.starts[k];
  }
  for (let k = 0; k < a.plan.length; k++) {
    if (a.counters[k] !== b.counters[k]) return a.counters[k] - b.counters[k];
    if (a.staff[k] !== b.staff[k]) return a.staff[k] - b.staff[k];
  }
  return 0;
}

/**
 * The same result as jointVisitOptions by plain enumeration: every order, every start in the
 * gap window, every free counter and free person per part, checked afresh, the best chain per
 * start kept by the ordering. Exponential in the number of free pairs: for benchmarks and tests.
 */
export function jointVisitOptionsBaseline(input: JointVisitInput): JointVisitOption[] {
  const setup = setUp(input, false);
  const options: JointVisitOption[] = [];
  if (setup.limit === 0) return options;
  const { services, gapMs, anyOrder } = setup;
  const n = services.length;
  const plan: number[] = [];
  const starts: number[] = [];
  const counters: number[] = [];
  const staff: number[] = [];
  let best: Chain | undefined;

  const clash = (k: number, counter: number, person: number, t: number): boolean => {
    // Part k (not yet pushed) against every earlier part of the chain, as two appointments.
    const until = t + services[plan[k]].occupancyMs;
    for (let i = 0; i < starts.length; i++) {
      if (counters[i] !== counter && staff[i] !== person) continue;
      const iUntil = starts[i] + services[plan[i]].occupancyMs;
      if (starts[i] < until && t < iUntil) return true;
    }
    return false;
  };

  const extend = (used: number, end: number): void => {
    if (plan.length === n) {
      let handOffs = 0;
      for (let k = 1; k < n; k++) {
        if (counters[k] !== counters[k - 1] || staff[k] !== staff[k - 1]) handOffs++;
      }
      const chain: Chain = {
        handOffs,
        length: end - starts[0],
        plan: [...plan],
        starts: [...starts],
        counters: [...counters],
        staff: [...staff],
      };
      if (best === undefined || compareChains(chain, best) < 0) best = chain;
      return;
    }
    const k = plan.length;
    for (let j = 0; j < n; j++) {
      if ((used >>> j) & 1 || (!anyOrder && j !== k)) continue;
      const s = services[j];
      const p = s.prepared;
      for (const t of continuationStarts(s, end, gapMs)) {
        const occupiedUntil = t + s.occupancyMs;
        plan.push(j);
        p.counters.forEach((c, ci) => {
          if (!counterFree(c, t, occupiedUntil)) return;
          p.staff.forEach((v, vi) => {
            if (!staffFree(v, t, occupiedUntil)) return;
            const counter = s.counterIndexes[ci];
            const person = s.staffIndexes[vi];
            if (clash(k, counter, person, t)) return;
            starts.push(t);
            counters.push(counter);
            staff.push(person);
            extend(used | (1 << j), t + s.visitMs);
            starts.pop();
            counters.pop();
            staff.pop();
          });
        });
        plan.pop();
      }
    }
  };

  for (const t of firstStarts(setup, orderOfFirst(setup))) {
    best = undefined;
    for (const j of orderOfFirst(setup)) {
      const s = services[j];
      if (calendarReason(s.prepared, t) === undefined) extendFirst(j, t);
    }
    const found = best as Chain | undefined;
    if (found !== undefined) {
      options.push(
        toOption(setup, found.plan, found.starts, found.counters, found.staff, found.handOffs),
      );
      if (options.length >= setup.limit) break;
    }
  }
  return options;

  function extendFirst(j: number, t: number): void {
    const s = services[j];
    const p = s.prepared;
    const occupiedUntil = t + s.occupancyMs;
    plan.push(j);
    p.counters.forEach((c, ci) => {
      if (!counterFree(c, t, occupiedUntil)) return;
      p.staff.forEach((v, vi) => {
        if (!staffFree(v, t, occupiedUntil)) return;
        starts.push(t);
        counters.push(s.counterIndexes[ci]);
        staff.push(s.staffIndexes[vi]);
        extend(1 << j, t + s.visitMs);
        starts.pop();
        counters.pop();
        staff.pop();
      });
    });
    plan.pop();
  }
}
