import type { IANAZone } from 'luxon';
import { offsetAt } from './zone-offsets';

const MS_PER_MINUTE = 60_000;
const MS_PER_DAY = 86_400_000;

/**
 * Converts minutes of one local date (0..1440) to UTC instants, as `wallTimeToUtcMs` does.
 * Most dates are nowhere near a clock change; for them one offset serves the whole day, which
 * saves the zone look-ups that dominate the cost of resolving long ranges. Assumes, as holds for
 * real zones, that clocks never change and change back within three days.
 */
export function localDayToUtc(zone: IANAZone, localMidnightMs: number): (minute: number) => number {
  const offsetBefore = offsetAt(zone, localMidnightMs - MS_PER_DAY);
  const offsetAfter = offsetAt(zone, localMidnightMs + 2 * MS_PER_DAY);
  if (offsetBefore === offsetAfter) {
    const offsetMs = offsetBefore * MS_PER_MINUTE;
    return (minute) => localMidnightMs + minute * MS_PER_MINUTE - offsetMs;
  }
  return (minute) => wallTimeToUtcMs(zone, localMidnightMs + minute * MS_PER_MINUTE);
}

/**
 * The UTC instant at which a zone's clocks first show a wall time (`localMs`: the wall time's
 * fields read as if they were UTC). Normal wall times have one instant. Wall times that occur
 * twice (autumn) resolve to the earlier one; wall times skipped by a gap (spring) resolve to the
 * first instant after the gap. The mapping is monotonic, so ordered local intervals stay ordered.
 *
 * Luxon's DateTime.fromObject is not used for this: it resolves repeated wall times with the
 * offset in force *now* as its first guess (so the answer depends on the season the code runs
 * in), and it moves skipped times forward by the gap's length rather than to the gap's end.
 */
export function wallTimeToUtcMs(zone: IANAZone, localMs: number): number {
  // At most one transition is assumed within a day either side, as for any real zone.
  const offsetBefore = offsetAt(zone, localMs - MS_PER_DAY);
  const offsetAfter = offsetAt(zone, localMs + MS_PER_DAY);
  const candidates = [localMs - offsetBefore * MS_PER_MINUTE];
  if (offsetAfter !== offsetBefore) candidates.push(localMs - offsetAfter * MS_PER_MINUTE);
  const existing = candidates.filter((instant) => wallMsAt(zone, instant) === localMs);
  if (existing.length > 0) return Math.min(...existing);
  return firstInstantShowingAtLeast(zone, localMs, offsetBefore, offsetAfter);
}

function wallMsAt(zone: IANAZone, instant: number): number {
  return instant + offsetAt(zone, instant) * MS_PER_MINUTE;
}

// Inside a gap the clock jumps from before `localMs` to after it; search for that jump.
function firstInstantShowingAtLeast(
  zone: IANAZone,
  localMs: number,
  offsetBefore: number,
  offsetAfter: number,
): number {
  let notYet = localMs - Math.max(offsetBefore, offsetAfter) * MS_PER_MINUTE;
  let reached = localMs - Math.min(offsetBefore, offsetAfter) * MS_PER_MINUTE;
  while (reached - notYet > 1) {
    const middle = Math.floor((notYet + reached) / 2);
    if (wallMsAt(zone, middle) >= localMs) reached = middle;
    else notYet = middle;
  }
  return reached;
}
