import { inProcessScheduling } from './lib/in-process';
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { isDeepStrictEqual } from 'node:util';
import { readFileSync } from 'node:fs';
import type { AppConfig } from '@samservice/platform/config';
import { processLogger, startSubgraphProcess, type SubgraphProcess } from '@samservice/stack';
import {
  BOOK_MUTATION,
  demoOffices,
  officeIn,
  SLOTS_QUERY,
  type DemoOffice,
  type Slot,
} from './lib/demo';
import { fillOffice } from './lib/fill';
import { errorCode, GraphQLClient, type GraphQLResult } from './lib/graphql';
import { progress } from './lib/output';
import { personnummer } from './lib/personnummer';
import { freePairs, type Pair } from './lib/pool';
import { seededRandom, shuffle } from './lib/random';
import { percentile, round } from './lib/stats';
import { plusDays, runBench, type BenchSystem } from './lib/system';

/**
 * bench:gateway — CPU of the gateway process per answer, today's Apollo gateway
 * (GatewayModule, `apps/gateway/src/main.ts`) against Hive Gateway with the Rust query planner
 * (`apps/gateway/src/hive.ts`, libs/gateway/src/lib/hive), both as deployed (own process,
 * NODE_ENV=production, one JSON log line per request at LOG_LEVEL=info), on the committed
 * supergraph and the same subgraph processes. Two workloads: a 30-day `availableSlots` at
 * Örebro filled to 60 % of its capacity (as bench:availability), and `bookAppointment` from a
 * pool of free times of the whole demo network (as bench:booking). Each run sends a fixed
 * number of requests at a fixed concurrency to one gateway and reads that process's
 * utime + stime from /proc before and after; runs alternate between the gateways
 * (A B B A A B …) so drift on a shared machine hits both alike. Answers are checked to be
 * the same through both gateways first.
 */

const DAYS = 30;
const TARGET_FRACTION = 0.6;
const POOL_DAYS = 60;
const ROUNDS = Number(process.env.BENCH_GATEWAY_ROUNDS ?? 8);
/** Requests before each measured run (`firstWarmup` per gateway before the first round: JIT). */
const WARMUP = 40;
const WORKLOADS = {
  availability: { requests: 250, concurrency: 16, firstWarmup: 600 },
  booking: { requests: 300, concurrency: 32, firstWarmup: 300 },
} as const;
type Workload = keyof typeof WORKLOADS;

/**
 * The gateways compared: Apollo and Hive as above; on request (BENCH_GATEWAY_VARIANTS) also
 * each of them posting to the subgraphs with node:http instead of Node's fetch.
 */
interface Variant {
  script: string;
  env: Record<string, string>;
  rateLimited?: boolean;
}
const VARIANTS: Record<
  'apollo' | 'hive' | 'apollo-http' | 'hive-http' | 'apollo-ratelimit',
  Variant
> = {
  // Before issue 10: Node's fetch to the subgraphs. apollo-http is the production gateway now.
  apollo: { script: 'apps/bench/src/gateways/apollo-fetch.ts', env: {} },
  hive: { script: 'apps/gateway/src/hive.ts', env: {} },
  'apollo-http': { script: 'apps/gateway/src/main.ts', env: {} },
  'hive-http': { script: 'apps/gateway/src/hive.ts', env: { HIVE_SUBGRAPH_CLIENT: 'http' } },
  // The production gateway with its rate limits on (issue 12), limits so high nothing is refused:
  // what counting every request and flushing the counts to PostgreSQL costs.
  'apollo-ratelimit': { script: 'apps/gateway/src/main.ts', env: {}, rateLimited: true },
};
type GatewayName = keyof typeof VARIANTS;
const GATEWAYS: GatewayName[] = (process.env.BENCH_GATEWAY_VARIANTS ?? 'apollo,apollo-http,hive')
  .split(',')
  .map((name) => name.trim())
  .filter((name): name is GatewayName => {
    if (name in VARIANTS) return true;
    throw new Error(
      `BENCH_GATEWAY_VARIANTS: unknown gateway "${name}" (${Object.keys(VARIANTS).join(', ')})`,
    );
  });
