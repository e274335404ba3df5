import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import {
  GraphQLError,
  OperationTypeNode,
  getOperationAST,
  type ExecutionArgs,
  type GraphQLSchema,
} from 'graphql';
import type { Context } from 'graphql-ws';
import type { Extra } from 'graphql-ws/use/ws';
import type { Server } from 'node:http';
import type { Logger } from 'pino';
import {
  INTERNAL_IDENTITY_VERIFIER,
  InternalIdentityVerifier,
  type ForwardedIdentity,
  type RequestWithPrincipal,
  type SubgraphContext,
} from '@samservice/platform/auth';
import { APP_CONFIG, type AppConfig } from '@samservice/platform/config';
import {
  ErrorCode,
  formatGraphQLError,
  type FormatErrorOptions,
} from '@samservice/platform/errors';
import { APP_LOGGER, safeRequestId } from '@samservice/platform/logging';
import { serveGraphQLOverWebSocket, type GraphQLWebSocketEndpoint } from './graphql-websocket';
import { BAD_REQUEST } from './request-body';
import { operationChecks } from './request-limits';

/**
 * What the gateway sends in a connection's `connection_init`: the caller's identity signed
 * as for HTTP (`x-samservice-identity`), and the request id of the client's connection.
 */
export interface SubgraphConnectionParams extends Record<string, unknown> {
  identity?: unknown;
  requestId?: unknown;
}

/** What one connection carries from its `connection_init` to its operations. */
export interface SubgraphConnection extends Record<PropertyKey, unknown> {
  identity: ForwardedIdentity;
  requestId: string;
}

type SubgraphSocketContext = Context<SubgraphConnectionParams, Extra & Partial<SubgraphConnection>>;

/** A subscription refused for `MAX_SUBSCRIPTIONS_PER_CONNECTION` (gateway and subgraphs). */
export function tooManySubscriptions(max: number): GraphQLError {
  return new GraphQLError(
    `One connection runs at most ${max} subscriptions at once. Complete one before you start another, or open another connection.`,
    {
      extensions: { code: ErrorCode.LIMIT_REACHED, limit: 'subscriptionsPerConnection', max },
    },
  );
}

/** What the error formatter needs for one connection: its request id on every line and answer. */
export function connectionErrorOptions(
  logger: Logger,
  requestId: string | undefined,
): FormatErrorOptions {
  return {
    logger: { error: (obj, message) => logger.error({ ...obj, requestId }, message) },
    requestId: () => requestId,
  };
}

/**
 * The context a subscription's resolvers get: `{ req }` as over HTTP, with the principal and
 * client address the gateway signed, so `@CurrentPrincipal()` and `context.req.clientAddress`
 * work unchanged. `req` is the upgrade request seen through a fresh object for each
 * subscription: per-request caches keyed on it (DataLoaders) live as long as the
 * subscription, not as long as the connection.
 */
function subscriptionContext(extra: Extra & Partial<SubgraphConnection>): SubgraphContext {
  const req = Object.create(extra.request) as RequestWithPrincipal;
  req.principal = extra.identity?.principal;
  req.clientAddress = extra.identity?.clientAddress;
  if (extra.requestId !== undefined) req.id = extra.requestId;
  return { req };
}

/**
 * graphql-ws on a subgraph's own `/graphql` (the gateway's subscription path connects here):
 * each connection must carry, in `connectionParams.identity`, an identity the gateway signed
 * (else it is closed with 4403 Forbidden); its subscriptions then run with that principal in
 * the context, as HTTP requests do. Only subscriptions (queries and mutations come over
 * HTTP), at most `MAX_SUBSCRIPTIONS_PER_CONNECTION` at once, each message at most
 * `SUBGRAPH_MAX_REQUEST_BYTES`, the same depth limit as over HTTP.
 * Enabled with `SubgraphCoreModule.forRoot({ …, subscriptions: true })`.
 */
@Injectable()
export class SubgraphSubscriptionServer implements OnApplicationBootstrap, OnModuleDestroy {
  private endpoint?: GraphQLWebSocketEndpoint;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly schemaHost: GraphQLSchemaHost,
    @Inject(INTERNAL_IDENTITY_VERIFIER) private readonly verifier: InternalIdentityVerifier,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(APP_LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    const schema = this.schemaHost.schema;
    const { maxPerConnection, initTimeoutMs } = this.config.subscriptions;
    const checks = operationChecks('subgraph', { isProduction: this.config.isProduction });
    const format = (ctx: SubgraphSocketContext, error: GraphQLError) =>
      formatGraphQLError(
        error.toJSON(),
        error,
        connectionErrorOptions(this.logger, ctx.extra.requestId),
      );
    this.endpoint = serveGraphQLOverWebSocket<SubgraphConnectionParams, SubgraphConnection>({
      httpServer: this.adapterHost.httpAdapter.getHttpServer() as Server,
      path: '/graphql',
      maxPayloadBytes: this.config.maxRequestBytes.subgraph,
      logger: this.logger,
      server: {
        connectionInitWaitTimeout: initTimeoutMs,
        onConnect: async (ctx) => {
          const params = ctx.connectionParams ?? {};
          ctx.extra.requestId = safeRequestId(params.requestId);
          try {
            ctx.extra.identity = await this.verifier.verify(
              typeof params.identity === 'string' ? params.identity : undefined,
            );
            return true;
          } catch {
            this.logger.warn(
              { requestId: ctx.extra.requestId },
              'subscription connection refused: no identity signed by the gateway',
            );
            return false; // graphql-ws closes it with 4403 Forbidden
          }
        },
        onSubscribe: (ctx, _id, payload) =>
          this.prepare(schema, checks, maxPerConnection, ctx, payload),
        onNext: (ctx, _id, _payload, _args, result) =>
          result.errors
            ? { ...result, errors: result.errors.map((error) => format(ctx, error)) }
            : undefined,
        onError: (ctx, _id, _payload, errors) => errors.map((error) => format(ctx, error)),
        onClose: (ctx, code) => {
          this.logger.info(
            { requestId: ctx.extra.requestId, code },
            'subscription connection closed',
          );
        },
      },
    });
  }

  /** Closed before Apollo Server stops: its drain would otherwise wait for these sockets. */
  async onModuleDestroy(): Promise<void> {
    await this.endpoint?.close();
  }

  private prepare(
    schema: GraphQLSchema,
    checks: ReturnType<typeof operationChecks>,
    maxPerConnection: number,
    ctx: SubgraphSocketContext,
    payload: {
      query: string;
      operationName?: string | null;
      variables?: Record<string, unknown> | null;
    },
  ): ExecutionArgs | GraphQLError[] {
    // The subscription being prepared is counted already.
    if (Object.keys(ctx.subscriptions).length > maxPerConnection) {
      return [tooManySubscriptions(maxPerConnection)];
    }
    const document = checks.parse(payload.query);
    if (document instanceof GraphQLError) return [document];
    const errors = checks.validate(schema, document);
    if (errors.length > 0) return errors;
    const operation = getOperationAST(document, payload.operationName);
    if (operation?.operation !== OperationTypeNode.SUBSCRIPTION) {
      return [
        new GraphQLError(
          operation
            ? 'Only subscriptions are served over WebSocket; send queries and mutations over HTTP POST.'
            : 'Name the operation to run (operationName).',
          { extensions: { code: BAD_REQUEST } },
        ),
      ];
    }
    return {
      schema,
      document,
      operationName: payload.operationName,
      variableValues: payload.variables,
      contextValue: subscriptionContext(ctx.extra),
    };
  }
}
