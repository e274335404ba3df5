import { IANAZone } from 'luxon';
import { formatDayNumber, isoWeekday, parseIsoDateOrThrow } from './civil-date';
import { specialDayOn } from './swedish-holidays';
import { localDayToUtc } from './wall-clock';
import { ianaZone, isoInZone } from './zone-offsets';

/** Minutes after local midnight, 0..1440, start < end. */
export interface MinuteInterval {
  startMinute: number;
  endMinute: number;
}

export interface OpeningHoursInput {
  /** IANA zone, e.g. 'Europe/Stockholm'. */
  timeZone: string;
  /** ISO weekday 1 = Monday .. 7 = Sunday; several rows per day allowed (lunch break). */
  weekly: Array<MinuteInterval & { weekday: number }>;
  /** All rows of a date replace that date's hours (extra or shorter hours), even on a holiday. */
  exceptions?: Array<MinuteInterval & { date: string; note?: string }>;
  /** Inclusive local dates on which the office is closed (renovation, strike). */
  closures?: Array<{ from: string; to: string; reason: string }>;
  /** On a short eve, hours are cut at this minute. Default 780 (13:00). */
  eveClosingMinute?: number;
}

export type ClosedReason =
  | { kind: 'CLOSURE'; reason: string }
  | { kind: 'PUBLIC_HOLIDAY' | 'DE_FACTO_HOLIDAY'; nameSv: string; nameEn: string }
  | { kind: 'NO_HOURS' };

export interface OpenInterval {
  /** ISO-8601 with the office's offset, e.g. '2027-03-29T09:00:00.000+02:00'. */
  start: string;
  end: string;
  startUtcMs: number;
  endUtcMs: number;
}

export interface ResolvedDay {
  date: string;
  weekday: number;
  /** Sorted, non-overlapping, non-adjacent. */
  intervals: OpenInterval[];
  /** Present iff intervals is empty. */
  closed?: ClosedReason;
  /** The eve rule governed the day (no closure or exception did), whether or not it cut hours. */
  shortEve?: { nameSv: string; nameEn: string };
  /** Present iff an exception applied: its notes, distinct, joined with '; ' ('' if none). */
  exceptionNote?: string;
}

export const DEFAULT_EVE_CLOSING_MINUTE = 780;

const MINUTES_PER_DAY = 1440;
const MS_PER_DAY = 86_400_000;
const LOCAL_TIME = /^(\d{2}):(\d{2})$/;

interface Plan {
  timeZone: string;
  zone: IANAZone;
  weeklyByWeekday: ReadonlyMap<number, MinuteInterval[]>;
  exceptionsByDate: ReadonlyMap<string, { intervals: MinuteInterval[]; note: string }>;
  closures: ReadonlyArray<{ from: string; to: string; reason: string }>;
  eveClosingMinute: number;
}

/**
 * The office's hours on each local date from `from` to `to` (inclusive YYYY-MM-DD). Per date,
 * a closure beats an exception, which beats a (de-facto) holiday, which beats a short eve's
 * cut of the weekly pattern. Throws on invalid input: callers are expected to validate first.
 */
export function resolveOpeningHours(
  input: OpeningHoursInput,
  from: string,
  to: string,
): ResolvedDay[] {
  const plan = compile(input);
  parseIsoDateOrThrow(from, 'from');
  parseIsoDateOrThrow(to, 'to');
  if (from > to) throw new RangeError(`from (${from}) must not be after to (${to})`);

  const days: ResolvedDay[] = [];
  // Civil day numbers, not instants: 23- and 25-hour days are one date each.
  const last = parseIsoDateOrThrow(to, 'to');
  for (let dayNumber = parseIsoDateOrThrow(from, 'from'); dayNumber <= last; dayNumber++) {
    days.push(resolveDay(plan, formatDayNumber(dayNumber), dayNumber, isoWeekday(dayNumber)));
  }
  return days;
}

