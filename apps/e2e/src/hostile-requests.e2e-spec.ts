import { SignJWT, generateKeyPair, exportJWK } from 'jose';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  ANONYMOUS,
  CITIZEN_SESSION_ISSUER,
  CLAIMS,
  IDENTITY_HEADER,
  SESSION_COOKIE,
  InternalIdentitySigner,
  KEY_ALGORITHM,
  publicJwkOf,
} from '@samservice/platform/auth';
import { REQUEST_LIMITS } from '@samservice/platform/http';
import { startTestStack, type TestStack } from '@samservice/testing';

/**
 * Requests meant to take the service down (OWASP API4, issue 10): each is refused cheaply,
 * with a documented code and a small answer, and every service is still ready afterwards.
 * No wall-clock thresholds: the answers' sizes, the codes, and the subgraphs' peak memory.
 */

/** "Now" for this suite: Monday 1 March 2027, 08:00 in Stockholm. */
const NOW = '2027-03-01T08:00:00+01:00';
const KB = 1024;
const MB = 1024 * KB;

interface Answer {
  status: number;
  bytes: number;
  text: string;
  body: {
    data?: Record<string, unknown> | null;
    errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
  };
}

/** A POST exactly as given (a string is sent as it is), with its answer's size. */
async function post(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: Answer['body'] = {};
  try {
    parsed = JSON.parse(text) as Answer['body'];
  } catch {
    // asserted on by the tests
  }
  return { status: response.status, bytes: Buffer.byteLength(text), text, body: parsed };
}

const codes = (answer: Answer) => (answer.body.errors ?? []).map((e) => e.extensions?.['code']);
const limits = (answer: Answer) => (answer.body.errors ?? []).map((e) => e.extensions?.['limit']);

/** A refusal: the code(s) expected, a small GraphQL-shaped answer, no trace of the inside. */
function expectRefused(answer: Answer, status: number, code: string): void {
  expect({ status: answer.status, codes: [...new Set(codes(answer))] }).toEqual({
    status,
    codes: [code],
  });
  expect(answer.bytes).toBeLessThan(2 * KB);
  expect(answer.text).not.toMatch(/stacktrace|\bat [\w.<>]+ \(|\.ts:\d+|node_modules/);
}

/** `offices { services { agency { services … { code } } } }`, `depth` fields deep. */
function nestedOffices(depth: number): string {
  let selection = 'code';
  for (let level = depth - 1; level > 1; level--) {
    selection = `${level % 2 === 0 ? 'services' : 'agency'} { ${selection} }`;
  }
  return `{ offices { ${selection} } }`;
}

/** The peak and current resident memory (bytes) of a process, from /proc. */
function memoryOf(pid: number): { peak: number; now: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1]) * KB;
  return { peak: kb('VmHWM'), now: kb('VmRSS') };
}

/** The pid of a service of the stack whose data directory is `dataDir`. */
function pidOf(service: string, dataDir: string): number {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (
        cmdline.includes(`apps/${service}/src/main.ts`) &&
        cmdline.includes(`--data-dir=${dataDir}`)
      ) {
        return Number(entry);
      }
    } catch {
      // a process that has just ended
    }
  }
  throw new Error(`no ${service} process for ${dataDir}`);
}

