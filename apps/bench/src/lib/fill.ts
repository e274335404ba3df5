import { DateTime } from 'luxon';
import type { AvailabilityService } from '@samservice/scheduling';
import {
  assignmentCandidates,
  availableSlots,
  type AvailabilityInput,
  type Interval,
} from '@samservice/scheduling-engine';
import type { DemoOffice, DemoService } from './demo';
import { progress } from './output';
import { randomCitizenKey, randomReference, seededRandom } from './random';
import { APPOINTMENT_COLUMNS, Sql } from './sql';
import { elapsed } from './stats';
import { plusDays, ZONE } from './system';

/**
 * The load the read benchmarks measure under: an office's next days filled in-process with
 * single appointments (round-robin over its services, a seeded-random free time of each day, the
 * engine's first counter/person pair) until at least `target` of its capacity is booked (of
 * its staff time or of its counters' open time, whichever is fuller: an office has more
 * people than desks, so counters run out first),
 * written in batches straight into scheduling.appointment (the constraints still refuse any
 * clash). Shared by bench:availability and bench:joint, so both measure the same calendar.
 */

const INSERT_BATCH = 400;
const MAX_FILL_ROUNDS = 500;

interface Row {
  serviceId: string;
  agencyId: string;
  counterId: string;
  staffId: string;
  start: number;
  end: number;
  busyUntil: number;
}

/** Total length of the union of the intervals, clipped to [from, to). */
function unionLength(intervals: readonly Interval[], from: number, to: number): number {
  const sorted = intervals
    .map((i) => ({ start: Math.max(i.start, from), end: Math.min(i.end, to) }))
    .filter((i) => i.end > i.start)
    .sort((a, b) => a.start - b.start);
  let total = 0;
  let start = Number.NEGATIVE_INFINITY;
  let end = Number.NEGATIVE_INFINITY;
  for (const interval of sorted) {
    if (interval.start > end) {
      if (end > start) total += end - start;
      start = interval.start;
      end = interval.end;
    } else if (interval.end > end) {
      end = interval.end;
    }
  }
  if (end > start) total += end - start;
  return total;
}

/** Booked and available staff-minutes of the office's staff in [from, to), from fresh engine input. */
export function staffMinutes(input: AvailabilityInput): { booked: number; available: number } {
  let booked = 0;
  let available = 0;
  for (const person of input.staff) {
    booked += unionLength(person.busy, input.from, input.to);
    available += unionLength(person.available, input.from, input.to);
  }
  return { booked: booked / 60_000, available: available / 60_000 };
}

/** Share of the counters' open time that is busy (for context: counters, not staff, run out first). */
export function counterFraction(input: AvailabilityInput): number {
  let busy = 0;
  let open = 0;
  for (const interval of input.open) {
    open += (interval.end - interval.start) * input.counters.length;
    for (const counter of input.counters)
      busy += unionLength(counter.busy, interval.start, interval.end);
  }
  return open > 0 ? busy / open : 0;
}

async function insertRows(sql: Sql, officeId: string, rows: Row[]): Promise<Row[]> {
  const values = (row: Row) => [
    officeId,
    row.agencyId,
    row.serviceId,
    row.counterId,
    row.staffId,
    randomCitizenKey(),
    randomReference(),
    'BOOKED',
    new Date(row.start),
    new Date(row.end),
    new Date(row.busyUntil),
    'WEB',
    'CITIZEN',
  ];
  const width = APPOINTMENT_COLUMNS.length;
  const statement = (count: number) =>
    `INSERT INTO scheduling.appointment (${APPOINTMENT_COLUMNS.join(', ')}) VALUES ${Array.from(
      { length: count },
      (_, r) => `(${Array.from({ length: width }, (_, c) => `$${r * width + c + 1}`).join(', ')})`,
    ).join(', ')}`;
  try {
    await sql.query(statement(rows.length), rows.flatMap(values));
    return [];
  } catch {
    // One row refused refuses the whole statement: insert one by one and skip the refused.
    const skipped: Row[] = [];
    for (const row of rows) {
      try {
        await sql.query(statement(1), values(row));
      } catch {
        skipped.push(row);
      }
    }
    return skipped;
  }
}

export interface FillResult {
  /** Booked share of the staff's available minutes, from fresh engine input. */
  bookedFraction: number;
  /** Busy share of the counters' open time. */
  counterBusyFraction: number;
  /** The larger of the two: the share of the office's capacity that is booked. */
  capacityFraction: number;
  inserted: number;
  skipped: number;
  fillSeconds: number;
}

/** Fills `demo`'s local days from..to (`options.days` of them) to `options.target`. */
export async function fillOffice(
  availability: AvailabilityService,
  databaseUrl: string,
  demo: DemoOffice,
  from: string,
  to: string,
  options: { days: number; target: number },
): Promise<FillResult> {
  const sql = new Sql(databaseUrl, 2);
  try {
    return await fill(availability, sql, demo, from, to, options);
  } finally {
    await sql.end();
  }
}

