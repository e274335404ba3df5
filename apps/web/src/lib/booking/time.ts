/**
 * Dates and times of an office, always in the office's own time zone (`Office.timeZone`),
 * never the browser's: a citizen abroad sees the office's clock, marked "(svensk tid)".
 */
export type Locale = 'sv' | 'en';

const tag = (locale: Locale) => (locale === 'sv' ? 'sv-SE' : 'en-GB');

/** "måndag 29 mars" / "Monday 29 March". */
export function formatDay(iso: string | Date, timeZone: string, locale: Locale): string {
  return new Intl.DateTimeFormat(tag(locale), {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    timeZone,
  }).format(new Date(iso));
}

/** "09:00". */
export function formatTime(iso: string | Date, timeZone: string, locale: Locale): string {
  return new Intl.DateTimeFormat(tag(locale), {
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone,
  }).format(new Date(iso));
}

/** "mån 29/3" / "Mon 29/3": a week view's column. */
export function formatShortDay(iso: string | Date, timeZone: string, locale: Locale): string {
  const d = new Date(iso);
  const weekday = new Intl.DateTimeFormat(tag(locale), { weekday: 'short', timeZone }).format(d);
  const [, month, day] = dayKey(d, timeZone).split('-');
  return `${weekday} ${Number(day)}/${Number(month)}`;
}

/** The office-local calendar day of an instant, YYYY-MM-DD. */
export function dayKey(iso: string | Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    timeZone,
  }).format(new Date(iso));
}

/** YYYY-MM-DD plus n days (calendar arithmetic, no zone involved). */
export function addDays(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/** The Monday of the week of a YYYY-MM-DD day. */
export function mondayOf(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const weekday = (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7;
  return addDays(day, -weekday);
}

/** A YYYY-MM-DD day as an instant at noon UTC (safe to format as that day in Europe). */
export function noonOf(day: string): Date {
  return new Date(`${day}T12:00:00Z`);
}
