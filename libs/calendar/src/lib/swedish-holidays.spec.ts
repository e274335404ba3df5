import fc from 'fast-check';
import { DateTime } from 'luxon';
import {
  easterSunday,
  specialDayOn,
  SpecialDay,
  SpecialDayKind,
  swedishSpecialDays,
} from './swedish-holidays';

// An independent formulation: Easter by Gauss with Lichtenberg's corrections, and every rule
// checked from its plain definition on every day of the year (luxon does the date arithmetic).

function gaussEaster(year: number): DateTime {
  const k = Math.floor(year / 100);
  const m = 15 + Math.floor((3 * k + 3) / 4) - Math.floor((8 * k + 13) / 25);
  const s = 2 - Math.floor((3 * k + 3) / 4);
  const a = year % 19;
  const d = (19 * a + m) % 30;
  const r = Math.floor(d / 29) + (Math.floor(d / 28) - Math.floor(d / 29)) * Math.floor(a / 11);
  const paschalFullMoon = 21 + d - r;
  const firstSundayInMarch = 7 - ((year + Math.floor(year / 4) + s) % 7);
  const sundayAfterMoon = 7 - ((paschalFullMoon - firstSundayInMarch) % 7);
  const daysAfterLastOfFebruary = paschalFullMoon + sundayAfterMoon;
  return DateTime.utc(year, 3, 1).plus({ days: daysAfterLastOfFebruary - 1 });
}

interface PlainRule {
  kind: SpecialDayKind;
  nameSv: string;
  nameEn: string;
  appliesTo: (day: DateTime, easter: DateTime) => boolean;
}

const SATURDAY = 6;
const FRIDAY = 5;

const isOn = (month: number, dayOfMonth: number) => (day: DateTime) =>
  day.month === month && day.day === dayOfMonth;
// Day-of-year arithmetic is enough: every Easter-based day falls in Easter's own year.
const isEasterPlus = (offset: number) => (day: DateTime, easter: DateTime) =>
  day.ordinal - easter.ordinal === offset;
const isMidsummerDay = (day: DateTime) =>
  day.weekday === SATURDAY && day.month === 6 && day.day >= 20 && day.day <= 26;
const isAllSaintsDay = (day: DateTime) =>
  day.weekday === SATURDAY &&
  ((day.month === 10 && day.day === 31) || (day.month === 11 && day.day <= 6));
const isFridayBefore = (saturdayRule: (day: DateTime) => boolean) => (day: DateTime) =>
  day.weekday === FRIDAY && saturdayRule(day.plus({ days: 1 }));

const rule = (
  kind: SpecialDayKind,
  nameSv: string,
  nameEn: string,
  appliesTo: PlainRule['appliesTo'],
): PlainRule => ({ kind, nameSv, nameEn, appliesTo });

const PLAIN_RULES: PlainRule[] = [
  rule('PUBLIC_HOLIDAY', 'Nyårsdagen', "New Year's Day", isOn(1, 1)),
  rule('PUBLIC_HOLIDAY', 'Trettondedag jul', 'Epiphany', isOn(1, 6)),
  rule('PUBLIC_HOLIDAY', 'Långfredagen', 'Good Friday', isEasterPlus(-2)),
  rule('PUBLIC_HOLIDAY', 'Påskdagen', 'Easter Sunday', isEasterPlus(0)),
  rule('PUBLIC_HOLIDAY', 'Annandag påsk', 'Easter Monday', isEasterPlus(1)),
  rule('PUBLIC_HOLIDAY', 'Första maj', 'May Day', isOn(5, 1)),
  rule('PUBLIC_HOLIDAY', 'Kristi himmelsfärdsdag', 'Ascension Day', isEasterPlus(39)),
  rule('PUBLIC_HOLIDAY', 'Pingstdagen', 'Whit Sunday', isEasterPlus(49)),
  rule('PUBLIC_HOLIDAY', 'Sveriges nationaldag', 'National Day of Sweden', isOn(6, 6)),
  rule('PUBLIC_HOLIDAY', 'Midsommardagen', 'Midsummer Day', isMidsummerDay),
  rule('PUBLIC_HOLIDAY', 'Alla helgons dag', "All Saints' Day", isAllSaintsDay),
  rule('PUBLIC_HOLIDAY', 'Juldagen', 'Christmas Day', isOn(12, 25)),
  rule('PUBLIC_HOLIDAY', 'Annandag jul', 'Boxing Day', isOn(12, 26)),
  rule('DE_FACTO_HOLIDAY', 'Midsommarafton', 'Midsummer Eve', isFridayBefore(isMidsummerDay)),
  rule('DE_FACTO_HOLIDAY', 'Julafton', 'Christmas Eve', isOn(12, 24)),
  rule('DE_FACTO_HOLIDAY', 'Nyårsafton', "New Year's Eve", isOn(12, 31)),
  rule('SHORT_EVE', 'Trettondagsafton', 'Twelfth Night', isOn(1, 5)),
  rule('SHORT_EVE', 'Skärtorsdagen', 'Maundy Thursday', isEasterPlus(-3)),
  rule('SHORT_EVE', 'Valborgsmässoafton', 'Walpurgis Night', isOn(4, 30)),
  rule(
    'SHORT_EVE',
    'Dag före Kristi himmelsfärdsdag',
    'Day before Ascension Day',
    isEasterPlus(38),
  ),
  rule('SHORT_EVE', 'Allhelgonaafton', "All Saints' Eve", isFridayBefore(isAllSaintsDay)),
];

