import {
  ageOn,
  CivilDate,
  compareDates,
  formatIsoDate,
  isExistingDate,
  isLaterInYear,
  MonthDay,
  parseIsoDate,
} from './civil-date';
import { luhnCheckDigit } from './luhn';

export type IdentityKind = 'PERSONNUMMER' | 'SAMORDNINGSNUMMER';

export interface IdentityNumber {
  /** 12 digits, YYYYMMDDNNNC, day as written (samordningsnummer keep day + 60). The one form stored and compared. */
  normalized: string;
  kind: IdentityKind;
  /** The real birth date YYYY-MM-DD (for a samordningsnummer: day - 60). */
  birthDate: string;
}

export type IdentityProblem = 'FORMAT' | 'DATE' | 'CHECKSUM' | 'FUTURE';

export type ParsedIdentity =
  { ok: true; value: IdentityNumber } | { ok: false; problem: IdentityProblem; message: string };

// Optional century, date, optional separator, serial and check digit. ASCII digits only: other
// scripts' digits or inner spaces are not a form anyone is asked to write.
const WRITTEN_FORM = /^([0-9]{2})?([0-9]{6})([-+]?)([0-9]{4})$/;
const TWELVE_DIGITS = /^[0-9]{12}$/;
// A samordningsnummer writes the day of birth plus 60, so days 61..91 mean real days 1..31.
const COORDINATION_DAY_OFFSET = 60;
const CENTENARIAN_AGE = 100;
// The year personnummer were introduced: no caller's today is earlier, and it keeps every year a
// 10-digit number can resolve to (at most 199 years back) a non-negative four-digit year.
const MIN_TODAY_YEAR = 1947;

const MESSAGES = {
  FORMAT: 'Write the personal identity number as YYYYMMDD-NNNN or YYMMDD-NNNN.',
  PLUS_UNDER_100:
    "Use '+' only when the person is 100 or older: write the number as YYYYMMDD-NNNN.",
  DATE: 'The date of birth in the number does not exist: check the year, month and day.',
  FUTURE: 'The date of birth in the number is in the future: check the year.',
  CHECKSUM: 'The last digit does not match: check the number.',
} as const;

/**
 * Reads a personnummer or samordningsnummer in any form a citizen may write it (10 or 12 digits,
 * with '-', '+' or no separator, surrounding whitespace ignored) relative to the caller's local
 * date `today` (YYYY-MM-DD), which decides the century of a 10-digit number.
 * Throws RangeError only when `today` itself is not an existing date from 1947 on.
 */
export function parseIdentityNumber(input: string, today: string): ParsedIdentity {
  const todayDate = parseToday(today);
  const match = typeof input === 'string' ? WRITTEN_FORM.exec(input.trim()) : null;
  if (!match) return failure('FORMAT', MESSAGES.FORMAT);
  const [, century, yymmdd, separator, serialAndCheck] = match;
  const plus = separator === '+';

  const yy = Number(yymmdd.slice(0, 2));
  const month = Number(yymmdd.slice(2, 4));
  const writtenDay = Number(yymmdd.slice(4, 6));
  const kind: IdentityKind =
    writtenDay > COORDINATION_DAY_OFFSET ? 'SAMORDNINGSNUMMER' : 'PERSONNUMMER';
  const day = kind === 'SAMORDNINGSNUMMER' ? writtenDay - COORDINATION_DAY_OFFSET : writtenDay;
  // Checked before the century is chosen: a month or day no year has cannot pick one.
  if (month < 1 || month > 12 || day < 1 || day > 31) return failure('DATE', MESSAGES.DATE);

  const year =
    century === undefined
      ? resolveYear(yy, { month, day }, plus, todayDate)
      : Number(century) * 100 + yy;
  const birth: CivilDate = { year, month, day };
  // After the century: 29 February exists in 2000 but not in 1900.
  if (!isExistingDate(birth)) return failure('DATE', MESSAGES.DATE);
  // Only a 12-digit number can get here with a future date: a 10-digit one resolves to the past.
  if (compareDates(birth, todayDate) > 0) return failure('FUTURE', MESSAGES.FUTURE);
  if (plus && century !== undefined && ageOn(birth, todayDate) < CENTENARIAN_AGE) {
    return failure('FORMAT', MESSAGES.PLUS_UNDER_100);
  }

  // The check digit covers the 2-digit year form, so the century of a 12-digit number is not
  // protected by it: that is how the numbers are issued, not a gap to close here.
  const checkDigit = Number(serialAndCheck[3]);
  if (luhnCheckDigit(yymmdd + serialAndCheck.slice(0, 3)) !== checkDigit) {
    return failure('CHECKSUM', MESSAGES.CHECKSUM);
  }

  return {
    ok: true,
    value: {
      normalized: `${String(year).padStart(4, '0')}${yymmdd.slice(2)}${serialAndCheck}`,
      kind,
      birthDate: formatIsoDate(birth),
    },
  };
}

