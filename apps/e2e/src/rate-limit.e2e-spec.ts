import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { GatewayModule } from '@samservice/gateway';
import { startNestApp } from '@samservice/platform/http';
import type { RunningStack } from '@samservice/stack';
import {
  startReplica,
  startTcpProxy,
  startTestStack,
  testConfig,
  type TcpProxy,
  type TestStack,
} from '@samservice/testing';

/**
 * Rate limits at the gateway (docs/security.md, "Rate limits"), on for this suite only, with
 * small limits and a short window. Each test comes from an address of its own on the
 * loopback network (127.0.0.0/8: the client binds the socket to it, so the gateway's peer is
 * that address; no TRUSTED_PROXIES, so X-Forwarded-For is the client's own writing and is
 * ignored), so the tests do not share a bucket.
 */
const WINDOW_SECONDS = 10;
const PER_IP = 5;
const PER_CLIENT = 3;
const FLUSH_MS = 100;
const LIMITS = {
  RATE_LIMIT_ENABLED: 'true',
  RATE_LIMIT_WINDOW_SECONDS: String(WINDOW_SECONDS),
  RATE_LIMIT_PER_IP: String(PER_IP),
  RATE_LIMIT_PER_CLIENT: String(PER_CLIENT),
  RATE_LIMIT_PER_AGENCY_CLIENT: '20',
  RATE_LIMIT_FLUSH_MILLISECONDS: String(FLUSH_MS),
};

const QUERY = '{ agencies { code } }';

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: {
    data?: unknown;
    errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
  };
}

interface From {
  /** The client's address (a loopback address the socket is bound to). */
  address: string;
  token?: string;
  headers?: Record<string, string>;
}

