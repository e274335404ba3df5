import fc from 'fast-check';
import { DateTime, IANAZone, Settings } from 'luxon';
import {
  formatLocalTime,
  isValidTimeZone,
  MinuteInterval,
  OpeningHoursInput,
  openIntervalsUtc,
  parseLocalTime,
  ResolvedDay,
  resolveOpeningHours,
  validateIntervals,
} from './opening-hours';
import { specialDayOn } from './swedish-holidays';

const STOCKHOLM = 'Europe/Stockholm';
const NINE = 540;
const ONE_PM = 780;
const FOUR_PM = 960;
const SIX_PM = 1080;

// Örebro-like: Monday to Friday 09:00-16:00, Thursday until 18:00.
const orebro: OpeningHoursInput = {
  timeZone: STOCKHOLM,
  weekly: [
    { weekday: 1, startMinute: NINE, endMinute: FOUR_PM },
    { weekday: 2, startMinute: NINE, endMinute: FOUR_PM },
    { weekday: 3, startMinute: NINE, endMinute: FOUR_PM },
    { weekday: 4, startMinute: NINE, endMinute: SIX_PM },
    { weekday: 5, startMinute: NINE, endMinute: FOUR_PM },
  ],
};

const utc = (iso: string) => Date.parse(iso);

function open(start: string, end: string, startUtc: string, endUtc: string) {
  return { start, end, startUtcMs: utc(startUtc), endUtcMs: utc(endUtc) };
}

function dayOf(days: ResolvedDay[], date: string): ResolvedDay {
  const found = days.find((day) => day.date === date);
  if (!found) throw new Error(`no resolved day ${date}`);
  return found;
}

