import { createHash, randomBytes } from 'node:crypto';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { mintDevelopmentToken } from '@samservice/platform/auth';
import { ticketLetters, ticketNumber } from '@samservice/queue';
import { CALL_NEXT_SQL } from '@samservice/scheduling';
import { GraphQLClient, errorCode } from './lib/graphql';
import { progress } from './lib/output';
import { seededRandom } from './lib/random';
import { Sql } from './lib/sql';
import { percentile, round } from './lib/stats';
import { runBench, type BenchSystem } from './lib/system';

/**
 * bench:frontdesk — `callNext` at 20 counters pressing as fast as they can against one
 * office's queue of 10,000 tickets (each counter ends its citizen and calls the next), and
 * the lobby display's push latency, measured with a real graphql-ws client subscribed at
 * the gateway's /graphql.
 *
 * Baseline in the same run: the claim statement itself (the same SQL callNext runs) from
 * 20 connections straight to PostgreSQL, no HTTP, no GraphQL, no directory facts.
 * Monday 11 January 2027, 10:00 (an open office); the benchmark's own counters and staff.
 */

const NOW = '2027-01-11T10:00:00+01:00';
const COUNTERS = 20;
const QUEUE = 10_000;
const WARMUP_MS = 1_000;
const MEASURE_MS = 8_000;
const GOAL_P95_MS = 20;
const GOAL_PUSH_P95_MS = 1_000;

const CALL_NEXT = `mutation Call($c: ID!) { callNext(counterId: $c) { id number } }`;
const END = `mutation End($t: ID!) { endService(ticketId: $t) { id } }`;
const LOBBY = `subscription Lobby($o: ID!) { lobbyCallMade(officeId: $o) { ticketNumber counterName calledAt } }`;

interface Desk {
  counterId: string;
  counterName: string;
  staffId: string;
  client: GraphQLClient;
  languages: string[];
}

async function setUp(system: BenchSystem) {
  const { client, config } = system;
  const admin = await mintDevelopmentToken({
    dataDir: config.dataDir,
    audience: config.auth.audience,
    principal: { role: 'admin', subject: 'bench-admin' },
  });
  const adminClient = new GraphQLClient(client.url, 60_000, Number.POSITIVE_INFINITY, admin);
  const { offices } = await client.query<{
    offices: Array<{
      id: string;
      municipality: string;
      services: Array<{
        id: string;
        code: string;
        agency: { id: string; code: string; level: string };
      }>;
    }>;
  }>('{ offices { id municipality services { id code agency { id code level } } } }');
  const office = offices.find((o) => o.municipality === 'Örebro');
  if (!office) throw new Error('no Örebro office in the demo network');
  const agencies = [...new Map(office.services.map((s) => [s.agency.id, s.agency])).values()];

  const desks: Desk[] = [];
  for (let i = 1; i <= COUNTERS; i++) {
    const { createCounter } = await adminClient.query<{
      createCounter: { id: string; name: string };
    }>(
      `mutation($o: ID!, $name: String!) { createCounter(officeId: $o, input: { name: $name }) { id name } }`,
      { o: office.id, name: `Bänk ${i}` },
    );
    // Each person is trained for two or three agencies: the claim filters by competence.
    const trained = agencies.filter((_, a) => (a + i) % 3 !== 0);
    const { createStaffMember } = await adminClient.query<{ createStaffMember: { id: string } }>(
      `mutation($input: CreateStaffMemberInput!) { createStaffMember(input: $input) { id } }`,
      {
        input: {
          name: `Bänkhandläggare ${i}`,
          subject: `bench-desk-${i}`,
          languages: ['sv', 'en'],
          offices: [{ officeId: office.id }],
          competences: trained.map((a) => ({ agencyId: a.id })),
        },
      },
    );
    const token = await mintDevelopmentToken({
      dataDir: config.dataDir,
      audience: config.auth.audience,
      principal: {
        role: 'staff',
        subject: `bench-desk-${i}`,
        offices: [office.id],
        adminOffices: [],
        competences: trained.map((a) => a.code),
      },
    });
    desks.push({
      counterId: createCounter.id,
      counterName: createCounter.name,
      staffId: createStaffMember.id,
      client: new GraphQLClient(client.url, 60_000, Number.POSITIVE_INFINITY, token),
      languages: ['sv', 'en'],
    });
  }
  return { office, agencies, desks, services: office.services };
}