async function fill(
  availability: AvailabilityService,
  sql: Sql,
  demo: DemoOffice,
  from: string,
  to: string,
  options: { days: number; target: number },
): Promise<FillResult> {
  const fillStarted = performance.now();
  const inputs: Array<{ service: DemoService; agencyId: string; input: AvailabilityInput }> = [];
  for (const service of demo.services) {
    const { office, service: row } = await availability.officeAndService(demo.id, service.id);
    const input = await availability.engineInput(office, row, from, to, {});
    inputs.push({ service, agencyId: row.agencyId, input });
  }
  // One busy list per counter and per person, shared by every service's input, so each
  // booking is seen at once by all services: no row the constraints would refuse.
  const counterBusy = new Map<string, Interval[]>();
  const staffBusy = new Map<string, Interval[]>();
  const staffViews = new Map<string, Array<{ bookedMinutes?: number }>>();
  for (const { input } of inputs) {
    for (const counter of input.counters) {
      const shared = counterBusy.get(counter.id) ?? [...counter.busy];
      counterBusy.set(counter.id, shared);
      counter.busy = shared;
    }
    for (const person of input.staff) {
      const shared = staffBusy.get(person.id) ?? [...person.busy];
      staffBusy.set(person.id, shared);
      person.busy = shared;
      staffViews.set(person.id, [...(staffViews.get(person.id) ?? []), person]);
    }
  }
  const initial = staffMinutes(inputs[0].input);
  // Counters usually run out before staff (more people than desks): both count.
  const counterOpen =
    (inputs[0].input.open.reduce((sum, o) => sum + (o.end - o.start), 0) / 60_000) *
    inputs[0].input.counters.length;
  let counterBusyMinutes = counterFraction(inputs[0].input) * counterOpen;
  const days = Array.from({ length: options.days }, (_, i) => {
    const date = plusDays(from, i);
    const start = DateTime.fromISO(date, { zone: ZONE }).toMillis();
    const end = DateTime.fromISO(plusDays(date, 1), { zone: ZONE }).toMillis();
    return { date, start, end };
  }).filter((day) => inputs[0].input.open.some((o) => o.start < day.end && o.end > day.start));
  progress(
    `load: ${days.length} open days, ${Math.round(initial.available)} staff-minutes available, ` +
      `${Math.round(initial.booked)} booked before`,
  );

  let bookedMinutes = initial.booked;
  let inserted = 0;
  let skipped = 0;
  let pending: Row[] = [];
  const flush = async () => {
    if (pending.length === 0) return;
    const refused = await insertRows(sql, demo.id, pending);
    inserted += pending.length - refused.length;
    skipped += refused.length;
    for (const row of refused) {
      bookedMinutes -= (row.busyUntil - row.start) / 60_000;
      counterBusyMinutes -= (row.busyUntil - row.start) / 60_000;
    }
    pending = [];
  };
  // The share of capacity booked: of staff time or of counter time, whichever is fuller.
  const fraction = () =>
    Math.max(bookedMinutes / initial.available, counterBusyMinutes / counterOpen);
  const random = seededRandom(20270111);
  let rounds = 0;
  fill: for (; rounds < MAX_FILL_ROUNDS && fraction() < options.target; rounds++) {
    let booked = 0;
    for (const [dayIndex, day] of days.entries()) {
      for (let k = 0; k < inputs.length; k++) {
        // Round-robin over the services, starting one further on each day and round.
        const { service, agencyId, input } = inputs[(k + dayIndex + rounds) % inputs.length];
        const dayInput: AvailabilityInput = {
          ...input,
          from: Math.max(input.from, day.start),
          to: Math.min(input.to, day.end),
        };
        // A free time anywhere in the day (seeded: the same calendar in every run), so the
        // load is spread over the day as bookings are, not packed into the mornings.
        const free = availableSlots(dayInput);
        const slot = free[Math.floor(random() * free.length)];
        if (!slot) continue;
        const candidate = assignmentCandidates(dayInput, slot.start)[0];
        if (!candidate) continue;
        const busyUntil = slot.end + input.service.bufferAfterMinutes * 60_000;
        const busy = { start: slot.start, end: busyUntil };
        counterBusy.get(candidate.counterId)?.push(busy);
        staffBusy.get(candidate.staffId)?.push(busy);
        for (const view of staffViews.get(candidate.staffId) ?? [])
          view.bookedMinutes = (view.bookedMinutes ?? 0) + (busyUntil - slot.start) / 60_000;
        pending.push({
          serviceId: service.id,
          agencyId,
          counterId: candidate.counterId,
          staffId: candidate.staffId,
          start: slot.start,
          end: slot.end,
          busyUntil,
        });
        bookedMinutes += (busyUntil - slot.start) / 60_000;
        counterBusyMinutes += (busyUntil - slot.start) / 60_000;
        booked++;
        if (pending.length >= INSERT_BATCH) await flush();
        if (fraction() >= options.target) break fill;
      }
    }
    await flush();
    if (booked === 0) break; // every day is full: as booked as it gets
  }
  await flush();

  // The booked fraction as the database has it now (fresh engine input, not our counts).
  const { office, service: firstService } = await availability.officeAndService(
    demo.id,
    demo.services[0].id,
  );
  const afterInput = await availability.engineInput(office, firstService, from, to, {});
  const after = staffMinutes(afterInput);
  const bookedFraction = after.booked / after.available;
  const counterShare = counterFraction(afterInput);
  progress(
    `load: ${inserted} appointments inserted (${skipped} refused and skipped) in ${rounds + 1} round(s), ` +
      `${Math.round(after.booked)} of ${Math.round(after.available)} staff-minutes booked: ` +
      `booked fraction ${bookedFraction.toFixed(3)}, counters busy ${counterShare.toFixed(3)} of open time ` +
      `(${(elapsed(fillStarted) / 1000).toFixed(1)} s)`,
  );
  const capacityFraction = Math.max(bookedFraction, counterShare);
  if (capacityFraction < options.target) {
    progress(
      `load: could not reach ${options.target}; measuring at ${capacityFraction.toFixed(3)}`,
    );
  }
  return {
    bookedFraction,
    counterBusyFraction: counterShare,
    capacityFraction,
    inserted,
    skipped,
    fillSeconds: elapsed(fillStarted) / 1000,
  };
}
