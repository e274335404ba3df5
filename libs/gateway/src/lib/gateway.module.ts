import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloGatewayDriver, type ApolloGatewayDriverConfig } from '@nestjs/apollo';
import {
  Module,
  type DynamicModule,
  type MiddlewareConsumer,
  type NestModule,
} from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import { ServeStaticModule } from '@nestjs/serve-static';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { GraphQLSchema } from 'graphql';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { Logger } from 'pino';
import { InternalIdentitySigner } from '@samservice/platform/auth';
import { AppConfigModule, type AppConfig } from '@samservice/platform/config';
import { servicePool } from '@samservice/platform/database';
import { ErrorCode, formatGraphQLError } from '@samservice/platform/errors';
import { HealthModule, apolloArmor, requestBoundLogger } from '@samservice/platform/http';
import { APP_LOGGER, LoggingModule } from '@samservice/platform/logging';
import { AuthenticatedDataSource, type GatewayContext } from './authenticated-data-source';
import { clientAddressResolver } from './client-address';
import { operationRequired } from './operation-resolution';
import { engineDayBudget } from './engine-days';
import {
  EXTERNAL_TOKEN_VERIFIER,
  GatewayIdentityMiddleware,
  INTERNAL_IDENTITY_SIGNER,
  type GatewayRequest,
} from './gateway-identity.middleware';
import { SUBGRAPH_URLS, SubgraphProbe } from './subgraph-probe';
import { SUBGRAPH_NAMES, type SubgraphName, type SubgraphUrls } from './subgraphs';
import type { SubgraphClient } from './hive/subgraph-client';
import { subgraphFetcher } from './subgraph-fetcher';
import {
  SUBSCRIPTION_SETUP,
  SubscriptionGateway,
  type SubscriptionSetup,
} from './subscriptions/subscription-gateway';
import { subscriptionsOverHttpRefused } from './subscriptions/subscriptions-over-http';
import { readSupergraph } from './supergraph';
import { citizenSessionKeys, gatewayTokenVerifier } from './token-verifier';
import {
  CITIZEN_SESSION_KEYS,
  CitizenLoginController,
  EID_RELYING_PARTY,
} from './citizen-login/citizen-login.controller';
import { EidRelyingParty } from './citizen-login/relying-party';
import { STAFF_RELYING_PARTY, StaffLoginController } from './staff-login/staff-login.controller';
import { StaffRelyingParty } from './staff-login/staff-relying-party';
import {
  citizenLoginUrls,
  staffLoginUrls,
  type CitizenSessionKeys,
  type ExternalTokenVerifier,
} from '@samservice/platform/auth';
import { gatewayDatabase } from './gateway.database';
import { CLIENT_ADDRESS_OF, RateLimitMiddleware } from './rate-limit/rate-limit.middleware';
import {
  PageCompressionMiddleware,
  SecurityHeadersMiddleware,
} from './security-headers.middleware';
import { PostgresRateLimitStore } from './rate-limit/rate-limit-store';
import { RATE_LIMITER, RateLimiter } from './rate-limit/rate-limiter';

export interface GatewayOptions {
  /** `fetch`: Node's fetch to the subgraphs, as before (bench:gateway compares the two). */
  subgraphClient?: SubgraphClient;
  /** The supergraph to serve instead of the committed one (tests of the gateway itself). */
  supergraphSdl?: string;
}

/**
 * The rate limiter of this gateway replica. Its database connections (2: one flush at a time,
 * plus the clean-up) are opened only when limits are on; a statement that takes longer than
 * 2 s is given up and the limits stay local until the database answers again.
 */
function rateLimiterFor(config: AppConfig, logger: Logger): RateLimiter {
  const { enabled } = config.rateLimit;
  const store =
    enabled && config.databaseUrl
      ? new PostgresRateLimitStore(
          servicePool(gatewayDatabase, config.databaseUrl, { poolSize: 2, timeoutMs: 2_000 }),
        )
      : undefined;
  if (enabled && !store) {
    logger.warn('rate limits: no DATABASE_URL, so each gateway replica limits on its own counts');
  }
  const limiter = new RateLimiter(config.rateLimit, store, logger);
  limiter.start();
  return limiter;
}