if (GATEWAYS[0] !== 'apollo' || GATEWAYS.length < 2) {
  throw new Error('BENCH_GATEWAY_VARIANTS: apollo first, then at least one other gateway');
}

/** Clock ticks per second of /proc/<pid>/stat's utime and stime. */
const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU time (user + system, every thread) of a process so far, in ms. */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

interface Gateway {
  name: GatewayName;
  process: SubgraphProcess;
  client: GraphQLClient;
  graphqlUrl: string;
  /** Requests sent to it (each must give one request log line). */
  sent: number;
  lines: {
    /** Request log lines ("request completed") the process wrote. */
    requestLines: number;
    /** Lines that were not JSON (a pretty or stray line). */
    otherLines: number;
  };
}

interface Run {
  workload: Workload;
  round?: number;
  gateway: GatewayName;
  answers: number;
  cpuMs: number;
  seconds: number;
  latencies: number[];
  errors: Record<string, number>;
}

/** The request: a body and the HTTP answer as it came (status, parsed JSON). */
async function rawPost(gateway: Gateway, body: unknown, headers: Record<string, string> = {}) {
  gateway.sent++;
  const response = await fetch(gateway.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: response.status, json };
}

/** A request id quoted back in an INTERNAL_SERVER_ERROR differs per request. */
function withoutRequestIds(json: unknown): unknown {
  return JSON.parse(JSON.stringify(json), (key, value: unknown) =>
    key === 'requestId' ? '<id>' : value,
  );
}

