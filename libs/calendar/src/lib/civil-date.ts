// Calendar dates as plain integers (days since 1970-01-01, proleptic Gregorian). Holiday rules
// are about dates, not instants, so they need no zone and stay fast when evaluated for every
// day of a range. Algorithms: Howard Hinnant, "chrono-Compatible Low-Level Date Algorithms".

export interface CivilDate {
  year: number;
  month: number;
  day: number;
}

export const MIN_SUPPORTED_YEAR = 0;
export const MAX_SUPPORTED_YEAR = 9999;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAYS_PER_400_YEARS = 146_097;
const DAYS_FROM_0000_03_01_TO_1970_01_01 = 719_468;

export function isSupportedYear(year: number): boolean {
  return Number.isInteger(year) && year >= MIN_SUPPORTED_YEAR && year <= MAX_SUPPORTED_YEAR;
}

export function assertSupportedYear(year: number): void {
  if (!isSupportedYear(year)) {
    throw new RangeError(
      `Year must be a whole number from ${MIN_SUPPORTED_YEAR} to ${MAX_SUPPORTED_YEAR}, got ${year}`,
    );
  }
}

/** Days since 1970-01-01 of a strict `YYYY-MM-DD` date that exists, else undefined. */
export function parseIsoDate(text: string): number | undefined {
  const match = typeof text === 'string' ? ISO_DATE.exec(text) : null;
  if (!match) return undefined;
  const date = { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
  if (date.month < 1 || date.month > 12 || date.day < 1) return undefined;
  const dayNumber = toDayNumber(date);
  // Rolling over (31 April -> 1 May) shows that the day does not exist in that month.
  return fromDayNumber(dayNumber).month === date.month ? dayNumber : undefined;
}

export function parseIsoDateOrThrow(text: string, what: string): number {
  const dayNumber = parseIsoDate(text);
  if (dayNumber === undefined) {
    throw new RangeError(`${what} must be an existing date as YYYY-MM-DD, got '${text}'`);
  }
  return dayNumber;
}

export function toDayNumber({ year, month, day }: CivilDate): number {
  const yearFromMarch = month <= 2 ? year - 1 : year;
  const era = Math.floor(yearFromMarch / 400);
  const yearOfEra = yearFromMarch - era * 400;
  const monthFromMarch = (month + 9) % 12;
  const dayOfYear = Math.floor((153 * monthFromMarch + 2) / 5) + day - 1;
  const dayOfEra =
    yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * DAYS_PER_400_YEARS + dayOfEra - DAYS_FROM_0000_03_01_TO_1970_01_01;
}

export function fromDayNumber(dayNumber: number): CivilDate {
  const shifted = dayNumber + DAYS_FROM_0000_03_01_TO_1970_01_01;
  const era = Math.floor(shifted / DAYS_PER_400_YEARS);
  const dayOfEra = shifted - era * DAYS_PER_400_YEARS;
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36_524) -
      Math.floor(dayOfEra / 146_096)) /
      365,
  );
  const dayOfYear =
    dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthFromMarch + 2) / 5) + 1;
  const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return { year, month, day };
}

export function formatDayNumber(dayNumber: number): string {
  const { year, month, day } = fromDayNumber(dayNumber);
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

/** ISO weekday, 1 = Monday .. 7 = Sunday. */
export function isoWeekday(dayNumber: number): number {
  // 1970-01-01 was a Thursday.
  return ((((dayNumber + 3) % 7) + 7) % 7) + 1;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}
