import { addDays, dayKey, formatDay, formatTime, mondayOf } from '../src/lib/booking/time';
import { isIsoDate, IDENTITY_NUMBER } from '../src/lib/booking/validators';

describe('times of an office, in its own zone', () => {
  it('names a time with its weekday in Swedish and English, in the office zone', () => {
    const start = '2027-03-29T09:00:00+02:00';
    expect(
      `${formatDay(start, 'Europe/Stockholm', 'sv')} ${formatTime(start, 'Europe/Stockholm', 'sv')}`,
    ).toBe('måndag 29 mars 09:00');
    expect(
      `${formatDay(start, 'Europe/Stockholm', 'en')} ${formatTime(start, 'Europe/Stockholm', 'en')}`,
    ).toBe('Monday 29 March 09:00');
    // The same instant in another zone is another local time: the office's zone decides.
    expect(formatTime(start, 'America/New_York', 'sv')).toBe('03:00');
  });

  it('finds the office-local day across midnight and the Monday of a week', () => {
    expect(dayKey('2027-03-28T23:30:00Z', 'Europe/Stockholm')).toBe('2027-03-29');
    expect(mondayOf('2027-03-31')).toBe('2027-03-29');
    expect(mondayOf('2027-03-29')).toBe('2027-03-29');
    expect(addDays('2027-02-26', 3)).toBe('2027-03-01');
  });

  it('checks identity numbers and dates by shape', () => {
    expect(IDENTITY_NUMBER.test('19800101-1234')).toBe(true);
    expect(IDENTITY_NUMBER.test('8001011234')).toBe(true);
    expect(IDENTITY_NUMBER.test('800101+1234')).toBe(true);
    expect(IDENTITY_NUMBER.test('80010-1234')).toBe(false);
    expect(isIsoDate('1990-04-23')).toBe(true);
    expect(isIsoDate('1990-02-30')).toBe(false);
    expect(isIsoDate('23/4/1990')).toBe(false);
  });
});