describe('resolveOpeningHours', () => {
  it('keeps wall-clock hours across the spring change of March 2027 (a 23-hour day)', () => {
    const weekendOpening: OpeningHoursInput = {
      ...orebro,
      exceptions: [
        { date: '2027-03-27', startMinute: NINE, endMinute: FOUR_PM },
        { date: '2027-03-28', startMinute: NINE, endMinute: FOUR_PM, note: 'Påsköppet' },
      ],
    };
    expect(resolveOpeningHours(weekendOpening, '2027-03-26', '2027-03-30')).toEqual([
      {
        date: '2027-03-26',
        weekday: 5,
        intervals: [],
        closed: { kind: 'PUBLIC_HOLIDAY', nameSv: 'Långfredagen', nameEn: 'Good Friday' },
      },
      {
        date: '2027-03-27',
        weekday: 6,
        intervals: [
          open(
            '2027-03-27T09:00:00.000+01:00',
            '2027-03-27T16:00:00.000+01:00',
            '2027-03-27T08:00:00Z',
            '2027-03-27T15:00:00Z',
          ),
        ],
        exceptionNote: '',
      },
      {
        date: '2027-03-28',
        weekday: 7,
        intervals: [
          open(
            '2027-03-28T09:00:00.000+02:00',
            '2027-03-28T16:00:00.000+02:00',
            '2027-03-28T07:00:00Z',
            '2027-03-28T14:00:00Z',
          ),
        ],
        exceptionNote: 'Påsköppet',
      },
      {
        date: '2027-03-29',
        weekday: 1,
        intervals: [],
        closed: { kind: 'PUBLIC_HOLIDAY', nameSv: 'Annandag påsk', nameEn: 'Easter Monday' },
      },
      {
        date: '2027-03-30',
        weekday: 2,
        intervals: [
          open(
            '2027-03-30T09:00:00.000+02:00',
            '2027-03-30T16:00:00.000+02:00',
            '2027-03-30T07:00:00Z',
            '2027-03-30T14:00:00Z',
          ),
        ],
      },
    ]);
  });

  it('keeps wall-clock hours across the autumn change of October 2027 (a 25-hour day)', () => {
    const sundayOpening: OpeningHoursInput = {
      ...orebro,
      exceptions: [{ date: '2027-10-31', startMinute: NINE, endMinute: FOUR_PM }],
    };
    expect(resolveOpeningHours(sundayOpening, '2027-10-29', '2027-11-02')).toEqual([
      {
        date: '2027-10-29',
        weekday: 5,
        intervals: [
          open(
            '2027-10-29T09:00:00.000+02:00',
            '2027-10-29T16:00:00.000+02:00',
            '2027-10-29T07:00:00Z',
            '2027-10-29T14:00:00Z',
          ),
        ],
      },
      { date: '2027-10-30', weekday: 6, intervals: [], closed: { kind: 'NO_HOURS' } },
      {
        date: '2027-10-31',
        weekday: 7,
        intervals: [
          open(
            '2027-10-31T09:00:00.000+01:00',
            '2027-10-31T16:00:00.000+01:00',
            '2027-10-31T08:00:00Z',
            '2027-10-31T15:00:00Z',
          ),
        ],
        exceptionNote: '',
      },
      {
        date: '2027-11-01',
        weekday: 1,
        intervals: [
          open(
            '2027-11-01T09:00:00.000+01:00',
            '2027-11-01T16:00:00.000+01:00',
            '2027-11-01T08:00:00Z',
            '2027-11-01T15:00:00Z',
          ),
        ],
      },
      {
        date: '2027-11-02',
        weekday: 2,
        intervals: [
          open(
            '2027-11-02T09:00:00.000+01:00',
            '2027-11-02T16:00:00.000+01:00',
            '2027-11-02T08:00:00Z',
            '2027-11-02T15:00:00Z',
          ),
        ],
      },
    ]);
  });

  it('gives the days of the changes their real length', () => {
    const allDay: OpeningHoursInput = {
      timeZone: STOCKHOLM,
      weekly: [],
      exceptions: [
        { date: '2027-03-28', startMinute: 0, endMinute: 1440 },
        { date: '2027-10-31', startMinute: 0, endMinute: 1440 },
      ],
    };
    const hours = (date: string) =>
      openIntervalsUtc(allDay, date, date).map(
        ({ startUtcMs, endUtcMs }) => (endUtcMs - startUtcMs) / 3_600_000,
      );
    expect(hours('2027-03-28')).toEqual([23]);
    expect(hours('2027-10-31')).toEqual([25]);
  });

  it('shortens Skärtorsdagen and closes the Easter holidays and the weekend in 2027', () => {
    const days = resolveOpeningHours(orebro, '2027-03-24', '2027-03-30');
    expect(days.map((day) => day.date)).toEqual([
      '2027-03-24',
      '2027-03-25',
      '2027-03-26',
      '2027-03-27',
      '2027-03-28',
      '2027-03-29',
      '2027-03-30',
    ]);
    expect(dayOf(days, '2027-03-24').intervals).toEqual([
      open(
        '2027-03-24T09:00:00.000+01:00',
        '2027-03-24T16:00:00.000+01:00',
        '2027-03-24T08:00:00Z',
        '2027-03-24T15:00:00Z',
      ),
    ]);
    expect(dayOf(days, '2027-03-25')).toEqual({
      date: '2027-03-25',
      weekday: 4,
      intervals: [
        open(
          '2027-03-25T09:00:00.000+01:00',
          '2027-03-25T13:00:00.000+01:00',
          '2027-03-25T08:00:00Z',
          '2027-03-25T12:00:00Z',
        ),
      ],
      shortEve: { nameSv: 'Skärtorsdagen', nameEn: 'Maundy Thursday' },
    });
    expect(dayOf(days, '2027-03-26').closed).toEqual({
      kind: 'PUBLIC_HOLIDAY',
      nameSv: 'Långfredagen',
      nameEn: 'Good Friday',
    });
    expect(dayOf(days, '2027-03-27').closed).toEqual({ kind: 'NO_HOURS' });
    expect(dayOf(days, '2027-03-28').closed).toEqual({
      kind: 'PUBLIC_HOLIDAY',
      nameSv: 'Påskdagen',
      nameEn: 'Easter Sunday',
    });
    expect(dayOf(days, '2027-03-29').closed).toEqual({
      kind: 'PUBLIC_HOLIDAY',
      nameSv: 'Annandag påsk',
      nameEn: 'Easter Monday',
    });
    expect(dayOf(days, '2027-03-30').intervals).toHaveLength(1);
  });

  it('closes on a de-facto holiday', () => {
    expect(resolveOpeningHours(orebro, '2027-12-24', '2027-12-24')).toEqual([
      {
        date: '2027-12-24',
        weekday: 5,
        intervals: [],
        closed: { kind: 'DE_FACTO_HOLIDAY', nameSv: 'Julafton', nameEn: 'Christmas Eve' },
      },
    ]);
  });

  it('opens a holiday that has an exception, which replaces all of that date', () => {
    const easterOpening: OpeningHoursInput = {
      ...orebro,
      exceptions: [
        { date: '2027-03-29', startMinute: 600, endMinute: 720, note: 'Påsköppet' },
        { date: '2027-03-29', startMinute: 780, endMinute: 840, note: 'Påsköppet' },
        { date: '2027-03-30', startMinute: 600, endMinute: 660, note: 'Personalmöte' },
      ],
    };
    const [easterMonday, tuesday] = resolveOpeningHours(easterOpening, '2027-03-29', '2027-03-30');
    expect(easterMonday).toEqual({
      date: '2027-03-29',
      weekday: 1,
      intervals: [
        open(
          '2027-03-29T10:00:00.000+02:00',
          '2027-03-29T12:00:00.000+02:00',
          '2027-03-29T08:00:00Z',
          '2027-03-29T10:00:00Z',
        ),
        open(
          '2027-03-29T13:00:00.000+02:00',
          '2027-03-29T14:00:00.000+02:00',
          '2027-03-29T11:00:00Z',
          '2027-03-29T12:00:00Z',
        ),
      ],
      exceptionNote: 'Påsköppet',
    });
    expect(tuesday?.intervals.map(({ start, end }) => [start, end])).toEqual([
      ['2027-03-30T10:00:00.000+02:00', '2027-03-30T11:00:00.000+02:00'],
    ]);
    expect(tuesday?.exceptionNote).toBe('Personalmöte');
  });

  it('does not cut an exception on a short eve', () => {
    const [maundyThursday] = resolveOpeningHours(
      { ...orebro, exceptions: [{ date: '2027-03-25', startMinute: NINE, endMinute: SIX_PM }] },
      '2027-03-25',
      '2027-03-25',
    );
    expect(maundyThursday?.intervals[0]?.end).toBe('2027-03-25T18:00:00.000+01:00');
    expect(maundyThursday?.shortEve).toBeUndefined();
  });

  it('lets a closure beat an exception and a holiday, inclusive of both ends', () => {
    const renovation: OpeningHoursInput = {
      ...orebro,
      exceptions: [{ date: '2027-03-29', startMinute: 600, endMinute: 720 }],
      closures: [{ from: '2027-03-29', to: '2027-03-31', reason: 'Renovering' }],
    };
    const days = resolveOpeningHours(renovation, '2027-03-28', '2027-04-01');
    expect(days.map((day) => day.closed)).toEqual([
      { kind: 'PUBLIC_HOLIDAY', nameSv: 'Påskdagen', nameEn: 'Easter Sunday' },
      { kind: 'CLOSURE', reason: 'Renovering' },
      { kind: 'CLOSURE', reason: 'Renovering' },
      { kind: 'CLOSURE', reason: 'Renovering' },
      undefined,
    ]);
    expect(dayOf(days, '2027-03-29').exceptionNote).toBeUndefined();
  });

  it('cuts short eves at a configurable minute', () => {
    const [maundyThursday] = resolveOpeningHours(
      { ...orebro, eveClosingMinute: 720 },
      '2027-03-25',
      '2027-03-25',
    );
    expect(maundyThursday?.intervals.map(({ start, end }) => [start, end])).toEqual([
      ['2027-03-25T09:00:00.000+01:00', '2027-03-25T12:00:00.000+01:00'],
    ]);
  });

  it('closes an eve whose hours start at or after the eve closing time, and says why', () => {
    const afternoonsOnly: OpeningHoursInput = {
      timeZone: STOCKHOLM,
      weekly: [{ weekday: 4, startMinute: ONE_PM, endMinute: SIX_PM }],
    };
    expect(resolveOpeningHours(afternoonsOnly, '2027-03-25', '2027-03-25')).toEqual([
      {
        date: '2027-03-25',
        weekday: 4,
        intervals: [],
        closed: { kind: 'NO_HOURS' },
        shortEve: { nameSv: 'Skärtorsdagen', nameEn: 'Maundy Thursday' },
      },
    ]);
  });

  it('keeps a lunch break, and cuts it away on an eve', () => {
    const withLunch: OpeningHoursInput = {
      timeZone: STOCKHOLM,
      weekly: [
        { weekday: 5, startMinute: ONE_PM, endMinute: FOUR_PM },
        { weekday: 5, startMinute: NINE, endMinute: 720 },
      ],
    };
    const [friday, walpurgisNight] = resolveOpeningHours(withLunch, '2027-04-23', '2027-04-30')
      .filter((day) => day.weekday === 5)
      .map((day) => day.intervals.map(({ start, end }) => [start, end]));
    expect(friday).toEqual([
      ['2027-04-23T09:00:00.000+02:00', '2027-04-23T12:00:00.000+02:00'],
      ['2027-04-23T13:00:00.000+02:00', '2027-04-23T16:00:00.000+02:00'],
    ]);
    expect(walpurgisNight).toEqual([
      ['2027-04-30T09:00:00.000+02:00', '2027-04-30T12:00:00.000+02:00'],
    ]);
  });

  it('merges overlapping and adjacent rows of a day', () => {
    const messy: OpeningHoursInput = {
      timeZone: STOCKHOLM,
      weekly: [
        { weekday: 2, startMinute: 720, endMinute: 840 },
        { weekday: 2, startMinute: NINE, endMinute: 720 },
        { weekday: 2, startMinute: 660, endMinute: ONE_PM },
        { weekday: 2, startMinute: 900, endMinute: FOUR_PM },
      ],
    };
    const [tuesday] = resolveOpeningHours(messy, '2027-03-30', '2027-03-30');
    expect(tuesday?.intervals.map(({ start, end }) => [start, end])).toEqual([
      ['2027-03-30T09:00:00.000+02:00', '2027-03-30T14:00:00.000+02:00'],
      ['2027-03-30T15:00:00.000+02:00', '2027-03-30T16:00:00.000+02:00'],
    ]);
  });

  it('moves a start inside the spring gap to the first existing instant, keeping the end', () => {
    const nightOpening = (rows: MinuteInterval[]): OpeningHoursInput => ({
      timeZone: STOCKHOLM,
      weekly: [],
      exceptions: rows.map((row) => ({ date: '2027-03-28', ...row })),
    });
    const night = (rows: MinuteInterval[]) =>
      resolveOpeningHours(nightOpening(rows), '2027-03-28', '2027-03-28')[0];

    expect(night([{ startMinute: 150, endMinute: 240 }])?.intervals).toEqual([
      open(
        '2027-03-28T03:00:00.000+02:00',
        '2027-03-28T04:00:00.000+02:00',
        '2027-03-28T01:00:00Z',
        '2027-03-28T02:00:00Z',
      ),
    ]);
    // Wholly inside the gap: those wall times never happen, so nothing is open.
    expect(night([{ startMinute: 120, endMinute: 165 }])).toEqual({
      date: '2027-03-28',
      weekday: 7,
      intervals: [],
      closed: { kind: 'NO_HOURS' },
      exceptionNote: '',
    });
    // Either side of the gap: the two come to touch, so they are one interval.
    expect(
      night([
        { startMinute: 60, endMinute: 135 },
        { startMinute: 165, endMinute: 300 },
      ])?.intervals.map(({ start, end }) => [start, end]),
    ).toEqual([['2027-03-28T01:00:00.000+01:00', '2027-03-28T05:00:00.000+02:00']]);
  });

  it('resolves a repeated autumn wall time to its first occurrence, whatever the season now', () => {
    const nightOpening: OpeningHoursInput = {
      timeZone: STOCKHOLM,
      weekly: [],
      exceptions: [{ date: '2027-10-31', startMinute: 150, endMinute: 210 }],
    };
    const originalNow = Settings.now;
    try {
      const resolvedWhenItIs = (nowIso: string) => {
        Settings.now = () => Date.parse(nowIso);
        return resolveOpeningHours(nightOpening, '2027-10-31', '2027-10-31')[0]?.intervals;
      };
      const inWinter = resolvedWhenItIs('2026-01-15T12:00:00Z');
      const inSummer = resolvedWhenItIs('2026-07-15T12:00:00Z');
      expect(inWinter).toEqual([
        open(
          '2027-10-31T02:30:00.000+02:00',
          '2027-10-31T03:30:00.000+01:00',
          '2027-10-31T00:30:00Z',
          '2027-10-31T02:30:00Z',
        ),
      ]);
      expect(inSummer).toEqual(inWinter);
    } finally {
      Settings.now = originalNow;
    }
  });

  it('handles a zone whose midnight is skipped (Santiago, 3 September 2023)', () => {
    const lateAndEarly: OpeningHoursInput = {
      timeZone: 'America/Santiago',
      weekly: [
        { weekday: 6, startMinute: 1320, endMinute: 1440 },
        { weekday: 7, startMinute: 0, endMinute: 120 },
      ],
    };
    const days = resolveOpeningHours(lateAndEarly, '2023-09-02', '2023-09-04');
    expect(days.map((day) => [day.date, day.weekday])).toEqual([
      ['2023-09-02', 6],
      ['2023-09-03', 7],
      ['2023-09-04', 1],
    ]);
    expect(days.flatMap((day) => day.intervals.map(({ start, end }) => [start, end]))).toEqual([
      ['2023-09-02T22:00:00.000-04:00', '2023-09-03T01:00:00.000-03:00'],
      ['2023-09-03T01:00:00.000-03:00', '2023-09-03T02:00:00.000-03:00'],
    ]);
    expect(openIntervalsUtc(lateAndEarly, '2023-09-02', '2023-09-04')).toEqual([
      { startUtcMs: utc('2023-09-03T02:00:00Z'), endUtcMs: utc('2023-09-03T05:00:00Z') },
    ]);
  });

  it('throws on an invalid zone, a malformed date, from after to, or invalid hours', () => {
    expect(() =>
      resolveOpeningHours({ ...orebro, timeZone: 'Europe/Örebro' }, '2027-01-01', '2027-01-02'),
    ).toThrow(Error);
    expect(() => resolveOpeningHours(orebro, '2027-1-1', '2027-01-02')).toThrow(Error);
    expect(() => resolveOpeningHours(orebro, '2027-01-01', '2027-02-30')).toThrow(Error);
    expect(() => resolveOpeningHours(orebro, '2027-01-02', '2027-01-01')).toThrow(Error);
    expect(() =>
      resolveOpeningHours(
        { ...orebro, weekly: [{ weekday: 8, startMinute: NINE, endMinute: FOUR_PM }] },
        '2027-01-01',
        '2027-01-02',
      ),
    ).toThrow(Error);
    expect(() =>
      resolveOpeningHours(
        { ...orebro, weekly: [{ weekday: 1, startMinute: FOUR_PM, endMinute: NINE }] },
        '2027-01-01',
        '2027-01-02',
      ),
    ).toThrow(/must start before it ends/);
    expect(() =>
      resolveOpeningHours(
        { ...orebro, closures: [{ from: '2027-02-01', to: '2027-01-01', reason: 'Strejk' }] },
        '2027-01-01',
        '2027-01-02',
      ),
    ).toThrow(Error);
    expect(() =>
      resolveOpeningHours({ ...orebro, eveClosingMinute: 1441 }, '2027-01-01', '2027-01-02'),
    ).toThrow(Error);
  });
});

