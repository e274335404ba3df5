import { covers, disjoint, isClear, lastStartingAtOrBefore, normalize, union } from './intervals';
import type {
  AvailabilityInput,
  EngineCounter,
  EngineStaff,
  Interval,
  StartPlacement,
  UnavailableReason,
} from './types';

/*
 * Internal: the per-service preparation and the pointwise rules of a single booking, shared by
 * availability.ts (one service) and joint-visit.ts (a chain of services). Not exported from the
 * package index.
 */

export const MINUTE_MS = 60_000;

/** A counter with the features this visit needs, and what stops it from serving. */
export interface CounterView {
  counter: EngineCounter;
  /** Busy time and time allocated to another agency, normalized. */
  blocked: Interval[];
  /** Busy time alone, sorted and disjoint (may touch), for spreading the load. */
  busy: Interval[];
  /** Features this visit does not need: using such a counter wastes a scarce room. */
  unneededFeatures: number;
}

/** A person competent for the service who meets the language need. */
export interface StaffView {
  staff: EngineStaff;
  available: Interval[];
  /** Sorted and disjoint (may touch): only searched with isClear. */
  busy: Interval[];
  /** Competences beyond this service: the higher, the more other services need this person. */
  flexibility: number;
  bookedMinutes: number;
}

export interface Prepared {
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

export function requireNumber(value: number, name: string, min: number, allowMin: boolean): void {
  // Garbage here would loop forever on the grid or silently return nonsense, so reject it.
  if (!Number.isFinite(value) || value < min || (!allowMin && value === min)) {
    const bound = allowMin ? `>= ${min}` : `> ${min}`;
    throw new RangeError(`${name} must be a finite number ${bound}, got ${value}`);
  }
}

export function sameLanguage(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

function countDistinctExcept(values: readonly string[], except: string): number {
  const distinct = new Set(values);
  distinct.delete(except);
  return distinct.size;
}

/**
 * Normalized interval lists by their (unchanged) input array, shared by the preparations of
 * several services over the same resources (a joint visit).
 */
export type NormalizeMemo = Map<readonly Interval[], Interval[]>;

/** Everything that does not depend on the start, computed once per call. */
export function prepare(input: AvailabilityInput, memo?: NormalizeMemo): Prepared {
  const memoized =
    (how: (list: readonly Interval[]) => Interval[]) =>
    (list: readonly Interval[]): Interval[] => {
      if (memo === undefined) return how(list);
      let known = memo.get(list);
      if (known === undefined) memo.set(list, (known = how(list)));
      return known;
    };
  // Available time is searched with covers (needs merged lists); busy time only with isClear.
  const norm = memoized(normalize);
  const busyList = memoized(disjoint);
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
      blocked: union(busyList(counter.busy), normalize(foreign)),
      busy: busyList(counter.busy),
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
        available: norm(person.available),
        busy: busyList(person.busy),
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
export function openIntervalAt(p: Prepared, s: number): Interval | undefined {
  const i = lastStartingAtOrBefore(p.open, s);
  return i >= 0 && s < p.open[i].end ? p.open[i] : undefined;
}

/**
 * Every reason except FULL, in order of precedence. With `placement` AS_BOOKED the service's
 * grid does not apply (see StartPlacement); every other rule does.
 */
export function calendarReason(
  p: Prepared,
  s: number,
  placement: StartPlacement = 'GRID',
): UnavailableReason | undefined {
  const open = openIntervalAt(p, s);
  if (open === undefined) return 'CLOSED';
  if (placement === 'GRID' && (s - open.start) % p.gridMs !== 0) return 'OFF_GRID';
  // Only the citizen's visit must end by closing; the buffer may run past it.
  if (s + p.visitMs > open.end) return 'CLOSED';
  if (s < p.earliest) return 'TOO_SOON';
  if (s >= p.horizonEnd) return 'BEYOND_HORIZON';
  if (s < p.from || s >= p.to) return 'OUT_OF_RANGE';
  return undefined;
}

export function counterFree(c: CounterView, s: number, end: number): boolean {
  return isClear(c.blocked, s, end);
}

export function staffFree(v: StaffView, s: number, end: number): boolean {
  // The buffer is work time too, so the person must be at work until it ends.
  return covers(v.available, s, end) && isClear(v.busy, s, end);
}

export function compareIds(a: string, b: string): number {
  // Not localeCompare: the order must not depend on the runtime's locale.
  return a < b ? -1 : a > b ? 1 : 0;
}
