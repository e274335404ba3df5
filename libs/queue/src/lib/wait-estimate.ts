import { mayServe, QueueEntry, QueueServer } from './call-order';
import { MinHeap } from './min-heap';

const MS_PER_MINUTE = 60_000;

export interface EstimateServer extends QueueServer {
  /** Epoch ms when the current citizen is expected to be done; <= now when free. */
  busyUntil: number;
  /**
   * The entry this server is serving now, if any: a joint visit's later part waiting for it
   * becomes callable at busyUntil. Without it such a part has no estimate.
   */
  servingId?: string;
}

export interface WaitEstimate {
  /** When the entry is expected to be called (epoch ms), never before `now`. */
  callAt: number;
  /** (callAt − now) in minutes, not rounded. */
  waitMinutes: number;
}

export interface EstimateInput {
  now: number;
  entries: readonly QueueEntry[];
  servers: readonly EstimateServer[];
  /** Expected minutes per ticket of each service ({@link serviceMinutes}). */
  minutesPerService: ReadonlyMap<string, number>;
  finishedIds?: ReadonlySet<string>;
}

/**
 * When each waiting entry is expected to be called: a discrete-event simulation of the calling
 * rules. Each server becomes free at max(now, busyUntil) and calls {@link nextFor} at that
 * simulated time among the entries not yet called, then stays busy for the service's expected
 * minutes; a server with nothing callable waits until something it may serve becomes callable
 * (a later dueAt, or a joint part whose earlier part's simulated service ends). Servers free at
 * the same instant call in the order given. Entries that no server may serve, or that wait for
 * a ticket that is neither finished, waiting, nor being served, get no estimate.
 *
 * The simulation is exact with respect to nextFor but does not rescan the queue: entries are
 * grouped by the set of servers that may serve them, and each group keeps one heap per class,
 * so a call costs O(groups of that server · log n).
 */
