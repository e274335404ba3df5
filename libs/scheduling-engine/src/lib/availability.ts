import { overlapLength } from './intervals';
import {
  calendarReason,
  compareIds,
  counterFree,
  openIntervalAt,
  prepare,
  staffFree,
  type Prepared,
} from './prepared';
import type {
  Assignment,
  AvailabilityInput,
  Interval,
  Slot,
  StartPlacement,
  UnavailableReason,
} from './types';

/*
 * Capacity is min(#free eligible counters, #free eligible staff), not a general matching.
 *
 * Every rule deciding whether a counter can serve at s (agency allocations, busy time, room
 * features) looks at the counter alone, and every rule deciding whether a person can serve
 * (competence, language, availability, busy time) looks at the person alone; no rule looks at
 * a (counter, person) pair. So the bipartite graph between the eligible counters C and the
 * eligible staff P is complete. In any matching each edge uses a distinct counter and a
 * distinct person, so its size is <= |C| and <= |P|. Conversely, pairing the first
 * k = min(|C|, |P|) counters with the first k people in any order is a matching, because every
 * edge exists. Hence the maximum matching has exactly min(|C|, |P|) edges. The property test
 * compares this with an oracle that enumerates all injective assignments over pair-level
 * eligibility.
 *
 * The same completeness shows that every pair (c, p) with c in C and p in P lies in some
 * maximum matching: booking it makes exactly c and p busy at s (their new busy interval is the
 * visit's own range) and leaves the complete graph on C - c and P - p, of size
 * min(|C| - 1, |P| - 1) = capacity - 1. So assignmentCandidates may list every such pair.
 */

/** min(#free counters, #free staff): see the proof at the top. Assumes the calendar allows s. */
function resourceCapacity(p: Prepared, s: number): number {
  const end = s + p.occupancyMs;
  let counters = 0;
  for (const c of p.counters) if (counterFree(c, s, end)) counters++;
  if (counters === 0) return 0;
  let staff = 0;
  // Stop counting people once they no longer limit the capacity.
  for (let i = 0; i < p.staff.length && staff < counters; i++) {
    if (staffFree(p.staff[i], s, end)) staff++;
  }
  return staff;
}

/** Every bookable start in [from, to), in increasing order, with its capacity. */
export function availableSlots(input: AvailabilityInput): Slot[] {
  const p = prepare(input);
  const slots: Slot[] = [];
  if (p.counters.length === 0 || p.staff.length === 0) return slots;
  const lo = Math.max(p.from, p.earliest);
  const hi = Math.min(p.to, p.horizonEnd);
  for (const open of p.open) {
    if (open.start >= hi) break;
    // Jump straight to the first grid point at or after `lo` instead of walking the grid.
    const firstK = Math.max(0, Math.ceil((lo - open.start) / p.gridMs));
    for (let k = firstK; ; k++) {
      // Multiply rather than accumulate, so no rounding drift along the grid.
      const start = open.start + k * p.gridMs;
      if (start >= hi || start + p.visitMs > open.end) break;
      const capacity = resourceCapacity(p, start);
      if (capacity > 0) slots.push({ start, end: start + p.visitMs, capacity });
    }
  }
  return slots;
}

/** Capacity at one start (0 when not bookable for any reason). */
export function capacityAt(input: AvailabilityInput, start: number): number {
  const p = prepare(input);
  return calendarReason(p, start) === undefined ? resourceCapacity(p, start) : 0;
}

/**
 * Why a start is not bookable, for a clear error, or undefined when bookable. Precedence:
 * OFF_GRID / CLOSED, TOO_SOON, BEYOND_HORIZON, OUT_OF_RANGE, FULL.
 */
export function unavailableReason(
  input: AvailabilityInput,
  start: number,
  placement: StartPlacement = 'GRID',
): UnavailableReason | undefined {
  const p = prepare(input);
  const reason = calendarReason(p, start, placement);
  if (reason !== undefined) return reason;
  return resourceCapacity(p, start) > 0 ? undefined : 'FULL';
}

/**
 * The counter/staff pairs to try for a booking at `start`, best first. Every pair listed is
 * part of SOME maximum matching (taking it leaves capacity - 1 for the others). Empty when
 * capacity is 0.
 *
 * All free counter x free staff pairs, staff-major: the best person with each counter (best
 * first), then the second person, and so on. The choice of person matters more than the
 * choice of counter (cross-trained people are the scarce resource), so a retry after a
 * conflict on the counter keeps the best person.
 */
export function assignmentCandidates(
  input: AvailabilityInput,
  start: number,
  placement: StartPlacement = 'GRID',
): Assignment[] {
  const p = prepare(input);
  if (calendarReason(p, start, placement) !== undefined) return [];
  const end = start + p.occupancyMs;
  const counters = p.counters.filter((c) => counterFree(c, start, end));
  const staff = p.staff.filter((v) => staffFree(v, start, end));
  if (counters.length === 0 || staff.length === 0) return [];

  // Least flexible first, so that people trained for more keep time for services only they
  // can give; then the least booked, to spread the load.
  staff.sort(
    (a, b) =>
      a.flexibility - b.flexibility ||
      a.bookedMinutes - b.bookedMinutes ||
      compareIds(a.staff.id, b.staff.id),
  );
  // Busy time counted within the open interval (session) of the start: spreading within the
  // session is what matters; busy time on other days says nothing about this one.
  const session = openIntervalAt(p, start) as Interval;
  const busyInSession = new Map(
    counters.map((c) => [c, overlapLength(c.busy, session.start, session.end)]),
  );
  counters.sort(
    (a, b) =>
      a.unneededFeatures - b.unneededFeatures ||
      (busyInSession.get(a) as number) - (busyInSession.get(b) as number) ||
      compareIds(a.counter.id, b.counter.id),
  );

  const pairs: Assignment[] = [];
  for (const v of staff) {
    for (const c of counters) pairs.push({ counterId: c.counter.id, staffId: v.staff.id });
  }
  return pairs;
}
