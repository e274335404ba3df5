import { DateTime } from 'luxon';
import { Client } from 'pg';
import {
  addDays,
  localMinuteToUtc,
  resolveOpeningHours,
  type OpeningHoursInput,
} from '@samservice/calendar';
import { demoId } from '@samservice/directory/database';
import type { AppConfig } from '@samservice/platform/config';
import { publishedOpeningHours } from '@samservice/scheduling/database';

/** The demo's morning: 10:30 local time, when a front desk is in full swing. */
export const DEMO_MORNING_MINUTE = 10 * 60 + 30;
/** How far ahead an open day is looked for (the longest holiday break is shorter). */
const SEARCH_DAYS = 21;
const MINUTE = 60_000;

export interface DemoClockShift {
  /** Added to the real time: the running clock the services use. */
  offsetMs: number;
  /** The instant the demo starts at (the real now plus the offset). */
  demoNow: number;
  /** The one line the launcher logs. */
  line: string;
}

const english = (instant: number, zone: string) =>
  DateTime.fromMillis(instant, { zone }).setLocale('en-GB');

/**
 * The demo clock's decision, given an office's hours and the real now: none while the office
 * is open; otherwise a shift to 10:30 local time on the next day it is open (holidays, eves,
 * exceptions and closures as the calendar library resolves them; a day whose hours leave out
 * 10:30 gets its first opening plus 90 minutes, or half of it when shorter). Undefined: open
 * now, or no open day within three weeks.
 */
export function demoClockShift(
  hours: OpeningHoursInput,
  realNow: number,
): DemoClockShift | undefined {
  const zone = hours.timeZone;
  const today = DateTime.fromMillis(realNow, { zone }).toISODate() as string;
  const days = resolveOpeningHours(hours, addDays(today, -1), addDays(today, SEARCH_DAYS));
  const openNow = days.some((day) =>
    day.intervals.some((i) => i.startUtcMs <= realNow && realNow < i.endUtcMs),
  );
  if (openNow) return undefined;
  for (const day of days) {
    const first = day.intervals[0];
    if (!first || day.date < today) continue;
    const morning = localMinuteToUtc(zone, day.date, DEMO_MORNING_MINUTE);
    const target = day.intervals.some((i) => i.startUtcMs <= morning && morning < i.endUtcMs)
      ? morning
      : first.startUtcMs + Math.min(90 * MINUTE, (first.endUtcMs - first.startUtcMs) / 2);
    if (target <= realNow) continue;
    const real = english(realNow, zone).toFormat('ccc HH:mm');
    const demo = english(target, zone).toFormat('ccc d LLL HH:mm');
    return {
      offsetMs: target - realNow,
      demoNow: target,
      line:
        `demo clock: the offices are closed now (${real}); the demo runs from ${demo} ${zone} ` +
        'onwards (DEMO_CLOCK=real for the real time)',
    };
  }
  return undefined;
}

/** The demo office whose hours stand for the demo network's (they all share them). */
export const DEMO_CLOCK_OFFICE = demoId('office', 'orebro');

/**
 * Whether the launcher's demo clock applies to this configuration at all: the demo network
 * is seeded, not production, nobody pinned or shifted the clock, DEMO_CLOCK is not `real`.
 */
export function demoClockApplies(config: AppConfig): boolean {
  return (
    config.seedDemo &&
    !config.isProduction &&
    config.fixedNow === undefined &&
    config.clockOffsetMs === undefined &&
    config.demoClock !== 'real'
  );
}

/**
 * The demo clock for this run: the shift (see `demoClockShift`) by the hours of Örebro's demo
 * office as the directory publishes them; undefined when it does not apply, the office is
 * open at `realNow`, or the directory holds no demo office (a network of one's own).
 */
export async function decideDemoClock(
  config: AppConfig,
  databaseUrl: string,
  realNow: number,
): Promise<DemoClockShift | undefined> {
  if (!demoClockApplies(config)) return undefined;
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const hours = await publishedOpeningHours(client, DEMO_CLOCK_OFFICE);
    return hours ? demoClockShift(hours, realNow) : undefined;
  } finally {
    await client.end();
  }
}
