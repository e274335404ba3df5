import fc from 'fast-check';
import { DateTime } from 'luxon';
import {
  formatDayNumber,
  fromDayNumber,
  isoWeekday,
  parseIsoDate,
  toDayNumber,
} from './civil-date';

const firstDay = toDayNumber({ year: 0, month: 1, day: 1 });
const lastDay = toDayNumber({ year: 9999, month: 12, day: 31 });

describe('civil dates as day numbers', () => {
  it('counts from 1970-01-01, a Thursday', () => {
    expect(toDayNumber({ year: 1970, month: 1, day: 1 })).toBe(0);
    expect(isoWeekday(0)).toBe(4);
    expect(formatDayNumber(-1)).toBe('1969-12-31');
  });

  it('agrees with luxon on the date and weekday of every day from year 0 to 9999', () => {
    fc.assert(
      fc.property(fc.integer({ min: firstDay, max: lastDay }), (dayNumber) => {
        const reference = DateTime.fromMillis(dayNumber * 86_400_000, { zone: 'utc' });
        const { year, month, day } = fromDayNumber(dayNumber);
        expect({ year, month, day }).toEqual({
          year: reference.year,
          month: reference.month,
          day: reference.day,
        });
        expect(isoWeekday(dayNumber)).toBe(reference.weekday);
        expect(toDayNumber({ year, month, day })).toBe(dayNumber);
        expect(parseIsoDate(formatDayNumber(dayNumber))).toBe(dayNumber);
      }),
      { numRuns: 2000 },
    );
  });

  it.each(['2027-02-29', '2027-04-31', '2027-00-10', '2027-01-00', '2027-1-1', ' 2027-01-01'])(
    'does not parse %p',
    (text) => {
      expect(parseIsoDate(text)).toBeUndefined();
    },
  );

  it('parses a leap day only in a leap year', () => {
    expect(parseIsoDate('2024-02-29')).toBe(toDayNumber({ year: 2024, month: 2, day: 29 }));
    expect(parseIsoDate('2000-02-29')).toBeDefined();
    expect(parseIsoDate('1900-02-29')).toBeUndefined();
  });
});
