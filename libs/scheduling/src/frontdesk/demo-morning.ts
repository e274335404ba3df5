import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { Client } from 'pg';
import {
  localMinuteToUtc,
  openIntervalsUtc,
  weekdayOf,
  type OpeningHoursInput,
} from '@samservice/calendar';
import { ticketLetters, ticketNumber } from '@samservice/queue';
import { allocationsOn, withinValidity } from '../availability/allocations';

/**
 * The demo's lived-in morning at the front desk (`npm start` with the demo network): at each
 * active office that is open at `now` and has no ticket yet for its local day, the walk-ins
 * of the morning so far, simulated and written as the front desk would have written them.
 *
 * Citizens arrived every few minutes from opening (at most the last 2.5 hours) for the
 * services that the staff at the counters can serve; a few staff on shift sit at counters
 * (one each, competence, the counter's reservation and features respected) and call in the
 * front desk's call order, serving for about the service's duration. Most of those called
 * are done (their ENDED events are the measured service times the estimates read), a few
 * are at a counter now, and arrivals of the last 40 minutes outpace the counters so people
 * wait. Numbers continue in `ticket_day_counter`, so tickets taken later follow on. One
 * transaction per office, plain SQL; the randomness is seeded from the office and its date,
 * so the same `now` gives the same morning. The tickets' tokens are random and held by no one.
 */

export interface DemoMorningOptions {
  /** The wait a queue aims at when its office has no rule for the service (FRONTDESK_TARGET_WAIT_MINUTES). */
  targetWaitMinutes?: number;
}

export interface DemoMorningOffice {
  officeId: string;
  officeName: string;
  /** SEEDED, or why not: closed at `now`, tickets of the day already, nobody at a counter. */
  outcome: 'SEEDED' | 'CLOSED' | 'HAS_TICKETS' | 'NOBODY_ON_SHIFT';
  tickets: number;
  completed: number;
  atCounters: number;
  waiting: number;
  /** Tickets an earlier day had left open, now ended (see endEarlierDays). */
  endedEarlier: number;
}

const MINUTE = 60_000;
/** How far back the morning goes at most. */
const HISTORY_MS = 150 * MINUTE;
/** The last minutes, in which arrivals outpace the counters. */
const RUSH_MS = 40 * MINUTE;
const WAITING_MIN = 5;
const WAITING_MAX = 15;
const PRIVATE_ROOM = 'PRIVATE_ROOM';
const WHEELCHAIR_ACCESS = 'WHEELCHAIR_ACCESS';

interface OfficeFacts {
  id: string;
  name: string;
  timeZone: string;
  eveClosingMinute: number;
}

interface ServiceFacts {
  serviceId: string;
  agencyId: string;
  durationMinutes: number;
  needsPrivateRoom: boolean;
  languages: string[];
  targetWaitMinutes: number;
  dailyTicketLimit: number | null;
}

interface StaffFacts {
  id: string;
  languages: string[];
  agencyIds: string[];
  serviceIds: string[];
  /** When today's shift covering `now` began. */
  shiftStart: number;
}

interface CounterFacts {
  id: string;
  name: string;
  features: string[];
  /** The agency the counter is reserved for at `now`; undefined: pooled. */
  reservedFor?: string;
}

interface Server {
  staff: StaffFacts;
  counter: CounterFacts;
  serviceIds: Set<string>;
  freeAt: number;
  done: boolean;
}

type Status = 'WAITING' | 'CALLED' | 'IN_SERVICE' | 'COMPLETED';

interface PlannedTicket {
  index: number;
  service: ServiceFacts;
  channel: 'KIOSK' | 'STAFF';
  /** The staff member who took a STAFF ticket for the citizen. */
  takenBy: string | null;
  language: string | null;
  needs: string[];
  arrivedAt: number;
  overdueAt: number;
  status: Status;
  server?: Server;
  calledAt?: number;
  startedAt?: number;
  endedAt?: number;
}

