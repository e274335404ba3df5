import { checkInDecision } from './check-in';

const zone = 'Europe/Stockholm';
const at = (iso: string) => Date.parse(iso);
const decide = (bookedStart: string, now: string, windows = {}) =>
  checkInDecision({ bookedStart: at(bookedStart), now: at(now), zone, ...windows });

describe('check-in window', () => {
  const start = '2027-05-04T10:00:00+02:00';

  it('opens 15 minutes before the start and closes 10 minutes after it', () => {
    expect(decide(start, '2027-05-04T09:44:59+02:00')).toEqual({
      kind: 'TOO_EARLY',
      opensAt: at('2027-05-04T09:45:00+02:00'),
    });
    expect(decide(start, '2027-05-04T09:45:00+02:00')).toEqual({ kind: 'ON_TIME' });
    expect(decide(start, '2027-05-04T10:10:00+02:00')).toEqual({ kind: 'ON_TIME' });
    expect(decide(start, '2027-05-04T10:10:00.001+02:00')).toEqual({ kind: 'LATE' });
    expect(decide(start, '2027-05-04T07:00:00+02:00').kind).toBe('TOO_EARLY');
  });

  it('takes other windows', () => {
    const windows = { earlyMinutes: 30, lateMinutes: 0 };
    expect(decide(start, '2027-05-04T09:30:00+02:00', windows)).toEqual({ kind: 'ON_TIME' });
    expect(decide(start, '2027-05-04T10:00:01+02:00', windows)).toEqual({ kind: 'LATE' });
  });

  it('refuses another office-local date first, even minutes away', () => {
    expect(decide('2027-05-05T00:05:00+02:00', '2027-05-04T23:55:00+02:00')).toEqual({
      kind: 'NOT_TODAY',
    });
    expect(decide('2027-05-04T23:58:00+02:00', '2027-05-05T00:02:00+02:00')).toEqual({
      kind: 'NOT_TODAY',
    });
    expect(decide(start, '2027-05-03T10:00:00+02:00')).toEqual({ kind: 'NOT_TODAY' });
  });

  it("compares the office's dates, not UTC's", () => {
    // 00:10 and 02:30 local are one local date but two UTC dates (22:10Z and 00:30Z).
    expect(decide('2027-05-04T00:10:00+02:00', '2027-05-04T02:30:00+02:00')).toEqual({
      kind: 'LATE',
    });
    // 23:50Z on the 3rd and 00:00Z on the 4th are 01:50 and 02:00 local, both on the 4th.
    expect(decide('2027-05-03T23:50:00Z', '2027-05-04T00:00:00Z')).toEqual({ kind: 'ON_TIME' });
    // And the reverse: one UTC date, two local dates.
    expect(decide('2027-05-04T21:55:00Z', '2027-05-04T22:05:00Z')).toEqual({ kind: 'NOT_TODAY' });
  });

  it('counts real minutes across the spring change (2027-03-28, 02:00 → 03:00)', () => {
    // 01:55 CET and 03:05 CEST are 10 real minutes apart, 70 on the wall.
    expect(decide('2027-03-28T03:05:00+02:00', '2027-03-28T01:55:00+01:00')).toEqual({
      kind: 'ON_TIME',
    });
    expect(decide('2027-03-28T03:05:00+02:00', '2027-03-28T01:49:00+01:00')).toEqual({
      kind: 'TOO_EARLY',
      opensAt: at('2027-03-28T01:50:00+01:00'),
    });
  });

  it('counts real minutes across the autumn change (2027-10-31, 03:00 → 02:00)', () => {
    // The second 02:30 (CET) is 40 real minutes after the first 02:50 (CEST).
    expect(decide('2027-10-31T02:30:00+01:00', '2027-10-31T02:50:00+02:00')).toEqual({
      kind: 'TOO_EARLY',
      opensAt: at('2027-10-31T02:15:00+01:00'),
    });
    // The first 02:10 (CEST) is 65 real minutes before the second 02:15 (CET).
    expect(decide('2027-10-31T02:10:00+02:00', '2027-10-31T02:15:00+01:00')).toEqual({
      kind: 'LATE',
    });
    expect(decide('2027-10-31T02:10:00+02:00', '2027-10-31T02:10:00+01:00')).toEqual({
      kind: 'LATE',
    });
  });

  it('refuses an unknown zone', () => {
    expect(() => checkInDecision({ bookedStart: 0, now: 0, zone: 'Europe/Atlantis' })).toThrow(
      RangeError,
    );
  });
});
