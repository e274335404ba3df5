/** The p-quantile (0..1) of sorted values, linear between order statistics (R's type 7). */
function quantile(sorted: readonly number[], p: number): number {
  const position = (sorted.length - 1) * p;
  const below = Math.floor(position);
  const above = Math.ceil(position);
  return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
}

/**
 * Expected minutes per ticket of a service, from the measured durations (minutes) of recent
 * days. Fewer than `minSamples` usable samples (finite, not negative) give `defaultMinutes`,
 * the service's configured duration. Otherwise a winsorized mean: every sample is clamped to
 * the 10th..90th percentile, then averaged. A forgotten "finish" (a 3-hour ticket) or a
 * no-show closed at once then moves the figure by at most one tenth of the range, where a
 * plain mean would follow it; unlike a median, it still follows the long right tail that
 * real service times have, which is what a queue's waits add up.
 */
export function serviceMinutes(
  samplesMinutes: readonly number[],
  defaultMinutes: number,
  minSamples = 5,
): number {
  const samples = samplesMinutes.filter((m) => Number.isFinite(m) && m >= 0).sort((a, b) => a - b);
  if (samples.length === 0 || samples.length < minSamples) return defaultMinutes;
  const low = quantile(samples, 0.1);
  const high = quantile(samples, 0.9);
  let sum = 0;
  for (const m of samples) sum += Math.min(high, Math.max(low, m));
  return sum / samples.length;
}

/**
 * Expected minutes still to go of a service in progress for `elapsedMinutes`: the mean
 * residual life of the measured durations, E[S − elapsed | S > elapsed]. Service times have a
 * long right tail, so a citizen already at the desk for a while is expected to stay longer
 * than "expected end − now" says — and one past the expected end is not about to leave. With
 * fewer than `minSamples` measured durations longer than `elapsedMinutes` (or too few samples
 * at all), max(expected − elapsed, expected / 4), expected being {@link serviceMinutes}.
 */
export function remainingServiceMinutes(
  samplesMinutes: readonly number[],
  elapsedMinutes: number,
  defaultMinutes: number,
  minSamples = 5,
): number {
  const elapsed = Math.max(0, elapsedMinutes);
  let longer = 0;
  let residualSum = 0;
  for (const m of samplesMinutes)
    if (Number.isFinite(m) && m > elapsed) {
      longer++;
      residualSum += m - elapsed;
    }
  if (longer > 0 && longer >= minSamples) return residualSum / longer;
  const expected = serviceMinutes(samplesMinutes, defaultMinutes, minSamples);
  return Math.max(expected - elapsed, expected / 4);
}
