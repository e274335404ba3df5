import { DateTime, IANAZone } from 'luxon';

const MS_PER_MINUTE = 60_000;

export interface CheckInInput {
  /** The appointment's booked start (epoch ms). */
  bookedStart: number;
  now: number;
  /** The office's IANA zone, e.g. 'Europe/Stockholm'. */
  zone: string;
  earlyMinutes?: number;
  lateMinutes?: number;
}

export type CheckInDecision =
  | { kind: 'TOO_EARLY'; opensAt: number }
  | { kind: 'ON_TIME' }
  | { kind: 'LATE' }
  | { kind: 'NOT_TODAY' };

/**
 * May a citizen check in for a booked appointment now? NOT_TODAY when the appointment is on
 * another office-local date (checked first, so 23:55 is never "on time" for 00:05); otherwise
 * TOO_EARLY before start − earlyMinutes (with the instant check-in opens), ON_TIME from then up
 * to and including start + lateMinutes, LATE after. Minutes are real elapsed minutes, so a
 * window across a daylight-saving change is as long as any other.
 */
export function checkInDecision(input: CheckInInput): CheckInDecision {
  const { bookedStart, now, zone, earlyMinutes = 15, lateMinutes = 10 } = input;
  if (!IANAZone.isValidZone(zone)) throw new RangeError(`Unknown time zone '${zone}'`);
  const localDate = (ms: number) => DateTime.fromMillis(ms, { zone }).toISODate();
  if (localDate(bookedStart) !== localDate(now)) return { kind: 'NOT_TODAY' };
  const opensAt = bookedStart - earlyMinutes * MS_PER_MINUTE;
  if (now < opensAt) return { kind: 'TOO_EARLY', opensAt };
  if (now <= bookedStart + lateMinutes * MS_PER_MINUTE) return { kind: 'ON_TIME' };
  return { kind: 'LATE' };
}
