import fc from 'fast-check';
import { remainingServiceMinutes, serviceMinutes } from './service-times';

describe('service minutes', () => {
  it('falls back to the configured duration with fewer than minSamples usable samples', () => {
    expect(serviceMinutes([], 12)).toBe(12);
    expect(serviceMinutes([5, 6, 7, 8], 12)).toBe(12);
    expect(serviceMinutes([5, 6, 7, 8, NaN, -1, Infinity], 12)).toBe(12);
    expect(serviceMinutes([5, 6, 7], 12, 3)).toBe(6);
    expect(serviceMinutes([], 12, 0)).toBe(12);
  });

  it('is the plain mean when nothing lies outside the 10th..90th percentile', () => {
    expect(serviceMinutes([10, 10, 10, 10, 10], 3)).toBe(10);
  });

  it('clamps outliers to the 10th and 90th percentile before averaging', () => {
    // 11 samples: p10 = 2nd smallest (4), p90 = 2nd largest (16); 180 and 0 are clamped.
    const samples = [0, 4, 6, 8, 9, 10, 11, 12, 14, 16, 180];
    const clamped = [4, 4, 6, 8, 9, 10, 11, 12, 14, 16, 16];
    expect(serviceMinutes(samples, 3)).toBeCloseTo(clamped.reduce((a, b) => a + b) / 11, 10);
  });

  it('interpolates the percentiles between samples', () => {
    // 6 samples: p10 at position 0.5 → 1.5, p90 at position 4.5 → 5.5.
    expect(serviceMinutes([1, 2, 3, 4, 5, 6], 3)).toBeCloseTo((1.5 + 2 + 3 + 4 + 5 + 5.5) / 6, 10);
  });

  it('lies between the smallest and largest sample and ignores their order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 480, noNaN: true }), { minLength: 5, maxLength: 60 }),
        (samples) => {
          const m = serviceMinutes(samples, -1);
          expect(m).toBeGreaterThanOrEqual(Math.min(...samples) - 1e-9);
          expect(m).toBeLessThanOrEqual(Math.max(...samples) + 1e-9);
          expect(serviceMinutes([...samples].reverse(), -1)).toBeCloseTo(m, 9);
        },
      ),
    );
  });
});

describe('remaining service minutes', () => {
  const samples = [4, 6, 8, 10, 12, 14, 16, 20, 30, 40];

  it('is the mean residual of the durations longer than the time already spent', () => {
    expect(remainingServiceMinutes(samples, 0, 99)).toBeCloseTo(16, 10);
    // Longer than 9: 10, 12, 14, 16, 20, 30, 40 → residuals 1, 3, 5, 7, 11, 21, 31.
    expect(remainingServiceMinutes(samples, 9, 99)).toBeCloseTo(79 / 7, 10);
  });

  it('expects a service at its expected length to go on rather than to end now', () => {
    const minutes = Array.from({ length: 40 }, (_, i) => i + 1);
    const expected = serviceMinutes(minutes, 99);
    expect(expected).toBeCloseTo(20.5, 10);
    // Longer than 20.5: 21..40, so on average 10 minutes more.
    expect(remainingServiceMinutes(minutes, expected, 99)).toBeCloseTo(10, 10);
  });

  it('falls back to max(expected − elapsed, expected / 4) with too few longer durations', () => {
    const expected = serviceMinutes(samples, 99);
    expect(remainingServiceMinutes(samples, 25, 99)).toBeCloseTo(expected / 4, 10);
    expect(remainingServiceMinutes([], 3, 12)).toBe(9);
    expect(remainingServiceMinutes([], 30, 12)).toBe(3);
    expect(remainingServiceMinutes([5, 6], 1, 12, 2)).toBeCloseTo(4.5, 10);
  });

  it('is positive for any history and time spent', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 120, noNaN: true }), { maxLength: 40 }),
        fc.double({ min: 0, max: 200, noNaN: true }),
        fc.double({ min: 1, max: 60, noNaN: true }),
        (history, elapsed, defaultMinutes) => {
          expect(remainingServiceMinutes(history, elapsed, defaultMinutes)).toBeGreaterThan(0);
        },
      ),
    );
  });
});
