import { ValidateIf } from 'class-validator';
import { isUuid } from '@samservice/platform/http';
import { formatLocalTime, isValidTimeZone, parseLocalTime } from '@samservice/calendar';
import { DomainError } from '@samservice/platform/errors';

export const MAX_SERVICE_MINUTES = 8 * 60;
export const MAX_HORIZON_DAYS = 730;
/** Party rules of a service: minutes per extra person, and people in one booking. */
export const MAX_PER_PERSON_MINUTES = 120;
export const MAX_PARTY_SIZE = 10;

export { isUuid };

/**
 * Optional, but not null, for an input field whose value the directory cannot do without (its
 * column is NOT NULL): leaving it out keeps the current value, and an explicit null is refused
 * like any other bad value instead of failing in the database. `@IsOptional()` would let null
 * through as well; keep it for the fields where null means something (an open end, pooled time).
 */
export const ValidateIfGiven = () => ValidateIf((_object, value) => value !== undefined);

/** An id argument: malformed ids are simply not found. */
export function requireUuid(value: string, what: string): string {
  if (!isUuid(value)) throw DomainError.notFound(`No ${what} with id "${value}".`);
  return value;
}

/** `HH:mm` (00:00–24:00) to minutes after midnight. */
export function minuteOf(value: string, field: string): number {
  const minute = parseLocalTime(value);
  if (minute === undefined)
    throw DomainError.badInput(`${field}: "${value}" is not a time; use HH:mm, e.g. 09:30.`, field);
  return minute;
}

/** A local time interval; the end must come after the start. */
export function intervalOf(start: string, end: string): { startMinute: number; endMinute: number } {
  const startMinute = minuteOf(start, 'start');
  const endMinute = minuteOf(end, 'end');
  if (endMinute <= startMinute) {
    throw DomainError.badInput(`end: ${end} is not after start ${start}.`, 'end');
  }
  return { startMinute, endMinute };
}

export function timeOf(minute: number): string {
  return formatLocalTime(minute);
}

export function requireTimeZone(zone: string): string {
  if (!isValidTimeZone(zone)) {
    throw DomainError.badInput(
      `timeZone: "${zone}" is not an IANA time zone, e.g. Europe/Stockholm.`,
      'timeZone',
    );
  }
  return zone;
}

export function requireWeekday(weekday: number): number {
  if (!Number.isInteger(weekday) || weekday < 1 || weekday > 7) {
    throw DomainError.badInput('weekday: use 1 (Monday) to 7 (Sunday).', 'weekday');
  }
  return weekday;
}

/** An inclusive date range; `to` may be absent (open-ended). */
export function requireDateOrder(
  from: string | null | undefined,
  to: string | null | undefined,
  fields: [string, string],
): void {
  if (from && to && to < from) {
    throw DomainError.badInput(`${fields[1]}: ${to} is before ${fields[0]} ${from}.`, fields[1]);
  }
}

const languageNames = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' });

/** ISO 639-1 codes (two lowercase letters that name a language). */
export function requireLanguages(codes: string[], field = 'languages'): string[] {
  for (const code of codes) {
    if (!/^[a-z]{2}$/.test(code) || !languageNames.of(code)) {
      throw DomainError.badInput(
        `${field}: "${code}" is not an ISO 639-1 language code such as sv, en, ar.`,
        field,
      );
    }
  }
  return [...new Set(codes)];
}

export function requireNonBlank(value: string, field: string, max = 200): string {
  const trimmed = value.trim();
  if (trimmed.length === 0) throw DomainError.badInput(`${field}: must not be empty.`, field);
  if (trimmed.length > max)
    throw DomainError.badInput(`${field}: at most ${max} characters.`, field);
  return trimmed;
}

export function requireCode(value: string, field = 'code', max = 40): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(value) || value.length > max) {
    throw DomainError.badInput(
      `${field}: "${value}" must be letters, digits, - or _, at most ${max} characters.`,
      field,
    );
  }
  return value;
}

export function requireIntRange(
  value: number,
  field: string,
  min: number,
  max: number,
  unit: string,
): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw DomainError.badInput(
      `${field}: must be a whole number of ${unit} from ${min} to ${max}.`,
      field,
    );
  }
  return value;
}
