import type { Interval } from './types';

/**
 * The same set of instants as a list sorted by start, with empty or inverted intervals dropped
 * and overlapping or touching ones merged. After this, ends increase strictly too, which is
 * what makes the binary searches below valid.
 */
export function normalize(intervals: readonly Interval[]): Interval[] {
  const sorted = intervals
    .filter((i) => i.end > i.start)
    .map((i) => ({ start: i.start, end: i.end }))
    .sort((a, b) => a.start - b.start || a.end - b.end);
  const merged: Interval[] = [];
  for (const interval of sorted) {
    const last = merged[merged.length - 1];
    if (last !== undefined && interval.start <= last.end) {
      if (interval.end > last.end) last.end = interval.end;
    } else {
      merged.push(interval);
    }
  }
  return merged;
}

/** Index of the first interval of a normalized list that ends after t, or the list's length. */
function firstEndingAfter(list: readonly Interval[], t: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid].end > t) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** No instant of [start, end) lies in the normalized list. */
export function isClear(list: readonly Interval[], start: number, end: number): boolean {
  // Only the first interval ending after `start` can be the earliest one overlapping.
  const i = firstEndingAfter(list, start);
  return i === list.length || list[i].start >= end;
}

/** Every instant of [start, end) lies in the normalized list. */
export function covers(list: readonly Interval[], start: number, end: number): boolean {
  // Merged intervals never touch, so the range must fit inside the one containing `start`.
  const i = firstEndingAfter(list, start);
  return i < list.length && list[i].start <= start && list[i].end >= end;
}

/** Index of the last interval (sorted by start) starting at or before t, or -1. */
export function lastStartingAtOrBefore(list: readonly Interval[], t: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid].start <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** Length of the part of a normalized list inside [start, end). */
export function overlapLength(list: readonly Interval[], start: number, end: number): number {
  let total = 0;
  for (let i = firstEndingAfter(list, start); i < list.length && list[i].start < end; i++) {
    total += Math.min(list[i].end, end) - Math.max(list[i].start, start);
  }
  return total;
}