const RANK: SpecialDayKind[] = ['PUBLIC_HOLIDAY', 'DE_FACTO_HOLIDAY', 'SHORT_EVE'];

function expectedSpecialDays(year: number): SpecialDay[] {
  const easter = gaussEaster(year);
  const result: SpecialDay[] = [];
  for (let day = DateTime.utc(year, 1, 1); day.year === year; day = day.plus({ days: 1 })) {
    const matching = PLAIN_RULES.filter((plain) => plain.appliesTo(day, easter));
    const strongestKind = RANK.find((kind) => matching.some((plain) => plain.kind === kind));
    if (!strongestKind) continue;
    const strongest = matching.filter((plain) => plain.kind === strongestKind);
    result.push({
      date: day.toISODate() ?? '',
      kind: strongestKind,
      nameSv: strongest.map((plain) => plain.nameSv).join(' / '),
      nameEn: strongest.map((plain) => plain.nameEn).join(' / '),
    });
  }
  return result;
}

const years = fc.integer({ min: 1900, max: 2200 });

describe('easterSunday', () => {
  it.each([
    [2024, '2024-03-31'],
    [2025, '2025-04-20'],
    [2026, '2026-04-05'],
    [2027, '2027-03-28'],
    [2008, '2008-03-23'],
    [1943, '1943-04-25'],
    [2038, '2038-04-25'],
    [1818, '1818-03-22'],
    [2285, '2285-03-22'],
  ])('is on the known date in %i', (year, expected) => {
    expect(easterSunday(year)).toBe(expected);
  });

  it('agrees with Gauss and Lichtenberg for every Gregorian year we accept', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1583, max: 9999 }), (year) => {
        expect(easterSunday(year)).toBe(gaussEaster(year).toISODate());
      }),
      { numRuns: 2000 },
    );
  });

  it('always falls on a Sunday from 22 March to 25 April', () => {
    fc.assert(
      fc.property(years, (year) => {
        const easter = DateTime.fromISO(easterSunday(year), { zone: 'utc' });
        expect(easter.weekday).toBe(7);
        expect(easter >= DateTime.utc(year, 3, 22)).toBe(true);
        expect(easter <= DateTime.utc(year, 4, 25)).toBe(true);
      }),
    );
  });

  it('rejects years that cannot be written as YYYY', () => {
    expect(() => easterSunday(10_000)).toThrow(RangeError);
    expect(() => easterSunday(-1)).toThrow(RangeError);
    expect(() => easterSunday(2024.5)).toThrow(RangeError);
  });
});

