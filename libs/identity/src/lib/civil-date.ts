// Just enough Gregorian calendar for birth dates: existence, ordering and whole years of age.
// Dates stay plain year/month/day numbers so the library needs no zone, clock or date library.

export interface CivilDate {
  year: number;
  month: number;
  day: number;
}

export type MonthDay = Pick<CivilDate, 'month' | 'day'>;

const ISO_DATE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

export function isExistingDate({ year, month, day }: CivilDate): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** Negative, zero or positive as `a` is before, the same day as or after `b`. */
export function compareDates(a: CivilDate, b: CivilDate): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

/** Whether month/day `a` comes after month/day `b` within any one year. */
export function isLaterInYear(a: MonthDay, b: MonthDay): boolean {
  return a.month - b.month > 0 || (a.month === b.month && a.day > b.day);
}

/**
 * Completed years of age on `today`: the birthday counts from its own date, so someone born on
 * 29 February has a year more from 1 March in common years (the same rule the century of a
 * 10-digit number is resolved by, which keeps formatting and parsing consistent).
 */
export function ageOn(birth: CivilDate, today: CivilDate): number {
  return today.year - birth.year - (isLaterInYear(birth, today) ? 1 : 0);
}

export function parseIsoDate(text: string): CivilDate | undefined {
  const match = typeof text === 'string' ? ISO_DATE.exec(text) : null;
  if (!match) return undefined;
  const date = { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
  return isExistingDate(date) ? date : undefined;
}

export function formatIsoDate({ year, month, day }: CivilDate): string {
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

export function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}
