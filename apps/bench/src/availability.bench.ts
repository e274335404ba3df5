import { plusDays, runBench, ZONE, type BenchSystem } from './lib/system';
import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '@samservice/platform/database';
import { AvailabilityService, OfficeCalendarRepository, type Clock } from '@samservice/scheduling';
import { schedulingDatabase } from '@samservice/scheduling/database';
import {
  assignmentCandidates,
  availableSlots,
  type AvailabilityInput,
  type Interval,
} from '@samservice/scheduling-engine';
import { demoOffices, officeIn, SLOTS_QUERY, type DemoService, type Slot } from './lib/demo';
import { errorCode } from './lib/graphql';
import { progress } from './lib/output';
import { randomCitizenKey, randomReference } from './lib/random';
import { APPOINTMENT_COLUMNS, Sql } from './lib/sql';
import { elapsed, percentile, round } from './lib/stats';

/**
 * bench:availability — `availableSlots` for 30 days at the busiest demo office (Örebro) with
 * at least 60 % of its staff time booked, through the gateway: p50/p95/p99 latency, and the
 * engine's share of it measured in-process for the same requests.
 */

const DAYS = 30;
const TARGET_FRACTION = 0.6;
const WARMUP_CALLS = 20;
const CALLS = 200;
const GOAL_P95_MS = 25;
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
function staffMinutes(input: AvailabilityInput): { booked: number; available: number } {
  let booked = 0;
  let available = 0;
  for (const person of input.staff) {
    booked += unionLength(person.busy, input.from, input.to);
    available += unionLength(person.available, input.from, input.to);
  }
  return { booked: booked / 60_000, available: available / 60_000 };
}