/** A small, fast, seedable PRNG (mulberry32): the same seed, the same morning. */
function prng(seedText: string): () => number {
  let seed = createHash('sha256').update(seedText).digest().readUInt32LE(0);
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const pick = <T>(random: () => number, items: readonly T[]): T =>
  items[Math.floor(random() * items.length)] as T;

/** A copy in random order (Fisher–Yates). */
function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

const between = (random: () => number, low: number, high: number) => low + (high - low) * random();

const wholeSecond = (instant: number) => Math.floor(instant / 1000) * 1000;

function competentFor(staff: StaffFacts, service: ServiceFacts): boolean {
  return staff.agencyIds.includes(service.agencyId) || staff.serviceIds.includes(service.serviceId);
}

/** What callNext lets this person at this counter be called for (desk-facts' servicesFor). */
function servable(staff: StaffFacts, counter: CounterFacts, services: ServiceFacts[]): Set<string> {
  return new Set(
    services
      .filter(
        (s) =>
          competentFor(staff, s) &&
          (counter.reservedFor === undefined || counter.reservedFor === s.agencyId) &&
          (!s.needsPrivateRoom || counter.features.includes(PRIVATE_ROOM)),
      )
      .map((s) => s.serviceId),
  );
}

function canServe(server: Server, ticket: PlannedTicket): boolean {
  return (
    server.serviceIds.has(ticket.service.serviceId) &&
    ticket.needs.every((n) => server.counter.features.includes(n)) &&
    (ticket.language === null || server.staff.languages.includes(ticket.language))
  );
}

/** The front desk's call order among walk-ins at `at`: overdue first, then by due time (arrival). */
function callsBefore(a: PlannedTicket, b: PlannedTicket, at: number): boolean {
  const overdueA = a.overdueAt <= at;
  const overdueB = b.overdueAt <= at;
  if (overdueA !== overdueB) return overdueA;
  return a.arrivedAt !== b.arrivedAt ? a.arrivedAt < b.arrivedAt : a.index < b.index;
}

/**
 * The counters calling through the morning until `now`, in the order they come free. Marks
 * each ticket's status and times; returns nothing (the tickets carry the outcome).
 */
function simulate(
  tickets: PlannedTicket[],
  servers: Server[],
  windowStart: number,
  now: number,
  random: () => number,
): void {
  for (const ticket of tickets) {
    ticket.status = 'WAITING';
    ticket.server = ticket.calledAt = ticket.startedAt = ticket.endedAt = undefined;
  }
  for (const server of servers) {
    server.done = false;
    server.freeAt = wholeSecond(
      Math.max(windowStart, server.staff.shiftStart) + between(random, 0, 3) * MINUTE,
    );
  }
  for (;;) {
    const server = servers
      .filter((s) => !s.done)
      .reduce<Server | undefined>(
        (first, s) => (!first || s.freeAt < first.freeAt ? s : first),
        undefined,
      );
    if (!server) return;
    const at = server.freeAt;
    if (at >= now) {
      server.done = true;
      continue;
    }
    let next: PlannedTicket | undefined;
    for (const ticket of tickets) {
      if (ticket.status !== 'WAITING' || ticket.arrivedAt > at || !canServe(server, ticket))
        continue;
      if (!next || callsBefore(ticket, next, at)) next = ticket;
    }
    if (!next) {
      // Nobody for this counter yet: it calls when the next citizen it can serve arrives.
      const later = tickets
        .filter((t) => t.status === 'WAITING' && t.arrivedAt > at && canServe(server, t))
        .reduce<number | undefined>(
          (min, t) => (min === undefined || t.arrivedAt < min ? t.arrivedAt : min),
          undefined,
        );
      if (later === undefined || later >= now) server.done = true;
      else server.freeAt = wholeSecond(later + between(random, 10, 60) * 1000);
      continue;
    }
    const calledAt = wholeSecond(Math.max(at, next.arrivedAt + 15_000));
    if (calledAt >= now) {
      server.done = true;
      continue;
    }
    const startedAt = wholeSecond(calledAt + between(random, 20, 90) * 1000);
    const minutes = Math.max(3, next.service.durationMinutes * between(random, 0.6, 1.4));
    const endedAt = wholeSecond(startedAt + minutes * MINUTE);
    next.server = server;
    next.calledAt = calledAt;
    if (startedAt >= now) {
      next.status = 'CALLED';
      server.done = true;
    } else if (endedAt >= now) {
      next.status = 'IN_SERVICE';
      next.startedAt = startedAt;
      server.done = true;
    } else {
      next.status = 'COMPLETED';
      next.startedAt = startedAt;
      next.endedAt = endedAt;
      server.freeAt = wholeSecond(endedAt + between(random, 30, 150) * 1000);
    }
  }
}

interface MorningInput {
  now: number;
  /** Today's open intervals; `now` is in one of them. */
  open: Array<{ startUtcMs: number; endUtcMs: number }>;
  services: ServiceFacts[];
  staff: StaffFacts[];
  counters: CounterFacts[];
  random: () => number;
}

/** The morning's tickets, simulated; undefined when nobody can sit at a counter. */
function planMorning(
  input: MorningInput,
): { tickets: PlannedTicket[]; servers: Server[] } | undefined {
  const { now, open, services, random } = input;

  // A few of the staff on shift at counters (the others have appointments or back-office
  // work), chosen so that together they serve as many of the office's services as they can.
  const wanted = Math.min(3 + Math.floor(random() * 3), input.staff.length, input.counters.length);
  const staffLeft = shuffled(input.staff, random);
  const countersLeft = [...input.counters];
  const servers: Server[] = [];
  const covered = new Set<string>();
  while (servers.length < wanted) {
    let best:
      | { staff: StaffFacts; counter: CounterFacts; serviceIds: Set<string>; score: number }
      | undefined;
    for (const staff of staffLeft) {
      for (const counter of countersLeft) {
        const serviceIds = servable(staff, counter, services);
        if (serviceIds.size === 0) continue;
        const fresh = [...serviceIds].filter((id) => !covered.has(id)).length;
        const score = fresh * 1000 + serviceIds.size;
        if (!best || score > best.score) best = { staff, counter, serviceIds, score };
      }
    }
    if (!best) break;
    const chosen = best;
    staffLeft.splice(staffLeft.indexOf(chosen.staff), 1);
    countersLeft.splice(countersLeft.indexOf(chosen.counter), 1);
    for (const id of chosen.serviceIds) covered.add(id);
    servers.push({
      staff: chosen.staff,
      counter: chosen.counter,
      serviceIds: chosen.serviceIds,
      freeAt: now,
      done: false,
    });
  }
  if (servers.length === 0) return undefined;

  const byId = new Map(services.map((s) => [s.serviceId, s]));
  const dayOpen = open[0]?.startUtcMs ?? now;
  const windowStart = Math.max(dayOpen, now - HISTORY_MS);
  const isOpen = (instant: number) =>
    open.some((i) => i.startUtcMs <= instant && instant < i.endUtcMs);
  const issued = new Map<string, number>();
  const lastArrival = now - 30_000;

  const tickets: PlannedTicket[] = [];
  /** A citizen for one of the services this counter serves; quick matters come more often. */
  const arrive = (instant: number, server: Server) => {
    const candidates = [...server.serviceIds]
      .map((id) => byId.get(id) as ServiceFacts)
      .filter(
        (s) => s.dailyTicketLimit === null || (issued.get(s.serviceId) ?? 0) < s.dailyTicketLimit,
      );
    if (candidates.length === 0) return;
    const weights = candidates.map((s) => 1 / s.durationMinutes);
    let draw = random() * weights.reduce((sum, w) => sum + w, 0);
    const service = candidates.find((_, i) => (draw -= weights[i] as number) < 0) ?? candidates[0];
    if (!service) return;
    issued.set(service.serviceId, (issued.get(service.serviceId) ?? 0) + 1);
    const able = servers.filter((s) => s.serviceIds.has(service.serviceId));
    const needs = new Set<string>(service.needsPrivateRoom ? [PRIVATE_ROOM] : []);
    if (random() < 0.05 && able.some((s) => s.counter.features.includes(WHEELCHAIR_ACCESS))) {
      needs.add(WHEELCHAIR_ACCESS);
    }
    const spoken = service.languages.filter(
      (l) => l !== 'sv' && able.some((s) => s.staff.languages.includes(l)),
    );
    const channel = random() < 0.15 ? 'STAFF' : 'KIOSK';
    const arrivedAt = wholeSecond(instant);
    tickets.push({
      index: tickets.length,
      service,
      channel,
      takenBy: channel === 'STAFF' ? pick(random, input.staff).id : null,
      language: spoken.length > 0 && random() < 0.12 ? pick(random, spoken) : null,
      needs: [...needs].sort(),
      arrivedAt,
      overdueAt: arrivedAt + service.targetWaitMinutes * MINUTE,
      status: 'WAITING',
    });
  };

  // Those who waited at the door when it opened, then for each counter a stream of the
  // citizens it serves: a little under what it gets through, faster than that in the last
  // 40 minutes, so that a queue builds (about 12 more arrive than are called, per office).
  if (windowStart === dayOpen) {
    const atDoor = 2 + Math.floor(random() * 3);
    for (let i = 0; i < atDoor; i++) {
      const instant = dayOpen + between(random, 0.2, 3) * MINUTE;
      if (instant < lastArrival) arrive(instant, pick(random, servers));
    }
  }
  const rushExtra = 12 / servers.length / (RUSH_MS / MINUTE);
  for (const server of servers) {
    const durations = [...server.serviceIds].map((id) => byId.get(id)?.durationMinutes ?? 20);
    // The mean of its matters, weighted as `arrive` draws them (the harmonic mean), plus
    // calling and walking up: citizens per minute this counter gets through.
    const capacity = 1 / (durations.length / durations.reduce((sum, d) => sum + 1 / d, 0) + 2);
    for (let at = windowStart; ;) {
      const rate = at < now - RUSH_MS ? 0.8 * capacity : capacity + rushExtra;
      at += Math.max(0.3, -Math.log(1 - random()) / rate) * MINUTE;
      if (at >= lastArrival) break;
      if (isOpen(at)) arrive(at, server);
    }
  }
  tickets.sort((a, b) => a.arrivedAt - b.arrivedAt || a.index - b.index);
  tickets.forEach((t, i) => (t.index = i));

  simulate(tickets, servers, windowStart, now, random);
  // Too few waiting (a quiet start, a short morning): a few more came in the last minutes.
  for (let round = 0; round < 10; round++) {
    const waiting = tickets.filter((t) => t.status === 'WAITING').length;
    if (waiting >= WAITING_MIN) break;
    const from = Math.max(windowStart, now - 10 * MINUTE);
    for (let i = waiting; i < WAITING_MIN; i++) {
      const instant = between(random, from, lastArrival);
      if (isOpen(instant)) arrive(instant, pick(random, servers));
    }
    tickets.sort((a, b) => a.arrivedAt - b.arrivedAt || a.index - b.index);
    tickets.forEach((t, i) => (t.index = i));
    simulate(tickets, servers, windowStart, now, random);
  }
  // Too many: the latest of those waiting never came (nobody was called on their account).
  const waiting = tickets.filter((t) => t.status === 'WAITING');
  const dropped = new Set(waiting.slice(WAITING_MAX));
  return { tickets: tickets.filter((t) => !dropped.has(t)), servers };
}

// ---------------------------------------------------------------------------------------
// Reading the directory's published views

/** Queries on one connection, one after the other (a pg Client runs one at a time). */
async function inTurn<T extends unknown[]>(
  ...steps: { [K in keyof T]: () => Promise<T[K]> }
): Promise<T> {
  const results: unknown[] = [];
  for (const step of steps) results.push(await step());
  return results as T;
}

async function officeHours(client: Client, office: OfficeFacts): Promise<OpeningHoursInput> {
  const [weekly, exceptions, closures] = await inTurn(
    () =>
      client.query(
        `SELECT weekday, start_minute AS "startMinute", end_minute AS "endMinute"
       FROM directory.published_opening_hours WHERE office_id = $1`,
        [office.id],
      ),
    () =>
      client.query(
        `SELECT to_char(date, 'YYYY-MM-DD') AS date, start_minute AS "startMinute", end_minute AS "endMinute", note
       FROM directory.published_opening_exception WHERE office_id = $1`,
        [office.id],
      ),
    () =>
      client.query(
        `SELECT to_char(from_date, 'YYYY-MM-DD') AS "from", to_char(to_date, 'YYYY-MM-DD') AS "to", reason
       FROM directory.published_closure WHERE office_id = $1`,
        [office.id],
      ),
  );
  return {
    timeZone: office.timeZone,
    eveClosingMinute: office.eveClosingMinute,
    weekly: weekly.rows,
    exceptions: exceptions.rows,
    closures: closures.rows,
  };
}

/**
 * An active office's opening hours as the directory publishes them (weekly hours, exceptions,
 * closures; the calendar library adds holidays and eves); undefined when there is no such
 * active office. The launcher's demo clock decides with these.
 */
export async function publishedOpeningHours(
  client: Client,
  officeId: string,
): Promise<OpeningHoursInput | undefined> {
  const office = (
    await client.query<OfficeFacts>(
      `SELECT id, name, time_zone AS "timeZone", eve_closing_minute AS "eveClosingMinute"
       FROM directory.published_office WHERE id = $1 AND active`,
      [officeId],
    )
  ).rows[0];
  return office ? officeHours(client, office) : undefined;
}

async function officeFacts(
  client: Client,
  office: OfficeFacts,
  today: string,
  now: number,
  targetWaitMinutes: number,
  busy: { staff: Set<string>; counters: Set<string> },
): Promise<{
  services: ServiceFacts[];
  staff: StaffFacts[];
  counters: CounterFacts[];
  letters: Map<string, string>;
}> {
  const zone = office.timeZone;
  const weekday = weekdayOf(today);
  const at = (minute: number) => localMinuteToUtc(zone, today, minute);
  const [services, presentAgencies, agencies, staff, shifts, counters, allocations] = await inTurn(
    () =>
      client.query<
        Omit<ServiceFacts, 'targetWaitMinutes' | 'dailyTicketLimit'> & {
          target: number | null;
          limit: number | null;
        }
      >(
        `SELECT os.service_id AS "serviceId", os.agency_id AS "agencyId", os.duration_minutes AS "durationMinutes",
              os.needs_private_room AS "needsPrivateRoom", os.languages,
              r.target_wait_minutes AS target, r.daily_ticket_limit AS "limit"
       FROM directory.published_office_service os
       LEFT JOIN scheduling.queue_rule r ON r.office_id = os.office_id AND r.service_id = os.service_id
       WHERE os.office_id = $1 AND os.active ORDER BY os.service_id`,
        [office.id],
      ),
    // The letters are those of every agency with a service here, as the kiosk's (DeskFacts.letters).
    () =>
      client.query<{ agencyId: string }>(
        `SELECT DISTINCT agency_id AS "agencyId" FROM directory.published_office_service WHERE office_id = $1`,
        [office.id],
      ),
    () =>
      client.query<{ id: string; code: string; level: string }>(
        'SELECT agency_id AS id, code, level FROM directory.published_agency',
      ),
    () =>
      client.query<Omit<StaffFacts, 'shiftStart'>>(
        `SELECT s.staff_id AS id, s.languages, s.agency_ids AS "agencyIds", s.service_ids AS "serviceIds"
       FROM directory.published_staff s
       WHERE s.office_id = $1 AND s.active
         AND NOT EXISTS (SELECT 1 FROM directory.published_staff_absence a
                         WHERE a.staff_id = s.staff_id AND a.starts_at <= $2 AND a.ends_at > $2)
       ORDER BY s.staff_id`,
        [office.id, new Date(now)],
      ),
    () =>
      client.query<{
        staffId: string;
        weekday: number;
        startMinute: number;
        endMinute: number;
        validFrom: string | null;
        validTo: string | null;
      }>(
        `SELECT staff_id AS "staffId", weekday, start_minute AS "startMinute", end_minute AS "endMinute",
              to_char(valid_from, 'YYYY-MM-DD') AS "validFrom", to_char(valid_to, 'YYYY-MM-DD') AS "validTo"
       FROM directory.published_staff_shift WHERE office_id = $1`,
        [office.id],
      ),
    () =>
      client.query<{
        id: string;
        name: string;
        privateRoom: boolean;
        accessibleDesk: boolean;
        hearingLoop: boolean;
      }>(
        `SELECT counter_id AS id, name, private_room AS "privateRoom", accessible_desk AS "accessibleDesk",
              hearing_loop AS "hearingLoop"
       FROM directory.published_counter WHERE office_id = $1 AND status = 'ACTIVE' ORDER BY name, counter_id`,
        [office.id],
      ),
    () =>
      client.query<{
        counterId: string;
        agencyId: string | null;
        kind: string;
        weekday: number | null;
        date: string | null;
        startMinute: number;
        endMinute: number;
        validFrom: string | null;
        validTo: string | null;
      }>(
        `SELECT counter_id AS "counterId", agency_id AS "agencyId", kind, weekday,
              to_char(date, 'YYYY-MM-DD') AS date, start_minute AS "startMinute", end_minute AS "endMinute",
              to_char(valid_from, 'YYYY-MM-DD') AS "validFrom", to_char(valid_to, 'YYYY-MM-DD') AS "validTo"
       FROM directory.published_counter_allocation WHERE office_id = $1`,
        [office.id],
      ),
  );

  const shiftStart = new Map<string, number>();
  for (const s of shifts.rows) {
    if (s.weekday !== weekday || !withinValidity(today, s.validFrom, s.validTo)) continue;
    const start = at(s.startMinute);
    if (start <= now && now < at(s.endMinute)) shiftStart.set(s.staffId, start);
  }

  // A counter's reservation now: its DATED allocations of the day if any, else its WEEKLY ones.
  const reservedFor = (counterId: string): string | undefined => {
    const rows = allocations.rows.filter((a) => a.counterId === counterId);
    const applicable = allocationsOn(rows, today, weekday);
    return (
      applicable.find((a) => at(a.startMinute) <= now && now < at(a.endMinute))?.agencyId ??
      undefined
    );
  };

  const present = new Set(presentAgencies.rows.map((r) => r.agencyId));
  return {
    services: services.rows.map(({ target, limit, ...s }) => ({
      ...s,
      targetWaitMinutes: target ?? targetWaitMinutes,
      dailyTicketLimit: limit,
    })),
    staff: staff.rows
      .filter((s) => shiftStart.has(s.id) && !busy.staff.has(s.id))
      .map((s) => ({ ...s, shiftStart: shiftStart.get(s.id) as number })),
    counters: counters.rows
      .filter((c) => !busy.counters.has(c.id))
      .map((c) => ({
        id: c.id,
        name: c.name,
        features: [
          'EXTRA_TIME',
          ...(c.accessibleDesk ? [WHEELCHAIR_ACCESS] : []),
          ...(c.hearingLoop ? ['HEARING_LOOP'] : []),
          ...(c.privateRoom ? [PRIVATE_ROOM] : []),
        ],
        reservedFor: reservedFor(c.id),
      })),
    letters: ticketLetters(agencies.rows.filter((a) => present.has(a.id))),
  };
}

// ---------------------------------------------------------------------------------------
// Writing

interface EventRow {
  ticket_id: string;
  agency_id: string;
  service_id: string;
  kind: 'ARRIVED' | 'CALLED' | 'STARTED' | 'ENDED';
  at: string;
  staff_id: string | null;
  counter_id: string | null;
  details: Record<string, unknown>;
  order: number;
}

async function writeMorning(
  client: Client,
  office: OfficeFacts,
  today: string,
  tickets: PlannedTicket[],
  letters: Map<string, string>,
): Promise<void> {
  const iso = (instant: number | undefined) =>
    instant === undefined ? null : new Date(instant).toISOString();
  const sequences = new Map<string, number>();
  const perService = new Map<string, number>();
  const ticketRows: Array<Record<string, unknown>> = [];
  const events: EventRow[] = [];
  for (const t of tickets) {
    const letter = letters.get(t.service.agencyId) ?? 'X';
    const ofLetter = (sequences.get(letter) ?? 0) + 1;
    sequences.set(letter, ofLetter);
    perService.set(t.service.serviceId, (perService.get(t.service.serviceId) ?? 0) + 1);
    // The number counts per letter; `sequence` per office (the call order's last tie-break).
    const number = ticketNumber(letter, ofLetter);
    const sequence = ticketRows.length + 1;
    const id = randomUUID();
    const server = t.server;
    const lastAt = t.endedAt ?? t.startedAt ?? t.calledAt ?? t.arrivedAt;
    ticketRows.push({
      id,
      letter,
      sequence,
      number,
      agency_id: t.service.agencyId,
      service_id: t.service.serviceId,
      status: t.status,
      channel: t.channel,
      language: t.language,
      needs: t.needs,
      arrived_at: iso(t.arrivedAt),
      overdue_at: iso(t.overdueAt),
      counter_id: server?.counter.id ?? null,
      counter_name: server?.counter.name ?? null,
      staff_id: server?.staff.id ?? null,
      called_at: iso(t.calledAt),
      call_count: t.calledAt === undefined ? 0 : 1,
      started_at: iso(t.startedAt),
      ended_at: iso(t.endedAt),
      outcome: t.status === 'COMPLETED' ? 'RESOLVED' : null,
      delivered_service_ids: t.status === 'COMPLETED' ? [t.service.serviceId] : null,
      token_hash: createHash('sha256').update(randomBytes(24)).digest('hex'),
      updated_at: iso(lastAt),
    });
    const event = (
      kind: EventRow['kind'],
      at: number,
      details: Record<string, unknown>,
      atCounter: boolean,
    ) =>
      events.push({
        ticket_id: id,
        agency_id: t.service.agencyId,
        service_id: t.service.serviceId,
        kind,
        at: iso(at) as string,
        staff_id: atCounter ? (server?.staff.id ?? null) : t.takenBy,
        counter_id: atCounter ? (server?.counter.id ?? null) : null,
        details: { number, ...details },
        order: events.length,
      });
    event('ARRIVED', t.arrivedAt, { channel: t.channel }, false);
    if (server && t.calledAt !== undefined) {
      event(
        'CALLED',
        t.calledAt,
        {
          counterName: server.counter.name,
          waitedSeconds: Math.floor((t.calledAt - t.arrivedAt) / 1000),
        },
        true,
      );
    }
    if (server && t.startedAt !== undefined) event('STARTED', t.startedAt, {}, true);
    if (server && t.endedAt !== undefined && t.startedAt !== undefined) {
      event(
        'ENDED',
        t.endedAt,
        {
          outcome: 'RESOLVED',
          deliveredServiceIds: [t.service.serviceId],
          servedSeconds: Math.round((t.endedAt - t.startedAt) / 1000),
        },
        true,
      );
    }
  }
  // Written in the order they happened, so event ids follow time as the live desk's do.
  events.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.order - b.order));
  events.forEach((e, i) => (e.order = i));

  await client.query(
    `INSERT INTO scheduling.ticket
       (id, office_id, local_date, letter, sequence, number, agency_id, service_id, status, channel, language,
        needs, arrived_at, due_at, overdue_at, counter_id, counter_name, staff_id, called_at, call_count,
        started_at, ended_at, outcome, delivered_service_ids, token_hash, created_at, updated_at)
     SELECT x.id, $2::uuid, $3::date, x.letter, x.sequence, x.number, x.agency_id, x.service_id,
            x.status::scheduling.ticket_status, x.channel::scheduling.ticket_channel, x.language,
            x.needs, x.arrived_at, x.arrived_at, x.overdue_at, x.counter_id, x.counter_name, x.staff_id,
            x.called_at, x.call_count, x.started_at, x.ended_at, x.outcome, x.delivered_service_ids,
            decode(x.token_hash, 'hex'), x.arrived_at, x.updated_at
     FROM jsonb_to_recordset($1::jsonb) AS x(
       id uuid, letter text, sequence int, number text, agency_id uuid, service_id uuid, status text,
       channel text, language text, needs text[], arrived_at timestamptz, overdue_at timestamptz,
       counter_id uuid, counter_name text, staff_id uuid, called_at timestamptz, call_count smallint,
       started_at timestamptz, ended_at timestamptz, outcome text, delivered_service_ids uuid[],
       token_hash text, updated_at timestamptz)`,
    [JSON.stringify(ticketRows), office.id, today],
  );
  await client.query(
    `INSERT INTO scheduling.ticket_event
       (ticket_id, office_id, agency_id, service_id, kind, at, staff_id, counter_id, details)
     SELECT x.ticket_id, $2::uuid, x.agency_id, x.service_id, x.kind, x.at, x.staff_id, x.counter_id, x.details
     FROM jsonb_to_recordset($1::jsonb) AS x(
       ticket_id uuid, agency_id uuid, service_id uuid, kind text, at timestamptz, staff_id uuid,
       counter_id uuid, details jsonb, "order" int)
     ORDER BY x."order"`,
    [JSON.stringify(events), office.id],
  );
  // The day's numbers so far, so the kiosk's next ticket follows on (TAKE_TICKET_SQL).
  const counters = [
    ...[...sequences].map(([letter, value]) => ({ key: `letter:${letter}`, value })),
    ...[...perService].map(([serviceId, value]) => ({ key: `service:${serviceId}`, value })),
    { key: 'office', value: ticketRows.length },
  ];
  await client.query(
    `INSERT INTO scheduling.ticket_day_counter AS c (office_id, local_date, counter_key, value)
     SELECT $2::uuid, $3::date, x.key, x.value FROM jsonb_to_recordset($1::jsonb) AS x(key text, value int)
     ON CONFLICT (office_id, local_date, counter_key) DO UPDATE SET value = greatest(c.value, EXCLUDED.value)`,
    [JSON.stringify(counters), office.id, today],
  );
}

