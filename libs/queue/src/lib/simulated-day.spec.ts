import { dayFigures, DayFigures, simulateDay } from './simulated-day';

// The acceptance test: the estimate shown on arrival against the waits that happened
// in a simulated office day (see simulated-day.ts and the README's figures). Fixed seeds, so
// the figures are exact; the bounds leave room for last-digit differences of Math.exp/log.
const SEEDS = [1, 2, 3];

function figures(busyUntil: 'expected-end' | 'remaining'): DayFigures[] {
  return SEEDS.map((seed) => dayFigures(simulateDay(seed, { busyUntil })));
}

describe('wait estimates against a simulated office day', () => {
  const asBriefed = figures('expected-end');
  const withRemaining = figures('remaining');

  it('simulates busy days: over 100 walk-ins, queues of a quarter of an hour and more', () => {
    for (const day of asBriefed) {
      expect(day.tickets).toBeGreaterThan(100);
      expect(day.meanRealWait).toBeGreaterThan(12);
    }
  });

  it('is close with busy desks free at start + expected minutes, if somewhat optimistic', () => {
    for (const day of asBriefed) {
      expect(day.medianAbsError).toBeLessThanOrEqual(8);
      expect(day.mae).toBeLessThanOrEqual(9);
      expect(day.inBand).toBeGreaterThanOrEqual(0.6);
      expect(Math.abs(day.bias)).toBeLessThanOrEqual(0.3 * day.meanRealWait);
    }
  });

  it('is closer and nearly unbiased with busy desks free at now + remaining minutes', () => {
    for (const [i, day] of withRemaining.entries()) {
      expect(day.medianAbsError).toBeLessThanOrEqual(6);
      expect(day.mae).toBeLessThanOrEqual(7);
      expect(day.mae).toBeLessThan(asBriefed[i].mae);
      expect(day.inBand).toBeGreaterThanOrEqual(0.6);
      expect(Math.abs(day.bias)).toBeLessThanOrEqual(0.1 * day.meanRealWait);
    }
  });
});