async function startGateways(system: BenchSystem): Promise<Gateway[]> {
  const { stack, config } = system;
  const log = processLogger(config, 'bench');
  // As deployed: NODE_ENV=production in the process, JSON request lines at info. The keys stay
  // the development ones of this run's DATA_DIR (the subgraphs verify with them), so the
  // configuration itself is not a production one (that would need a JWKS and key pair).
  const gatewayConfig: AppConfig = {
    ...config,
    env: 'production',
    port: 0,
    log: { level: 'info', pretty: false },
    subgraphUrls: stack.subgraphs,
  };
  const profileDir = process.env.BENCH_GATEWAY_PROF_DIR;
  const gateways: Gateway[] = [];
  for (const name of GATEWAYS) {
    const lines = { requestLines: 0, otherLines: 0 };
    const variant = VARIANTS[name];
    const child = await startSubgraphProcess(
      'gateway',
      variant.rateLimited
        ? {
            ...gatewayConfig,
            rateLimit: {
              ...gatewayConfig.rateLimit,
              enabled: true,
              perIp: 1_000_000,
              perClient: 1_000_000,
              perAgencyClient: 1_000_000,
            },
          }
        : gatewayConfig,
      log,
      (_service, line) => {
        if (line.includes('"request completed"')) lines.requestLines++;
        else if (!line.startsWith('{')) lines.otherLines++;
        else if (/"level":(40|50|60)/.test(line)) process.stdout.write(`[${name}] ${line}\n`);
      },
      {
        script: VARIANTS[name].script,
        env: { NODE_ENV: 'production', ...VARIANTS[name].env },
        nodeArgs: profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}/${name}`] : [],
      },
    );
    const graphqlUrl = `${child.url}/graphql`;
    gateways.push({
      name,
      process: child,
      graphqlUrl,
      client: new GraphQLClient(graphqlUrl),
      sent: 0,
      lines,
    });
    progress(`${name} gateway: pid ${child.pid} at ${child.url}`);
  }
  return gateways;
}

/** Same data through both gateways, same errors, same fields of a booking. */
async function compareAnswers(
  [apollo, ...others]: Gateway[],
  orebro: DemoOffice,
  from: string,
  to: string,
  pool: Pair[],
): Promise<Record<string, unknown>> {
  let slotAnswers = 0;
  let slots = 0;
  for (const service of orebro.services) {
    const variables = { o: orebro.id, s: service.id, from, to };
    const [a, ...rest] = await Promise.all(
      [apollo, ...others].map((g) => rawPost(g, { query: SLOTS_QUERY, variables })),
    );
    const differing = rest.findIndex((h) => !isDeepStrictEqual(a, h));
    if (a.status !== 200 || differing !== -1) {
      throw new Error(
        `availableSlots differs for ${service.code}: apollo ${JSON.stringify(a).slice(0, 300)} / ` +
          `${others[Math.max(0, differing)].name} ${JSON.stringify(rest[Math.max(0, differing)]).slice(0, 300)}`,
      );
    }
    slotAnswers++;
    slots += (a.json as { data: { availableSlots: Slot[] } }).data.availableSlots.length;
  }

  const unknown = '00000000-0000-4000-8000-000000000000';
  const service = orebro.services[0];
  const book = (start: string, n: number) => ({
    query: BOOK_MUTATION,
    variables: {
      input: {
        officeId: orebro.id,
        serviceId: service.id,
        start,
        citizen: { personnummer: personnummer(9_000_000 + n), name: 'Bench Person' },
      },
    },
  });
  const cases: Array<{ label: string; body: unknown; headers?: Record<string, string> }> = [
    { label: 'validation', body: { query: '{ agencies { nonsense } }' } },
    { label: 'parse', body: { query: '{ agencies { code ' } },
    { label: 'missing variable', body: { query: SLOTS_QUERY, variables: { o: orebro.id } } },
    {
      label: 'bad Date (subgraph 400)',
      body: {
        query: SLOTS_QUERY,
        variables: { o: orebro.id, s: service.id, from: '2027-13-01', to },
      },
    },
    {
      label: 'unknown office',
      body: { query: SLOTS_QUERY, variables: { o: unknown, s: service.id, from, to } },
    },
    { label: 'off-grid start', body: book(`${from}T09:07:00+01:00`, 1) },
    { label: 'closed (Sunday)', body: book(`${plusDays(from, 6)}T10:00:00+01:00`, 2) },
    {
      label: 'bad token',
      body: { query: '{ me { role } }' },
      headers: { authorization: 'Bearer a.b.c' },
    },
    {
      label: 'two subgraphs',
      body: { query: '{ offices { name services { name agency { code } } } }' },
    },
  ];
  const differing: string[] = [];
  for (const c of cases) {
    const [a, ...rest] = await Promise.all(
      [apollo, ...others].map((g) => rawPost(g, c.body, c.headers)),
    );
    rest.forEach((h, index) => {
      if (!isDeepStrictEqual(withoutRequestIds(a), withoutRequestIds(h))) {
        differing.push(`${c.label} (${others[index].name})`);
        progress(
          `  differs (${c.label}): apollo ${JSON.stringify(a)} / ${others[index].name} ${JSON.stringify(h)}`,
        );
      }
    });
  }

  // A booking through each gateway (two free times of one service): the same fields back.
  const bookings: Array<{ fields: string[]; startAsAsked: boolean }> = [];
  for (const [index, gateway] of [apollo, ...others].entries()) {
    const pair = pool[index];
    gateway.sent++;
    const answer = await gateway.client.request<{ bookAppointment: Record<string, unknown> }>(
      BOOK_MUTATION,
      {
        input: {
          officeId: pair.officeId,
          serviceId: pair.serviceId,
          start: pair.start,
          citizen: { personnummer: personnummer(9_100_000 + index), name: 'Bench Person' },
        },
      },
    );
    const booked = answer.data?.bookAppointment;
    if (!booked || answer.errors) {
      throw new Error(`bookAppointment through ${gateway.name} failed: ${JSON.stringify(answer)}`);
    }
    bookings.push({
      fields: Object.keys(booked).sort(),
      startAsAsked: booked['start'] === pair.start,
    });
  }
  const sameBookingFields = bookings.every(
    (b) => isDeepStrictEqual(b.fields, bookings[0].fields) && b.startAsAsked,
  );
  progress(
    `answers: availableSlots identical for ${slotAnswers} services (${slots} slots); ` +
      `${cases.length - differing.length}/${cases.length} other cases identical` +
      `${differing.length ? ` (differ: ${differing.join(', ')})` : ''}; booking fields ` +
      `${sameBookingFields ? 'the same' : 'DIFFER'} (${bookings[0].fields.join(', ')})`,
  );
  return {
    available_slots_identical: slotAnswers,
    slots_compared: slots,
    cases_identical: cases.length - differing.length,
    cases: cases.length,
    cases_differing: differing,
    booking_fields_same: sameBookingFields,
  };
}

/** `requests` requests at `concurrency`, the CPU the gateway process used meanwhile. */
async function measure(
  gateway: Gateway,
  workload: Workload,
  requests: number,
  next: (i: number) => { query: string; variables: Record<string, unknown> },
  onAnswer: (i: number, result: GraphQLResult<unknown>) => void,
): Promise<Run> {
  const { concurrency } = WORKLOADS[workload];
  const send = async (count: number, record: boolean, run: Omit<Run, 'cpuMs' | 'seconds'>) => {
    let issued = 0;
    const worker = async () => {
      for (let i = issued++; i < count; i = issued++) {
        const { query, variables } = next(i);
        gateway.sent++;
        const result = await gateway.client.request(query, variables);
        onAnswer(i, result);
        if (!record) continue;
        run.answers++;
        const code = errorCode(result);
        if (code) run.errors[code] = (run.errors[code] ?? 0) + 1;
        else run.latencies.push(result.ms);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  };
  const run = { workload, gateway: gateway.name, answers: 0, latencies: [], errors: {} };
  await send(WARMUP, false, run);
  const cpuBefore = cpuMs(gateway.process.pid() ?? 0);
  const started = performance.now();
  await send(requests, true, run);
  const seconds = (performance.now() - started) / 1000;
  const cpu = cpuMs(gateway.process.pid() ?? 0) - cpuBefore;
  return { ...run, cpuMs: cpu, seconds };
}

interface Summary {
  runs: number;
  answers: number;
  cpu_ms_per_answer: number;
  answers_per_s: number;
  p50_ms: number;
  p95_ms: number;
  errors: Record<string, number>;
  cpu_ms_per_answer_by_run: number[];
}

function summarise(runs: Run[]): Summary {
  const answers = runs.reduce((sum, r) => sum + r.answers, 0);
  const cpu = runs.reduce((sum, r) => sum + r.cpuMs, 0);
  const seconds = runs.reduce((sum, r) => sum + r.seconds, 0);
  const latencies = runs.flatMap((r) => r.latencies);
  const errors: Record<string, number> = {};
  for (const r of runs)
    for (const [code, count] of Object.entries(r.errors))
      errors[code] = (errors[code] ?? 0) + count;
  return {
    runs: runs.length,
    answers,
    cpu_ms_per_answer: round(cpu / answers, 3),
    answers_per_s: round(answers / seconds, 1),
    p50_ms: round(percentile(latencies, 50)),
    p95_ms: round(percentile(latencies, 95)),
    errors,
    cpu_ms_per_answer_by_run: runs.map((r) => round(r.cpuMs / r.answers, 3)),
  };
}

async function bench(system: BenchSystem): Promise<Record<string, unknown>> {
  const { client, stack, today } = system;
  const offices = await demoOffices(client);
  const orebro = officeIn(offices, 'Örebro');
  const from = today;
  const to = plusDays(today, DAYS - 1);

  // ---- The load of bench:availability: Örebro's next 30 days filled to 60 % of capacity. ----
  const scheduling = await inProcessScheduling(system);
  try {
    const { availability } = scheduling;
    await fillOffice(availability, stack.databaseUrl, orebro, from, to, {
      days: DAYS,
      target: TARGET_FRACTION,
    });
  } finally {
    await scheduling.close();
  }

  const gateways = await startGateways(system);
  try {
    let poolRound = 0;
    const poolSizes: number[] = [];
    const readPool = async () => {
      // Through the stack's own gateway, idle while measuring: its CPU is not counted.
      const pool = await freePairs(client, offices, today, POOL_DAYS);
      shuffle(pool.pairs, seededRandom(20270111 + poolRound++));
      poolSizes.push(pool.pairs.length);
      return pool.pairs;
    };
    const shape = await compareAnswers(gateways, orebro, from, to, await readPool());

    const runs: Run[] = [];
    let person = 0;
    const runOnce = async (
      workload: Workload,
      gateway: Gateway,
      requests: number = WORKLOADS[workload].requests,
    ): Promise<Run> => {
      if (workload === 'availability') {
        const services = orebro.services;
        return measure(
          gateway,
          workload,
          requests,
          (i) => ({
            query: SLOTS_QUERY,
            variables: { o: orebro.id, s: services[i % services.length].id, from, to },
          }),
          () => undefined,
        );
      }
      // A fresh pool for each run (each booking also takes time from other services); a
      // refusal that names the next free time that day is taken up, as a booking page would.
      const pool = await readPool();
      let nextPair = 0;
      const suggested: Pair[] = [];
      const pairs: Pair[] = [];
      return measure(
        gateway,
        workload,
        requests,
        (i) => {
          const pair = suggested.pop() ?? pool[nextPair++];
          if (!pair) throw new Error('the pool of free times ran dry');
          pairs[i] = pair;
          return {
            query: BOOK_MUTATION,
            variables: {
              input: {
                officeId: pair.officeId,
                serviceId: pair.serviceId,
                start: pair.start,
                citizen: { personnummer: personnummer(++person), name: 'Bench Person' },
              },
            },
          };
        },
        (i, result) => {
          const nextFree = result.errors?.[0]?.extensions?.['nextFreeStart'];
          if (typeof nextFree === 'string') suggested.push({ ...pairs[i], start: nextFree });
        },
      );
    };

    for (const workload of Object.keys(WORKLOADS) as Workload[]) {
      const { requests, concurrency, firstWarmup } = WORKLOADS[workload];
      progress(
        `${workload}: ${firstWarmup} warm-up requests per gateway, then ${ROUNDS} rounds of one ` +
          `run per gateway, each ${WARMUP} warm-up + ${requests} measured requests at concurrency ${concurrency}`,
      );
      // The JIT compiles each gateway's hot paths over the first few hundred answers.
      for (const gateway of gateways) await runOnce(workload, gateway, firstWarmup);
      for (let round = 0; round < ROUNDS; round++) {
        // A B, B A, A B, …: each gateway as often first as last.
        for (const gateway of round % 2 === 0 ? gateways : [...gateways].reverse()) {
          const run = { ...(await runOnce(workload, gateway)), round };
          runs.push(run);
          progress(
            `  round ${round + 1} ${workload} ${gateway.name}: ${(run.cpuMs / run.answers).toFixed(3)} ms CPU/answer, ` +
              `${(run.answers / run.seconds).toFixed(1)} answers/s, p50 ${percentile(run.latencies, 50).toFixed(1)} ms, ` +
              `errors ${JSON.stringify(run.errors)}`,
          );
        }
      }
    }

    // ---- Figures ----
    const workloads = Object.keys(WORKLOADS) as Workload[];
    const result: Record<string, Record<string, Summary>> = {};
    for (const workload of workloads) {
      result[workload] = {};
      for (const { name } of gateways) {
        result[workload][name] = summarise(
          runs.filter((r) => r.workload === workload && r.gateway === name),
        );
      }
    }
    // Ratios to Apollo: of the totals, and the median (and range) of the rounds' own ratios,
    // each round's two runs having been next to each other in time.
    const ratios: Record<string, Record<string, Record<string, unknown>>> = {};
    const pairs: Array<[GatewayName, GatewayName]> = GATEWAYS.slice(1).map((g) => [g, 'apollo']);
    if (GATEWAYS.includes('apollo-http') && GATEWAYS.includes('hive-http'))
      pairs.push(['hive-http', 'apollo-http']);
    for (const [other, base] of pairs) {
      const key = `${other}/${base}`;
      ratios[key] = {};
      for (const workload of workloads) {
        const a = result[workload][base];
        const h = result[workload][other];
        const perRound = Array.from({ length: ROUNDS }, (_, round) => {
          const perAnswer = (name: GatewayName) => {
            const run = runs.find(
              (r) => r.workload === workload && r.gateway === name && r.round === round,
            );
            return run ? run.cpuMs / run.answers : Number.NaN;
          };
          return perAnswer(other) / perAnswer(base);
        });
        ratios[key][workload] = {
          cpu_ms_per_answer: round(h.cpu_ms_per_answer / a.cpu_ms_per_answer, 3),
          cpu_ms_per_answer_median_of_rounds: round(percentile(perRound, 50), 3),
          cpu_ms_per_answer_rounds_min: round(Math.min(...perRound), 3),
          cpu_ms_per_answer_rounds_max: round(Math.max(...perRound), 3),
          answers_per_s: round(h.answers_per_s / a.answers_per_s, 3),
          p50_ms: round(h.p50_ms / a.p50_ms, 3),
          p95_ms: round(h.p95_ms / a.p95_ms, 3),
        };
      }
    }

    const header = [
      'workload',
      'gateway',
      'answers',
      'ms CPU/answer (each run)',
      'answers/s',
      'p50 ms',
      'p95 ms',
      'errors by code',
    ];
    const rows = workloads.flatMap((workload) =>
      gateways.map(({ name }) => {
        const s = result[workload][name];
        return [
          workload,
          name,
          String(s.answers),
          `${s.cpu_ms_per_answer.toFixed(3)} (${s.cpu_ms_per_answer_by_run.map((v) => v.toFixed(2)).join(' ')})`,
          s.answers_per_s.toFixed(1),
          s.p50_ms.toFixed(1),
          s.p95_ms.toFixed(1),
          Object.keys(s.errors).length ? JSON.stringify(s.errors) : '-',
        ];
      }),
    );
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
    progress('');
    progress(line(header));
    for (const row of rows) progress(line(row));
    for (const [key, byWorkload] of Object.entries(ratios)) {
      for (const [workload, r] of Object.entries(byWorkload)) {
        progress(
          `${workload}: ${key} CPU per answer ${r['cpu_ms_per_answer']} (median of rounds ` +
            `${r['cpu_ms_per_answer_median_of_rounds']}, ${r['cpu_ms_per_answer_rounds_min']}–` +
            `${r['cpu_ms_per_answer_rounds_max']}), answers/s ${r['answers_per_s']}, p50 ${r['p50_ms']}, p95 ${r['p95_ms']}`,
        );
      }
    }

    // Every request got its one log line (after the last lines have come through the pipe).
    await new Promise((resolve) => setTimeout(resolve, 500));
    const memory = Object.fromEntries(
      gateways.map((g) => [g.name, round(rssMb(g.process.pid() ?? 0), 0)]),
    );
    const logLines = Object.fromEntries(
      gateways.map((g) => [g.name, { requests: g.sent, lines: g.lines.requestLines }]),
    );
    progress(
      `request log lines: ${JSON.stringify(logLines)}; RSS MB at the end: ${JSON.stringify(memory)}`,
    );

    return {
      bench: 'gateway',
      ratios: ratios['hive/apollo'] ?? ratios[`${GATEWAYS[1]}/apollo`],
      ...(GATEWAYS.length > 2 ? { ratios_by_gateway: ratios } : {}),
      ...result,
      shape,
      request_log_lines: logLines,
      non_json_lines: Object.fromEntries(gateways.map((g) => [g.name, g.lines.otherLines])),
      rss_mb: memory,
      rounds: ROUNDS,
      workloads: WORKLOADS,
      warmup_per_run: WARMUP,
      booking_pool_units: { first: poolSizes[0], last: poolSizes[poolSizes.length - 1] },
      load_average: loadavg().map((v) => round(v, 2)),
    };
  } finally {
    await Promise.all(gateways.map((g) => g.process.stop()));
  }
}

void runBench('gateway', bench, { deadlineMs: 900_000 });