function unreachableSubgraph(error: unknown): { code: ErrorCode; message: string } | undefined {
  const text = `${(error as Error)?.message ?? ''} ${(error as { code?: string })?.code ?? ''}`;
  if (
    /ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|socket hang up|fetch failed/i.test(text)
  ) {
    return {
      code: ErrorCode.SERVICE_UNAVAILABLE,
      message: 'Part of Samservice is not reachable right now. Please try again in a moment.',
    };
  }
  return undefined;
}

/**
 * The web (apps/web, built into `config.webDir`) at the gateway's origin: its files, and
 * index.html for every other path that is not the API's, so the pages' own routes load.
 */
function webPages(config: AppConfig): DynamicModule[] {
  if (!existsSync(path.join(config.webDir, 'index.html'))) return [];
  return [
    ServeStaticModule.forRoot({
      rootPath: config.webDir,
      exclude: ['/graphql{/*path}', '/auth{/*path}', '/health', '/ready', '/live'],
      serveStaticOptions: {
        index: 'index.html',
        fallthrough: true,
        // The build names its assets by content hash: cached for good. index.html (every
        // page's entry) is asked again each time, so a new release is seen at once and no
        // page loads a deleted asset.
        cacheControl: false,
        setHeaders: (res: { setHeader(name: string, value: string): void }, file: string) =>
          res.setHeader(
            'cache-control',
            file.includes(`${path.sep}assets${path.sep}`)
              ? 'public, max-age=31536000, immutable'
              : 'no-cache',
          ),
      },
    }),
  ];
}

/** Keys and verifiers of the gateway, shared by its GraphQL server, middleware and health. */
@Module({})
class GatewaySecurityModule {
  static forRoot(
    config: AppConfig,
    subgraphUrls: SubgraphUrls = config.subgraphUrls,
  ): DynamicModule {
    return {
      module: GatewaySecurityModule,
      global: true,
      providers: [
        { provide: SUBGRAPH_URLS, useValue: subgraphUrls },
        SubgraphProbe,
        {
          provide: INTERNAL_IDENTITY_SIGNER,
          useFactory: () =>
            InternalIdentitySigner.create({
              isProduction: config.isProduction,
              dataDir: config.dataDir,
              ...config.internalIdentity,
            }),
        },
        { provide: CITIZEN_SESSION_KEYS, useFactory: () => citizenSessionKeys(config) },
        {
          provide: EXTERNAL_TOKEN_VERIFIER,
          inject: [CITIZEN_SESSION_KEYS],
          useFactory: (sessions: CitizenSessionKeys | undefined) =>
            gatewayTokenVerifier(config, sessions),
        },
        {
          provide: EID_RELYING_PARTY,
          inject: [CITIZEN_SESSION_KEYS],
          useFactory: (sessions: CitizenSessionKeys | undefined) => {
            const { issuer, clientSecret } = config.eid;
            if (!issuer || !clientSecret || !sessions) return undefined;
            const publicUrl = config.publicUrl ?? `http://${config.host}:${config.port}`;
            return new EidRelyingParty(
              { ...config.eid, issuer },
              citizenLoginUrls(publicUrl).callback,
              config.isProduction,
            );
          },
        },
        {
          provide: STAFF_RELYING_PARTY,
          inject: [CITIZEN_SESSION_KEYS, EXTERNAL_TOKEN_VERIFIER],
          useFactory: (
            sessions: CitizenSessionKeys | undefined,
            verifier: ExternalTokenVerifier,
          ) => {
            const { issuer, clientSecret } = config.staffSignIn;
            if (!issuer || !clientSecret || !sessions) return undefined;
            const publicUrl = config.publicUrl ?? `http://${config.host}:${config.port}`;
            return new StaffRelyingParty(
              { ...config.staffSignIn, issuer },
              staffLoginUrls(publicUrl).callback,
              config.isProduction,
              verifier,
            );
          },
        },
      ],
      exports: [
        SUBGRAPH_URLS,
        SubgraphProbe,
        INTERNAL_IDENTITY_SIGNER,
        EXTERNAL_TOKEN_VERIFIER,
        CITIZEN_SESSION_KEYS,
        EID_RELYING_PARTY,
        STAFF_RELYING_PARTY,
      ],
    };
  }
}

/**
 * The one public GraphQL endpoint: Apollo Federation gateway over the committed supergraph
 * for queries and mutations (HTTP POST /graphql), and the subscription path (graphql-ws at
 * /graphql, `SubscriptionGateway`) for subscriptions.
 */