/** One HTTP request from `from.address`, on a connection of its own. */
function send(
  url: string,
  from: From,
  options: { method?: string; body?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      {
        method: options.method ?? 'GET',
        localAddress: from.address,
        agent: false,
        headers: {
          ...(options.body ? { 'content-type': 'application/json' } : {}),
          ...(from.token ? { authorization: `Bearer ${from.token}` } : {}),
          ...from.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: Answer['body'] = {};
          try {
            body = JSON.parse(text) as Answer['body'];
          } catch {
            // not JSON (a health answer is JSON too; nothing else is expected)
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
        });
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

function graphql(stack: { graphqlUrl: string }, from: From, query = QUERY): Promise<Answer> {
  return send(stack.graphqlUrl, from, { method: 'POST', body: JSON.stringify({ query }) });
}

/** A WebSocket upgrade request to /graphql: 101 (then closed at once) or the refusal. */
function connect(stack: { graphqlUrl: string }, from: From): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(stack.graphqlUrl, {
      localAddress: from.address,
      agent: false,
      headers: {
        connection: 'Upgrade',
        upgrade: 'websocket',
        'sec-websocket-version': '13',
        'sec-websocket-key': randomBytes(16).toString('base64'),
        'sec-websocket-protocol': 'graphql-transport-ws',
      },
    });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve({ status: res.statusCode ?? 0, headers: res.headers, body: {} });
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Answer['body'],
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits, if need be, for a new window, so that `needMs` of work fits in the one it runs in
 * (the gateway's windows are `floor(now / window)` on this machine's clock).
 */
async function windowWithRoom(needMs: number): Promise<void> {
  const windowMs = WINDOW_SECONDS * 1000;
  const left = windowMs - (Date.now() % windowMs);
  if (left < needMs + 300) await sleep(left + 50);
}

/** Waits until less than `atMostMs` of the current window is left. */
async function nearWindowEnd(atMostMs: number): Promise<void> {
  const windowMs = WINDOW_SECONDS * 1000;
  const left = windowMs - (Date.now() % windowMs);
  if (left > atMostMs) await sleep(left - atMostMs);
}

function expectRateLimited(answer: Answer): number {
  expect(answer.status).toBe(429);
  const error = answer.body.errors?.[0];
  expect(error?.extensions?.['code']).toBe('RATE_LIMITED');
  const seconds = error?.extensions?.['retryAfterSeconds'] as number;
  expect(Number.isInteger(seconds) && seconds >= 1 && seconds <= WINDOW_SECONDS).toBe(true);
  expect(answer.headers['retry-after']).toBe(String(seconds));
  expect(error?.message).toMatch(/^Too many requests.*try again in \d+ seconds?\.$/);
  expect(JSON.stringify(answer.body)).not.toMatch(/127\.0\.0|stack|node_modules/);
  return seconds;
}

describe('rate limits at the gateway', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack(LIMITS);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('answers an anonymous caller over its address limit 429 RATE_LIMITED with Retry-After, over POST and GET', async () => {
    const from = { address: '127.0.0.11' };
    await windowWithRoom(2_000);
    for (let i = 0; i < PER_IP; i++) expect((await graphql(stack, from)).status).toBe(200);
    expectRateLimited(await graphql(stack, from));
    const viaGet = await send(`${stack.graphqlUrl}?query=${encodeURIComponent(QUERY)}`, {
      ...from,
      headers: { 'apollo-require-preflight': 'true' },
    });
    expectRateLimited(viaGet);
    // Health endpoints are never limited; another address is not affected.
    expect((await send(`${stack.gatewayUrl}/health`, from)).status).toBe(200);
    expect((await send(`${stack.gatewayUrl}/ready`, from)).status).toBe(200);
    expect((await graphql(stack, { address: '127.0.0.21' })).status).toBe(200);
  });

  it('counts a signed-in caller per identity: one token over its limit does not stop another from the same address', async () => {
    const address = '127.0.0.12';
    const first = await stack.tokenFor({ role: 'admin', subject: 'rate-limit-first' });
    const second = await stack.tokenFor({ role: 'admin', subject: 'rate-limit-second' });
    await windowWithRoom(3_000);
    for (let i = 0; i < PER_CLIENT; i++) {
      expect((await graphql(stack, { address, token: first })).status).toBe(200);
    }
    expectRateLimited(await graphql(stack, { address, token: first }));
    for (let i = 0; i < PER_CLIENT; i++) {
      expect((await graphql(stack, { address, token: second })).status).toBe(200);
    }
    // The address's own (anonymous) bucket was not used by the signed-in callers.
    for (let i = 0; i < PER_IP; i++) expect((await graphql(stack, { address })).status).toBe(200);
    expectRateLimited(await graphql(stack, { address }));
    // And the first token is still refused from any other address.
    expectRateLimited(await graphql(stack, { address: '127.0.0.22', token: first }));
  });

  it('counts refused tokens against the address, so guessing tokens is throttled too', async () => {
    const from = { address: '127.0.0.19', token: 'not.a.token' };
    await windowWithRoom(2_000);
    for (let i = 0; i < PER_IP; i++) expect((await graphql(stack, from)).status).toBe(401);
    expectRateLimited(await graphql(stack, from));
    expectRateLimited(await graphql(stack, { address: from.address })); // one bucket
  });

  it('limits the e-ID sign-in routes per address too (each one may call the broker)', async () => {
    const from = { address: '127.0.0.18' };
    await windowWithRoom(2_000);
    // No broker in this stack: 404 EID_NOT_CONFIGURED, still counted.
    for (let i = 0; i < PER_IP; i++) {
      expect((await send(`${stack.gatewayUrl}/auth/login`, from)).status).toBe(404);
    }
    expectRateLimited(await send(`${stack.gatewayUrl}/auth/callback?code=x&state=y`, from));
    expectRateLimited(await graphql(stack, from)); // one bucket with GraphQL
  });

  it('refuses WebSocket connection attempts over the address limit before any socket opens', async () => {
    const from = { address: '127.0.0.13' };
    await windowWithRoom(2_000);
    for (let i = 0; i < PER_IP; i++) expect((await connect(stack, from)).status).toBe(101);
    expectRateLimited(await connect(stack, from));
  });

  it('lets the caller back in when the window rolls over', async () => {
    const from = { address: '127.0.0.15' };
    await nearWindowEnd(2_500);
    for (let i = 0; i < PER_IP; i++) expect((await graphql(stack, from)).status).toBe(200);
    const seconds = expectRateLimited(await graphql(stack, from));
    expect(seconds).toBeLessThanOrEqual(3);
    await sleep(seconds * 1000 + 100);
    expect((await graphql(stack, from)).status).toBe(200);
  });

  it('ignores an untrusted peer’s X-Forwarded-For: no new buckets, no way past the limit', async () => {
    const address = '127.0.0.16';
    const forged = [
      '203.0.113.1',
      '203.0.113.2, 198.51.100.9',
      `${'9.9.9.9, '.repeat(800)}8.8.8.8`, // ~8 kB
      'not-an-address, ::1, <script>',
      '2001:db8::1',
      '0.0.0.0',
      '127.0.0.99',
    ];
    await windowWithRoom(3_000);
    const statuses: number[] = [];
    for (const value of forged) {
      // (Node itself refuses more than 16 KiB of headers, 431: the long one comes alone.)
      const others: Record<string, string> =
        value.length < 100 ? { 'x-real-ip': value, forwarded: `for=${value}` } : {};
      const answer = await graphql(stack, {
        address,
        headers: { 'x-forwarded-for': value, ...others },
      });
      statuses.push(answer.status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    await sleep(FLUSH_MS * 4);
    const keys = (
      await stack.sql<{ key: string }>('SELECT key FROM gateway.rate_limit ORDER BY key')
    ).map((row) => row.key);
    expect(keys).toContain(`ip:${address}`);
    expect(
      keys.filter((key) => /203\.0\.113|198\.51|9\.9\.9\.9|8\.8\.8\.8|2001|script/.test(key)),
    ).toEqual([]);
    const [row] = await stack.sql<{ hits: number }>(
      'SELECT hits FROM gateway.rate_limit WHERE key = $1 ORDER BY window_start DESC LIMIT 1',
      [`ip:${address}`],
    );
    expect(row?.hits).toBe(PER_IP); // refused requests are not counted
  });

  describe('a gateway whose database does not answer', () => {
    let proxy: TcpProxy;
    let app: INestApplication;
    let gateway: { graphqlUrl: string };

    beforeAll(async () => {
      // A gateway of its own in front of the stack's subgraphs, its rate-limit counts going to
      // the stack's database through a proxy the test can cut.
      const target = new URL(stack.databaseUrl);
      proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
      const viaProxy = new URL(stack.databaseUrl);
      viaProxy.port = String(proxy.port);
      const config = testConfig({
        ...LIMITS,
        DATABASE_URL: viaProxy.toString(),
        DATA_DIR: stack.config.dataDir,
        SEED_DEMO: 'false',
        LOG_LEVEL: 'silent',
      });
      const created = await startNestApp(
        GatewayModule.forRoot(config, stack.subgraphs),
        0,
        '127.0.0.1',
        { service: 'gateway', ...config.log },
        { maxRequestBytes: config.maxRequestBytes.gateway },
      );
      app = created.app;
      gateway = { graphqlUrl: `${created.url}/graphql` };
    });

    afterAll(async () => {
      await app?.close();
      await proxy?.close();
    });

    it('fails open on its own counts: answers as usual, limits locally, never a 500, and catches up', async () => {
      const from = { address: '127.0.0.18' };
      await windowWithRoom(4_000);
      await proxy.cut();
      const statuses: number[] = [];
      for (let i = 0; i < PER_IP + 2; i++) {
        statuses.push((await graphql(gateway, from)).status);
        await sleep(FLUSH_MS); // flushes are tried, and fail, meanwhile
      }
      expect(statuses).toEqual([...Array(PER_IP).fill(200), 429, 429]);
      await proxy.restore();
      await sleep(FLUSH_MS * 6);
      const [row] = await stack.sql<{ hits: number }>(
        'SELECT hits FROM gateway.rate_limit WHERE key = $1 ORDER BY window_start DESC LIMIT 1',
        [`ip:${from.address}`],
      );
      expect(row?.hits).toBe(PER_IP); // the counts kept while it was away were sent
    });
  });

  describe('across two gateway replicas on one database', () => {
    let replica: RunningStack;

    beforeAll(async () => {
      replica = await startReplica(stack, LIMITS);
    });

    afterAll(async () => {
      await replica?.stop();
    });

    it('holds one limit for both: requests sent alternately are limited together', async () => {
      const from = { address: '127.0.0.14' };
      const gateways = [stack, replica];
      const paceMs = FLUSH_MS * 4; // slower than a flush on each side: no slack
      const attempts = PER_IP + 4;
      await windowWithRoom(attempts * (paceMs + 100));
      const statuses: Array<{ gateway: number; status: number }> = [];
      for (let i = 0; i < attempts; i++) {
        const answer = await graphql(gateways[i % 2] as TestStack, from);
        statuses.push({ gateway: i % 2, status: answer.status });
        if (answer.status === 429) expectRateLimited(answer);
        await sleep(paceMs);
      }
      const allowed = statuses.filter((s) => s.status === 200).length;
      // Alone, each replica would allow PER_IP (2 × 5 = 10 of these 9); together, PER_IP,
      // or one more if a request slips in between one replica's flush and the other's
      // (the documented slack is what arrives within one flush interval).
      expect(allowed).toBeGreaterThanOrEqual(PER_IP);
      expect(allowed).toBeLessThanOrEqual(PER_IP + 1);
      expect(statuses.slice(allowed).every((s) => s.status === 429)).toBe(true);
      // Both replicas refused: each knew what the other had let through.
      expect(new Set(statuses.filter((s) => s.status === 429).map((s) => s.gateway)).size).toBe(2);
      const [row] = await stack.sql<{ hits: number }>(
        'SELECT hits FROM gateway.rate_limit WHERE key = $1 ORDER BY window_start DESC LIMIT 1',
        [`ip:${from.address}`],
      );
      expect(row?.hits).toBe(allowed);
    });

    it('bounds a burst to both at once by N × the limit, and both refuse after one flush', async () => {
      const from = { address: '127.0.0.17' };
      await windowWithRoom(2_000);
      // Ten at once, five to each replica: neither has heard of the other's yet.
      const answers = await Promise.all(
        Array.from({ length: 10 }, (_, i) => graphql([stack, replica][i % 2] as TestStack, from)),
      );
      const allowed = answers.filter((a) => a.status === 200).length;
      expect(allowed).toBeGreaterThanOrEqual(PER_IP);
      expect(allowed).toBeLessThanOrEqual(2 * PER_IP); // N replicas × the limit, the worst case
      await sleep(FLUSH_MS * 4);
      // Once both have flushed, both refuse.
      expectRateLimited(await graphql(stack, from));
      expectRateLimited(await graphql(replica, from));
    });
  });
});
