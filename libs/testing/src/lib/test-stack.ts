import { Client } from 'pg';
import { loadConfig, type AppConfig } from '@samservice/platform/config';
import { createScratchDatabase } from '@samservice/platform/database';
import { mintDevelopmentToken, type Principal } from '@samservice/platform/auth';
import { processLogger, startStack, type RunningStack, type StackOptions } from '@samservice/stack';
import { postGraphQL, type GraphQLResponse, type RequestOptions } from './graphql-client';

export interface TestStack extends RunningStack {
  config: AppConfig;
  query<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    options?: RequestOptions,
  ): Promise<GraphQLResponse<T>>;
  tokenFor(
    principal: Exclude<Principal, { role: 'anonymous' }>,
    ttlSeconds?: number,
  ): Promise<string>;
  /** Rows of one SQL statement on the stack's database, on a connection of its own. */
  sql<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
}

/** The test environment's configuration: this run's database, free ports, demo seed on. */
export function testConfig(overrides: Record<string, string> = {}): AppConfig {
  return loadConfig({
    ...process.env,
    NODE_ENV: 'test',
    PORT: '0',
    SEED_DEMO: 'true',
    ...overrides,
  });
}

/**
 * The whole system in-process (subgraphs + gateway on free ports) for end-to-end tests,
 * on a database of its own (created on the test server, migrated, seeded with the demo
 * network, dropped by `stop()`), so suites running in parallel never see each other's rows.
 * `options.output` with `gatewayProcess` hands the tests every line the services log;
 * `options.demo` seeds the front desk's demo morning too, as `npm start` does.
 */
export async function startTestStack(
  overrides: Record<string, string> = {},
  options: Pick<StackOptions, 'gatewayProcess' | 'output' | 'demo'> = {},
): Promise<TestStack> {
  const scratch = await createScratchDatabase(process.env.SAMSERVICE_TEST_SERVER_URL || undefined);
  const config = testConfig({ DATABASE_URL: scratch.url, ...overrides });
  let stack: RunningStack;
  try {
    stack = await startStack({
      config,
      log: processLogger(config, 'test'),
      migrate: true,
      ...options,
    });
  } catch (error) {
    await scratch.drop();
    throw error;
  }
  return {
    ...stack,
    async stop() {
      await stack.stop();
      await scratch.drop();
    },
    config,
    query: (query, variables, options) => postGraphQL(stack.graphqlUrl, query, variables, options),
    async sql<T>(text: string, params: unknown[] = []): Promise<T[]> {
      const client = new Client({ connectionString: stack.databaseUrl });
      await client.connect();
      try {
        return (await client.query(text, params)).rows as T[];
      } finally {
        await client.end();
      }
    },
    tokenFor: (principal, ttlSeconds) =>
      mintDevelopmentToken({
        dataDir: config.dataDir,
        audience: config.auth.audience,
        principal,
        ttlSeconds,
      }),
  };
}

/**
 * A second replica of every service (gateway, directory, scheduling) on a test stack's
 * database, with the same clock and keys: for what must hold across replicas.
 */
export async function startReplica(
  stack: TestStack,
  overrides: Record<string, string> = {},
): Promise<RunningStack> {
  const config = testConfig({
    DATABASE_URL: stack.databaseUrl,
    SEED_DEMO: 'false',
    DATA_DIR: stack.config.dataDir,
    ...(stack.config.fixedNow !== undefined
      ? { FIXED_NOW: new Date(stack.config.fixedNow).toISOString() }
      : {}),
    ...overrides,
  });
  return startStack({ config, log: processLogger(config, 'test'), migrate: false });
}
