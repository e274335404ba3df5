import { Module, type DynamicModule, type INestApplication } from '@nestjs/common';
import {
  Args,
  Context,
  Field,
  Int,
  ObjectType,
  Query,
  Resolver,
  Subscription,
} from '@nestjs/graphql';
import { createClient, type Client } from 'graphql-ws';
import { exportJWK, generateKeyPair } from 'jose';
import WebSocket from 'ws';
import {
  CurrentPrincipal,
  InternalIdentitySigner,
  KEY_ALGORITHM,
  type Principal,
  type SubgraphContext,
} from '@samservice/platform/auth';
import { loadConfig, type AppConfig } from '@samservice/platform/config';
import { startNestApp } from './nest-app';
import { SubgraphCoreModule } from './subgraph-core.module';

/**
 * A real subgraph (SubgraphCoreModule with `subscriptions: true`, on the test database) and a
 * real graphql-ws client: what the gateway's subscription path connects to.
 */

@ObjectType('Echo')
class EchoModel {
  @Field(() => Int) n: number;
  @Field(() => String) role: string;
  @Field(() => String, { nullable: true }) subject: string | null;
  @Field(() => String, { nullable: true }) clientAddress: string | null;
}

/** Open subscriptions of `held`, for the assertions on cleanup. */
let heldOpen = 0;

/** Yields `value` once, then holds the subscription open until it is completed. */
function holdOpen<T>(value: T): AsyncIterableIterator<T> {
  let sent = false;
  let open = true;
  let release: (() => void) | undefined;
  heldOpen++;
  const finished = { done: true, value: undefined } as const;
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    next() {
      if (!sent) {
        sent = true;
        return Promise.resolve({ done: false, value });
      }
      return open
        ? new Promise((resolve) => (release = () => resolve(finished)))
        : Promise.resolve(finished);
    },
    return() {
      if (open) heldOpen--;
      open = false;
      release?.();
      return Promise.resolve(finished);
    },
  };
}

@Resolver()
class EchoResolver {
  @Query(() => String)
  ping(): string {
    return 'pong';
  }

  @Subscription(() => EchoModel)
  async *echo(
    @Args('count', { type: () => Int }) count: number,
    @CurrentPrincipal() principal: Principal,
    @Context() context: SubgraphContext,
  ): AsyncGenerator<{ echo: EchoModel }> {
    for (let n = 1; n <= count; n++) {
      yield {
        echo: {
          n,
          role: principal.role,
          subject: principal.role === 'anonymous' ? null : principal.subject,
          clientAddress: context.req.clientAddress ?? null,
        },
      };
    }
  }

  @Subscription(() => Int)
  held(): AsyncIterableIterator<{ held: number }> {
    return holdOpen({ held: 1 });
  }
}

@Module({})
class EchoSubgraphModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: EchoSubgraphModule,
      imports: [
        SubgraphCoreModule.forRoot({
          config,
          database: { service: 'echo', schema: 'public', entities: [], migrations: [] },
          databaseUrl: config.databaseUrl ?? '',
          subscriptions: true,
        }),
      ],
      providers: [EchoResolver],
    };
  }
}

interface Outcome {
  results: unknown[];
  error?: unknown;
}

/** Subscribes and collects until the subscription ends, or `take` results have come. */
function collect(
  client: Client,
  query: string,
  variables: Record<string, unknown> = {},
  take = Infinity,
): Promise<Outcome> {
  return new Promise((resolve) => {
    const results: unknown[] = [];
    const stop = client.subscribe(
      { query, variables },
      {
        next: (result) => {
          results.push(result);
          if (results.length >= take) {
            stop();
            resolve({ results });
          }
        },
        error: (error) => resolve({ results, error }),
        complete: () => resolve({ results }),
      },
    );
  });
}

const MAX_SUBSCRIPTIONS = 2;
const MAX_BYTES = 4_096;