describe('openIntervalsUtc', () => {
  it('flattens the open intervals of the range in order', () => {
    expect(openIntervalsUtc(orebro, '2027-03-25', '2027-03-30')).toEqual([
      { startUtcMs: utc('2027-03-25T08:00:00Z'), endUtcMs: utc('2027-03-25T12:00:00Z') },
      { startUtcMs: utc('2027-03-30T07:00:00Z'), endUtcMs: utc('2027-03-30T14:00:00Z') },
    ]);
  });
});

describe('local time helpers', () => {
  it.each([
    ['00:00', 0],
    ['09:30', 570],
    ['23:59', 1439],
    ['24:00', 1440],
  ])('parses %p as %i', (text, minute) => {
    expect(parseLocalTime(text)).toBe(minute);
    expect(formatLocalTime(minute)).toBe(text);
  });

  it.each(['24:01', '25:00', '9:30', '09:60', '09.30', ' 09:30', '', '0930'])(
    'does not parse %p',
    (text) => {
      expect(parseLocalTime(text)).toBeUndefined();
    },
  );

  it('refuses to format a minute outside the day', () => {
    expect(() => formatLocalTime(1441)).toThrow(RangeError);
    expect(() => formatLocalTime(-1)).toThrow(RangeError);
    expect(() => formatLocalTime(1.5)).toThrow(RangeError);
  });

  it('explains the first invalid interval', () => {
    expect(validateIntervals([])).toBeUndefined();
    expect(validateIntervals([{ startMinute: 0, endMinute: 1440 }])).toBeUndefined();
    expect(
      validateIntervals([
        { startMinute: NINE, endMinute: FOUR_PM },
        { startMinute: FOUR_PM, endMinute: NINE },
      ]),
    ).toBe('Interval 2: must start before it ends, got 16:00–09:00');
    expect(validateIntervals([{ startMinute: 600, endMinute: 600 }])).toMatch(/Interval 1/);
    expect(validateIntervals([{ startMinute: -1, endMinute: 600 }])).toMatch(/0 \(00:00\)/);
    expect(validateIntervals([{ startMinute: 0, endMinute: 1441 }])).toMatch(/1440/);
    expect(validateIntervals([{ startMinute: 0.5, endMinute: 60 }])).toMatch(/whole minutes/);
  });

  it('knows IANA zones', () => {
    expect(isValidTimeZone('Europe/Stockholm')).toBe(true);
    expect(isValidTimeZone('America/New_York')).toBe(true);
    expect(isValidTimeZone('Europe/Örebro')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
  });
});

// Property: the resolved hours are the configured wall-clock minutes, holidays and eves
// applied, on every local date of the range, in order, whatever the zone's history does.
describe('resolveOpeningHours properties', () => {
  const MINUTES_PER_DAY = 1440;
  const firstDate = DateTime.utc(1900, 1, 1);
  const lastDate = DateTime.utc(2200, 12, 31);
  const totalDays = Math.round(lastDate.diff(firstDate, 'days').days);

  // Biased towards the edges of the day, the eve cut and the small hours of DST changes.
  const minute = fc.oneof(
    fc.integer({ min: 0, max: MINUTES_PER_DAY }),
    fc.constantFrom(0, 60, 120, 150, 180, 780, 1380, 1440),
  );
  const interval = fc
    .tuple(minute, minute)
    .filter(([a, b]) => a !== b)
    .map(([a, b]) => ({ startMinute: Math.min(a, b), endMinute: Math.max(a, b) }));
  const weeklyRow = fc
    .tuple(fc.integer({ min: 1, max: 7 }), interval)
    .map(([weekday, hours]) => ({ weekday, ...hours }));
  const scenario = fc.record({
    timeZone: fc.constantFrom(STOCKHOLM, 'America/New_York'),
    weekly: fc.array(weeklyRow, { maxLength: 14 }),
    eveClosingMinute: fc.option(minute, { nil: undefined }),
    firstDay: fc.integer({ min: 0, max: totalDays }),
    length: fc.integer({ min: 0, max: 45 }),
  });

  // Independent of the library's merge and cut: a bitmap of open minutes, read back as runs.
  function expectedWallIntervals(
    weekly: Array<MinuteInterval & { weekday: number }>,
    eveClosingMinute: number,
    date: string,
    weekday: number,
  ): Array<[number, number]> {
    const special = specialDayOn(date);
    if (special && special.kind !== 'SHORT_EVE') return [];
    const isOpen = new Array<boolean>(MINUTES_PER_DAY).fill(false);
    for (const row of weekly.filter((candidate) => candidate.weekday === weekday)) {
      for (let m = row.startMinute; m < row.endMinute; m += 1) isOpen[m] = true;
    }
    if (special?.kind === 'SHORT_EVE') isOpen.fill(false, eveClosingMinute);
    const runs: Array<[number, number]> = [];
    for (let m = 0; m < MINUTES_PER_DAY; m += 1) {
      if (!isOpen[m]) continue;
      const run = runs.at(-1);
      if (run && run[1] === m) run[1] = m + 1;
      else runs.push([m, m + 1]);
    }
    return runs;
  }

  function wallMinuteOn(date: DateTime, instantMs: number, zone: string): number {
    const local = DateTime.fromMillis(instantMs, { zone });
    const localDate = DateTime.utc(local.year, local.month, local.day);
    const daysLater = (localDate.toMillis() - date.toMillis()) / 86_400_000;
    return daysLater * MINUTES_PER_DAY + local.hour * 60 + local.minute;
  }

  function isClockChange(instant: number, zone: string): boolean {
    const offsetAt = (ms: number) => DateTime.fromMillis(ms, { zone }).offset;
    return offsetAt(instant - 1) !== offsetAt(instant);
  }

  function wallTimeExists(date: DateTime, minuteOfDay: number, zone: string): boolean {
    const wall = date.plus({ minutes: minuteOfDay });
    const resolved = DateTime.fromObject(
      { year: wall.year, month: wall.month, day: wall.day, hour: wall.hour, minute: wall.minute },
      { zone },
    );
    return resolved.hour === wall.hour && resolved.minute === wall.minute;
  }

  function checkScenario(
    timeZone: string,
    weekly: Array<MinuteInterval & { weekday: number }>,
    eveClosingMinute: number | undefined,
    fromDate: DateTime,
    toDate: DateTime,
  ): void {
    const from = fromDate.toISODate() ?? '';
    const to = toDate.toISODate() ?? '';
    const input: OpeningHoursInput = { timeZone, weekly, eveClosingMinute };
    const days = resolveOpeningHours(input, from, to);

    const expectedDates: string[] = [];
    for (let day = fromDate; day <= toDate; day = day.plus({ days: 1 })) {
      expectedDates.push(day.toISODate() ?? '');
    }
    expect(days.map((day) => day.date)).toEqual(expectedDates);

    let previousEnd = Number.NEGATIVE_INFINITY;
    for (const day of days) {
      const date = DateTime.fromISO(day.date, { zone: 'utc' });
      expect(day.weekday).toBe(date.weekday);
      expect(day.closed !== undefined).toBe(day.intervals.length === 0);

      for (const [index, openInterval] of day.intervals.entries()) {
        expect(openInterval.startUtcMs).toBeLessThan(openInterval.endUtcMs);
        expect(openInterval.startUtcMs).toBeGreaterThanOrEqual(previousEnd);
        if (index > 0) expect(openInterval.startUtcMs).toBeGreaterThan(previousEnd);
        previousEnd = openInterval.endUtcMs;
        expect(openInterval.start).toBe(
          DateTime.fromMillis(openInterval.startUtcMs, { zone: timeZone }).toISO(),
        );
        expect(openInterval.end).toBe(
          DateTime.fromMillis(openInterval.endUtcMs, { zone: timeZone }).toISO(),
        );
      }

      const expected = expectedWallIntervals(
        weekly,
        eveClosingMinute ?? 780,
        day.date,
        day.weekday,
      );
      const actual = day.intervals.map(({ startUtcMs, endUtcMs }) => [
        wallMinuteOn(date, startUtcMs, timeZone),
        wallMinuteOn(date, endUtcMs, timeZone),
      ]);
      if (JSON.stringify(actual) === JSON.stringify(expected)) continue;

      // Only a configured wall time that the clocks skip may come out differently.
      const touchesGap = expected.some(
        ([start, end]) =>
          !wallTimeExists(date, start, timeZone) || !wallTimeExists(date, end, timeZone),
      );
      if (!touchesGap) expect(actual).toEqual(expected);
      // Then each endpoint is still a configured wall time, or the instant the clocks jump.
      for (const instant of day.intervals.flatMap(({ startUtcMs, endUtcMs }) => [
        startUtcMs,
        endUtcMs,
      ])) {
        const wall = wallMinuteOn(date, instant, timeZone);
        const configured = expected.some(([start, end]) => start <= wall && wall <= end);
        expect(configured || isClockChange(instant, timeZone)).toBe(true);
      }
    }

    const flattened = openIntervalsUtc(input, from, to);
    const total = (list: Array<{ startUtcMs: number; endUtcMs: number }>) =>
      list.reduce((sum, { startUtcMs, endUtcMs }) => sum + endUtcMs - startUtcMs, 0);
    expect(total(flattened)).toBe(total(days.flatMap((day) => day.intervals)));
  }

  it('reproduces the configured minutes on every local date, strictly ordered', () => {
    fc.assert(
      fc.property(scenario, ({ timeZone, weekly, eveClosingMinute, firstDay, length }) => {
        const fromDate = firstDate.plus({ days: firstDay });
        const toDate = DateTime.min(fromDate.plus({ days: length }), lastDate);
        checkScenario(timeZone, weekly, eveClosingMinute, fromDate, toDate);
      }),
      { numRuns: 300 },
    );
  });

  // Random ranges meet few clock changes; these start the day before one.
  it('does the same on the days around clock changes', () => {
    // A date with a change has another UTC offset at noon than the day before.
    const clockChangeDates = (timeZone: string, year: number): DateTime[] => {
      const zone = IANAZone.create(timeZone);
      const changes: DateTime[] = [];
      // UTC days all have 24 hours, so stepping noon to noon in UTC is exact.
      let previousOffset = zone.offset(Date.UTC(year - 1, 11, 31, 12));
      for (
        let noon = Date.UTC(year, 0, 1, 12);
        noon < Date.UTC(year + 1, 0, 1);
        noon += 86_400_000
      ) {
        const offset = zone.offset(noon);
        if (offset !== previousOffset) {
          changes.push(DateTime.fromMillis(noon, { zone: 'utc' }).startOf('day'));
        }
        previousOffset = offset;
      }
      return changes;
    };

    const aroundChange = fc
      .record({
        timeZone: fc.constantFrom(STOCKHOLM, 'America/New_York'),
        year: fc.integer({ min: 1900, max: 2200 }),
        pick: fc.nat(),
      })
      .map(({ timeZone, year, pick }) => {
        const changes = clockChangeDates(timeZone, year);
        return {
          timeZone,
          change: changes.length > 0 ? changes[pick % changes.length] : undefined,
        };
      })
      .filter(({ change }) => change !== undefined);
    fc.assert(
      fc.property(
        aroundChange,
        fc.array(weeklyRow, { maxLength: 14 }),
        fc.option(minute, { nil: undefined }),
        ({ timeZone, change }, weekly, eveClosingMinute) => {
          if (!change) return;
          const fromDate = change.minus({ days: 1 });
          checkScenario(timeZone, weekly, eveClosingMinute, fromDate, change.plus({ days: 1 }));
        },
      ),
      { numRuns: 200 },
    );
  });
});
