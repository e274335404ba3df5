import { freePort } from '@samservice/platform/database';
import { processLogger, startSubgraphProcess, type SubgraphProcess } from '@samservice/stack';
import {
  errorCodes,
  eventually,
  postGraphQL,
  startTestStack,
  syntheticPersonnummer,
  type GraphQLResponse,
  type TestStack,
} from '@samservice/testing';

/** "Now" for this suite: Monday 1 March 2027, 08:00 in Stockholm. */
const NOW = '2027-03-01T08:00:00+01:00';
const ME = '{ me { role subject offices competences agency } }';
const SLOTS = `query($o: ID!, $s: ID!, $from: Date!, $to: Date!) {
  availableSlots(officeId: $o, serviceId: $s, from: $from, to: $to) { start end capacity } }`;
const BOOK = `mutation($input: BookAppointmentInput!) {
  bookAppointment(input: $input) { id reference status start end office { id name } service { id name } } }`;
const OFFICES = '{ offices { id name municipality services { code name agency { code name } } } }';

interface Office {
  id: string;
  municipality: string;
  services: Array<{ id: string; code: string }>;
}

/**
 * The Hive gateway (apps/gateway/src/hive.ts, libs/gateway/src/lib/hive) as its own process
 * in front of the real subgraphs, next to today's Apollo gateway of the same stack: same
 * answers, the caller's identity signed and forwarded (the subgraphs refuse any request
 * without it), the request id, one log line per request, errors with their codes.
 */