export function isValidIdentityNumber(input: string, today: string): boolean {
  return parseIdentityNumber(input, today).ok;
}

/**
 * 'YYYYMMDD-NNNN' (12-digit form with hyphen) or 'YYMMDD-NNNN' / 'YYMMDD+NNNN' (10-digit form; '+' when the person is 100 or older on `today`).
 * The 10-digit form only names a century relative to `today`, so it throws RangeError for a birth
 * date after `today` or 200 or more years before it: such a text would read back as another date.
 */
export function formatIdentityNumber(value: IdentityNumber, style: 12 | 10, today: string): string {
  const digits = value.normalized;
  if (typeof digits !== 'string' || !TWELVE_DIGITS.test(digits)) {
    throw new RangeError(`Expected a normalized 12-digit identity number, got '${String(digits)}'`);
  }
  if (style === 12) return `${digits.slice(0, 8)}-${digits.slice(8)}`;
  if (style !== 10) throw new RangeError(`Expected style 12 or 10, got ${String(style)}`);

  const todayDate = parseToday(today);
  const birth = parseIsoDate(value.birthDate);
  if (!birth) {
    throw new RangeError(`Expected birthDate as an existing YYYY-MM-DD, got '${value.birthDate}'`);
  }
  const age = ageOn(birth, todayDate);
  if (age < 0 || age >= 2 * CENTENARIAN_AGE) {
    throw new RangeError(
      `A number with birth date ${value.birthDate} cannot be written unambiguously with 10 digits on ${today}`,
    );
  }
  return `${digits.slice(2, 8)}${age >= CENTENARIAN_AGE ? '+' : '-'}${digits.slice(8)}`;
}

/** For display and support: 'YYYYMMDD-****'. Never logs-safe by itself, but hides the last four. */
export function maskIdentityNumber(value: IdentityNumber): string {
  return `${value.normalized.slice(0, 8)}-****`;
}

/**
 * The century of a 10-digit number: the latest year ending in `yy` in which the person is
 * already born on `today` and under 100 ('-' or no separator), or already 100 ('+').
 */
function resolveYear(yy: number, monthDay: MonthDay, plus: boolean, today: CivilDate): number {
  // The latest year the birth may be in; for '+' the 100th birthday must not be after today.
  const latestYear = today.year - (plus ? CENTENARIAN_AGE : 0);
  const year = latestYear - ((((latestYear - yy) % 100) + 100) % 100);
  // In the latest year itself, a birthday later in the year than today has not come yet.
  return year === latestYear && isLaterInYear(monthDay, today) ? year - 100 : year;
}

function parseToday(today: string): CivilDate {
  const date = parseIsoDate(today);
  if (!date || date.year < MIN_TODAY_YEAR) {
    throw new RangeError(
      `today must be an existing date as YYYY-MM-DD from ${MIN_TODAY_YEAR} on, got '${today}'`,
    );
  }
  return date;
}

function failure(problem: IdentityProblem, message: string): ParsedIdentity {
  return { ok: false, problem, message };
}
