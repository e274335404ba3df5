/** The columns of a counter allocation the rules below read (directory.published_counter_allocation). */
export interface AllocationRule {
  kind: 'WEEKLY' | 'DATED' | string;
  weekday: number | null;
  date: string | null;
  validFrom: string | null;
  validTo: string | null;
}

/** A weekly row's validity (inclusive local dates; null: open-ended) covers the date. */
export function withinValidity(
  date: string,
  validFrom: string | null,
  validTo: string | null,
): boolean {
  return (!validFrom || date >= validFrom) && (!validTo || date <= validTo);
}

/**
 * One counter's allocations that apply on a local date: its DATED rows of that date if it has
 * any (they replace the weekly pattern that day), else its WEEKLY rows of the weekday within
 * their validity. Time no applying allocation covers is pooled (the engine's rule).
 */
export function allocationsOn<T extends AllocationRule>(
  rows: readonly T[],
  date: string,
  weekday: number,
): T[] {
  const dated = rows.filter((a) => a.kind === 'DATED' && a.date === date);
  if (dated.length > 0) return dated;
  return rows.filter(
    (a) =>
      a.kind === 'WEEKLY' && a.weekday === weekday && withinValidity(date, a.validFrom, a.validTo),
  );
}
