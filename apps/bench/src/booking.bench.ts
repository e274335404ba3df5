import { runBench, type BenchSystem } from './lib/system';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { BOOK_MUTATION, demoOffices } from './lib/demo';
import { errorCode } from './lib/graphql';
import { freePairs, type Pair } from './lib/pool';
import { progress } from './lib/output';
import { personnummer } from './lib/personnummer';
import { randomCitizenKey, randomReference, seededRandom, shuffle } from './lib/random';
import { countOverlaps, Sql } from './lib/sql';
import { percentile, round } from './lib/stats';

/**
 * bench:booking — bookings per second through the gateway at 1, 8 and 32 concurrent
 * clients, next to the raw ceiling measured in the same run: the booking path's final
 * INSERT issued directly over 32 `pg` connections (same columns and constraints, no HTTP,
 * no engine, no transaction around it). Afterwards, overlapping appointments are counted in SQL.
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

    // ---- Ceiling: the booking path's INSERT alone, over 32 connections. ----
    const office = offices[0];
    const service = office.services[0];
    const [{ agency_id: agencyId }] = await sql.query<{ agency_id: string }>(
      `SELECT agency_id FROM directory.published_office_service WHERE office_id = $1 AND service_id = $2`,
      [office.id, service.id],
    );
    // The INSERT that scheduling.book_appointment issues (same columns, constraints, RETURNING).
    const insert = `INSERT INTO "scheduling"."appointment"("id", "office_id", "agency_id", "service_id", "counter_id", "staff_id", "citizen_key", "reference", "status", "starts_at", "ends_at", "busy_until", "hold_expires_at", "hold_client", "channel", "booked_by_role", "booked_by_subject", "needs", "language", "created_at", "updated_at")
      VALUES (DEFAULT, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, DEFAULT, DEFAULT)
      RETURNING *`;
    const windowFrom = Date.parse(`${today}T08:00:00Z`);
    const clients = await Promise.all(
      Array.from({ length: CEILING_CLIENTS }, async () => {
        const c = new Client({
          connectionString: stack.databaseUrl,
          application_name: 'samservice-bench',
        });
        await c.connect();
        return c;
      }),
    );
    let ceilingInserted = 0;
    let ceilingFailed = 0;
    let ceilingPerSecond = 0;
    try {
      const started = performance.now();
      const windowStart = started + WARMUP_MS;
      const windowEnd = windowStart + MEASURE_MS;
      let inWindow = 0;
      await Promise.all(
        clients.map(async (c) => {
          while (performance.now() < windowEnd) {
            // Distinct counter, person and citizen per row: every exclusion constraint is
            // checked against the index, none ever conflicts.
            const start = windowFrom + Math.floor(Math.random() * POOL_DAYS * 96) * 15 * 60_000;
            try {
              await c.query(insert, [
                office.id,
                agencyId,
                service.id,
                randomUUID(),
                randomUUID(),
                randomCitizenKey(),
                randomReference(),
                'BOOKED',
                new Date(start),
                new Date(start + 20 * 60_000),
                new Date(start + 25 * 60_000),
                null,
                null,
                'WEB',
                'ANONYMOUS',
                null,
                [],
                null,
              ]);
              ceilingInserted++;
              const done = performance.now();
              if (done >= windowStart && done < windowEnd) inWindow++;
            } catch {
              ceilingFailed++;
            }
          }
        }),
      );
      ceilingPerSecond = inWindow / (MEASURE_MS / 1000);
    } finally {
      await Promise.all(clients.map((c) => c.end()));
    }
    progress(
      `ceiling, ${CEILING_CLIENTS} pg connections: ${ceilingPerSecond.toFixed(0)} inserts/s ` +
        `(${ceilingInserted} rows, ${ceilingFailed} refused)`,
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
