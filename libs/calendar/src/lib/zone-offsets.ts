import { IANAZone } from 'luxon';

const MS_PER_MINUTE = 60_000;
const MS_PER_HOUR = 3_600_000;
/** Hours remembered per zone before the memory is cleared (about 23 years of hours). */
const MAX_HOURS_PER_ZONE = 200_000;

const zones = new Map<string, IANAZone>();
const hourOffsets = new Map<IANAZone, Map<number, number | null>>();

/** The luxon zone of an IANA name, made once; throws a RangeError for an unknown name. */
export function ianaZone(timeZone: string): IANAZone {
  let zone = zones.get(timeZone);
  if (!zone) {
    zone = IANAZone.create(timeZone);
    if (!zone.isValid) throw new RangeError(`invalid time zone: ${timeZone}`);
    zones.set(timeZone, zone);
  }
  return zone;
}

/**
 * The zone's UTC offset in minutes at an instant: the same answer as `zone.offset(instant)`,
 * from memory for every hour the offset does not change within. Asking Intl for an offset
 * costs microseconds, and availability asks thousands of times per request. An hour whose
 * offsets at its start and its end agree has no transition inside it (real zones never change
 * their clocks twice within an hour), so one offset serves the whole hour; an hour with a
 * transition is always asked exactly.
 */
export function offsetAt(zone: IANAZone, instant: number): number {
  let hours = hourOffsets.get(zone);
  if (!hours) {
    hours = new Map();
    hourOffsets.set(zone, hours);
  }
  const hour = Math.floor(instant / MS_PER_HOUR);
  let known = hours.get(hour);
  if (known === undefined) {
    const atStart = zone.offset(hour * MS_PER_HOUR);
    const atEnd = zone.offset((hour + 1) * MS_PER_HOUR - 1);
    known = atStart === atEnd ? atStart : null;
    if (hours.size >= MAX_HOURS_PER_ZONE) hours.clear();
    hours.set(hour, known);
  }
  return known ?? zone.offset(instant);
}

const UTC_NAMES = /^(utc|gmt)$/i;

const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);

/**
 * An instant as ISO-8601 wall time with the zone's offset, as luxon's `toISO()` writes it
 * ('2027-03-29T09:00:00.000+02:00', 'Z' for the zone named UTC; without '.000' when `suppressMilliseconds` and the
 * milliseconds are 0), for years 0000..9999.
 */
export function isoInZone(
  instant: number,
  timeZone: string,
  options: { suppressMilliseconds?: boolean } = {},
): string {
  const offset = offsetAt(ianaZone(timeZone), instant);
  const wall = new Date(instant + offset * MS_PER_MINUTE);
  const millis = wall.getUTCMilliseconds();
  const fraction =
    options.suppressMilliseconds && millis === 0 ? '' : `.${String(millis).padStart(3, '0')}`;
  const sign = offset < 0 ? '-' : '+';
  const absolute = Math.abs(offset);
  // Luxon's own UTC zone (named "UTC" or "GMT") is written with a Z.
  const suffix = UTC_NAMES.test(timeZone)
    ? 'Z'
    : `${sign}${pad2(Math.floor(absolute / 60))}:${pad2(Math.floor(absolute % 60))}`;
  return (
    `${String(wall.getUTCFullYear()).padStart(4, '0')}-${pad2(wall.getUTCMonth() + 1)}-${pad2(wall.getUTCDate())}` +
    `T${pad2(wall.getUTCHours())}:${pad2(wall.getUTCMinutes())}:${pad2(wall.getUTCSeconds())}${fraction}${suffix}`
  );
}
