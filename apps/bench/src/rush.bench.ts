import { plusDays, runBench, type BenchSystem } from './lib/system';
import { BOOK_MUTATION, demoOffices, officeIn, SLOTS_QUERY, type Slot } from './lib/demo';
import { errorCode, GraphQLClient } from './lib/graphql';
import { progress } from './lib/output';
import { personnummer } from './lib/personnummer';
import { seededRandom } from './lib/random';
import { countOverlaps, Sql } from './lib/sql';
import { percentile, round } from './lib/stats';

/**
 * bench:rush — 2,000 simulated citizens released at once on a morning's slots of one
 * office and service (Örebro, Skatteverket's tax-return-help, starts 09:00–11:59 local), in
 * two modes, each on a morning of its own: `proxy`, the citizens behind a reverse proxy with
 * 64 keep-alive connections to the gateway (the day after "now"), and `direct`, every citizen
 * on a connection of their own straight to the gateway, as 2,000 browsers arrive with no
 * queueing proxy in front (the day after that). `npm run bench:rush -- --mode=direct` runs one. Each books a random slot of the list it fetched before the release; on
 * SLOT_UNAVAILABLE it takes the next free time the refusal names if that is still in the
 * morning, else another random one of its list that the refusal did not rule out (the
 * refusal says nothing later that day is free when it names none), at most 5 attempts.
 * Afterwards: no capacity left that morning, no double booking, no error but SLOT_UNAVAILABLE.
 */

const CITIZENS = 2_000;
const MAX_ATTEMPTS = 5;
const SERVICE_CODE = 'tax-return-help';
const MORNING_FROM = '09:00';
const MORNING_TO = '12:00';
const GOAL_P99_MS = 3_000;
/** No citizen starts a new attempt after this long; each answer may take at most REQUEST_TIMEOUT_MS. */
const RUSH_DEADLINE_MS = 75_000;
const REQUEST_TIMEOUT_MS = 60_000;
/**
 * Citizens reach the gateway through a reverse proxy with a bounded pool of keep-alive
 * connections, as in any deployment (2,000 browsers do not each hold a connection to a
 * gateway process): at most this many requests in flight, the rest queue first come, first
 * served, and the wait counts in each answer's time.
 */
const PROXY_CONNECTIONS = 64;

interface Outcome {
  booked: boolean;
  attempts: number;
  /** Stopped by RUSH_DEADLINE_MS with free slots still on its list and attempts left. */
  cutOff: boolean;
  /** Time from the release to this citizen's last answer. */
  totalMs: number;
}

type Mode = 'proxy' | 'direct';

async function bench(system: BenchSystem): Promise<Record<string, unknown>> {
  const asked = process.argv.find((a) => a.startsWith('--mode='))?.slice('--mode='.length);
  const modes: Mode[] = asked === 'proxy' || asked === 'direct' ? [asked] : ['proxy', 'direct'];
  const results: Record<string, Record<string, unknown>> = {};
  for (const [index, mode] of modes.entries()) {
    // Each mode its own morning and its own 2,000 people (the same ones would have reached
    // the service's limit of active bookings with the first mode's).
    results[mode] = await rush(system, mode, plusDays(system.today, 1 + index), index * CITIZENS);
  }
  return {
    bench: 'rush',
    ...Object.fromEntries(Object.entries(results).map(([mode, r]) => [mode, r])),
    goal_met: Object.values(results).every((r) => r['goal_met'] === true),
  };
}

