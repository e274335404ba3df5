import { inProcessScheduling } from './lib/in-process';
import { plusDays, runBench, type BenchSystem } from './lib/system';
import { isoInZone } from '@samservice/calendar';
import { availableSlots } from '@samservice/scheduling-engine';
import { demoOffices, officeIn, SLOTS_QUERY, type DemoService, type Slot } from './lib/demo';
import { errorCode } from './lib/graphql';
import { progress } from './lib/output';
import { fillOffice } from './lib/fill';
import { elapsed, percentile, round } from './lib/stats';

/**
 * bench:availability — `availableSlots` for 30 days at the busiest demo office (Örebro) with
 * at least 60 % of its capacity booked (see lib/fill.ts), through the gateway: p50/p95/p99 latency, and the
 * engine's share of it measured in-process for the same requests.
 */

const DAYS = 30;
const TARGET_FRACTION = 0.6;
const WARMUP_CALLS = 20;
const CALLS = 200;
const GOAL_P95_MS = 25;

async function bench(system: BenchSystem): Promise<Record<string, unknown>> {
  const { client, stack, today } = system;
  const offices = await demoOffices(client);
  const orebro = officeIn(offices, 'Örebro');
  const services: DemoService[] = orebro.services;
  const from = today;
  const to = plusDays(today, DAYS - 1);
  progress(`office ${orebro.name}: ${services.length} services, days ${from}..${to}`);

  // In-process access for the load and the breakdown: the pool size of the scheduling subgraph.
  const scheduling = await inProcessScheduling(system);
  try {
    const { availability } = scheduling;

    // ---- Load: fill the next 30 days to >= 60 % of its capacity, in-process. ----
    const load = await fillOffice(availability, stack.databaseUrl, orebro, from, to, {
      days: DAYS,
      target: TARGET_FRACTION,
    });
    const bookedFraction = load.bookedFraction;
    const counterShare = load.counterBusyFraction;
    const inserted = load.inserted;

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
      // What the resolver does with the engine's answer: local ISO times per slot.
      const zone = found.office.timeZone;
      const iso = (ms: number) => isoInZone(ms, zone, { suppressMilliseconds: true });
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
      capacity_booked_fraction: round(load.capacityFraction, 3),
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
    await scheduling.close();
  }
}

void runBench('availability', bench);
