import { composeServices } from '@apollo/composition';
import { printSubgraphSchema } from '@apollo/subgraph';
import type { INestApplication } from '@nestjs/common';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import type { Client } from 'graphql-ws';
import { parse } from 'graphql';
import { GatewayModule } from '@samservice/gateway';
import {
  InternalIdentitySigner,
  mintDevelopmentToken,
  type StaffPrincipal,
} from '@samservice/platform/auth';
import type { AppConfig } from '@samservice/platform/config';
import { freePort } from '@samservice/platform/database';
import { REQUEST_LIMITS, admissionFor, startNestApp } from '@samservice/platform/http';
import {
  errorCodes,
  eventually,
  postGraphQL,
  subscribe,
  subscriptionClient,
  subscriptionOutcome,
  testConfig,
  type SubscriptionClientOptions,
} from '@samservice/testing';
import { LobbySubgraphModule } from './fixtures/lobby-subgraph.fixture';

/**
 * The gateway's subscription path end to end: a real Nest subgraph with a subscription (the
 * platform's own support, as a service enables it), a supergraph composed from it and a
 * second subgraph that is not running, the real GatewayModule on a real HTTP server, and
 * real graphql-ws clients subscribing through the gateway's /graphql.
 */

// The other subgraph of the supergraph: it owns an office's name and a subscription of its own.
const DIRECTORY_SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type Query { offices: [Office!]! }
  type Office @key(fields: "id") { id: ID! name: String! }
  type Subscription { officeAnnounced: Office! }