async function rush(
  system: BenchSystem,
  mode: Mode,
  date: string,
  firstCitizen: number,
): Promise<Record<string, unknown>> {
  const { client, stack } = system;
  const orebro = officeIn(await demoOffices(client), 'Örebro');
  const service = orebro.services.find((s) => s.code === SERVICE_CODE);
  if (!service) throw new Error(`Örebro does not offer ${SERVICE_CODE}`);

  const morningSlots = async (): Promise<Slot[]> => {
    const data = await client.query<{ availableSlots: Slot[] }>(SLOTS_QUERY, {
      o: orebro.id,
      s: service.id,
      from: date,
      to: date,
    });
    // Local wall time of the start, as the API writes it (YYYY-MM-DDTHH:MM:SS+hh:mm).
    return data.availableSlots.filter((slot) => {
      const time = slot.start.slice(11, 16);
      return time >= MORNING_FROM && time < MORNING_TO;
    });
  };

  const slots = await morningSlots();
  const capacityBefore = slots.reduce((sum, slot) => sum + slot.capacity, 0);
  if (slots.length === 0) throw new Error(`no free morning slots for ${SERVICE_CODE} on ${date}`);
  progress(
    `rush: ${orebro.name}, ${SERVICE_CODE}, ${date} ${MORNING_FROM}-${MORNING_TO}: ${slots.length} slots ` +
      `(${slots[0].start.slice(11, 16)}..${slots[slots.length - 1].start.slice(11, 16)}), capacity ${capacityBefore}`,
  );

  // ---- The release: every citizen waits on one gate, then all start in the same tick. ----
  // Direct: no bound on requests in flight, so each waiting citizen holds a connection of
  // its own (Node's fetch opens as many per origin as there are requests at once).
  const rushClient = new GraphQLClient(
    stack.graphqlUrl,
    REQUEST_TIMEOUT_MS,
    mode === 'proxy' ? PROXY_CONNECTIONS : Number.POSITIVE_INFINITY,
  );
  const latencies: number[] = [];
  const errors: Record<string, number> = {};
  const errorSamples: Record<string, string> = {};
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let releasedAt = 0;

  const citizen = async (n: number): Promise<Outcome> => {
    const random = seededRandom(1_000 + n);
    let believedFree = slots.map((slot) => slot.start);
    await gate;
    let attempts = 0;
    const outcome = (booked: boolean, cutOff = false): Outcome => ({
      booked,
      attempts,
      cutOff,
      totalMs: performance.now() - releasedAt,
    });
    let suggested: string | undefined;
    while (attempts < MAX_ATTEMPTS && (suggested || believedFree.length > 0)) {
      if (performance.now() - releasedAt >= RUSH_DEADLINE_MS) return outcome(false, true);
      attempts++;
      const start = suggested ?? believedFree[Math.floor(random() * believedFree.length)];
      suggested = undefined;
      const result = await rushClient.request<{ bookAppointment: { id: string } }>(BOOK_MUTATION, {
        input: {
          officeId: orebro.id,
          serviceId: service.id,
          start,
          citizen: { personnummer: personnummer(n), name: `Rush Citizen ${n}` },
        },
      });
      latencies.push(result.ms);
      const code = errorCode(result);
      if (!code) return outcome(true);
      errors[code] = (errors[code] ?? 0) + 1;
      errorSamples[code] ??= result.errors?.[0]?.message ?? '';
      if (code !== 'SLOT_UNAVAILABLE') break; // anything else: this citizen gives up
      // The refusal names the next free time that day (or says there is none): take it if it
      // is still in the morning; forget the later times of the list either way.
      const next = result.errors?.[0]?.extensions?.['nextFreeStart'];
      believedFree = believedFree.filter((s) => s !== start);
      if (typeof next === 'string' || next === null) {
        believedFree = believedFree.filter((s) => s < start);
        if (typeof next === 'string' && next.slice(11, 16) < MORNING_TO) suggested = next;
      }
    }
    return outcome(false);
  };

  const running = Array.from({ length: CITIZENS }, (_, i) => citizen(firstCitizen + i + 1));
  progress(
    `rush (${mode}): releasing ${CITIZENS} citizens at once (at most ${MAX_ATTEMPTS} attempts each)`,
  );
  releasedAt = performance.now();
  release();
  const outcomes = await Promise.all(running);
  const wallMs = performance.now() - releasedAt;

  const booked = outcomes.filter((o) => o.booked).length;
  const gaveUp = CITIZENS - booked;
  const p50 = percentile(latencies, 50);
  const p99 = percentile(latencies, 99);
  const otherErrors = Object.entries(errors)
    // The answers a citizen may get: booked, SLOT_UNAVAILABLE, LIMIT_REACHED.
    .filter(([code]) => code !== 'SLOT_UNAVAILABLE' && code !== 'LIMIT_REACHED')
    .reduce((sum, [, count]) => sum + count, 0);
  progress(
    `rush: ${booked} booked, ${gaveUp} gave up, ${latencies.length} answers in ${(wallMs / 1000).toFixed(1)} s; ` +
      `answer p50 ${p50.toFixed(0)} ms, p99 ${p99.toFixed(0)} ms, max ${Math.max(...latencies).toFixed(0)} ms`,
  );
  progress(`rush: errors ${JSON.stringify(errors)}`);
  for (const [code, message] of Object.entries(errorSamples))
    if (code !== 'SLOT_UNAVAILABLE') progress(`rush: e.g. ${code}: ${message}`);

  // ---- Afterwards: nothing left that morning, nothing booked twice. ----
  const after = await morningSlots();
  const remaining = after.reduce((sum, slot) => sum + slot.capacity, 0);
  const sql = new Sql(stack.databaseUrl, 1);
  try {
    const overlaps = await countOverlaps(sql);
    const [{ count: rows }] = await sql.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM scheduling.appointment
       WHERE status = 'BOOKED' AND service_id = $1 AND starts_at >= $2 AND starts_at < $3`,
      [service.id, slots[0].start, `${date}T${MORNING_TO}:00${slots[0].start.slice(19)}`],
    );
    const double = overlaps.counter + overlaps.staff + overlaps.citizen;
    progress(
      `after: remaining capacity ${remaining} in ${after.length} slot(s)` +
        `${after.length ? ` (${after.map((s) => `${s.start.slice(11, 16)}×${s.capacity}`).join(', ')})` : ''}; ` +
        `${rows} BOOKED rows that morning; overlaps: counter ${overlaps.counter}, staff ${overlaps.staff}, ` +
        `citizen ${overlaps.citizen}`,
    );
    const attempts = outcomes.map((o) => o.attempts);
    return {
      mode,
      connections: mode === 'proxy' ? PROXY_CONNECTIONS : 'one per citizen',
      citizens: CITIZENS,
      office: 'Örebro',
      service: SERVICE_CODE,
      morning: `${date} ${MORNING_FROM}-${MORNING_TO}`,
      slots: slots.length,
      capacity_before: capacityBefore,
      booked,
      booked_rows: rows,
      remaining_capacity: remaining,
      double,
      other_errors: otherErrors,
      errors,
      answers: latencies.length,
      attempts_p50: percentile(attempts, 50),
      cut_off_by_deadline: outcomes.filter((o) => o.cutOff).length,
      wall_s: round(wallMs / 1000, 1),
      p50_ms: round(p50, 0),
      p99_ms: round(p99, 0),
      max_ms: round(Math.max(...latencies), 0),
      citizen_p99_ms: round(
        percentile(
          outcomes.map((o) => o.totalMs),
          99,
        ),
        0,
      ),
      check_retries: client.transientRetries,
      goal_p99_ms: GOAL_P99_MS,
      goal_met: remaining === 0 && double === 0 && otherErrors === 0 && p99 <= GOAL_P99_MS,
    };
  } finally {
    await sql.end();
  }
}

void runBench('rush', bench);
