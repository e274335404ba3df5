import { formatDayNumber, isoWeekday, parseIsoDateOrThrow } from './civil-date';
import { localDayToUtc } from './wall-clock';
import { ianaZone } from './zone-offsets';

const MS_PER_DAY = 86_400_000;

/**
 * The UTC instant (epoch ms) of minute `minute` (0..1440) of local date `date` in `timeZone`,
 * resolved like opening hours are (repeated autumn times: the earlier; skipped spring times:
 * the first instant after the gap). For schedules kept as local minutes (shifts, allocations).
 */
export function localMinuteToUtc(timeZone: string, date: string, minute: number): number {
  return localDayConverter(timeZone, date)(minute);
}

/**
 * A converter of minutes of one local date to UTC instants, resolved once per date: for
 * schedules that turn many local times of the same days into instants (availability).
 */
export function localDayConverter(timeZone: string, date: string): (minute: number) => number {
  return localDayToUtc(ianaZone(timeZone), parseIsoDateOrThrow(date, 'date') * MS_PER_DAY);
}

/** Local dates from..to inclusive (YYYY-MM-DD), in order. */
export function localDates(from: string, to: string): string[] {
  const first = parseIsoDateOrThrow(from, 'from');
  const last = parseIsoDateOrThrow(to, 'to');
  const dates: string[] = [];
  for (let day = first; day <= last; day++)
    dates.push(new Date(day * MS_PER_DAY).toISOString().slice(0, 10));
  return dates;
}

/**
 * How many local dates from..to inclusive (0 when to is before from), worked out from the
 * day numbers: a range is checked against its limit before any day of it is made.
 */
export function dayCount(from: string, to: string): number {
  return Math.max(0, parseIsoDateOrThrow(to, 'to') - parseIsoDateOrThrow(from, 'from') + 1);
}

/** The local date `days` after `date` (YYYY-MM-DD; negative goes back). */
export function addDays(date: string, days: number): string {
  return formatDayNumber(parseIsoDateOrThrow(date, 'date') + days);
}

/** ISO weekday of a local date: 1 = Monday … 7 = Sunday. */
export function weekdayOf(date: string): number {
  return isoWeekday(parseIsoDateOrThrow(date, 'date'));
}
