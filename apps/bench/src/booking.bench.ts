import { runBench, type BenchSystem } from './lib/system';
import { BOOK_MUTATION, demoOffices } from './lib/demo';
import { errorCode } from './lib/graphql';
import { freePairs, type Pair } from './lib/pool';
import { progress } from './lib/output';
import { personnummer } from './lib/personnummer';
import { runPgbench } from './lib/pgbench';
import { seededRandom, shuffle } from './lib/random';
import { countOverlaps, Sql } from './lib/sql';
import { percentile, round } from './lib/stats';

/**
 * bench:booking — bookings per second through the gateway at 1, 8 and 32 concurrent
 * clients, next to the raw ceiling measured in the same run: the booking path's INSERT
 * issued by pgbench over 32 connections (same columns and constraints, no HTTP, no engine),
 * PostgreSQL's own client, so the ceiling is the database's and not a Node client's.
 * Afterwards, overlapping appointments are counted in SQL.
 */

const LEVELS = [1, 8, 32] as const;
const WARMUP_MS = 1_000;
const MEASURE_MS = 8_000;
const CEILING_CLIENTS = 32;
const POOL_DAYS = 60;
const GOAL_RATIO = 0.1;

interface LevelResult {
  perSecond: number;
  booked: number;
  answers: number;
  p50: number;
  p95: number;
  errors: Record<string, number>;
}

