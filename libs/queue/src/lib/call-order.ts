/**
 * One waiting ticket of an office's queue: a walk-in or a checked-in appointment. Instants are
 * epoch milliseconds.
 */
export interface QueueEntry {
  id: string;
  serviceId: string;
  /** The day's number; final tie-break. */
  sequence: number;
  /** When it starts waiting: a walk-in's queue time; an appointment's max(arrival, booked start). */
  dueAt: number;
  /** dueAt + the service's target wait. */
  overdueAt: number;
  /** A checked-in appointment (on time). */
  appointment: boolean;
  /** Placed first in line by a transfer. */
  firstInLineAt?: number;
  /** A joint visit's later part: callable only after that ticket is finished. */
  afterId?: string;
  /** Transferred to a specific person. */
  reservedStaffId?: string;
  /** Transferred to a specific counter. */
  reservedCounterId?: string;
  /** Counter features the citizen needs, e.g. 'ACCESSIBLE_DESK', 'HEARING_LOOP', 'PRIVATE_ROOM'. */
  needs: string[];
  /** ISO 639-1 language the citizen needs. */
  language?: string;
}

/** Who is calling: a person at a counter (or without one), with what they may serve there. */
export interface QueueServer {
  staffId: string;
  counterId?: string;
  serviceIds: ReadonlySet<string>;
  counterFeatures: ReadonlySet<string>;
  languages: ReadonlySet<string>;
}

/** 0 = first in line (transfer), 1 = overdue, 2 = appointment, 3 = walk-in. */
export type QueueClass = 0 | 1 | 2 | 3;

export function queueClass(e: QueueEntry, now: number): QueueClass {
  if (e.firstInLineAt !== undefined) return 0;
  if (e.overdueAt <= now) return 1;
  return e.appointment ? 2 : 3;
}

/**
 * The instant an entry is ordered by within its class: `firstInLineAt` in class 0, `overdueAt`
 * in class 1, `dueAt` in classes 2 and 3.
 */
function orderKey(e: QueueEntry, queueClassOfEntry: QueueClass): number {
  if (queueClassOfEntry === 0) return e.firstInLineAt as number;
  return queueClassOfEntry === 1 ? e.overdueAt : e.dueAt;
}

/**
 * The call order at `now`: class ascending, then first-in-line entries by `firstInLineAt`,
 * overdue entries by `overdueAt` (the one whose target wait passed first is called first),
 * appointments and walk-ins by `dueAt`, then `sequence`. Overdue entries go by `overdueAt`
 * rather than `dueAt` so that the database can claim the next ticket with one index range scan
 * per class in that class's order (`overdue_at <= now` on an index ordered by `overdue_at`),
 * without sorting the whole queue; among services with the same target wait the order is the
 * same as by `dueAt`. The claim statement of the queue service orders by the same keys; change
 * both together. A total order as long as sequences are unique within one office's day.
 */
export function compareForCall(a: QueueEntry, b: QueueEntry, now: number): number {
  const classA = queueClass(a, now);
  const classB = queueClass(b, now);
  if (classA !== classB) return classA - classB;
  const keyA = orderKey(a, classA);
  const keyB = orderKey(b, classB);
  if (keyA !== keyB) return keyA < keyB ? -1 : 1;
  if (a.sequence !== b.sequence) return a.sequence < b.sequence ? -1 : 1;
  return 0;
}

/** Waiting has begun and, for a joint visit's later part, the earlier part is finished. */
export function callableNow(e: QueueEntry, now: number, finishedIds: ReadonlySet<string>): boolean {
  return e.dueAt <= now && (e.afterId === undefined || finishedIds.has(e.afterId));
}

/**
 * The server is trained for the service, the counter has every feature the citizen needs, the
 * person speaks the language asked for, and a transfer to a person or counter names this one.
 */
export function mayServe(e: QueueEntry, server: QueueServer): boolean {
  if (!server.serviceIds.has(e.serviceId)) return false;
  if (e.reservedStaffId !== undefined && e.reservedStaffId !== server.staffId) return false;
  if (e.reservedCounterId !== undefined && e.reservedCounterId !== server.counterId) return false;
  if (e.language !== undefined && !server.languages.has(e.language)) return false;
  for (const need of e.needs) if (!server.counterFeatures.has(need)) return false;
  return true;
}

/**
 * The entry this server calls next at `now`: the first by {@link compareForCall} among those
 * callable now that it may serve (the earliest in `entries` on a full tie), or undefined.
 */
export function nextFor(
  entries: readonly QueueEntry[],
  server: QueueServer,
  now: number,
  finishedIds: ReadonlySet<string>,
): QueueEntry | undefined {
  let best: QueueEntry | undefined;
  for (const e of entries) {
    if (!callableNow(e, now, finishedIds) || !mayServe(e, server)) continue;
    if (best === undefined || compareForCall(e, best, now) < 0) best = e;
  }
  return best;
}