describe('swedishSpecialDays', () => {
  it('matches every rule evaluated from its plain definition on each day of the year', () => {
    fc.assert(
      fc.property(years, (year) => {
        expect(swedishSpecialDays(year)).toEqual(expectedSpecialDays(year));
      }),
      { numRuns: 150 },
    );
  });

  it('has exactly one entry per date, sorted, all in the year', () => {
    fc.assert(
      fc.property(years, (year) => {
        const dates = swedishSpecialDays(year).map((specialDay) => specialDay.date);
        expect(new Set(dates).size).toBe(dates.length);
        expect([...dates].sort()).toEqual(dates);
        expect(dates.every((date) => date.startsWith(`${year}-`))).toBe(true);
      }),
    );
  });

  it('puts midsummer and All Saints on the right weekdays', () => {
    fc.assert(
      fc.property(years, (year) => {
        const days = swedishSpecialDays(year);
        const weekdayOf = (nameSv: string) => {
          const found = days.find((specialDay) => specialDay.nameSv === nameSv);
          return found && DateTime.fromISO(found.date, { zone: 'utc' }).weekday;
        };
        expect(weekdayOf('Midsommarafton')).toBe(FRIDAY);
        expect(weekdayOf('Midsommardagen')).toBe(SATURDAY);
        expect(weekdayOf('Alla helgons dag')).toBe(SATURDAY);
        expect(weekdayOf('Allhelgonaafton')).toBe(FRIDAY);
      }),
    );
  });

  it('always has the 13 public holidays, possibly sharing dates', () => {
    const publicHolidayNames = PLAIN_RULES.filter((plain) => plain.kind === 'PUBLIC_HOLIDAY').map(
      (plain) => plain.nameSv,
    );
    fc.assert(
      fc.property(years, (year) => {
        const names = swedishSpecialDays(year)
          .filter((specialDay) => specialDay.kind === 'PUBLIC_HOLIDAY')
          .flatMap((specialDay) => specialDay.nameSv.split(' / '));
        expect(names.sort()).toEqual([...publicHolidayNames].sort());
      }),
    );
  });

  it('gives 2026 its midsummer and All Saints dates', () => {
    expect(specialDayOn('2026-06-19')).toEqual({
      date: '2026-06-19',
      kind: 'DE_FACTO_HOLIDAY',
      nameSv: 'Midsommarafton',
      nameEn: 'Midsummer Eve',
    });
    expect(specialDayOn('2026-06-20')?.nameSv).toBe('Midsommardagen');
    expect(specialDayOn('2026-10-31')).toEqual({
      date: '2026-10-31',
      kind: 'PUBLIC_HOLIDAY',
      nameSv: 'Alla helgons dag',
      nameEn: "All Saints' Day",
    });
    expect(specialDayOn('2026-10-30')?.kind).toBe('SHORT_EVE');
  });

  it('joins Första maj and Kristi himmelsfärdsdag on 1 May 2008', () => {
    expect(specialDayOn('2008-05-01')).toEqual({
      date: '2008-05-01',
      kind: 'PUBLIC_HOLIDAY',
      nameSv: 'Första maj / Kristi himmelsfärdsdag',
      nameEn: 'May Day / Ascension Day',
    });
    // Easter on 23 March also puts the day before Ascension on Walpurgis Night.
    expect(specialDayOn('2008-04-30')).toEqual({
      date: '2008-04-30',
      kind: 'SHORT_EVE',
      nameSv: 'Valborgsmässoafton / Dag före Kristi himmelsfärdsdag',
      nameEn: 'Walpurgis Night / Day before Ascension Day',
    });
  });

  it('lets a public holiday beat a short eve on the same date', () => {
    // Easter on 22 March 2285 puts Kristi himmelsfärdsdag on Valborgsmässoafton.
    expect(specialDayOn('2285-04-30')).toEqual({
      date: '2285-04-30',
      kind: 'PUBLIC_HOLIDAY',
      nameSv: 'Kristi himmelsfärdsdag',
      nameEn: 'Ascension Day',
    });
  });
});

describe('specialDayOn', () => {
  it('returns nothing for an ordinary day', () => {
    expect(specialDayOn('2027-03-24')).toBeUndefined();
  });

  it('agrees with swedishSpecialDays on every day', () => {
    fc.assert(
      fc.property(years, fc.integer({ min: 0, max: 364 }), (year, dayOfYear) => {
        const date = DateTime.utc(year, 1, 1).plus({ days: dayOfYear }).toISODate() ?? '';
        const expected = swedishSpecialDays(year).find((specialDay) => specialDay.date === date);
        expect(specialDayOn(date)).toEqual(expected);
      }),
    );
  });

  it('hands out the memoised entry, frozen so that no caller can change it for others', () => {
    const first = specialDayOn('2027-12-24');
    expect(specialDayOn('2027-12-24')).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
  });

  it.each(['2027-3-24', '2027-02-29', '2027-13-01', '27-03-24', '2027-03-24T00:00', ''])(
    'throws on the malformed or nonexistent date %p',
    (date) => {
      expect(() => specialDayOn(date)).toThrow(RangeError);
    },
  );
});
