import { dayCount, localDates, localMinuteToUtc } from './local-time';

describe('local time helpers', () => {
  it('turns local minutes into instants across the DST changes of Europe/Stockholm', () => {
    expect(new Date(localMinuteToUtc('Europe/Stockholm', '2027-03-27', 540)).toISOString()).toBe(
      '2027-03-27T08:00:00.000Z',
    );
    expect(new Date(localMinuteToUtc('Europe/Stockholm', '2027-03-28', 540)).toISOString()).toBe(
      '2027-03-28T07:00:00.000Z',
    );
    expect(new Date(localMinuteToUtc('Europe/Stockholm', '2027-10-31', 540)).toISOString()).toBe(
      '2027-10-31T08:00:00.000Z',
    );
    expect(new Date(localMinuteToUtc('Europe/Stockholm', '2027-03-28', 1440)).toISOString()).toBe(
      '2027-03-28T22:00:00.000Z',
    );
  });

  it('lists the local dates of a range, inclusive', () => {
    expect(localDates('2027-02-27', '2027-03-02')).toEqual([
      '2027-02-27',
      '2027-02-28',
      '2027-03-01',
      '2027-03-02',
    ]);
    expect(localDates('2027-03-02', '2027-03-01')).toEqual([]);
  });

  it('counts the days of a range without listing them', () => {
    expect(dayCount('2027-02-27', '2027-03-02')).toBe(4);
    expect(dayCount('2028-02-28', '2028-03-01')).toBe(3);
    expect(dayCount('2027-03-02', '2027-03-01')).toBe(0);
    expect(dayCount('1900-01-01', '2200-12-31')).toBe(109_938);
  });
});