@Module({})
export class GatewayModule implements NestModule {
  static forRoot(
    config: AppConfig,
    subgraphUrls: SubgraphUrls = config.subgraphUrls,
    options: GatewayOptions = {},
  ): DynamicModule {
    const security = GatewaySecurityModule.forRoot(config, subgraphUrls);
    const fetcher = subgraphFetcher(options.subgraphClient);
    const clientAddressOf = clientAddressResolver(config.trustedProxies);
    const supergraphSdl = options.supergraphSdl ?? readSupergraph();
    // Apollo Gateway's own API schema, so subscriptions are checked against exactly the
    // schema queries are (set when the gateway has loaded, before the app listens).
    let apiSchema: GraphQLSchema | undefined;
    const subscriptionSetup: SubscriptionSetup = {
      supergraphSdl,
      apiSchema: () => apiSchema,
      clientAddressOf,
      classify: unreachableSubgraph,
    };
    return {
      module: GatewayModule,
      imports: [
        AppConfigModule.forRoot(config),
        LoggingModule.forService({ service: 'gateway', ...config.log }),
        GraphQLModule.forRootAsync<ApolloGatewayDriverConfig>({
          driver: ApolloGatewayDriver,
          imports: [security],
          inject: [INTERNAL_IDENTITY_SIGNER, APP_LOGGER],
          useFactory: (signer: InternalIdentitySigner, logger: Logger) => {
            const errorOptions = { ...requestBoundLogger(logger), classify: unreachableSubgraph };
            // Depth, aliases, directives, tokens and cost (armor), engine days (our own),
            // README "Limits"; no introspection and no field suggestions in production.
            const armor = apolloArmor('gateway', { isProduction: config.isProduction });
            return {
              server: {
                playground: false,
                graphiql: false,
                introspection: !config.isProduction,
                includeStacktraceInErrorResponses: false,
                validationRules: armor.validationRules,
                parseOptions: armor.parseOptions,
                allowBatchedHttpRequests: armor.allowBatchedHttpRequests,
                // No HTTP caching of answers (personal, changing by the second): no
                // cache-control policy worked out per request.
                plugins: [
                  ApolloServerPluginCacheControlDisabled(),
                  ...armor.plugins,
                  operationRequired(),
                  engineDayBudget(),
                  subscriptionsOverHttpRefused(),
                ],
                context: ({ req }: { req: GatewayRequest }): GatewayContext => ({
                  principal: req.principal,
                  clientAddress: clientAddressOf(req),
                  requestId: typeof req.id === 'string' ? req.id : undefined,
                }),
                formatError: (formatted, error) =>
                  formatGraphQLError(formatted, error, errorOptions),
              },
              transformSchema: (schema: GraphQLSchema) => (apiSchema = schema),
              gateway: {
                supergraphSdl,
                buildService: ({ name, url }) =>
                  new AuthenticatedDataSource(
                    subgraphUrls[name as SubgraphName] ?? url ?? '',
                    signer,
                    fetcher,
                  ),
              },
            };
          },
        }),
        HealthModule.forRoot(
          {
            inject: [SubgraphProbe, HealthIndicatorService],
            useFactory: (probe: SubgraphProbe, indicators: HealthIndicatorService) =>
              SUBGRAPH_NAMES.map((name) => async () => {
                const status = (await probe.probe()).find((s) => s.name === name);
                const indicator = indicators.check(name);
                return status?.reachable
                  ? indicator.up()
                  : indicator.down({ reason: status?.reason ?? 'unknown' });
              }),
          },
          [security],
        ),
        security,
        ...webPages(config),
      ],
      controllers: [CitizenLoginController, StaffLoginController],
      providers: [
        { provide: SUBSCRIPTION_SETUP, useValue: subscriptionSetup },
        { provide: CLIENT_ADDRESS_OF, useValue: clientAddressOf },
        {
          provide: RATE_LIMITER,
          inject: [APP_LOGGER],
          useFactory: (logger: Logger) => rateLimiterFor(config, logger),
        },
        SubscriptionGateway,
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    // Every answer, the pages' files included: registered before the static files are.
    consumer.apply(SecurityHeadersMiddleware, PageCompressionMiddleware).forRoutes('{*path}');
    // Authenticated first: a signed-in caller is limited per identity, not per address.
    consumer.apply(GatewayIdentityMiddleware, RateLimitMiddleware).forRoutes('graphql');
    // The e-ID sign-in routes talk to the broker: limited per address like anonymous calls.
    consumer.apply(RateLimitMiddleware).forRoutes('auth/*path');
  }
}