describe('the Hive gateway, end to end over HTTP', () => {
  let stack: TestStack;
  let hive: SubgraphProcess;
  let hiveUrl: string;
  const lines: Array<{ service: string; line: string }> = [];
  let orebro: Office;

  const viaHive = <T = Record<string, unknown>>(
    query: string,
    variables: Record<string, unknown> = {},
    options: Parameters<typeof postGraphQL>[3] = {},
  ): Promise<GraphQLResponse<T>> => postGraphQL<T>(hiveUrl, query, variables, options);

  /** Status and body, which must be the same through either gateway. */
  const answer = (response: GraphQLResponse<unknown>) => ({
    status: response.status,
    data: response.data,
    errors: response.errors,
  });

  beforeAll(async () => {
    // Every service's lines (at info: one per request), to follow the request id.
    stack = await startTestStack(
      { FIXED_NOW: NOW, LOG_LEVEL: 'info' },
      { gatewayProcess: true, output: (service, line) => lines.push({ service, line }) },
    );
    hive = await startSubgraphProcess(
      'gateway',
      {
        ...stack.config,
        port: 0,
        log: { level: 'info', pretty: false },
        subgraphUrls: stack.subgraphs,
      },
      processLogger(stack.config, 'test'),
      (_service, line) => lines.push({ service: 'hive', line }),
      { script: 'apps/gateway/src/hive.ts' },
    );
    hiveUrl = `${hive.url}/graphql`;
    const offices = await stack.query<{ offices: Office[] }>(
      '{ offices { id municipality services { id code } } }',
    );
    orebro = offices.data?.offices.find((o) => o.municipality === 'Örebro') as Office;
  }, 120_000);

  afterAll(async () => {
    await hive?.stop();
    await stack?.stop();
  });

  it('answers a query of one subgraph and one over both exactly as the Apollo gateway does', async () => {
    for (const query of ['{ agencies { code name level } }', OFFICES]) {
      const [apollo, viaHiveGateway] = await Promise.all([stack.query(query), viaHive(query)]);
      expect(viaHiveGateway.errors).toBeUndefined();
      expect(answer(viaHiveGateway)).toEqual(answer(apollo));
    }
  });

  it('forwards the caller signed: a subgraph answers it, and refuses the same request sent directly', async () => {
    const token = await stack.tokenFor({
      role: 'staff',
      subject: 'staff-hive',
      offices: ['office-a'],
      adminOffices: [],
      competences: ['FK'],
    });
    const staff = await viaHive<{ me: Record<string, unknown> }>(ME, {}, { token });
    expect(staff.errors).toBeUndefined();
    expect(staff.data?.me).toEqual({
      role: 'STAFF',
      subject: 'staff-hive',
      offices: ['office-a'],
      competences: ['FK'],
      agency: null,
    });
    const anonymous = await viaHive<{ me: { role: string } }>(ME);
    expect(anonymous.data?.me.role).toBe('ANONYMOUS');

    const direct = await postGraphQL(stack.subgraphs.scheduling, ME, {}, { token });
    expect(direct.status).toBe(401);
    expect(errorCodes(direct)).toEqual(['UNAUTHENTICATED']);
  });

  it('refuses a bad bearer token with 401 and UNAUTHENTICATED, as the Apollo gateway does', async () => {
    for (const authorization of ['Basic dXNlcjpwYXNz', 'Bearer not-a-token', 'Bearer a.b.c']) {
      const headers = { authorization };
      const [apollo, viaHiveGateway] = await Promise.all([
        postGraphQL(stack.graphqlUrl, ME, {}, { headers }),
        viaHive(ME, {}, { headers }),
      ]);
      expect(viaHiveGateway.status).toBe(401);
      expect(errorCodes(viaHiveGateway)).toEqual(['UNAUTHENTICATED']);
      expect(viaHiveGateway.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
      expect(answer(viaHiveGateway)).toEqual(answer(apollo));
    }
    const expired = await stack.tokenFor({ role: 'admin', subject: 'admin-1' }, -120);
    const response = await viaHive(ME, {}, { token: expired });
    expect(response.status).toBe(401);
    expect(response.errors?.[0]?.message).toMatch(/expired/);
  });

  it('books, and shapes refusals and bad requests as the Apollo gateway does, with no stack trace', async () => {
    const service = orebro.services[0];
    const slots = await viaHive<{ availableSlots: Array<{ start: string }> }>(SLOTS, {
      o: orebro.id,
      s: service.id,
      from: '2027-03-02',
      to: '2027-03-05',
    });
    const [first, second] = slots.data?.availableSlots ?? [];
    expect(second).toBeDefined();
    const input = (start: string, n: number) => ({
      input: {
        officeId: orebro.id,
        serviceId: service.id,
        start,
        citizen: { personnummer: syntheticPersonnummer(n, 1975), name: 'Hive Test' },
      },
    });
    const [apolloBooked, hiveBooked] = await Promise.all([
      stack.query<{ bookAppointment: Record<string, unknown> }>(BOOK, input(first.start, 1)),
      viaHive<{ bookAppointment: Record<string, unknown> }>(BOOK, input(second.start, 2)),
    ]);
    expect(hiveBooked.errors).toBeUndefined();
    expect(hiveBooked.data?.bookAppointment).toMatchObject({
      status: 'BOOKED',
      start: second.start,
    });
    expect(Object.keys(hiveBooked.data?.bookAppointment ?? {})).toEqual(
      Object.keys(apolloBooked.data?.bookAppointment ?? {}),
    );

    const unknown = '00000000-0000-4000-8000-000000000000';
    const cases: Array<[string, Record<string, unknown>, string]> = [
      [BOOK, input('2027-03-02T09:07:00+01:00', 3), 'SLOT_UNAVAILABLE'],
      [SLOTS, { o: unknown, s: service.id, from: '2027-03-02', to: '2027-03-05' }, 'NOT_FOUND'],
      [
        SLOTS,
        { o: orebro.id, s: service.id, from: '2027-13-01', to: '2027-03-05' },
        'BAD_USER_INPUT',
      ],
      [SLOTS, { o: orebro.id }, 'BAD_USER_INPUT'],
      ['{ agencies { nonsense } }', {}, 'GRAPHQL_VALIDATION_FAILED'],
      ['{ agencies { code ', {}, 'GRAPHQL_PARSE_FAILED'],
    ];
    for (const [query, variables, code] of cases) {
      const [apollo, viaHiveGateway] = await Promise.all([
        stack.query(query, variables),
        viaHive(query, variables),
      ]);
      expect(new Set(errorCodes(viaHiveGateway))).toEqual(new Set([code]));
      expect(answer(viaHiveGateway)).toEqual(answer(apollo));
      expect(JSON.stringify(viaHiveGateway)).not.toMatch(/stacktrace|at \w+ \(|\.ts:\d+/);
    }
  });

  it('carries the request id to the client and the subgraphs, and logs one JSON line per request', async () => {
    const response = await viaHive(
      '{ agencies { code } }',
      {},
      { headers: { 'x-request-id': 'support-case-hive-1' } },
    );
    expect(response.headers.get('x-request-id')).toBe('support-case-hive-1');
    const made = await viaHive('{ agencies { code } }', {}, { headers: { 'x-request-id': 'x' } });
    const madeId = made.headers.get('x-request-id') as string;
    expect(madeId).toMatch(/^[0-9a-f-]{36}$/);
    const requestLines = (of: string, requestId: string) =>
      lines
        .filter(({ service, line }) => service === of && line.includes('request completed'))
        .map(({ line }) => JSON.parse(line) as Record<string, unknown>)
        .filter((line) => line['requestId'] === requestId);
    const all = () =>
      ['hive', 'directory'].flatMap((of) =>
        ['support-case-hive-1', madeId].map((id) => requestLines(of, id).length),
      );
    await eventually(
      async () => all(),
      (counts) => counts.every((n) => n > 0),
      50,
    );
    // One line per request in the gateway, and the subgraph that answered got the same id.
    expect(all()).toEqual([1, 1, 1, 1]);
    expect(requestLines('hive', 'support-case-hive-1')[0]).toMatchObject({
      service: 'gateway',
      req: { method: 'POST', url: '/graphql' },
      res: { statusCode: 200 },
    });
  });

  it('reports liveness and readiness as the Apollo gateway does', async () => {
    const health = await fetch(`${hive.url}/health`);
    expect(health.status).toBe(200);
    const ready = await fetch(`${hive.url}/ready`);
    expect(ready.status).toBe(200);
    const apolloReady = await fetch(`${stack.gatewayUrl}/ready`);
    expect(await ready.json()).toEqual(await apolloReady.json());
  });

  describe('with a subgraph that is not running', () => {
    let degraded: SubgraphProcess;
    const degradedLines: string[] = [];

    beforeAll(async () => {
      const closed = `http://127.0.0.1:${await freePort()}/graphql`;
      degraded = await startSubgraphProcess(
        'gateway',
        {
          ...stack.config,
          port: 0,
          log: { level: 'warn', pretty: false },
          subgraphUrls: { directory: stack.subgraphs.directory, scheduling: closed },
        },
        processLogger(stack.config, 'test'),
        (_service, line) => degradedLines.push(line),
        { script: 'apps/gateway/src/hive.ts' },
      );
    }, 60_000);

    afterAll(async () => {
      await degraded?.stop();
    });

    it('starts anyway, says which one in one line and in /ready, and answers SERVICE_UNAVAILABLE', async () => {
      const warned = (lines: string[]) =>
        lines.some((line) => {
          try {
            const msg = (JSON.parse(line) as { msg?: string }).msg ?? '';
            return msg.startsWith('subgraph "scheduling" is not reachable');
          } catch {
            return false;
          }
        });
      // The line is written before the process reports that it listens; the pipe may lag.
      expect(warned(await eventually(async () => degradedLines, warned, 50))).toBe(true);
      const ready = await fetch(`${degraded.url}/ready`);
      expect(ready.status).toBe(503);
      const body = (await ready.json()) as {
        error: Record<string, { status: string; reason: string }>;
      };
      expect(body.error['scheduling']).toMatchObject({ status: 'down', reason: 'ECONNREFUSED' });

      const agencies = await postGraphQL(`${degraded.url}/graphql`, '{ agencies { code } }');
      expect(agencies.errors).toBeUndefined();
      const response = await postGraphQL(`${degraded.url}/graphql`, ME);
      expect(errorCodes(response)).toEqual(['SERVICE_UNAVAILABLE']);
      expect(response.errors?.[0]?.message).toMatch(/try again/);
      expect(JSON.stringify(response)).not.toMatch(/ECONNREFUSED|stacktrace|\.ts:\d+/);
    });
  });
});