/** 10,000 waiting walk-in tickets over the office's services, arrived over the morning. */
async function fillQueue(
  sql: Sql,
  system: BenchSystem,
  office: { id: string },
  agencies: Array<{ id: string; code: string; level: string }>,
  services: Array<{ id: string; agency: { id: string } }>,
): Promise<void> {
  const letters = ticketLetters(agencies);
  const random = seededRandom(20270111);
  const sequences = new Map<string, number>();
  const rows = {
    letter: [] as string[],
    sequence: [] as number[],
    number: [] as string[],
    agency: [] as string[],
    service: [] as string[],
    arrived: [] as string[],
    token: [] as Buffer[],
  };
  for (let i = 0; i < QUEUE; i++) {
    const service = services[Math.floor(random() * services.length)];
    const letter = letters.get(service.agency.id) as string;
    const sequence = (sequences.get(letter) ?? 0) + 1;
    sequences.set(letter, sequence);
    rows.letter.push(letter);
    // The office's own count: the call order's final tie-break (the number is the letter's).
    rows.sequence.push(i + 1);
    rows.number.push(ticketNumber(letter, sequence));
    rows.agency.push(service.agency.id);
    rows.service.push(service.id);
    // Arrived in the hour before now, in order.
    rows.arrived.push(
      new Date(system.now - 3_600_000 + Math.floor((i * 3_600_000) / QUEUE)).toISOString(),
    );
    rows.token.push(createHash('sha256').update(randomBytes(16)).digest());
  }
  await sql.query(
    `INSERT INTO scheduling.ticket
       (office_id, local_date, letter, sequence, number, agency_id, service_id, channel,
        arrived_at, due_at, overdue_at, token_hash)
     SELECT $1, $2::date, l, s, n, a, sv, 'KIOSK', at, at, at + interval '30 minutes', tk
     FROM unnest($3::text[], $4::int[], $5::text[], $6::uuid[], $7::uuid[], $8::timestamptz[], $9::bytea[])
          AS r(l, s, n, a, sv, at, tk)`,
    [
      office.id,
      system.today,
      rows.letter,
      rows.sequence,
      rows.number,
      rows.agency,
      rows.service,
      rows.arrived,
      rows.token,
    ],
  );
  await sql.query('ANALYZE scheduling.ticket');
}

interface Measured {
  calls: number;
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
  empty: number;
  errors: Record<string, number>;
}

function summary(
  latencies: number[],
  empty: number,
  errors: Record<string, number>,
  ms: number,
): Measured {
  return {
    calls: latencies.length,
    perSecond: round(latencies.length / (ms / 1000), 1),
    p50: round(percentile(latencies, 50)),
    p95: round(percentile(latencies, 95)),
    p99: round(percentile(latencies, 99)),
    empty,
    errors,
  };
}

/** The claim statement alone, from 20 connections: the floor under callNext. */
async function baseline(
  system: BenchSystem,
  office: { id: string },
  desks: Desk[],
  services: Array<{ id: string; agency: { id: string } }>,
  competences: Map<string, string[]>,
): Promise<Measured> {
  const sql = new Sql(system.stack.databaseUrl, COUNTERS);
  const latencies: number[] = [];
  let empty = 0;
  const errors: Record<string, number> = {};
  const stopAt = performance.now() + WARMUP_MS + MEASURE_MS;
  const measureFrom = performance.now() + WARMUP_MS;
  await Promise.all(
    desks.map(async (desk) => {
      const serviceIds = services
        .filter((s) => competences.get(desk.staffId)?.includes(s.agency.id))
        .map((s) => s.id);
      while (performance.now() < stopAt) {
        const started = performance.now();
        try {
          const rows = await sql.query<{ id: string }>(CALL_NEXT_SQL, [
            office.id,
            new Date(system.now),
            serviceIds,
            ['EXTRA_TIME'],
            desk.languages,
            desk.staffId,
            desk.counterId,
            desk.counterName,
            null,
            system.today,
          ]);
          if (started >= measureFrom) latencies.push(performance.now() - started);
          if (rows.length === 0) empty++;
          else
            await sql.query(`UPDATE scheduling.ticket SET status = 'COMPLETED' WHERE id = $1`, [
              rows[0].id,
            ]);
        } catch (error) {
          const code = (error as { code?: string }).code ?? 'ERROR';
          errors[code] = (errors[code] ?? 0) + 1;
        }
      }
    }),
  );
  await sql.end();
  return summary(latencies, empty, errors, MEASURE_MS);
}

async function throughGateway(
  desks: Desk[],
  onCall: (number: string, sentAt: number) => void,
): Promise<Measured> {
  const latencies: number[] = [];
  let empty = 0;
  const errors: Record<string, number> = {};
  const stopAt = performance.now() + WARMUP_MS + MEASURE_MS;
  const measureFrom = performance.now() + WARMUP_MS;
  await Promise.all(
    desks.map(async (desk) => {
      while (performance.now() < stopAt) {
        const started = performance.now();
        const called = await desk.client.request<{
          callNext: { id: string; number: string } | null;
        }>(CALL_NEXT, { c: desk.counterId });
        const code = errorCode(called);
        if (code) {
          errors[code] = (errors[code] ?? 0) + 1;
          continue;
        }
        if (started >= measureFrom) latencies.push(called.ms);
        const ticket = called.data?.callNext;
        if (!ticket) {
          empty++;
          continue;
        }
        onCall(ticket.number, started);
        const ended = await desk.client.request(END, { t: ticket.id });
        const endCode = errorCode(ended);
        if (endCode) errors[`end:${endCode}`] = (errors[`end:${endCode}`] ?? 0) + 1;
      }
    }),
  );
  return summary(latencies, empty, errors, MEASURE_MS);
}