describe('hostile requests, through the gateway', () => {
  let stack: TestStack;
  let dataDir: string;
  let officeId: string;
  let serviceId: string;
  let signer: InternalIdentitySigner;
  const lines: Array<{ service: string; line: string }> = [];
  const before: Record<string, { peak: number; now: number }> = {};

  const gateway = (body: unknown, headers?: Record<string, string>) =>
    post(stack.graphqlUrl, body, headers);
  const slotsQuery = (aliases: number) =>
    `query($o: ID!, $s: ID!, $f: Date!, $t: Date!) { ${Array.from(
      { length: aliases },
      (_, i) => `a${i}: availableSlots(officeId: $o, serviceId: $s, from: $f, to: $t) { ...S }`,
    ).join(' ')} } fragment S on Slot { start end capacity }`;

  beforeAll(async () => {
    // A data directory of its own: the services' command lines name it, so their pids are found.
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'samservice-hostile-'));
    stack = await startTestStack(
      { FIXED_NOW: NOW, DATA_DIR: dataDir, LOG_FORMAT: 'json', LOG_LEVEL: 'info' },
      { gatewayProcess: true, output: (service, line) => lines.push({ service, line }) },
    );
    signer = await InternalIdentitySigner.create({ isProduction: false, dataDir });
    const offices = await gateway({
      query: '{ offices { id name services { id code bookingHorizonDays } } }',
    });
    const list = offices.body.data?.['offices'] as Array<{
      id: string;
      name: string;
      services: Array<{ id: string; code: string; bookingHorizonDays: number }>;
    }>;
    const orebro = list.find((o) => o.name.includes('Örebro')) ?? list[0];
    officeId = orebro.id;
    serviceId = (orebro.services.find((s) => s.bookingHorizonDays >= 90) ?? orebro.services[0]).id;
    for (const service of ['directory', 'scheduling', 'gateway']) {
      before[service] = memoryOf(pidOf(service, dataDir));
    }
  });

  afterAll(async () => {
    await stack?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  describe('the shape of the query', () => {
    it('refuses 25 levels of offices { services { agency { services … } } } by its depth', async () => {
      const answer = await gateway({ query: nestedOffices(25) });
      expectRefused(answer, 400, 'GRAPHQL_VALIDATION_FAILED');
      const depth = answer.body.errors?.find((e) => e.extensions?.['limit'] === 'maxDepth');
      expect(depth?.message).toBe('Query depth limit of 7 exceeded, found 25.');
    });

    it('lets the deepest legitimate nesting through', async () => {
      const answer = await gateway({ query: nestedOffices(REQUEST_LIMITS.maxDepth) });
      expect(answer.status).toBe(200);
      expect(answer.body.errors).toBeUndefined();
      expect(answer.bytes).toBeLessThan(256 * KB);
    });

    it('refuses the same depth reached through a chain of fragments', async () => {
      const fragments = Array.from({ length: 12 }, (_, i) =>
        i % 2 === 0
          ? `fragment F${i} on Service { agency { ...F${i + 1} } }`
          : `fragment F${i} on Agency { services { ${i === 11 ? 'code' : `...F${i + 1}`} } }`,
      ).join(' ');
      const answer = await gateway({ query: `{ offices { services { ...F0 } } } ${fragments}` });
      expectRefused(answer, 400, 'GRAPHQL_VALIDATION_FAILED');
      expect(limits(answer)).toContain('maxDepth');
    });

    it('refuses fragments that spread each other in a cycle', async () => {
      const answer = await gateway({
        query:
          '{ ...A } fragment A on Query { agencies { code } ...B } fragment B on Query { ...A }',
      });
      expectRefused(answer, 400, 'GRAPHQL_VALIDATION_FAILED');
      expect(answer.body.errors?.[0]?.message).toMatch(/Cannot spread fragment/);
    });

    it('refuses fragments that double at each level (a few hundred bytes, 2^20 fields) by cost', async () => {
      const fragments = Array.from(
        { length: 20 },
        (_, i) => `fragment F${i + 1} on Agency { ...F${i} n${i}: name ...F${i} }`,
      ).join(' ');
      const answer = await gateway({
        query: `{ agencies { ...F20 } } fragment F0 on Agency { code } ${fragments}`,
      });
      expectRefused(answer, 400, 'GRAPHQL_VALIDATION_FAILED');
      expect(limits(answer)).toContain('costLimit');
    });

    it('refuses more than 10 aliases', async () => {
      const answer = await gateway({
        query: `{ ${Array.from({ length: 11 }, (_, i) => `a${i}: agencies { code }`).join(' ')} }`,
      });
      expectRefused(answer, 400, 'GRAPHQL_VALIDATION_FAILED');
      expect(limits(answer)).toEqual(['maxAliases']);
    });

    it('refuses many directives', async () => {
      const answer = await gateway({
        query: `{ agencies { ${Array.from({ length: 30 }, (_, i) => `c${i}: code @include(if: true)`).join(' ')} } }`,
      });
      expectRefused(answer, 400, 'GRAPHQL_VALIDATION_FAILED');
      expect(limits(answer)).toContain('maxDirectives');
    });

    it('stops parsing a query of a huge token count (40 kB, 20,000 tokens)', async () => {
      const answer = await gateway({ query: `{ agencies { ${'code '.repeat(8_000)} } }` });
      expectRefused(answer, 400, 'GRAPHQL_PARSE_FAILED');
      expect(answer.body.errors?.[0]?.message).toMatch(/more that 1000 tokens/);
    });

    it('still answers a plain syntax error 400, not 500', async () => {
      expectRefused(await gateway({ query: '{ agencies { code ' }), 400, 'GRAPHQL_PARSE_FAILED');
    });

    it('refuses a batch (an array of operations)', async () => {
      const answer = await gateway([
        { query: '{ agencies { code } }' },
        { query: '{ offices { id } }' },
      ]);
      expectRefused(answer, 400, 'BAD_REQUEST');
    });
  });

  describe('the work the arguments ask for', () => {
    it('refuses 200 aliases of a 60-day availableSlots before running any', async () => {
      const answer = await gateway({
        query: slotsQuery(200),
        variables: { o: officeId, s: serviceId, f: '2027-03-01', t: '2027-04-29' },
      });
      // 200 aliases are over 1000 tokens: the parser stops before the alias limit is reached.
      expectRefused(answer, 400, 'GRAPHQL_PARSE_FAILED');
    });

    it('refuses a request over the engine-day budget: 7 aliases of 62 days', async () => {
      const answer = await gateway({
        query: slotsQuery(7),
        variables: { o: officeId, s: serviceId, f: '2027-03-01', t: '2027-05-01' },
      });
      expectRefused(answer, 400, 'BAD_USER_INPUT');
      expect(answer.body.errors?.[0]?.extensions).toEqual({
        code: 'BAD_USER_INPUT',
        limit: 'engineDays',
        max: REQUEST_LIMITS.maxEngineDays,
        found: 7 * 62,
      });
    });

    it('refuses a joint search over the budget: 5 services × 62 days, twice', async () => {
      const ids = ['a', 'b', 'c', 'd', 'e'].map(
        (_, i) => `00000000-0000-4000-8000-00000000000${i}`,
      );
      const field = (alias: string) =>
        `${alias}: jointVisitOptions(serviceIds: $s, from: "2027-03-01", to: "2027-05-01") { start }`;
      const answer = await gateway({
        query: `query($s: [ID!]!) { ${field('a')} ${field('b')} }`,
        variables: { s: ids },
      });
      expectRefused(answer, 400, 'BAD_USER_INPUT');
      expect(answer.body.errors?.[0]?.extensions).toMatchObject({ found: 2 * 5 * 62 });
    });

    it('answers six 62-day availableSlots (within the budget) in well under a megabyte', async () => {
      const answer = await gateway({
        query: slotsQuery(6),
        variables: { o: officeId, s: serviceId, f: '2027-03-01', t: '2027-05-01' },
      });
      expect(answer.status).toBe(200);
      expect(answer.body.errors).toBeUndefined();
      expect((answer.body.data?.['a0'] as unknown[]).length).toBeGreaterThan(0);
      expect(answer.bytes).toBeLessThan(1 * MB);
    });

    it.each([
      ['as literals', '"9999-12-30"', '"9999-12-31"', {}],
      ['as variables', '$f', '$t', { f: '9999-12-30', t: '9999-12-31' }],
      ['before 1900', '"1066-10-14"', '"1066-10-14"', {}],
    ])('refuses dates out of range %s as BAD_USER_INPUT', async (_label, from, to, dates) => {
      const declared = from === '$f' ? ', $f: Date!, $t: Date!' : '';
      const answer = await gateway({
        query: `query($o: ID!, $s: ID!${declared}) { availableSlots(officeId: $o, serviceId: $s, from: ${from}, to: ${to}) { start } }`,
        variables: { o: officeId, s: serviceId, ...dates },
      });
      expect(codes(answer)).toEqual(['BAD_USER_INPUT']);
      expect(answer.body.errors?.[0]?.message).toMatch(/outside the days Samservice handles/);
      expect(answer.bytes).toBeLessThan(2 * KB);
    });

    it('answers a range past the horizon with no slots, without computing it', async () => {
      const answer = await gateway({
        query: `{ availableSlots(officeId: "${officeId}", serviceId: "${serviceId}", from: "2150-01-01", to: "2150-03-03") { start } }`,
      });
      expect(answer.body).toEqual({ data: { availableSlots: [] } });
    });
  });

  describe('the size of the request', () => {
    const book = (citizen: Record<string, unknown>, needs?: string[]) => ({
      query: 'mutation($i: BookAppointmentInput!) { bookAppointment(input: $i) { reference } }',
      variables: {
        i: {
          officeId,
          serviceId,
          start: '2027-03-02T10:00:00+01:00',
          citizen: { personnummer: '19121212-1212', ...citizen },
          ...(needs ? { needs } : {}),
        },
      },
    });

    it('answers a 200 kB query text 413 PAYLOAD_TOO_LARGE, GraphQL-shaped', async () => {
      const answer = await gateway({ query: `{ agencies { code } }${' '.repeat(200 * KB)}` });
      expectRefused(answer, 413, 'PAYLOAD_TOO_LARGE');
      expect(answer.body.errors?.[0]?.extensions).toEqual({
        code: 'PAYLOAD_TOO_LARGE',
        limit: 'requestBytes',
        max: 64 * KB,
      });
    });

    it('answers a 200 kB name 413, and a name over 200 characters BAD_USER_INPUT', async () => {
      expectRefused(await gateway(book({ name: 'x'.repeat(200 * KB) })), 413, 'PAYLOAD_TOO_LARGE');
      const long = await gateway(book({ name: 'x'.repeat(201) }));
      expectRefused(long, 200, 'BAD_USER_INPUT');
      expect(long.body.errors?.[0]?.extensions).toMatchObject({ field: 'citizen.name' });
    });

    it('answers 10,000 needs 413, and more than 10 BAD_USER_INPUT', async () => {
      const many = Array.from({ length: 10_000 }, () => 'HEARING_LOOP');
      expectRefused(await gateway(book({ name: 'Tolvan' }, many)), 413, 'PAYLOAD_TOO_LARGE');
      const eleven = await gateway(book({ name: 'Tolvan' }, many.slice(0, 11)));
      expectRefused(eleven, 200, 'BAD_USER_INPUT');
      expect(eleven.body.errors?.[0]?.message).toMatch(/needs: at most 10/);
      const slots = await gateway({
        query:
          'query($o: ID!, $s: ID!, $n: [VisitNeed!]) { availableSlots(officeId: $o, serviceId: $s, from: "2027-03-02", to: "2027-03-02", needs: $n) { start } }',
        variables: { o: officeId, s: serviceId, n: many.slice(0, 1_000) },
      });
      expectRefused(slots, 200, 'BAD_USER_INPUT');
    });

    it('answers a body that is not JSON 400 BAD_REQUEST, GraphQL-shaped', async () => {
      expectRefused(await gateway('{"query": "{ agencies { code } }"'), 400, 'BAD_REQUEST');
    });
  });

  describe('a subgraph, behind the gateway', () => {
    const direct = async (service: 'directory' | 'scheduling', body: unknown) =>
      post(stack.subgraphs[service], body, {
        [IDENTITY_HEADER]: await signer.sign(ANONYMOUS, 'hostile-test'),
      });

    it('has a depth limit of its own', async () => {
      const answer = await direct('directory', { query: nestedOffices(25) });
      expectRefused(answer, 400, 'GRAPHQL_VALIDATION_FAILED');
      expect(answer.body.errors?.[0]?.message).toMatch(/depth limit of 8 exceeded/);
    });

    it('still answers the gateway its entities and the supergraph script its SDL', async () => {
      const sdl = await direct('directory', { query: '{ _service { sdl } }' });
      expect(String((sdl.body.data?.['_service'] as { sdl: string }).sdl)).toMatch(/type Office/);
      const entities = await direct('directory', {
        query:
          'query($r: [_Any!]!) { _entities(representations: $r) { ... on Office { services { agency { services { agency { code } } } } } } }',
        variables: { r: [{ __typename: 'Office', id: officeId }] },
      });
      expect(entities.body.errors).toBeUndefined();
    });

    it('answers a body over its limit 413', async () => {
      const answer = await direct('scheduling', {
        query: `{ me { role } }${' '.repeat(2 * MB)}`,
      });
      expectRefused(answer, 413, 'PAYLOAD_TOO_LARGE');
    });
  });

  describe('afterwards', () => {
    it('every service is still ready', async () => {
      const ready = await fetch(`${stack.gatewayUrl}/ready`);
      expect(ready.status).toBe(200);
      expect(((await ready.json()) as { status: string }).status).toBe('ok');
    });

    it('no process grew its peak memory by more than 150 MB', () => {
      for (const service of ['directory', 'scheduling', 'gateway']) {
        const after = memoryOf(pidOf(service, dataDir));
        expect({ service, grown: after.peak - before[service].peak < 150 * MB }).toEqual({
          service,
          grown: true,
        });
      }
    });

    it('no refusal was logged as an unexpected error; a refused body is one info line', () => {
      expect(lines.length).toBeGreaterThan(0);
      const unexpected = lines.filter(({ line }) => /unexpected error|"level":50/.test(line));
      expect(unexpected).toEqual([]);
      const refused = lines.filter(({ line }) => line.includes('request body refused'));
      expect(refused.length).toBeGreaterThanOrEqual(4);
      const statuses = refused.map(({ line }) => {
        const entry = JSON.parse(line) as { level: number; res: { statusCode: number } };
        expect(entry.level).toBe(30);
        return entry.res.statusCode;
      });
      expect(new Set(statuses)).toEqual(new Set([400, 413]));
      expect(lines.some(({ line }) => line.includes('x'.repeat(300)))).toBe(false);
    });
  });
});