/** All open time from `from` to `to` as UTC instants, sorted; touching intervals are joined. */
export function openIntervalsUtc(
  input: OpeningHoursInput,
  from: string,
  to: string,
): Array<{ startUtcMs: number; endUtcMs: number }> {
  const joined: Array<{ startUtcMs: number; endUtcMs: number }> = [];
  for (const day of resolveOpeningHours(input, from, to)) {
    for (const { startUtcMs, endUtcMs } of day.intervals) {
      const previous = joined.at(-1);
      if (previous && startUtcMs <= previous.endUtcMs) {
        previous.endUtcMs = Math.max(previous.endUtcMs, endUtcMs);
      } else {
        joined.push({ startUtcMs, endUtcMs });
      }
    }
  }
  return joined;
}

const validZones = new Map<string, boolean>();

export function isValidTimeZone(zone: string): boolean {
  if (typeof zone !== 'string' || zone.length === 0) return false;
  let valid = validZones.get(zone);
  if (valid === undefined) {
    valid = IANAZone.isValidZone(zone);
    if (validZones.size < 1_000) validZones.set(zone, valid);
  }
  return valid;
}

/** 'HH:MM' (two digits each, 00:00..24:00) as minutes after midnight, else undefined. */
export function parseLocalTime(hhmm: string): number | undefined {
  const match = typeof hhmm === 'string' ? LOCAL_TIME.exec(hhmm) : null;
  if (!match) return undefined;
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  if (minutes > 59) return undefined;
  const minute = hours * 60 + minutes;
  return minute <= MINUTES_PER_DAY ? minute : undefined;
}

