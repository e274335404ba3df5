import { covers, isClear, lastStartingAtOrBefore, normalize, overlapLength } from './intervals';
import type {
  Assignment,
  AvailabilityInput,
  EngineCounter,
  EngineStaff,
  Interval,
  Slot,
  UnavailableReason,
} from './types';

const MINUTE_MS = 60_000;

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

/** A counter with the features this visit needs, and what stops it from serving. */
interface CounterView {
  counter: EngineCounter;
  /** Busy time and time allocated to another agency, normalized. */
  blocked: Interval[];
  /** Busy time alone, normalized (for spreading the load). */
  busy: Interval[];
  /** Features this visit does not need: using such a counter wastes a scarce room. */
  unneededFeatures: number;
}

/** A person competent for the service who meets the language need. */
interface StaffView {
  staff: EngineStaff;
  available: Interval[];
  busy: Interval[];
  /** Competences beyond this service: the higher, the more other services need this person. */
  flexibility: number;
  bookedMinutes: number;
}

interface Prepared {
  /** Duration plus extra time: the citizen's part, which must lie inside one open interval. */
  visitMs: number;
  /** Visit plus buffer: the part counter and staff are busy for. */
  occupancyMs: number;
  gridMs: number;
  /** Sorted by start, empty ones dropped, deliberately not merged (a visit lies inside one). */
  open: Interval[];
  earliest: number;
  horizonEnd: number;
  from: number;
  to: number;
  counters: CounterView[];
  staff: StaffView[];
}

function requireNumber(value: number, name: string, min: number, allowMin: boolean): void {
  // Garbage here would loop forever on the grid or silently return nonsense, so reject it.
  if (!Number.isFinite(value) || value < min || (!allowMin && value === min)) {
    const bound = allowMin ? `>= ${min}` : `> ${min}`;
    throw new RangeError(`${name} must be a finite number ${bound}, got ${value}`);
  }
}

function sameLanguage(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

function countDistinctExcept(values: readonly string[], except: string): number {
  const distinct = new Set(values);
  distinct.delete(except);
  return distinct.size;
}

/** Everything that does not depend on the start, computed once per call. */
function prepare(input: AvailabilityInput): Prepared {
  const { service } = input;
  const needs = input.needs ?? {};
  const extraMinutes = needs.extraTimeMinutes ?? 0;
  requireNumber(service.durationMinutes, 'service.durationMinutes', 0, false);
  requireNumber(service.bufferAfterMinutes, 'service.bufferAfterMinutes', 0, true);
  requireNumber(service.slotGranularityMinutes, 'service.slotGranularityMinutes', 0, false);
  requireNumber(service.minNoticeMinutes, 'service.minNoticeMinutes', 0, true);
  requireNumber(extraMinutes, 'needs.extraTimeMinutes', 0, true);

  const visitMs = (service.durationMinutes + extraMinutes) * MINUTE_MS;
  const occupancyMs = visitMs + service.bufferAfterMinutes * MINUTE_MS;

  const needsPrivateRoom = service.needsPrivateRoom || needs.privateRoom === true;
  const needsAccessibleDesk = needs.wheelchairAccess === true;
  const needsHearingLoop = needs.hearingLoop === true;
  const counters: CounterView[] = [];
  for (const counter of input.counters) {
    if (needsPrivateRoom && !counter.privateRoom) continue;
    if (needsAccessibleDesk && !counter.accessibleDesk) continue;
    if (needsHearingLoop && !counter.hearingLoop) continue;
    const foreign = counter.allocations.filter(
      (a) => a.agencyId !== null && a.agencyId !== service.agencyId,
    );
    counters.push({
      counter,
      blocked: normalize([...counter.busy, ...foreign]),
      busy: normalize(counter.busy),
      unneededFeatures:
        Number(counter.privateRoom && !needsPrivateRoom) +
        Number(counter.accessibleDesk && !needsAccessibleDesk) +
        Number(counter.hearingLoop && !needsHearingLoop),
    });
  }

  // Language: with a need, the service must list the language; without an interpreter the
  // person must also speak it. The service listing it is required even with an interpreter,
  // because the service's languages are those it may be given in at all.
  const language = needs.language;
  const serviceOffersLanguage =
    language === undefined || service.languages.some((l) => sameLanguage(l, language));
  const staffMustSpeak = language !== undefined && needs.interpreterAllowed !== true;
  const staff: StaffView[] = [];
  if (serviceOffersLanguage) {
    for (const person of input.staff) {
      const competent =
        person.agencyIds.includes(service.agencyId) || person.serviceIds.includes(service.id);
      if (!competent) continue;
      if (staffMustSpeak && !person.languages.some((l) => sameLanguage(l, language))) continue;
      staff.push({
        staff: person,
        available: normalize(person.available),
        busy: normalize(person.busy),
        flexibility:
          countDistinctExcept(person.agencyIds, service.agencyId) +
          countDistinctExcept(person.serviceIds, service.id),
        bookedMinutes: person.bookedMinutes ?? 0,
      });
    }
  }

  return {
    visitMs,
    occupancyMs,
    gridMs: service.slotGranularityMinutes * MINUTE_MS,
    open: input.open
      .filter((o) => o.end > o.start)
      .map((o) => ({ start: o.start, end: o.end }))
      .sort((a, b) => a.start - b.start || a.end - b.end),
    earliest: input.now + service.minNoticeMinutes * MINUTE_MS,
    horizonEnd: input.horizonEnd,
    from: input.from,
    to: input.to,
    counters,
    staff,
  };
}

/** The open interval containing s, if any. */
function openIntervalAt(p: Prepared, s: number): Interval | undefined {
  const i = lastStartingAtOrBefore(p.open, s);
  return i >= 0 && s < p.open[i].end ? p.open[i] : undefined;
}

/** Every reason except FULL, in order of precedence. */
function calendarReason(p: Prepared, s: number): UnavailableReason | undefined {
  const open = openIntervalAt(p, s);
  if (open === undefined) return 'CLOSED';
  if ((s - open.start) % p.gridMs !== 0) return 'OFF_GRID';
  // Only the citizen's visit must end by closing; the buffer may run past it.
  if (s + p.visitMs > open.end) return 'CLOSED';
  if (s < p.earliest) return 'TOO_SOON';
  if (s >= p.horizonEnd) return 'BEYOND_HORIZON';
  if (s < p.from || s >= p.to) return 'OUT_OF_RANGE';
  return undefined;
}

function counterFree(c: CounterView, s: number, end: number): boolean {
  return isClear(c.blocked, s, end);
}

function staffFree(v: StaffView, s: number, end: number): boolean {
  // The buffer is work time too, so the person must be at work until it ends.
  return covers(v.available, s, end) && isClear(v.busy, s, end);
}

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

function compareIds(a: string, b: string): number {
  // Not localeCompare: the order must not depend on the runtime's locale.
  return a < b ? -1 : a > b ? 1 : 0;
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
): UnavailableReason | undefined {
  const p = prepare(input);
  const reason = calendarReason(p, start);
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
export function assignmentCandidates(input: AvailabilityInput, start: number): Assignment[] {
  const p = prepare(input);
  if (calendarReason(p, start) !== undefined) return [];
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
