import { Scalar, type CustomScalar } from '@nestjs/graphql';
import { GraphQLError, Kind, type ValueNode } from 'graphql';
import { ErrorCode } from '@samservice/platform/errors';

/** Type markers for the contract's scalars (values travel as strings). */
export class LocalDate {}
export class IsoDateTime {}

function badInput(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.BAD_USER_INPUT } });
}

/**
 * The days Samservice handles: nobody alive was born before 1900, and nothing is booked or
 * planned after 2200. Outside them a date is refused at the door (BAD_USER_INPUT), before
 * any calendar arithmetic (some of which stops at year 9999).
 */
export const FIRST_SUPPORTED_DATE = '1900-01-01';
export const LAST_SUPPORTED_DATE = '2200-12-31';

/** A value as a refusal quotes it: never more than a few dozen characters of it. */
function quoted(value: unknown): string {
  const text = String(value);
  return `"${text.length > 40 ? `${text.slice(0, 40)}…` : text}"`;
}

/** The calendar day (YYYY-MM-DD) of a date or date-time string is within the supported days. */
function withinSupportedDays(value: string): boolean {
  const day = value.slice(0, 10);
  return day >= FIRST_SUPPORTED_DATE && day <= LAST_SUPPORTED_DATE;
}

function outsideSupportedDays(value: string): GraphQLError {
  return badInput(
    `${quoted(value)} is outside the days Samservice handles, ${FIRST_SUPPORTED_DATE} to ${LAST_SUPPORTED_DATE}`,
  );
}

function stringLiteral(ast: ValueNode, scalar: string): string {
  if (ast.kind !== Kind.STRING) throw badInput(`${scalar} must be a string`);
  return ast.value;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An id argument that can be a row's id at all (anything else is simply not found). */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(?:Z|[+-](\d{2}):(\d{2}))$/;

/** Whether year-month-day is a day of the (proleptic Gregorian) calendar. */
function isCalendarDay(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  return day <= days;
}

/** `YYYY-MM-DD` that is a real calendar day. */
export function isLocalDate(value: string): boolean {
  const match = LOCAL_DATE.exec(value);
  return match !== null && isCalendarDay(Number(match[1]), Number(match[2]), Number(match[3]));
}

/**
 * ISO-8601 instant with an explicit offset (or Z): a real day, a time of day 00:00–23:59:59
 * and an offset of at most ±23:59. (Checked by hand: this runs for every booking request.)
 */
export function isIsoDateTime(value: string): boolean {
  const match = ISO_DATE_TIME.exec(value);
  if (!match) return false;
  const [, year, month, day, hour, minute, second, , offsetHours, offsetMinutes] = match;
  return (
    isCalendarDay(Number(year), Number(month), Number(day)) &&
    Number(hour) <= 23 &&
    Number(minute) <= 59 &&
    (second === undefined || Number(second) <= 59) &&
    (offsetHours === undefined || (Number(offsetHours) <= 23 && Number(offsetMinutes) <= 59))
  );
}

/**
 * The instant (epoch ms) of a string `isIsoDateTime` accepts; NaN for anything else.
 * Sub-millisecond digits are dropped.
 */
export function parseIsoInstant(value: string): number {
  const match = ISO_DATE_TIME.exec(value);
  if (!match || !isIsoDateTime(value)) return Number.NaN;
  const [, year, month, day, hour, minute, second, fraction, offsetHours, offsetMinutes] = match;
  const wall = Date.UTC(
    Number(year),
    Number(month) - 1,
    Number(day),
    Number(hour),
    Number(minute),
    Number(second ?? 0),
    fraction ? Math.floor(Number(`0${fraction}`) * 1000 + 1e-6) : 0,
  );
  // Date.UTC reads years 0-99 as 1900-1999; set the year itself.
  const instant = new Date(wall);
  instant.setUTCFullYear(Number(year));
  const offset =
    offsetHours === undefined
      ? 0
      : (Number(offsetHours) * 60 + Number(offsetMinutes)) * (value.at(-6) === '-' ? -1 : 1);
  return instant.getTime() - offset * 60_000;
}

@Scalar('Date', () => LocalDate)
export class DateScalar implements CustomScalar<string, string> {
  description = 'An office-local calendar day, YYYY-MM-DD';

  parseValue(value: unknown): string {
    if (typeof value !== 'string' || !isLocalDate(value)) {
      throw badInput(`${quoted(value)} is not a date; use YYYY-MM-DD, e.g. 2027-03-29`);
    }
    if (!withinSupportedDays(value)) throw outsideSupportedDays(value);
    return value;
  }

  serialize(value: unknown): string {
    return String(value);
  }

  parseLiteral(ast: ValueNode): string {
    return this.parseValue(stringLiteral(ast, 'Date'));
  }
}

@Scalar('DateTime', () => IsoDateTime)
export class DateTimeScalar implements CustomScalar<string, string> {
  description = "ISO-8601 instant with the office's UTC offset, e.g. 2027-03-29T09:00:00+02:00";

  parseValue(value: unknown): string {
    if (typeof value !== 'string' || !isIsoDateTime(value)) {
      throw badInput(
        `${quoted(value)} is not a date and time with an offset; use e.g. 2027-03-29T09:00:00+02:00`,
      );
    }
    if (!withinSupportedDays(value)) throw outsideSupportedDays(value);
    return value;
  }

  serialize(value: unknown): string {
    return String(value);
  }

  parseLiteral(ast: ValueNode): string {
    return this.parseValue(stringLiteral(ast, 'DateTime'));
  }
}
