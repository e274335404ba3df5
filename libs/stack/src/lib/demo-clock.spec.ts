import type { OpeningHoursInput } from '@samservice/calendar';
import { demoClockApplies, demoClockShift } from './demo-clock';
import { loadConfig } from '@samservice/platform/config';

/** The demo network's hours (DEMO_WEEKLY_HOURS): Monday–Friday 09:00–16:00, Thursday to 18:00. */
const DEMO_HOURS: OpeningHoursInput = {
  timeZone: 'Europe/Stockholm',
  eveClosingMinute: 780,
  weekly: [1, 2, 3, 4, 5].map((weekday) => ({
    weekday,
    startMinute: 540,
    endMinute: weekday === 4 ? 1080 : 960,
  })),
};

const at = (iso: string) => Date.parse(iso);
const demoStart = (realNow: string) => {
  const shift = demoClockShift(DEMO_HOURS, at(realNow));
  return shift && new Date(shift.demoNow).toISOString();
};

describe('the demo clock', () => {
  it('moves a Tuesday evening to Wednesday 10:30, saying so in one line', () => {
    const realNow = at('2026-12-01T22:40:00+01:00');
    const shift = demoClockShift(DEMO_HOURS, realNow);
    expect(shift).toEqual({
      offsetMs: at('2026-12-02T10:30:00+01:00') - realNow,
      demoNow: at('2026-12-02T10:30:00+01:00'),
      line:
        'demo clock: the offices are closed now (Tue 22:40); the demo runs from Wed 2 Dec 10:30 ' +
        'Europe/Stockholm onwards (DEMO_CLOCK=real for the real time)',
    });
  });

  it('moves a Saturday to Monday 10:30, and an early morning to 10:30 the same day', () => {
    expect(demoStart('2026-12-05T13:00:00+01:00')).toBe('2026-12-07T09:30:00.000Z');
    expect(demoStart('2026-12-08T07:15:00+01:00')).toBe('2026-12-08T09:30:00.000Z');
  });

  it('skips Christmas Eve, the Christmas holidays and the weekend after them', () => {
    // Thursday 24 December 2026 (julafton, closed), 25th and 26th holidays, then Sunday.
    expect(demoStart('2026-12-24T11:00:00+01:00')).toBe('2026-12-28T09:30:00.000Z');
  });

  it('after a short eve closed at 13:00, skips the holiday after it (Epiphany)', () => {
    // Tuesday 5 January 2027 closes at 13:00; Wednesday the 6th is a public holiday.
    expect(demoStart('2027-01-05T14:00:00+01:00')).toBe('2027-01-07T09:30:00.000Z');
    expect(demoStart('2027-01-05T12:00:00+01:00')).toBeUndefined();
  });

  it('keeps the real time while the offices are open (11:00 on a weekday, Thursday 17:00)', () => {
    expect(demoClockShift(DEMO_HOURS, at('2026-12-02T11:00:00+01:00'))).toBeUndefined();
    expect(demoClockShift(DEMO_HOURS, at('2026-12-03T17:00:00+01:00'))).toBeUndefined();
  });

  it('applies only to the seeded demo, without FIXED_NOW, CLOCK_OFFSET_SECONDS or DEMO_CLOCK=real', () => {
    expect(demoClockApplies(loadConfig({}))).toBe(true);
    expect(demoClockApplies(loadConfig({ SEED_DEMO: 'false' }))).toBe(false);
    expect(demoClockApplies(loadConfig({ DEMO_CLOCK: 'real' }))).toBe(false);
    expect(demoClockApplies(loadConfig({ CLOCK_OFFSET_SECONDS: '0' }))).toBe(false);
    expect(demoClockApplies(loadConfig({ FIXED_NOW: '2026-12-01T22:40:00+01:00' }))).toBe(false);
  });
});