async function bench(system: BenchSystem): Promise<Record<string, unknown>> {
  const { client, stack, today } = system;
  const offices = await demoOffices(client);

  // ---- A large shuffled pool of free (service, start) pairs, read afresh before each level:
  // every booking also takes its person's and counter's time from other services, so a list
  // read before thousands of bookings would be largely stale (citizens book from a fresh list).
  let pool: Awaited<ReturnType<typeof freePairs>> = { pairs: [], requests: 0, to: today };
  let poolRound = 0;
  const readPool = async () => {
    const poolStarted = performance.now();
    pool = await freePairs(client, offices, today, POOL_DAYS);
    shuffle(pool.pairs, seededRandom(20270111 + poolRound++));
    progress(
      `pool: ${pool.pairs.length} free (service, start) units from ${pool.requests} availableSlots ` +
        `calls over ${today}..${pool.to} (${((performance.now() - poolStarted) / 1000).toFixed(1)} s)`,
    );
  };

  // ---- Gateway: bookings per second at each level of concurrency. ----
  let nextPair = 0;
  let person = 0;
  let bookedTotal = 0;
  const allErrors: Record<string, number> = {};
  const runLevel = async (concurrency: number): Promise<LevelResult> => {
    const started = performance.now();
    const windowStart = started + WARMUP_MS;
    let windowEnd = windowStart + MEASURE_MS;
    const latencies: number[] = [];
    const errors: Record<string, number> = {};
    let booked = 0;
    let answers = 0;
    const worker = async () => {
      // A refusal that names the next free time that day is taken up, as a booking page would.
      let suggested: Pair | undefined;
      while (performance.now() < windowEnd) {
        const pair = suggested ?? pool.pairs[nextPair++];
        suggested = undefined;
        if (!pair) {
          windowEnd = Math.min(windowEnd, performance.now()); // the pool ran dry: a shorter window
          return;
        }
        const result = await client.request<{ bookAppointment: { id: string } }>(BOOK_MUTATION, {
          input: {
            officeId: pair.officeId,
            serviceId: pair.serviceId,
            start: pair.start,
            citizen: { personnummer: personnummer(++person), name: 'Bench Person' },
          },
        });
        const done = performance.now();
        const inWindow = done >= windowStart && done < windowEnd;
        const code = errorCode(result);
        if (code) {
          const next = result.errors?.[0]?.extensions?.['nextFreeStart'];
          if (typeof next === 'string') suggested = { ...pair, start: next };
          errors[code] = (errors[code] ?? 0) + 1;
          allErrors[code] = (allErrors[code] ?? 0) + 1;
        } else {
          bookedTotal++;
          if (inWindow) booked++;
        }
        if (inWindow) {
          answers++;
          if (!code) latencies.push(result.ms);
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    const seconds = Math.max(0.001, (windowEnd - windowStart) / 1000);
    return {
      perSecond: booked / seconds,
      booked,
      answers,
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      errors,
    };
  };

  const perSecond: Record<string, number> = {};
  const levels: Record<string, unknown> = {};
  for (const concurrency of LEVELS) {
    await readPool();
    nextPair = 0;
    const level = await runLevel(concurrency);
    perSecond[String(concurrency)] = round(level.perSecond, 1);
    levels[String(concurrency)] = {
      booked: level.booked,
      answers: level.answers,
      p50_ms: round(level.p50),
      p95_ms: round(level.p95),
      errors: level.errors,
    };
    progress(
      `gateway, ${concurrency} client(s): ${level.perSecond.toFixed(1)} bookings/s ` +
        `(${level.booked} booked of ${level.answers} answers in the window; booking p50 ` +
        `${level.p50.toFixed(0)} ms, p95 ${level.p95.toFixed(0)} ms; errors ${JSON.stringify(level.errors)})`,
    );
  }

  const sql = new Sql(stack.databaseUrl, 2);
  try {
    const [{ count: bookedInDb }] = await sql.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM scheduling.appointment WHERE status = 'BOOKED'`,
    );
    progress(
      `gateway: ${bookedTotal} bookings answered OK in all, ${bookedInDb} BOOKED rows stored`,
    );

    // ---- Ceiling: the booking path's INSERT alone, from pgbench over 32 connections. ----
    const office = offices[0];
    const service = office.services[0];
    const [{ agency_id: agencyId }] = await sql.query<{ agency_id: string }>(
      `SELECT agency_id FROM directory.published_office_service WHERE office_id = $1 AND service_id = $2`,
      [office.id, service.id],
    );
    const windowFrom = new Date(Date.parse(`${today}T08:00:00Z`)).toISOString();
    // The row scheduling.book_appointment inserts (same columns, constraints, RETURNING), with a
    // distinct counter, person and citizen per row: every exclusion constraint is checked
    // against its index, none ever conflicts.
    const script = `\\set slot random(0, ${POOL_DAYS * 96 - 1})
INSERT INTO scheduling.appointment (office_id, agency_id, service_id, counter_id, staff_id, citizen_key,
  reference, status, starts_at, ends_at, busy_until, channel, booked_by_role, needs)
SELECT '${office.id}', '${agencyId}', '${service.id}', gen_random_uuid(), gen_random_uuid(),
  md5(random()::text), upper(substr(md5(random()::text), 1, 12)), 'BOOKED', t, t + interval '20 minutes',
  t + interval '25 minutes', 'WEB', 'ANONYMOUS', '{}'
FROM (SELECT '${windowFrom}'::timestamptz + :slot * interval '15 minutes' AS t) s
RETURNING *;
`;
    const ceiling = runPgbench(stack.databaseUrl, script, CEILING_CLIENTS, MEASURE_MS / 1000);
    const ceilingPerSecond = ceiling.tps;
    progress(
      `ceiling, pgbench with ${CEILING_CLIENTS} connections: ${ceilingPerSecond.toFixed(0)} inserts/s ` +
        `(${ceiling.transactions} rows, ${ceiling.failed} failed, latency ${ceiling.latencyMs} ms)`,
    );

    // ---- No two active appointments share a counter, a person or a citizen at once. ----
    const overlaps = await countOverlaps(sql);
    const overlapCount = overlaps.counter + overlaps.staff;
    progress(
      `overlaps: ${overlaps.counter} on a counter, ${overlaps.staff} on a person, ` +
        `${overlaps.citizen} for a citizen`,
    );

    const ratio = perSecond['32'] / ceilingPerSecond;
    return {
      bench: 'booking',
      per_s: perSecond,
      ceiling_per_s: { [String(CEILING_CLIENTS)]: round(ceilingPerSecond, 0) },
      ratio_32: round(ratio, 4),
      overlaps: overlapCount,
      citizen_overlaps: overlaps.citizen,
      errors: allErrors,
      booked_answers: bookedTotal,
      booked_rows: bookedInDb,
      pool_units: pool.pairs.length,
      levels,
      goal_ratio: GOAL_RATIO,
      goal_met: ratio >= GOAL_RATIO && overlapCount === 0,
    };
  } finally {
    await sql.end();
  }
}

void runBench('booking', bench);
