// Identity numbers inside free text (error messages, log lines): masking what is shaped like
// one, and finding what really is one. Both spare UUIDs: their groups of digits can look like a
// birth date and a serial number, and a mangled id no longer finds its row or request.

import { daysInMonth } from './civil-date';
import { luhnCheckDigit } from './luhn';

const UUID = '[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}';
// Not part of a longer number, nor inside an escape, but the digits of an escape before it
// do not count: %22 before a number in a URL, \u0001 in a JSON string. Letters may touch it
// (\n in a JSON string, a parameter name): a shaped number is masked wherever it stands.
const START = String.raw`(?:(?<=%[0-9A-Fa-f]{2}|\\u[0-9A-Fa-f]{4})|(?<![\d%]|%[0-9A-Fa-f]|\\u[0-9A-Fa-f]{0,3}))`;
// - or +, also URL-encoded (a + in a query string arrives as %2B).
const SEPARATOR = '(?:[-+]|%2[BbDd])?';
// 6 or 8 digits of birth date (samordningsnummer: day + 60), a separator, 4 digits.
const SHAPED = String.raw`${START}(?:\d{2})?\d{6}${SEPARATOR}\d{4}(?!\d)`;
// The lookaheads first: most characters fail there, before the lookbehinds are tried.
const SHAPED_IN_TEXT = new RegExp(`(?=[0-9A-Fa-f])(?:(${UUID})|(?=\\d)${SHAPED})`, 'g');

/**
 * Replaces everything shaped like a personal identity number (10 or 12 digits, with or
 * without `-` or `+`, also URL-encoded, valid or not: a mistyped number is personal too) by
 * what `replacement` makes of it. UUIDs are kept whole.
 */
export function replaceIdentityNumbers(
  text: string,
  replacement: (written: string) => string,
): string {
  return text.replace(SHAPED_IN_TEXT, (match: string, uuid: string | undefined) =>
    uuid ? uuid : replacement(match),
  );
}

/**
 * A written number with its last four digits hidden and its birth date kept as written:
 * `19850709-****`, `850709-****` (`+` kept for a 10-digit number of someone 100 or older).
 * A samordningsnummer keeps its day + 60: the first digits are never changed.
 */
export function maskWrittenIdentityNumber(written: string): string {
  const digits = written.replace(/%2[BbDd]/g, (escape) =>
    escape.toUpperCase() === '%2B' ? '+' : '-',
  );
  const plus = digits.includes('+');
  const birth = digits.replace(/\D/g, '').slice(0, -4);
  return `${birth}${plus ? '+' : '-'}****`;
}

/**
 * What a response may carry instead of an identity number: every number-shaped run in `text`
 * with its last four digits hidden (`19121212-****`). Error messages echo what was sent
 * (graphql-js quotes a refused variable's value), so they pass through this.
 */
export function maskIdentityNumbersInText(text: string): string {
  return replaceIdentityNumbers(text, maskWrittenIdentityNumber);
}

/** The masked form of a stored (normalized, 12-digit) number: 'YYYYMMDD-****'. */
export function maskNormalizedIdentityNumber(normalized: string): string {
  return `${normalized.slice(0, 8)}-****`;
}

export interface FoundIdentityNumber {
  /** Where it starts in the text. */
  index: number;
  /** As it stands in the text. */
  written: string;
}

// A number standing alone: not inside a longer run of letters and digits, but after a JSON
// escape (\n, \u0022) or a URL escape (%3D) it counts as alone.
const ALONE_BEFORE = String.raw`(?:(?<![A-Za-z0-9])|(?<=\\[nrtbf])|(?<=\\u[0-9A-Fa-f]{4})|(?<=%[0-9A-Fa-f]{2}))`;
const CANDIDATE = String.raw`${ALONE_BEFORE}(\d{2})?(\d{6})(?:[-+]|%2[BbDd])?(\d{4})(?![A-Za-z0-9])`;
const CANDIDATE_IN_TEXT = new RegExp(`(${UUID})|${CANDIDATE}`, 'g');

const COORDINATION_DAY_OFFSET = 60;

function existsIn(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/**
 * Is this a real identity number's date and check digit? `yymmdd` with day + 60 for a
 * samordningsnummer; without a century any century will do (29 February 2000 and 1900 differ).
 */
function isValidNumber(century: string | undefined, yymmdd: string, serial: string): boolean {
  if (luhnCheckDigit(yymmdd + serial.slice(0, 3)) !== Number(serial[3])) return false;
  const yy = Number(yymmdd.slice(0, 2));
  const month = Number(yymmdd.slice(2, 4));
  const writtenDay = Number(yymmdd.slice(4, 6));
  const day =
    writtenDay > COORDINATION_DAY_OFFSET ? writtenDay - COORDINATION_DAY_OFFSET : writtenDay;
  const centuries = century === undefined ? [18, 19, 20] : [Number(century)];
  return centuries.some((c) => existsIn(c * 100 + yy, month, day));
}

/**
 * Every valid personnummer or samordningsnummer in `text` (10 or 12 digits, with or without
 * `-` or `+`, also URL-encoded; correct check digit and an existing date) standing alone: not
 * inside a longer run of letters and digits, not a group of a UUID. What a log line must never
 * hold. No clock: a 12-digit number with a date in the future is still reported.
 */
export function findIdentityNumbers(text: string): FoundIdentityNumber[] {
  const found: FoundIdentityNumber[] = [];
  for (const match of text.matchAll(CANDIDATE_IN_TEXT)) {
    const [written, uuid, century, yymmdd, serial] = match;
    if (uuid || yymmdd === undefined || serial === undefined) continue;
    if (isValidNumber(century, yymmdd, serial)) found.push({ index: match.index, written });
  }
  return found;
}