export function estimateWaits(input: EstimateInput): Map<string, WaitEstimate> {
  const { now, entries, servers, minutesPerService } = input;
  const finishedIds = input.finishedIds ?? new Set<string>();
  const n = entries.length;

  const indexById = new Map<string, number>();
  entries.forEach((e, i) => {
    if (indexById.has(e.id)) throw new RangeError(`entry ids must be unique, got '${e.id}' twice`);
    indexById.set(e.id, i);
  });

  // Entries that the same servers may serve are interchangeable for calling: one group each.
  // What decides it (service, language, reservations, needs) repeats a lot in a queue, so it
  // is asked of the servers once per combination.
  const groupOf = new Int32Array(n).fill(-1);
  const groupByServers = new Map<string, number>();
  const groupByTraits = new Map<string, number>();
  const groupServers: number[][] = [];
  const serverGroups: number[][] = servers.map(() => []);
  const durationMs = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const e = entries[i];
    const traits = JSON.stringify([
      e.serviceId,
      e.language,
      e.reservedStaffId,
      e.reservedCounterId,
      e.needs,
    ]);
    let group = groupByTraits.get(traits);
    if (group === undefined) {
      const eligible: number[] = [];
      servers.forEach((server, s) => {
        if (mayServe(e, server)) eligible.push(s);
      });
      const key = eligible.join(',');
      group = eligible.length === 0 ? -1 : groupByServers.get(key);
      if (group === undefined) {
        group = groupServers.length;
        groupByServers.set(key, group);
        groupServers.push(eligible);
        for (const s of eligible) serverGroups[s].push(group);
      }
      groupByTraits.set(traits, group);
    }
    if (group < 0) continue;
    groupOf[i] = group;
    const minutes = minutesPerService.get(entries[i].serviceId);
    if (minutes === undefined || !Number.isFinite(minutes) || minutes < 0)
      throw new RangeError(`no expected minutes for service '${entries[i].serviceId}'`);
    durationMs[i] = minutes * MS_PER_MINUTE;
  }

  // The order keys as flat arrays: the simulation compares entries some million times.
  const due = new Float64Array(n);
  const overdueAt = new Float64Array(n);
  const sequence = new Float64Array(n);
  const firstAt = new Float64Array(n);
  const appointment = new Uint8Array(n);
  entries.forEach((e, i) => {
    due[i] = e.dueAt;
    overdueAt[i] = e.overdueAt;
    sequence[i] = e.sequence;
    firstAt[i] = e.firstInLineAt ?? NaN;
    appointment[i] = e.appointment ? 1 : 0;
  });
  const isFirstInLine = (i: number) => !Number.isNaN(firstAt[i]);
  const classAt = (i: number, t: number) =>
    isFirstInLine(i) ? 0 : overdueAt[i] <= t ? 1 : appointment[i] ? 2 : 3;
  // compareForCall(entries[a], entries[b], t) < 0, and on a full tie the earlier in the input
  // (as in nextFor). The property test holds the two to the same answers.
  const callsBefore = (a: number, b: number, t: number) => {
    const classA = classAt(a, t);
    const classB = classAt(b, t);
    if (classA !== classB) return classA < classB;
    const keyA = classA === 0 ? firstAt[a] : classA === 1 ? overdueAt[a] : due[a];
    const keyB = classB === 0 ? firstAt[b] : classB === 1 ? overdueAt[b] : due[b];
    if (keyA !== keyB) return keyA < keyB;
    return sequence[a] !== sequence[b] ? sequence[a] < sequence[b] : a < b;
  };
  const byDue = (a: number, b: number) =>
    due[a] !== due[b]
      ? due[a] < due[b]
      : sequence[a] !== sequence[b]
        ? sequence[a] < sequence[b]
        : a < b;
  const byFirstInLine = (a: number, b: number) =>
    firstAt[a] !== firstAt[b]
      ? firstAt[a] < firstAt[b]
      : sequence[a] !== sequence[b]
        ? sequence[a] < sequence[b]
        : a < b;
  // The overdue class's order, and the order in which waiting entries become overdue.
  const byOverdueAt = (a: number, b: number) =>
    overdueAt[a] !== overdueAt[b]
      ? overdueAt[a] < overdueAt[b]
      : sequence[a] !== sequence[b]
        ? sequence[a] < sequence[b]
        : a < b;

  // When each entry becomes callable; Infinity while a joint part's earlier part is not called.
  const releaseAt = new Float64Array(n).fill(Infinity);
  const laterParts = new Map<number, number[]>();
  const servingEnds = new Map<string, number>();
  for (const server of servers)
    if (server.servingId !== undefined)
      servingEnds.set(server.servingId, Math.max(now, server.busyUntil));
  for (let i = 0; i < n; i++) {
    if (groupOf[i] < 0) continue;
    const afterId = entries[i].afterId;
    const servingEnd = afterId === undefined ? undefined : servingEnds.get(afterId);
    const earlier = afterId === undefined ? undefined : indexById.get(afterId);
    if (afterId === undefined || finishedIds.has(afterId)) releaseAt[i] = due[i];
    else if (servingEnd !== undefined) releaseAt[i] = Math.max(due[i], servingEnd);
    else if (earlier !== undefined) {
      const parts = laterParts.get(earlier);
      if (parts === undefined) laterParts.set(earlier, [i]);
      else parts.push(i);
    }
  }

  // The pool of callable entries. What is callable by `now` goes in at once (no server calls
  // before now), each heap built in one go; what becomes callable later waits in `releases`.
  const groupCount = groupServers.length;
  const lists = () => Array.from({ length: groupCount }, (): number[] => []);
  const [firstLists, overdueLists, appointmentLists, walkInLists, becomingLists] = [
    lists(),
    lists(),
    lists(),
    lists(),
    lists(),
  ];
  const future: number[] = [];
  for (let i = 0; i < n; i++) {
    if (releaseAt[i] > now) {
      if (releaseAt[i] !== Infinity) future.push(i);
      continue;
    }
    const group = groupOf[i];
    if (isFirstInLine(i)) firstLists[group].push(i);
    else if (overdueAt[i] <= now) overdueLists[group].push(i);
    else {
      (appointment[i] ? appointmentLists : walkInLists)[group].push(i);
      becomingLists[group].push(i);
    }
  }
  const firstInLine = firstLists.map((items) => new MinHeap(byFirstInLine, items));
  const overdue = overdueLists.map((items) => new MinHeap(byOverdueAt, items));
  const appointments = appointmentLists.map((items) => new MinHeap(byDue, items));
  const walkIns = walkInLists.map((items) => new MinHeap(byDue, items));
  const becomingOverdue = becomingLists.map((items) => new MinHeap(byOverdueAt, items));
  const releases = new MinHeap(
    (a, b) => (releaseAt[a] !== releaseAt[b] ? releaseAt[a] < releaseAt[b] : a < b),
    future,
  );
  const called = new Uint8Array(n);

  const freeAt = new Float64Array(servers.length);
  const serverQueue = new MinHeap((a, b) =>
    freeAt[a] !== freeAt[b] ? freeAt[a] < freeAt[b] : a < b,
  );
  const idle = new Uint8Array(servers.length);
  servers.forEach((server, s) => {
    freeAt[s] = Math.max(now, server.busyUntil);
    serverQueue.push(s);
  });

  const release = (i: number, at: number) => {
    const group = groupOf[i];
    if (isFirstInLine(i)) firstInLine[group].push(i);
    else if (overdueAt[i] <= at) overdue[group].push(i);
    else {
      (appointment[i] ? appointments : walkIns)[group].push(i);
      becomingOverdue[group].push(i);
    }
    for (const s of groupServers[group])
      if (idle[s]) {
        idle[s] = 0;
        freeAt[s] = at;
        serverQueue.push(s);
      }
  };

  // The heap's first entry not yet called (and, with `t`, not overdue by t), or -1.
  const topOf = (heap: MinHeap, t: number): number => {
    for (let top = heap.peek(); top !== undefined; top = heap.peek()) {
      if (!called[top] && !(overdueAt[top] <= t)) return top;
      heap.pop();
    }
    return -1;
  };

  // The group's first entry at time t: its lowest non-empty class decides.
  const groupBest = (group: number, t: number): number => {
    const pending = becomingOverdue[group];
    for (let top = pending.peek(); top !== undefined && overdueAt[top] <= t; top = pending.peek()) {
      pending.pop();
      if (!called[top]) overdue[group].push(top);
    }
    let best = topOf(firstInLine[group], -Infinity);
    if (best < 0) best = topOf(overdue[group], -Infinity);
    if (best < 0) best = topOf(appointments[group], t);
    if (best < 0) best = topOf(walkIns[group], t);
    return best;
  };

  const estimates = new Map<string, WaitEstimate>();
  for (;;) {
    const nextRelease = releases.peek();
    const nextServer = serverQueue.peek();
    if (nextServer === undefined && nextRelease === undefined) break;
    // Entries callable at an instant are in the pool before any server calls at that instant.
    if (
      nextRelease !== undefined &&
      (nextServer === undefined || releaseAt[nextRelease] <= freeAt[nextServer])
    ) {
      releases.pop();
      release(nextRelease, releaseAt[nextRelease]);
      continue;
    }
    const s = serverQueue.pop() as number;
    const t = freeAt[s];
    let chosen = -1;
    for (const group of serverGroups[s]) {
      const candidate = groupBest(group, t);
      if (candidate >= 0 && (chosen < 0 || callsBefore(candidate, chosen, t))) chosen = candidate;
    }
    if (chosen < 0) {
      idle[s] = 1;
      continue;
    }
    called[chosen] = 1;
    estimates.set(entries[chosen].id, { callAt: t, waitMinutes: (t - now) / MS_PER_MINUTE });
    const end = t + durationMs[chosen];
    freeAt[s] = end;
    serverQueue.push(s);
    for (const later of laterParts.get(chosen) ?? []) {
      releaseAt[later] = Math.max(due[later], end);
      releases.push(later);
    }
  }
  return estimates;
}
