import fc from 'fast-check';
import type { AvailabilityInput, EngineCounter, EngineStaff, Interval } from './types';

/*
 * Shared by the property tests: random small calendars, and the pointwise rules of a single
 * booking decided minute by minute from the raw input (all generated instants lie on whole
 * minutes, so checking each minute of a range is exact). Knows nothing of the engine's indexes.
 */

export const MIN = 60_000;
export const DAY_MINUTES = 1440;
// A Monday, on a whole minute: every generated instant is BASE + whole minutes.
export const BASE = Date.UTC(2026, 2, 2);
export const LANGUAGES = ['sv', 'en', 'ar', 'so'];

export const at = (minute: number): number => BASE + minute * MIN;
export const contains = (list: readonly Interval[], t: number): boolean =>
  list.some((i) => i.start <= t && t < i.end);
export const sameLanguage = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

export function visitMinutes(input: AvailabilityInput): number {
  return input.service.durationMinutes + (input.needs?.extraTimeMinutes ?? 0);
}

export function occupancyMinutes(input: AvailabilityInput): number {
  return visitMinutes(input) + input.service.bufferAfterMinutes;
}

export function oracleCounterCanServe(
  input: AvailabilityInput,
  c: EngineCounter,
  s: number,
): boolean {
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

export function oracleStaffCanServe(input: AvailabilityInput, p: EngineStaff, s: number): boolean {
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

// ---- generators ----------------------------------------------------------------------------

export const intervalArb = (maxStart: number, maxLength: number): fc.Arbitrary<Interval> =>
  fc
    .record({
      start: fc.integer({ min: -60, max: maxStart }),
      length: fc.integer({ min: 0, max: maxLength }),
    })
    .map(({ start, length }) => ({ start: at(start), end: at(start + length) }));

/** 1-3 sorted, non-overlapping open intervals, at random; a gap of 0 makes two of them touch. */
export const randomOpenArb = (days: number): fc.Arbitrary<Interval[]> =>
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
export const officeOpenArb = (days: number): fc.Arbitrary<Interval[]> =>
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

export const openArb = (days: number): fc.Arbitrary<Interval[]> =>
  fc.oneof(officeOpenArb(days), randomOpenArb(days));

/** Mostly false: random needs that are all true would leave hardly any counter. */
export const rarely = fc.oneof(
  { arbitrary: fc.constant(false), weight: 3 },
  { arbitrary: fc.constant(true), weight: 1 },
);

export const counterArb = (id: string, days: number): fc.Arbitrary<EngineCounter> =>
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
export const availableArb = (days: number): fc.Arbitrary<Interval[]> =>
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

export const staffArb = (id: string, days: number): fc.Arbitrary<EngineStaff> =>
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

export const needsArb = fc.option(
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