describe('a subgraph serving subscriptions over graphql-ws', () => {
  let config: AppConfig;
  let app: INestApplication;
  let closing: Promise<void> | undefined;
  let wsUrl: string;
  let signer: InternalIdentitySigner;
  const clients: Client[] = [];

  const connect = (connectionParams?: Record<string, unknown>) => {
    const client = createClient({
      url: wsUrl,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams,
    });
    clients.push(client);
    return client;
  };
  const signed = async (principal: Principal, clientAddress?: string) => ({
    identity: await signer.sign(principal, clientAddress),
    requestId: 'subscription-test-1',
  });

  beforeAll(async () => {
    config = loadConfig({
      ...process.env,
      NODE_ENV: 'test',
      MAX_SUBSCRIPTIONS_PER_CONNECTION: String(MAX_SUBSCRIPTIONS),
      SUBGRAPH_MAX_REQUEST_BYTES: String(MAX_BYTES),
      SUBSCRIPTION_INIT_TIMEOUT_SECONDS: '0.3',
      LOG_LEVEL: 'error', // the refusals below are logged as warnings
    });
    signer = await InternalIdentitySigner.create({
      isProduction: false,
      dataDir: config.dataDir,
      ...config.internalIdentity,
    });
    const started = await startNestApp(
      EchoSubgraphModule.forRoot(config),
      0,
      '127.0.0.1',
      { service: 'echo', ...config.log },
      { maxRequestBytes: MAX_BYTES },
    );
    app = started.app;
    wsUrl = `${started.url.replace(/^http/, 'ws')}/graphql`;
  });

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.dispose()));
  });

  afterAll(async () => {
    await (closing ?? app?.close());
  });

  it('runs a subscription with the principal the gateway signed, as over HTTP', async () => {
    const staff: Principal = {
      role: 'staff',
      subject: 'staff-7',
      offices: ['office-a'],
      adminOffices: [],
      competences: ['FK'],
    };
    const client = connect(await signed(staff, '198.51.100.7'));
    const outcome = await collect(
      client,
      'subscription ($count: Int!) { echo(count: $count) { n role subject clientAddress } }',
      { count: 2 },
    );
    expect(outcome.error).toBeUndefined();
    expect(outcome.results).toEqual(
      [1, 2].map((n) => ({
        data: { echo: { n, role: 'staff', subject: 'staff-7', clientAddress: '198.51.100.7' } },
      })),
    );
    const anonymous = await collect(
      connect(await signed({ role: 'anonymous' })),
      'subscription { echo(count: 1) { role subject } }',
    );
    expect(anonymous.results).toEqual([{ data: { echo: { role: 'anonymous', subject: null } } }]);
  });

  it('closes a connection without an identity the gateway signed with 4403 Forbidden', async () => {
    const query = 'subscription { echo(count: 1) { n } }';
    const missing = await collect(connect(), query);
    expect(missing.error).toMatchObject({ code: 4403, reason: 'Forbidden' });
    const { privateKey } = await generateKeyPair(KEY_ALGORITHM, { extractable: true });
    const forger = await InternalIdentitySigner.create({
      isProduction: false,
      dataDir: config.dataDir,
      signingKey: { ...(await exportJWK(privateKey)), alg: KEY_ALGORITHM, kid: 'forged' },
    });
    const forged = await collect(
      connect({ identity: await forger.sign({ role: 'admin', subject: 'mallory' }) }),
      query,
    );
    expect(forged.error).toMatchObject({ code: 4403 });
  });

  it('serves only subscriptions, at most MAX_SUBSCRIPTIONS_PER_CONNECTION at once', async () => {
    const client = connect(await signed({ role: 'anonymous' }));
    const query = await collect(client, '{ ping }');
    expect(query.error).toEqual([expect.objectContaining({ extensions: { code: 'BAD_REQUEST' } })]);
    const held = await Promise.all(
      Array.from({ length: MAX_SUBSCRIPTIONS }, () =>
        collect(client, 'subscription { held }', {}, 1),
      ),
    );
    expect(held.map((outcome) => outcome.results)).toEqual([
      [{ data: { held: 1 } }],
      [{ data: { held: 1 } }],
    ]);
    // collect() completed those two from the client: the server let go of them.
    const next = await collect(client, 'subscription { held }', {}, 1);
    expect(next.results).toEqual([{ data: { held: 1 } }]);

    const opened: Array<() => void> = [];
    for (let i = 0; i < MAX_SUBSCRIPTIONS; i++) {
      await new Promise<void>((resolve) => {
        opened.push(
          client.subscribe(
            { query: 'subscription { held }' },
            {
              next: () => resolve(),
              error: () => resolve(),
              complete: () => resolve(),
            },
          ),
        );
      });
    }
    const refused = await collect(client, 'subscription { held }');
    expect(refused.error).toEqual([
      expect.objectContaining({
        extensions: { code: 'LIMIT_REACHED', limit: 'subscriptionsPerConnection', max: 2 },
      }),
    ]);
    for (const stop of opened) stop();
  });

  it('refuses what HTTP refuses, with the same codes, and a message over the body limit', async () => {
    const client = connect(await signed({ role: 'anonymous' }));
    const invalid = await collect(client, 'subscription { echo(count: 1) { nonsense } }');
    expect(invalid.error).toEqual([
      expect.objectContaining({ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }),
    ]);
    const big = await collect(
      client,
      `subscription { echo(count: 1) { n } } # ${'x'.repeat(MAX_BYTES)}`,
    );
    expect(big.error).toMatchObject({ code: 1009 });
  });

  it('closes a connection that does not initialise in time (4408)', async () => {
    const socket = new WebSocket(wsUrl, 'graphql-transport-ws');
    const code = await new Promise<number>((resolve) => socket.on('close', resolve));
    expect(code).toBe(4408);
  });

  it('says "Going away" (1001) to open subscriptions when the app stops', async () => {
    const client = connect(await signed({ role: 'anonymous' }));
    const ended = new Promise<unknown>((resolve) => {
      client.subscribe(
        { query: 'subscription { held }' },
        {
          next: () => (closing = app.close()),
          error: resolve,
          complete: () => resolve('complete'),
        },
      );
    });
    expect(await ended).toMatchObject({ code: 1001, reason: 'Going away' });
    await closing;
    expect(heldOpen).toBe(0);
  });
});