`;

const CALLS = `subscription Calls($officeId: ID!) {
  lobbyCallMade(officeId: $officeId) { officeId ticket seenAsRole seenAsSubject office { id } }
}`;

const STAFF: StaffPrincipal = {
  role: 'staff',
  subject: 'staff-ws-1',
  offices: ['office-ws'],
  adminOffices: [],
  competences: ['FK'],
};

async function startGateway(
  config: AppConfig,
  supergraphSdl: string,
  subgraphs: { directory: string; scheduling: string },
) {
  return startNestApp(
    GatewayModule.forRoot(config, subgraphs, { supergraphSdl }),
    0,
    '127.0.0.1',
    { service: 'gateway', ...config.log },
    { maxRequestBytes: config.maxRequestBytes.gateway, admission: admissionFor('gateway', config) },
  );
}

describe('subscriptions through the gateway (graphql-ws at /graphql)', () => {
  let config: AppConfig;
  let lobby: INestApplication | undefined;
  let gateway: INestApplication;
  let graphqlUrl: string;
  let supergraphSdl: string;
  let subgraphs: { directory: string; scheduling: string };
  const clients: Client[] = [];

  const client = (options?: SubscriptionClientOptions) => {
    const opened = subscriptionClient(graphqlUrl, options);
    clients.push(opened);
    return opened;
  };
  const tokenFor = (principal: StaffPrincipal) =>
    mintDevelopmentToken({ dataDir: config.dataDir, audience: config.auth.audience, principal });
  const listeners = async (officeId: string) =>
    (
      await postGraphQL<{ lobbyListeners: number }>(
        graphqlUrl,
        'query ($id: ID!) { lobbyListeners(officeId: $id) }',
        { id: officeId },
      )
    ).data?.lobbyListeners;
  const callTicket = (officeId: string, ticket: string) =>
    postGraphQL(
      graphqlUrl,
      'mutation ($o: ID!, $t: String!) { callTicket(officeId: $o, ticket: $t) }',
      { o: officeId, t: ticket },
    );

  beforeAll(async () => {
    config = testConfig({ MAX_SUBSCRIPTIONS_PER_CONNECTION: '2' });
    const started = await startNestApp(
      LobbySubgraphModule.forRoot(config),
      0,
      '127.0.0.1',
      { service: 'lobby', ...config.log },
      {
        maxRequestBytes: config.maxRequestBytes.subgraph,
        admission: admissionFor('lobby', config),
      },
    );
    lobby = started.app;
    subgraphs = {
      scheduling: `${started.url}/graphql`,
      directory: `http://127.0.0.1:${await freePort()}/graphql`, // nothing listens there
    };
    const composed = composeServices([
      {
        name: 'scheduling',
        url: subgraphs.scheduling,
        typeDefs: parse(printSubgraphSchema(started.app.get(GraphQLSchemaHost).schema)),
      },
      { name: 'directory', url: subgraphs.directory, typeDefs: parse(DIRECTORY_SDL) },
    ]);
    if (composed.errors) throw new Error(composed.errors.map((e) => e.message).join('\n'));
    supergraphSdl = composed.supergraphSdl;
    const gatewayApp = await startGateway(config, supergraphSdl, subgraphs);
    gateway = gatewayApp.app;
    graphqlUrl = `${gatewayApp.url}/graphql`;
  });

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((opened) => opened.dispose()));
  });

  afterAll(async () => {
    await gateway?.close();
    await lobby?.close();
  });

  it('pushes events from the subgraph to each subscriber, with that subscriber’s identity', async () => {
    const officeId = 'office-ws';
    const anonymous = subscribe(client(), CALLS, { officeId });
    const staff = subscribe(client({ token: await tokenFor(STAFF) }), CALLS, { officeId });
    // The token in the upgrade request's Authorization header works as well.
    const byHeader = subscribe(
      client({
        headers: { authorization: `Bearer ${await tokenFor({ ...STAFF, subject: 'staff-ws-2' })}` },
      }),
      CALLS,
      { officeId },
    );
    expect(
      await eventually(
        () => listeners(officeId),
        (n) => n === 3,
      ),
    ).toBe(3);

    expect(errorCodes(await callTicket(officeId, 'A001'))).toEqual([]);
    const call = { officeId, ticket: 'A001', office: { id: officeId } };
    expect(await anonymous.next()).toEqual({
      data: { lobbyCallMade: { ...call, seenAsRole: 'anonymous', seenAsSubject: null } },
    });
    expect(await staff.next()).toEqual({
      data: { lobbyCallMade: { ...call, seenAsRole: 'staff', seenAsSubject: 'staff-ws-1' } },
    });
    expect((await byHeader.next()).data).toMatchObject({
      lobbyCallMade: { seenAsSubject: 'staff-ws-2' },
    });

    await callTicket(officeId, 'A002');
    expect((await anonymous.next()).data).toMatchObject({ lobbyCallMade: { ticket: 'A002' } });

    // Completing a subscription, or closing a connection, ends it at the subgraph too.
    anonymous.stop();
    expect(
      await eventually(
        () => listeners(officeId),
        (n) => n === 2,
      ),
    ).toBe(2);
    await clients[1]?.dispose();
    await clients[2]?.dispose();
    expect(
      await eventually(
        () => listeners(officeId),
        (n) => n === 0,
      ),
    ).toBe(0);
  });

  it('never passes on an identity the client sends itself, even one signed by the gateway', async () => {
    const signer = await InternalIdentitySigner.create({
      isProduction: false,
      dataDir: config.dataDir,
      ...config.internalIdentity,
    });
    const identity = await signer.sign({ role: 'admin', subject: 'mallory' });
    const calls = subscribe(client({ connectionParams: { identity } }), CALLS, {
      officeId: 'office-own',
    });
    expect(
      await eventually(
        () => listeners('office-own'),
        (n) => n === 1,
      ),
    ).toBe(1);
    await callTicket('office-own', 'C001');
    expect((await calls.next()).data).toMatchObject({
      lobbyCallMade: { seenAsRole: 'anonymous', seenAsSubject: null },
    });
  });

  it('closes a connection with a bad bearer token with 4401 Unauthorized', async () => {
    const forged = await subscriptionOutcome(
      client({ connectionParams: { authorization: 'Bearer not.a.token' } }),
      CALLS,
      { officeId: 'office-ws' },
    );
    expect(forged.error).toMatchObject({ code: 4401, reason: 'Unauthorized' });
    const malformed = await subscriptionOutcome(
      client({ headers: { authorization: 'Basic dXNlcjpwYXNz' } }),
      CALLS,
      { officeId: 'office-ws' },
    );
    expect(malformed.error).toMatchObject({ code: 4401 });
    const expired = await subscriptionOutcome(
      client({
        token: await mintDevelopmentToken({
          dataDir: config.dataDir,
          audience: config.auth.audience,
          principal: STAFF,
          ttlSeconds: -60,
        }),
      }),
      CALLS,
      { officeId: 'office-ws' },
    );
    expect(expired.error).toMatchObject({ code: 4401 });
  });

  it('closes the connection with 4401 when its token expires', async () => {
    // Expired 29 s ago: still accepted (the 30-s clock tolerance), so it ends within a second.
    const token = await mintDevelopmentToken({
      dataDir: config.dataDir,
      audience: config.auth.audience,
      principal: STAFF,
      ttlSeconds: -29,
    });
    const calls = subscribe(client({ token }), CALLS, { officeId: 'office-expiry' });
    const outcome = await calls.ended;
    expect(outcome.error).toMatchObject({ code: 4401, reason: 'Token expired' });
  });

  it('relays a refusal of the subgraph with its code', async () => {
    const outcome = await subscriptionOutcome(client(), CALLS, { officeId: 'staff-only' });
    // A subscription refused when it starts: one result with the errors, then the end.
    expect(outcome.results).toEqual([
      {
        errors: [
          expect.objectContaining({
            message: 'Only staff follow this office’s calls.',
            extensions: { code: 'FORBIDDEN' },
          }),
        ],
      },
    ]);
    expect(outcome.error).toBeUndefined();
  });

  it('refuses what it cannot pass through, each with a code and no stack trace', async () => {
    const ws = client();
    const refused = async (query: string) => {
      const outcome = await subscriptionOutcome(ws, query, { officeId: 'office-ws' });
      expect(outcome.results).toEqual([]);
      expect(JSON.stringify(outcome.error)).not.toMatch(/stacktrace|at \w+ \(/);
      return outcome.error as Array<{ message: string; extensions: Record<string, unknown> }>;
    };
    const two = await refused(
      'subscription ($officeId: ID!) { lobbyCallMade(officeId: $officeId) { ticket } officeAnnounced { id } }',
    );
    expect(two.map((e) => e.extensions['code'])).toEqual(['BAD_USER_INPUT']);

    let deep = 'ticket';
    for (let level = 0; level < REQUEST_LIMITS.maxDepth; level++) deep = `previous { ${deep} }`;
    const tooDeep = await refused(
      `subscription ($officeId: ID!) { lobbyCallMade(officeId: $officeId) { ${deep} } }`,
    );
    expect(tooDeep.map((e) => e.extensions)).toContainEqual({
      code: 'GRAPHQL_VALIDATION_FAILED',
      limit: 'maxDepth',
    });

    const otherSubgraph = await refused(
      'subscription ($officeId: ID!) { lobbyCallMade(officeId: $officeId) { ticket office { name } } }',
    );
    expect(otherSubgraph).toEqual([
      expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', field: 'Office.name' } }),
    ]);
    expect(otherSubgraph[0]?.message).toMatch(
      /scheduling subgraph, which cannot give Office\.name \(directory does\)/,
    );

    const internals = await refused(
      'subscription ($officeId: ID!) { lobbyCallMade(officeId: $officeId) { ticket @join__field(graph: DIRECTORY) } }',
    );
    expect(internals.map((e) => e.extensions['code'])).toEqual(['GRAPHQL_VALIDATION_FAILED']);

    const query = await refused('{ offices { id } }');
    expect(query.map((e) => e.extensions['code'])).toEqual(['BAD_REQUEST']);
  });

  it('answers SERVICE_UNAVAILABLE for a subgraph it cannot reach, and goes on serving', async () => {
    const ws = client();
    const down = await subscriptionOutcome(ws, 'subscription { officeAnnounced { id } }');
    expect(down.error).toEqual([
      {
        message: 'Part of Samservice is not reachable right now. Please try again in a moment.',
        extensions: { code: 'SERVICE_UNAVAILABLE' },
      },
    ]);
    // The same connection, and the gateway, still work.
    const calls = subscribe(ws, CALLS, { officeId: 'office-up' });
    expect(
      await eventually(
        () => listeners('office-up'),
        (n) => n === 1,
      ),
    ).toBe(1);
    await callTicket('office-up', 'B001');
    expect((await calls.next()).data).toMatchObject({ lobbyCallMade: { ticket: 'B001' } });
  });

  it('runs at most MAX_SUBSCRIPTIONS_PER_CONNECTION subscriptions on one connection', async () => {
    const ws = client();
    const open = [
      subscribe(ws, CALLS, { officeId: 'office-max' }),
      subscribe(ws, CALLS, { officeId: 'office-max' }),
    ];
    expect(
      await eventually(
        () => listeners('office-max'),
        (n) => n === 2,
      ),
    ).toBe(2);
    const third = await subscriptionOutcome(ws, CALLS, { officeId: 'office-max' });
    expect(third.error).toEqual([
      expect.objectContaining({
        extensions: { code: 'LIMIT_REACHED', limit: 'subscriptionsPerConnection', max: 2 },
      }),
    ]);
    for (const subscription of open) subscription.stop();
  });

  it('refuses a subscription sent over HTTP POST with a clear 400, not a 500', async () => {
    const response = await postGraphQL(graphqlUrl, CALLS, { officeId: 'office-ws' });
    expect(response.status).toBe(400);
    expect(response.errors).toEqual([
      {
        message:
          'Subscriptions are served over graphql-ws at /graphql (a WebSocket to the same address); HTTP POST carries queries and mutations.',
        extensions: { code: 'BAD_REQUEST' },
      },
    ]);
    // Queries of a supergraph with a Subscription type are served as before.
    expect(await listeners('office-ws')).toBe(0);
  });

  it('takes at most GATEWAY_MAX_SUBSCRIPTION_CONNECTIONS connections (1013 beyond), and closes them when it stops', async () => {
    const small = await startGateway(
      testConfig({ GATEWAY_MAX_SUBSCRIPTION_CONNECTIONS: '1' }),
      supergraphSdl,
      subgraphs,
    );
    try {
      const url = `${small.url}/graphql`;
      const first = subscriptionClient(url);
      const second = subscriptionClient(url);
      clients.push(first, second);
      const held = subscribe(first, CALLS, { officeId: 'office-small' });
      expect(
        await eventually(
          () => listeners('office-small'),
          (n) => n === 1,
        ),
      ).toBe(1);
      const refused = await subscriptionOutcome(second, CALLS, { officeId: 'office-small' });
      expect(refused.error).toMatchObject({ code: 1013, reason: 'Try again later' });
      // A gateway that stops says so to its open connections, and ends them at the subgraph.
      await small.app.close();
      expect((await held.ended).error).toMatchObject({ code: 1001, reason: 'Going away' });
      expect(
        await eventually(
          () => listeners('office-small'),
          (n) => n === 0,
        ),
      ).toBe(0);
    } finally {
      await Promise.all(clients.splice(0).map((opened) => opened.dispose()));
      await small.app.close();
    }
  });

  it('ends open subscriptions with SERVICE_UNAVAILABLE when their subgraph stops', async () => {
    const calls = subscribe(client(), CALLS, { officeId: 'office-stop' });
    expect(
      await eventually(
        () => listeners('office-stop'),
        (n) => n === 1,
      ),
    ).toBe(1);
    await lobby?.close();
    lobby = undefined;
    const outcome = await calls.ended;
    expect(outcome.error).toEqual([
      expect.objectContaining({ extensions: { code: 'SERVICE_UNAVAILABLE' } }),
    ]);
    // A new one, with the subgraph gone, too; the gateway itself answers on.
    const again = await subscriptionOutcome(client(), CALLS, { officeId: 'office-stop' });
    expect(again.error).toEqual([
      expect.objectContaining({ extensions: { code: 'SERVICE_UNAVAILABLE' } }),
    ]);
    const health = await fetch(graphqlUrl.replace(/\/graphql$/, '/health'));
    expect(health.status).toBe(200);
  });
});