async function bench(system: BenchSystem): Promise<Record<string, unknown>> {
  const { office, agencies, desks, services } = await setUp(system);
  const sql = new Sql(system.stack.databaseUrl);
  const competences = new Map<string, string[]>(
    (
      await sql.query<{ staff_id: string; agency_ids: string[] }>(
        `SELECT staff_id, agency_ids FROM directory.published_staff WHERE staff_id = ANY($1::uuid[])`,
        [desks.map((d) => d.staffId)],
      )
    ).map((r) => [r.staff_id, r.agency_ids]),
  );

  progress(`filling Örebro's queue with ${QUEUE} tickets`);
  await fillQueue(sql, system, office, agencies, services);
  const refill = async () => {
    await sql.query(`DELETE FROM scheduling.ticket_event`);
    await sql.query(`DELETE FROM scheduling.ticket`);
    await fillQueue(sql, system, office, agencies, services);
  };
  const floor = await baseline(system, office, desks, services, competences);
  progress(`claim statement alone (20 connections): ${floor.perSecond}/s, p95 ${floor.p95} ms`);
  // The same with one counter: the statement's own time, without 20 callers sharing 2 cores.
  await refill();
  const floorAlone = await baseline(system, office, desks.slice(0, 1), services, competences);
  progress(
    `claim statement alone (1 connection): ${floorAlone.perSecond}/s, p95 ${floorAlone.p95} ms`,
  );

  // The queue again, full, for the runs through the gateway.
  await refill();

  // A lobby display on the gateway's graphql-ws endpoint.
  const wsUrl = system.stack.graphqlUrl.replace(/^http/, 'ws');
  const display: Client = createClient({
    url: wsUrl,
    webSocketImpl: WebSocket,
    lazy: false,
    retryAttempts: 0,
  });
  // Matched by ticket number afterwards: a push may arrive before the caller's answer.
  const sent = new Map<string, number>();
  const pushedAt = new Map<string, number>();
  let received = 0;
  const subscribed = new Promise<void>((resolve, reject) => {
    let ready = false;
    display.subscribe<{ lobbyCallMade: { ticketNumber: string } }>(
      { query: LOBBY, variables: { o: office.id } },
      {
        next: (message) => {
          received++;
          const number = message.data?.lobbyCallMade.ticketNumber;
          if (number && !pushedAt.has(number)) pushedAt.set(number, performance.now());
        },
        error: (error) =>
          ready
            ? undefined
            : reject(error instanceof Error ? error : new Error(JSON.stringify(error))),
        complete: () => undefined,
      },
    );
    // graphql-ws has no "subscribed" acknowledgement: half a second for the subscription to
    // reach the scheduling subgraph (calls of the warm-up second are not counted anyway).
    setTimeout(() => {
      ready = true;
      resolve();
    }, 500);
  });
  await subscribed;

  const gateway = await throughGateway(desks, (number, at) => sent.set(number, at));
  // One counter on what is left of the queue (thousands): the path's own time. Its calls are
  // not matched with pushes (the display figures are those of the 20 counters).
  const oneCounter = await throughGateway(desks.slice(0, 1), () => undefined);
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  await display.dispose();
  const pushes = [...sent]
    .filter(([number]) => pushedAt.has(number))
    .map(([number, at]) => (pushedAt.get(number) as number) - at);
  progress(
    `callNext through the gateway (20 counters): ${gateway.perSecond}/s, p95 ${gateway.p95} ms`,
  );

  const [{ duplicates }] = await sql.query<{ duplicates: number }>(
    `SELECT count(*)::int AS duplicates FROM (
       SELECT ticket_id FROM scheduling.ticket_event WHERE kind = 'CALLED' GROUP BY ticket_id HAVING count(*) > 1) d`,
  );
  await sql.end();
  const pushP95 = round(percentile(pushes, 95));
  return {
    benchmark: 'frontdesk',
    now: NOW,
    counters: COUNTERS,
    queue: QUEUE,
    measureSeconds: MEASURE_MS / 1000,
    callNext: gateway,
    claimStatementAlone: floor,
    oneCounter: { callNext: oneCounter, claimStatementAlone: floorAlone },
    ratio: {
      throughputVsStatement: round(gateway.perSecond / floor.perSecond, 3),
      p95VsStatement: round(gateway.p95 / floor.p95, 2),
    },
    push: {
      calls: sent.size,
      received,
      matched: pushes.length,
      p50: round(percentile(pushes, 50)),
      p95: pushP95,
      p99: round(percentile(pushes, 99)),
      max: round(Math.max(...pushes)),
    },
    calledTwice: duplicates,
    goals: {
      callNextP95Ms: GOAL_P95_MS,
      callNextMet: gateway.p95 <= GOAL_P95_MS,
      pushP95Ms: GOAL_PUSH_P95_MS,
      pushMet: pushP95 <= GOAL_PUSH_P95_MS,
    },
  };
}

void runBench('bench:frontdesk', bench, { fixedNow: NOW });