/**
 * Tickets an earlier day left open at the office (a demo stopped mid-morning: people at
 * counters and in the queue) end with that day: CANCELLED at its closing time, with an event
 * saying so, so that nobody stays "at a counter" into the next day (one open call per counter
 * and per person, whatever the date). Returns how many.
 */
async function endEarlierDays(
  client: Client,
  office: OfficeFacts,
  today: string,
  now: number,
): Promise<number> {
  const stale = (
    await client.query<{
      id: string;
      number: string;
      agencyId: string;
      serviceId: string;
      localDate: string;
      last: Date;
    }>(
      `SELECT id, number, agency_id AS "agencyId", service_id AS "serviceId",
              to_char(local_date, 'YYYY-MM-DD') AS "localDate",
              greatest(arrived_at, called_at, started_at, updated_at) AS last
       FROM scheduling.ticket
       WHERE office_id = $1 AND local_date < $2 AND status IN ('WAITING', 'CALLED', 'IN_SERVICE', 'PARKED')
       ORDER BY local_date, sequence
       FOR UPDATE`,
      [office.id, today],
    )
  ).rows;
  if (stale.length === 0) return 0;
  const hours = await officeHours(client, office);
  const ended = stale.map((t) => {
    const closing =
      openIntervalsUtc(hours, t.localDate, t.localDate).at(-1)?.endUtcMs ??
      localMinuteToUtc(office.timeZone, t.localDate, 1440);
    const at = Math.min(now - 1000, Math.max(closing, t.last.getTime() + 1000));
    return { ...t, at: new Date(at).toISOString() };
  });
  await client.query(
    `UPDATE scheduling.ticket t SET status = 'CANCELLED', ended_at = x.at, updated_at = x.at
     FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, at timestamptz) WHERE t.id = x.id`,
    [JSON.stringify(ended.map(({ id, at }) => ({ id, at })))],
  );
  await client.query(
    `INSERT INTO scheduling.ticket_event (ticket_id, office_id, agency_id, service_id, kind, at, details)
     SELECT x.id, $2::uuid, x."agencyId", x."serviceId", 'CANCELLED', x.at,
            jsonb_build_object('number', x.number, 'reason', 'DAY_ENDED')
     FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, "agencyId" uuid, "serviceId" uuid, number text, at timestamptz)
     ORDER BY x.at`,
    [JSON.stringify(ended), office.id],
  );
  return ended.length;
}

