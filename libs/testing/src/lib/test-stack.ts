import { loadConfig, type AppConfig } from '@samservice/platform/config';
import { mintDevelopmentToken, type Principal } from '@samservice/platform/auth';
import { processLogger, startStack, type RunningStack } from '@samservice/stack';
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

/** The whole system in-process (subgraphs + gateway on free ports) for end-to-end tests. */
export async function startTestStack(overrides: Record<string, string> = {}): Promise<TestStack> {
  const config = testConfig(overrides);
  const stack = await startStack({ config, log: processLogger(config, 'test'), migrate: true });
  return {
    ...stack,
    config,
    query: (query, variables, options) => postGraphQL(stack.graphqlUrl, query, variables, options),
    tokenFor: (principal, ttlSeconds) =>
      mintDevelopmentToken({
        dataDir: config.dataDir,
        audience: config.auth.audience,
        principal,
        ttlSeconds,
      }),
  };
}