/** Share of the counters' open time that is busy (for context: counters, not staff, run out first). */
function counterFraction(input: AvailabilityInput): number {
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

async function bench(system: BenchSystem): Promise<Record<string, unknown>> {
  const { client, stack, now, today } = system;
  const offices = await demoOffices(client);
  const orebro = officeIn(offices, 'Örebro');
  const services: DemoService[] = orebro.services;
  const from = today;
  const to = plusDays(today, DAYS - 1);
  progress(`office ${orebro.name}: ${services.length} services, days ${from}..${to}`);

  // In-process access for the load and the breakdown: the pool size of the scheduling subgraph.
  const dataSource = new DataSource({
    ...dataSourceOptions(schedulingDatabase, stack.databaseUrl, system.config.databasePoolSize),
    logging: false,
  });
  await dataSource.initialize();
  const sql = new Sql(stack.databaseUrl, 2);
  try {
    const availability = new AvailabilityService(new OfficeCalendarRepository(dataSource), {
      now: () => now,
    } as unknown as Clock);

    // ---- Load: fill the next 30 days to >= 60 % of the staff time, in-process. ----
    const fillStarted = performance.now();
    const inputs: Array<{ service: DemoService; agencyId: string; input: AvailabilityInput }> = [];
    for (const service of services) {
      const { office, service: row } = await availability.officeAndService(orebro.id, service.id);
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
    const days = Array.from({ length: DAYS }, (_, i) => {
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
      const refused = await insertRows(sql, orebro.id, pending);
      inserted += pending.length - refused.length;
      skipped += refused.length;
      for (const row of refused) bookedMinutes -= (row.busyUntil - row.start) / 60_000;
      pending = [];
    };
    const fraction = () => bookedMinutes / initial.available;
    let rounds = 0;
    fill: for (; rounds < MAX_FILL_ROUNDS && fraction() < TARGET_FRACTION; rounds++) {
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
          const slot = availableSlots(dayInput)[0];
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
          booked++;
          if (pending.length >= INSERT_BATCH) await flush();
          if (fraction() >= TARGET_FRACTION) break fill;
        }
      }
      await flush();
      if (booked === 0) break; // every day is full: as booked as it gets
    }
    await flush();

    // The booked fraction as the database has it now (fresh engine input, not our counts).
    const { office, service: firstService } = await availability.officeAndService(
      orebro.id,
      services[0].id,
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
    if (bookedFraction < TARGET_FRACTION) {
      progress(
        `load: could not reach ${TARGET_FRACTION}; measuring at ${bookedFraction.toFixed(3)}`,
      );
    }

    // ---- Measure through the gateway: sequential calls, services round-robin. ----
    const request = (i: number) => ({
      o: orebro.id,
      s: services[i % services.length].id,
      from,
      to,
    });
    const call = async (i: number): Promise<{ ms: number; slots: number }> => {
      const result = await client.request<{ availableSlots: Slot[] }>(SLOTS_QUERY, request(i));
      if (result.errors?.length || !result.data) {
        throw new Error(
          `availableSlots failed (${errorCode(result)}): ${result.errors?.[0]?.message}`,
        );
      }
      return { ms: result.ms, slots: result.data.availableSlots.length };
    };
    progress(`measure: ${WARMUP_CALLS} warm-up calls, then ${CALLS} through the gateway`);
    for (let i = 0; i < WARMUP_CALLS; i++) await call(i);
    const gateway: number[] = [];
    let slotCount = 0;
    for (let i = 0; i < CALLS; i++) {
      const { ms, slots } = await call(i);
      gateway.push(ms);
      slotCount += slots;
    }
    const p50 = percentile(gateway, 50);
    const p95 = percentile(gateway, 95);
    const p99 = percentile(gateway, 99);
    progress(
      `gateway: p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms ` +
        `(${(slotCount / CALLS).toFixed(1)} slots per answer on average)`,
    );

    // ---- The same requests in-process: lookup, SQL + assembly, engine, formatting. ----
    const lookupMs: number[] = [];
    const sqlMs: number[] = [];
    const engineMs: number[] = [];
    const formatMs: number[] = [];
    for (let i = 0; i < WARMUP_CALLS + CALLS; i++) {
      const { o, s } = request(i);
      let t = performance.now();
      const found = await availability.officeAndService(o, s);
      const lookup = elapsed(t);
      t = performance.now();
      const input = await availability.engineInput(found.office, found.service, from, to, {});
      const assembled = elapsed(t);
      t = performance.now();
      const slots = availableSlots(input);
      const engine = elapsed(t);
      t = performance.now();
      // What the resolver does with the engine's answer: local ISO times per slot (luxon).
      const zone = found.office.timeZone;
      const iso = (ms: number) =>
        DateTime.fromMillis(ms, { zone }).toISO({ suppressMilliseconds: true });
      slots.map((slot) => ({
        start: iso(slot.start),
        end: iso(slot.end),
        capacity: slot.capacity,
      }));
      const format = elapsed(t);
      if (i < WARMUP_CALLS) continue;
      lookupMs.push(lookup);
      sqlMs.push(assembled);
      engineMs.push(engine);
      formatMs.push(format);
    }
    const engineP50 = percentile(engineMs, 50);
    const sqlP50 = percentile(sqlMs, 50);
    progress(
      `in-process p50: lookup ${percentile(lookupMs, 50).toFixed(2)} ms, engineInput (SQL + assembly) ` +
        `${sqlP50.toFixed(2)} ms, engine ${engineP50.toFixed(2)} ms, ISO formatting ` +
        `${percentile(formatMs, 50).toFixed(2)} ms; engine share of the gateway p50 ${(engineP50 / p50).toFixed(3)}`,
    );

    return {
      bench: 'availability',
      office: 'Örebro',
      days: DAYS,
      booked_fraction: round(bookedFraction, 3),
      counter_busy_fraction: round(counterShare, 3),
      appointments: inserted,
      calls: CALLS,
      p50_ms: round(p50),
      p95_ms: round(p95),
      p99_ms: round(p99),
      engine_p50_ms: round(engineP50),
      engine_p95_ms: round(percentile(engineMs, 95)),
      engine_share: round(engineP50 / p50, 3),
      sql_ms_p50: round(sqlP50),
      sql_ms_p95: round(percentile(sqlMs, 95)),
      lookup_ms_p50: round(percentile(lookupMs, 50)),
      format_ms_p50: round(percentile(formatMs, 50)),
      slots_per_answer: round(slotCount / CALLS, 1),
      goal_p95_ms: GOAL_P95_MS,
      goal_met: p95 <= GOAL_P95_MS,
    };
  } finally {
    await sql.end();
    await dataSource.destroy();
  }
}

void runBench('availability', bench);
