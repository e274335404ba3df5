import fc from 'fast-check';
import { MINUTE, T0 } from './test-builders';
import { closingDecision, waitBand } from './wait-band';

describe('wait band', () => {
  it.each([
    [0, 0, 5],
    [3, 0, 5],
    [12, 5, 15],
    [25, 20, 35],
    [30, 20, 40],
    [31.25, 25, 40],
    [60, 45, 75],
    [-2, 0, 5],
  ])('%p minutes → %p–%p', (minutes, low, high) => {
    expect(waitBand(minutes)).toEqual({ low, high });
  });

  it('is on the 5-minute grid, at least 5 wide, around 80 %..125 % of the estimate', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 600, noNaN: true }), (m) => {
        const { low, high } = waitBand(m);
        expect(low % 5).toBe(0);
        expect(high % 5).toBe(0);
        expect(high - low).toBeGreaterThanOrEqual(5);
        expect(low).toBeLessThanOrEqual(0.8 * m + 1e-9);
        expect(low).toBeGreaterThan(0.8 * m - 5);
        expect(high).toBeGreaterThanOrEqual(1.25 * m - 1e-9);
      }),
    );
  });
});

describe('closing decision', () => {
  const closesAt = T0 + 7 * 60 * MINUTE;
  const now = closesAt - 60 * MINUTE;

  it('is OK when even the high end of the band and the service end before closing', () => {
    const band = { low: 20, high: 40 };
    expect(closingDecision({ callAt: now, band, serviceMinutes: 20, closesAt, now })).toBe('OK');
  });

  it('passes closing when only the high end runs late', () => {
    const band = { low: 20, high: 40 };
    const decide = (serviceMinutes: number) =>
      closingDecision({ callAt: now, band, serviceMinutes, closesAt, now });
    expect(decide(21)).toBe('PASSES_CLOSING');
    expect(decide(40)).toBe('PASSES_CLOSING');
    expect(decide(41)).toBe('TOO_LATE');
  });

  it('derives the band from callAt when none is given', () => {
    const decide = (waitMinutes: number, serviceMinutes: number) =>
      closingDecision({ callAt: now + waitMinutes * MINUTE, serviceMinutes, closesAt, now });
    expect(decide(0, 55)).toBe('OK'); // 0–5 + 55 = 60
    expect(decide(0, 56)).toBe('PASSES_CLOSING');
    expect(decide(25, 40)).toBe('PASSES_CLOSING'); // 20–35
    expect(decide(25, 41)).toBe('TOO_LATE');
  });

  it('is too late after closing even with nobody waiting', () => {
    expect(
      closingDecision({
        callAt: closesAt + MINUTE,
        serviceMinutes: 0,
        closesAt,
        now: closesAt + MINUTE,
      }),
    ).toBe('TOO_LATE');
  });
});