/**
 * Seeds the lived-in morning (see above) at every active office open at `now` that has no
 * ticket for its local day yet; offices closed at `now` or with tickets are left alone.
 * `now` is the clock the services run on (FIXED_NOW, or the real time plus the offset).
 */
export async function seedFrontDeskMorning(
  databaseUrl: string,
  now: number,
  options: DemoMorningOptions = {},
): Promise<DemoMorningOffice[]> {
  const targetWaitMinutes = options.targetWaitMinutes ?? 30;
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const offices = (
      await client.query<OfficeFacts>(
        `SELECT id, name, time_zone AS "timeZone", eve_closing_minute AS "eveClosingMinute"
         FROM directory.published_office WHERE active ORDER BY name, id`,
      )
    ).rows;
    // First every office's earlier days, so that nobody is still at a counter from one of them.
    const endedEarlier = new Map<string, number>();
    for (const office of offices) {
      const today = DateTime.fromMillis(now, { zone: office.timeZone }).toISODate() as string;
      await client.query('BEGIN');
      try {
        await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
          `samservice:demo-morning:${office.id}`,
        ]);
        endedEarlier.set(office.id, await endEarlierDays(client, office, today, now));
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    }
    const results: DemoMorningOffice[] = [];
    for (const office of offices) {
      const result = (outcome: DemoMorningOffice['outcome'], tickets: PlannedTicket[] = []) => ({
        officeId: office.id,
        officeName: office.name,
        outcome,
        tickets: tickets.length,
        completed: tickets.filter((t) => t.status === 'COMPLETED').length,
        atCounters: tickets.filter((t) => t.status === 'CALLED' || t.status === 'IN_SERVICE')
          .length,
        waiting: tickets.filter((t) => t.status === 'WAITING').length,
        endedEarlier: endedEarlier.get(office.id) ?? 0,
      });
      const today = DateTime.fromMillis(now, { zone: office.timeZone }).toISODate() as string;
      const open = openIntervalsUtc(await officeHours(client, office), today, today);
      if (!open.some((i) => i.startUtcMs <= now && now < i.endUtcMs)) {
        results.push(result('CLOSED'));
        continue;
      }
      await client.query('BEGIN');
      try {
        // One seeder per office at a time, even when two launchers share the database.
        await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
          `samservice:demo-morning:${office.id}`,
        ]);
        const existing = await client.query(
          'SELECT 1 FROM scheduling.ticket WHERE office_id = $1 AND local_date = $2 LIMIT 1',
          [office.id, today],
        );
        if (existing.rows.length > 0) {
          await client.query('ROLLBACK');
          results.push(result('HAS_TICKETS'));
          continue;
        }
        // Nobody serves at two counters at once, at any office (uq_ticket_staff_busy, uq_ticket_counter_busy).
        const busyRows = await client.query<{ staffId: string; counterId: string }>(
          `SELECT staff_id AS "staffId", counter_id AS "counterId" FROM scheduling.ticket
           WHERE status IN ('CALLED', 'IN_SERVICE')`,
        );
        const busy = {
          staff: new Set(busyRows.rows.map((r) => r.staffId)),
          counters: new Set(busyRows.rows.map((r) => r.counterId)),
        };
        const facts = await officeFacts(client, office, today, now, targetWaitMinutes, busy);
        const plan = planMorning({
          now,
          open: open.filter((i) => i.startUtcMs <= now),
          services: facts.services,
          staff: facts.staff,
          counters: facts.counters,
          random: prng(`${office.id}/${today}`),
        });
        if (!plan || plan.tickets.length === 0) {
          await client.query('ROLLBACK');
          results.push(result('NOBODY_ON_SHIFT'));
          continue;
        }
        await writeMorning(client, office, today, plan.tickets, facts.letters);
        await client.query('COMMIT');
        results.push(result('SEEDED', plan.tickets));
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    }
    return results;
  } finally {
    await client.end();
  }
}