/** Minutes after midnight (0..1440) as 'HH:MM'; 1440 is '24:00'. */
export function formatLocalTime(minute: number): string {
  if (!isMinuteOfDay(minute)) {
    throw new RangeError(`Minute must be a whole number from 0 to 1440, got ${minute}`);
  }
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${pad(Math.floor(minute / 60))}:${pad(minute % 60)}`;
}

/** A message for the first interval that is out of 0..1440 or does not start before it ends. */
export function validateIntervals(intervals: MinuteInterval[]): string | undefined {
  for (const [index, { startMinute, endMinute }] of intervals.entries()) {
    const label = `Interval ${index + 1}`;
    if (!isMinuteOfDay(startMinute) || !isMinuteOfDay(endMinute)) {
      const got = `${startMinute}–${endMinute}`;
      return `${label}: times must be whole minutes from 0 (00:00) to 1440 (24:00), got ${got}`;
    }
    if (startMinute >= endMinute) {
      const got = `${formatLocalTime(startMinute)}–${formatLocalTime(endMinute)}`;
      return `${label}: must start before it ends, got ${got}`;
    }
  }
  return undefined;
}

function isMinuteOfDay(minute: number): boolean {
  return Number.isInteger(minute) && minute >= 0 && minute <= MINUTES_PER_DAY;
}

function compile(input: OpeningHoursInput): Plan {
  const { timeZone } = input;
  if (!isValidTimeZone(timeZone)) throw new RangeError(`Unknown time zone '${timeZone}'`);

  const eveClosingMinute = input.eveClosingMinute ?? DEFAULT_EVE_CLOSING_MINUTE;
  if (!isMinuteOfDay(eveClosingMinute)) {
    throw new RangeError(`eveClosingMinute must be a whole number from 0 to 1440`);
  }

  const weeklyRows = new Map<number, MinuteInterval[]>();
  for (const row of input.weekly) {
    if (!Number.isInteger(row.weekday) || row.weekday < 1 || row.weekday > 7) {
      throw new RangeError(`weekday must be 1 (Monday) to 7 (Sunday), got ${row.weekday}`);
    }
    appendTo(weeklyRows, row.weekday, row);
  }

  const exceptionRows = new Map<string, Array<MinuteInterval & { note?: string }>>();
  for (const row of input.exceptions ?? []) {
    parseIsoDateOrThrow(row.date, 'Exception date');
    appendTo(exceptionRows, row.date, row);
  }

  const closures = (input.closures ?? []).map(({ from, to, reason }) => {
    parseIsoDateOrThrow(from, 'Closure from');
    parseIsoDateOrThrow(to, 'Closure to');
    if (from > to) throw new RangeError(`Closure from (${from}) must not be after to (${to})`);
    return { from, to, reason };
  });

  return {
    timeZone,
    zone: ianaZone(timeZone),
    weeklyByWeekday: mapValues(weeklyRows, (rows) => mergeValidated(rows, 'weekly')),
    exceptionsByDate: mapValues(exceptionRows, (rows, date) => ({
      intervals: mergeValidated(rows, `exception ${date}`),
      note: [...new Set(rows.map((row) => row.note).filter((note) => note))].join('; '),
    })),
    closures,
    eveClosingMinute,
  };
}

function resolveDay(plan: Plan, date: string, dayNumber: number, weekday: number): ResolvedDay {
  const closure = plan.closures.find(({ from, to }) => from <= date && date <= to);
  if (closure) {
    return { date, weekday, intervals: [], closed: { kind: 'CLOSURE', reason: closure.reason } };
  }

  const exception = plan.exceptionsByDate.get(date);
  if (exception) {
    return withClosedIfEmpty({
      date,
      weekday,
      intervals: toOpenIntervals(plan, dayNumber, exception.intervals),
      exceptionNote: exception.note,
    });
  }

  const specialDay = specialDayOn(date);
  const weeklyHours = plan.weeklyByWeekday.get(weekday) ?? [];
  if (specialDay?.kind === 'PUBLIC_HOLIDAY' || specialDay?.kind === 'DE_FACTO_HOLIDAY') {
    const { kind, nameSv, nameEn } = specialDay;
    return { date, weekday, intervals: [], closed: { kind, nameSv, nameEn } };
  }
  if (specialDay?.kind === 'SHORT_EVE') {
    const cutHours = weeklyHours
      .filter(({ startMinute }) => startMinute < plan.eveClosingMinute)
      .map(({ startMinute, endMinute }) => ({
        startMinute,
        endMinute: Math.min(endMinute, plan.eveClosingMinute),
      }));
    return withClosedIfEmpty({
      date,
      weekday,
      intervals: toOpenIntervals(plan, dayNumber, cutHours),
      shortEve: { nameSv: specialDay.nameSv, nameEn: specialDay.nameEn },
    });
  }
  return withClosedIfEmpty({
    date,
    weekday,
    intervals: toOpenIntervals(plan, dayNumber, weeklyHours),
  });
}

function withClosedIfEmpty(day: ResolvedDay): ResolvedDay {
  return day.intervals.length > 0 ? day : { ...day, closed: { kind: 'NO_HOURS' } };
}

// `localHours` is sorted and merged. Wall times skipped by a spring-forward gap collapse onto
// the gap's end, so an interval inside a gap vanishes and two around one may come to touch.
function toOpenIntervals(
  plan: Plan,
  dayNumber: number,
  localHours: MinuteInterval[],
): OpenInterval[] {
  // A wall-clock label, not an instant: minute 1440 lands on the next date's 00:00 by itself.
  const instantOf = localDayToUtc(plan.zone, dayNumber * MS_PER_DAY);
  const ranges: Array<{ startUtcMs: number; endUtcMs: number }> = [];
  for (const { startMinute, endMinute } of localHours) {
    const startUtcMs = instantOf(startMinute);
    const endUtcMs = instantOf(endMinute);
    if (endUtcMs <= startUtcMs) continue;
    const previous = ranges.at(-1);
    if (previous && startUtcMs <= previous.endUtcMs) previous.endUtcMs = endUtcMs;
    else ranges.push({ startUtcMs, endUtcMs });
  }
  return ranges.map(({ startUtcMs, endUtcMs }) => ({
    start: isoInZone(startUtcMs, plan.timeZone),
    end: isoInZone(endUtcMs, plan.timeZone),
    startUtcMs,
    endUtcMs,
  }));
}

function mergeValidated(intervals: MinuteInterval[], what: string): MinuteInterval[] {
  const problem = validateIntervals(intervals);
  if (problem) throw new RangeError(`Invalid ${what} hours: ${problem}`);
  const sorted = [...intervals].sort((a, b) => a.startMinute - b.startMinute);
  const merged: MinuteInterval[] = [];
  for (const { startMinute, endMinute } of sorted) {
    const previous = merged.at(-1);
    if (previous && startMinute <= previous.endMinute) {
      previous.endMinute = Math.max(previous.endMinute, endMinute);
    } else {
      merged.push({ startMinute, endMinute });
    }
  }
  return merged;
}

function appendTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function mapValues<K, V, W>(map: ReadonlyMap<K, V>, transform: (value: V, key: K) => W): Map<K, W> {
  return new Map([...map].map(([key, value]) => [key, transform(value, key)]));
}