describe('hostile requests in production', () => {
  let stack: TestStack;
  let signer: InternalIdentitySigner;

  beforeAll(async () => {
    const { privateKey } = await generateKeyPair(KEY_ALGORITHM, { extractable: true });
    const signingKey = {
      ...(await exportJWK(privateKey)),
      kid: 'hostile-test',
      alg: KEY_ALGORITHM,
    };
    stack = await startTestStack({
      NODE_ENV: 'production',
      SEED_DEMO: 'false',
      AUTH_ISSUER: 'https://idp.example.invalid',
      AUTH_JWKS_URL: 'https://idp.example.invalid/jwks',
      PERSONAL_DATA_KEY: Buffer.alloc(32, 7).toString('base64'),
      INTERNAL_SIGNING_KEY: JSON.stringify(signingKey),
      INTERNAL_VERIFY_KEY: JSON.stringify(publicJwkOf(signingKey)),
    });
    signer = await InternalIdentitySigner.create({
      isProduction: true,
      dataDir: stack.config.dataDir,
      signingKey,
    });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('refuses introspection on the gateway and on each subgraph', async () => {
    const query = '{ __schema { types { name } } }';
    const answers = [
      await post(stack.graphqlUrl, { query }),
      ...(await Promise.all(
        Object.values(stack.subgraphs).map(async (url) =>
          post(url, { query }, { [IDENTITY_HEADER]: await signer.sign(ANONYMOUS, 'prod-test') }),
        ),
      )),
    ];
    for (const answer of answers) {
      expectRefused(answer, 400, 'GRAPHQL_VALIDATION_FAILED');
      expect(answer.body.errors?.[0]?.message).toMatch(/introspection is not allowed/);
    }
  });

  it('suggests no field names', async () => {
    const answer = await post(stack.graphqlUrl, { query: '{ agencie { code } }' });
    expectRefused(answer, 400, 'GRAPHQL_VALIDATION_FAILED');
    expect(answer.text).not.toMatch(/Did you mean|"agencies"/);
  });

  it('still answers an ordinary query', async () => {
    const answer = await post(stack.graphqlUrl, { query: '{ agencies { code } }' });
    expect(answer.body).toEqual({ data: { agencies: [] } });
  });

  it('serves no landing page or sandbox to a browser', async () => {
    const page = await fetch(stack.graphqlUrl, { headers: { accept: 'text/html' } });
    const text = await page.text();
    expect(page.status).toBeGreaterThanOrEqual(400);
    expect(page.status).toBeLessThan(500);
    expect(text).not.toMatch(/<html|<!doctype|<script|sandbox|graphiql/i);
  });

  it('offers no e-ID sign-in without a configured broker, and trusts no development session key', async () => {
    const login = await fetch(`${stack.gatewayUrl}/auth/login`, { redirect: 'manual' });
    expect(login.status).toBe(404);
    expect(((await login.json()) as { error: string }).error).toBe('EID_NOT_CONFIGURED');
    const session = await fetch(`${stack.gatewayUrl}/auth/session`);
    expect(await session.json()).toEqual({ signedIn: false, signInAvailable: false });
    // A citizen session signed by some key, presented as the cookie: not trusted here.
    const { privateKey } = await generateKeyPair(KEY_ALGORITHM, { extractable: true });
    const forged = await new SignJWT({
      roles: ['citizen'],
      [CLAIMS.personalIdentityNumber]: '191212121212',
    })
      .setProtectedHeader({ alg: KEY_ALGORITHM })
      .setIssuer(CITIZEN_SESSION_ISSUER)
      .setAudience(stack.config.auth.audience)
      .setSubject('forged')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);
    const answer = await fetch(stack.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: `${SESSION_COOKIE}=${forged}` },
      body: JSON.stringify({ query: '{ myAppointments { id } }' }),
    });
    expect(answer.status).toBe(401);
  });
});
