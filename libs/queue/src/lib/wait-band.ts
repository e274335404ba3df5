const MS_PER_MINUTE = 60_000;

export interface WaitBand {
  low: number;
  high: number;
}

/**
 * The range of minutes shown for an estimated wait of `minutes`: from 80 % rounded down to 125 %
 * rounded up, in steps of 5, at least 5 wide (12 → 5–15, 0 → 0–5). `estimatedWaitMinutes`
 * shown to citizens is `low`.
 */
export function waitBand(minutes: number): WaitBand {
  const m = Math.max(0, minutes);
  // 0.8·m/5 = 4m/25 and 1.25·m/5 = m/4: no 0.8 or 1.25 in floating point (0.8·25 ≠ 20 exactly).
  const low = Math.floor((4 * m) / 25) * 5;
  const high = Math.max(low + 5, Math.ceil(m / 4) * 5);
  return { low, high };
}

export type ClosingDecision = 'OK' | 'PASSES_CLOSING' | 'TOO_LATE';

export interface ClosingInput {
  /** The estimated call time of a ticket taken now, or `now` when nobody is waiting. */
  callAt: number;
  /** The band shown for that wait; by default waitBand((callAt − now) in minutes). */
  band?: WaitBand;
  /** Expected minutes of the service. */
  serviceMinutes: number;
  /** When the office closes (epoch ms). */
  closesAt: number;
  now: number;
}

/**
 * May a ticket still be issued? TOO_LATE when even the low end of the band plus the service
 * ends after closing (the last ticket that can be served has been issued); PASSES_CLOSING when
 * the high end does (issue it, but say the visit may run past closing); else OK.
 */
export function closingDecision(input: ClosingInput): ClosingDecision {
  const { now, closesAt, serviceMinutes } = input;
  const band = input.band ?? waitBand((input.callAt - now) / MS_PER_MINUTE);
  const endAt = (waitMinutes: number) => now + (waitMinutes + serviceMinutes) * MS_PER_MINUTE;
  if (endAt(band.low) > closesAt) return 'TOO_LATE';
  if (endAt(band.high) > closesAt) return 'PASSES_CLOSING';
  return 'OK';
}
