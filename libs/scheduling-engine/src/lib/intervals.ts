import type { Interval } from './types';

/**
 * The same set of instants as a list sorted by start, with empty or inverted intervals dropped
 * and overlapping or touching ones merged. After this, ends increase strictly too, which is
 * what makes the binary searches below valid.
 */
export function normalize(intervals: readonly Interval[]): Interval[] {
  // Lists usually come sorted already (the database hands them over in time order, and busy
  // times of one counter or person never overlap, though they often touch): then one pass
  // merges, without sorting or copying the intervals.
  let inOrder = true;
  for (let i = 0; i < intervals.length && inOrder; i++) {
    const interval = intervals[i];
    inOrder =
      interval.end > interval.start && (i === 0 || interval.start >= intervals[i - 1].start);
  }
  const sorted = inOrder
    ? intervals
    : intervals.filter((i) => i.end > i.start).sort((a, b) => a.start - b.start || a.end - b.end);
  const merged: Interval[] = [];
  for (const interval of sorted) {
    const last = merged[merged.length - 1];
    if (last !== undefined && interval.start <= last.end) {
      // A new object: the caller's intervals are never changed.
      if (interval.end > last.end)
        merged[merged.length - 1] = { start: last.start, end: interval.end };
    } else {
      merged.push(interval);
    }
  }
  return merged;
}

/**
 * For lists only searched with isClear (busy times): sorted, non-empty, non-overlapping
 * intervals may touch, so a list that already is so (a counter's back-to-back appointments in
 * time order) is taken as it is, without a copy; anything else is normalized.
 */
export function disjoint(intervals: readonly Interval[]): Interval[] {
  for (let i = 0; i < intervals.length; i++) {
    const interval = intervals[i];
    if (!(interval.end > interval.start) || (i > 0 && interval.start < intervals[i - 1].end)) {
      return normalize(intervals);
    }
  }
  return intervals as Interval[];
}

/** The union of two normalized lists, normalized, in one pass. */
export function union(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  if (b.length === 0) return a as Interval[];
  if (a.length === 0) return b as Interval[];
  const merged: Interval[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const next = j >= b.length || (i < a.length && a[i].start <= b[j].start) ? a[i++] : b[j++];
    const last = merged[merged.length - 1];
    if (last !== undefined && next.start <= last.end) {
      if (next.end > last.end) merged[merged.length - 1] = { start: last.start, end: next.end };
    } else {
      merged.push(next);
    }
  }
  return merged;
}

/** a minus b, both normalized; normalized. */
export function difference(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  let j = 0;
  for (const piece of a) {
    let start = piece.start;
    while (j < b.length && b[j].end <= start) j++;
    for (let k = j; k < b.length && b[k].start < piece.end; k++) {
      if (b[k].start > start) out.push({ start, end: b[k].start });
      start = Math.max(start, b[k].end);
      if (start >= piece.end) break;
    }
    if (start < piece.end) out.push({ start, end: piece.end });
  }
  return out;
}

/** a intersected with b, both normalized; normalized. */
export function intersection(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const start = Math.max(a[i].start, b[j].start);
    const end = Math.min(a[i].end, b[j].end);
    if (start < end) out.push({ start, end });
    if (a[i].end < b[j].end) i++;
    else j++;
  }
  return out;
}

/** The part of a normalized (or disjoint) list inside [start, end). */
export function clip(list: readonly Interval[], start: number, end: number): Interval[] {
  const out: Interval[] = [];
  for (let i = firstEndingAfter(list, start); i < list.length && list[i].start < end; i++) {
    const interval = list[i];
    out.push(
      interval.start >= start && interval.end <= end
        ? interval
        : { start: Math.max(interval.start, start), end: Math.min(interval.end, end) },
    );
  }
  return out;
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

/** No instant of [start, end) lies in the normalized (or disjoint) list. */
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
