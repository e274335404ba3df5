import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import {
  GraphQLError,
  type ExecutionArgs,
  type GraphQLFormattedError,
  type GraphQLSchema,
} from 'graphql';
import type {
  Context,
  ExecutionResult,
  FormattedExecutionResult,
  SubscribePayload,
} from 'graphql-ws';
import type { Extra } from 'graphql-ws/use/ws';
import { decodeJwt } from 'jose';
import type { IncomingMessage, Server } from 'node:http';
import type { Logger } from 'pino';
import {
  AuthenticationError,
  ExternalTokenVerifier,
  InternalIdentitySigner,
  TOKEN_CLOCK_TOLERANCE_SECONDS,
  type Principal,
} from '@samservice/platform/auth';
import { APP_CONFIG, type AppConfig } from '@samservice/platform/config';
import { formatGraphQLError, type FormatErrorOptions } from '@samservice/platform/errors';
import {
  WebSocketCloseCode,
  connectionErrorOptions,
  serveGraphQLOverWebSocket,
  tooManySubscriptions,
  type GraphQLWebSocketEndpoint,
} from '@samservice/platform/http';
import { APP_LOGGER, REQUEST_ID_HEADER, safeRequestId } from '@samservice/platform/logging';
import type { ClientAddressOf } from '../client-address';
import { EXTERNAL_TOKEN_VERIFIER, INTERNAL_IDENTITY_SIGNER } from '../gateway-identity.middleware';
import { RATE_LIMITER, type RateLimiter } from '../rate-limit/rate-limiter';
import { SUBGRAPH_URLS } from '../subgraph-probe';
import type { SubgraphUrls } from '../subgraphs';
import { SubscriptionPlanner, type SubscriptionPlan } from './subscription-plan';
import { SupergraphRoutes } from './supergraph-routes';
import { SubgraphRefusal, UpstreamConnections, type RelayedResult } from './upstream';

/** What a client may send in `connection_init`. */
export interface GatewayConnectionParams extends Record<string, unknown> {
  /** `Bearer <JWT>`, for clients that cannot set headers on a WebSocket (browsers). */
  authorization?: unknown;
  requestId?: unknown;
}

/** One client connection, from its `connection_init` until it closes. */
interface ClientConnection {
  principal: Principal;
  clientAddress?: string;
  requestId: string;
  upstream: UpstreamConnections;
  errors: FormatErrorOptions;
  /** Closes the connection when the bearer token expires. */
  expiry?: NodeJS.Timeout;
}

interface ConnectionExtra extends Record<PropertyKey, unknown> {
  connection: ClientConnection;
}

type ClientContext = Context<GatewayConnectionParams, Extra & Partial<ConnectionExtra>>;

/** What `onSubscribe` hands to `subscribe`, through the execution arguments. */
interface Forwarding {
  connection: ClientConnection;
  plan: SubscriptionPlan;
  payload: SubscribePayload;
}

/** What the subscription path is given by GatewayModule: its supergraph, and Apollo's API schema. */
export interface SubscriptionSetup {
  supergraphSdl: string;
  /** The API schema Apollo Gateway built from the supergraph (set once it has loaded). */
  apiSchema: () => GraphQLSchema | undefined;
  clientAddressOf: ClientAddressOf;
  /** Recognises an unreachable subgraph in an error, as the HTTP path does. */
  classify: FormatErrorOptions['classify'];
}

export const SUBSCRIPTION_SETUP = Symbol('SUBSCRIPTION_SETUP');

/** Longest a timer may wait (setTimeout's 32-bit limit). */
const MAX_TIMER_MS = 2 ** 31 - 1;

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * When the bearer token in `authorization` (verified already) stops being accepted, in epoch
 * ms: its `exp` plus the verifier's clock tolerance, as over HTTP.
 */
function expiryOf(authorization: string | undefined): number | undefined {
  const token = authorization?.trim().replace(/^Bearer /, '');
  if (!token) return undefined;
  const { exp } = decodeJwt(token);
  return typeof exp === 'number' ? (exp + TOKEN_CLOCK_TOLERANCE_SECONDS) * 1000 : undefined;
}

/**
 * The gateway's subscription path: graphql-ws on the gateway's own HTTP server at `/graphql`
 * (WebSocket upgrades; POST stays with Apollo Gateway, which does not carry subscriptions).
 *
 * A connection authenticates once, at `connection_init`: `connectionParams.authorization`
 * ("Bearer …") or else the upgrade request's Authorization header, verified as over HTTP; none
 * is anonymous, a bad one is closed with 4401, and the connection closes with 4401 when the
 * token expires. Each subscription is checked (`SubscriptionPlanner`) and passed through to the
 * subgraph owning its root field, over an upstream connection of this client connection's own
 * that carries this caller's identity, signed as for HTTP; events, errors and the end come
 * back as they are, errors formatted as over HTTP. Bounded: connections per gateway process,
 * subscriptions per connection, message size (the gateway's body limit), time to initialise.
 */
@Injectable()
export class SubscriptionGateway implements OnApplicationBootstrap, OnModuleDestroy {
  private endpoint?: GraphQLWebSocketEndpoint;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(SUBSCRIPTION_SETUP) private readonly setup: SubscriptionSetup,
    @Inject(EXTERNAL_TOKEN_VERIFIER) private readonly verifier: ExternalTokenVerifier,
    @Inject(INTERNAL_IDENTITY_SIGNER) private readonly signer: InternalIdentitySigner,
    @Inject(SUBGRAPH_URLS) private readonly subgraphUrls: SubgraphUrls,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(APP_LOGGER) private readonly logger: Logger,
    @Inject(RATE_LIMITER) private readonly rateLimiter: RateLimiter,
  ) {}

  onApplicationBootstrap(): void {
    const routes = SupergraphRoutes.fromSupergraph(this.setup.supergraphSdl);
    const planner = new SubscriptionPlanner(this.setup.apiSchema, routes, {
      isProduction: this.config.isProduction,
    });
    const { maxConnections, maxPerConnection, initTimeoutMs } = this.config.subscriptions;
    this.endpoint = serveGraphQLOverWebSocket<GatewayConnectionParams, ConnectionExtra>({
      httpServer: this.adapterHost.httpAdapter.getHttpServer() as Server,
      path: '/graphql',
      maxPayloadBytes: this.config.maxRequestBytes.gateway,
      maxConnections,
      logger: this.logger,
      // A connection attempt counts against its address's rate limit (it authenticates only
      // at connection_init); over it, the upgrade is answered 429 and no socket is opened.
      refuseUpgrade: (request) => {
        const refusal = this.rateLimiter.admitConnection(this.setup.clientAddressOf(request));
        if (!refusal) return undefined;
        return {
          status: 429,
          statusText: 'Too Many Requests',
          headers: {
            'Content-Type': 'application/json; charset=utf-8',
            'Retry-After': String(refusal.retryAfterSeconds),
          },
          body: refusal.body,
        };
      },
      server: {
        connectionInitWaitTimeout: initTimeoutMs,
        onConnect: (ctx) => this.authenticate(ctx),
        onSubscribe: (ctx, _id, payload): ExecutionArgs | readonly GraphQLError[] => {
          const connection = ctx.extra.connection as ClientConnection; // set by onConnect
          // The subscription being prepared is counted already.
          if (Object.keys(ctx.subscriptions).length > maxPerConnection) {
            return [tooManySubscriptions(maxPerConnection)];
          }
          const plan = planner.plan(payload);
          if (Array.isArray(plan)) return plan;
          const forwarding: Forwarding = { connection, plan, payload };
          return {
            schema: this.setup.apiSchema() as GraphQLSchema, // plan() checked it is there
            document: plan.document,
            operationName: payload.operationName,
            variableValues: payload.variables,
            contextValue: forwarding,
          };
        },
        // Relayed events hold formatted errors, not GraphQLErrors: onNext formats them again.
        subscribe: (args) =>
          this.forward(args.contextValue as Forwarding) as AsyncIterable<ExecutionResult>,
        onNext: (ctx, _id, _payload, _args, result) => this.formatResult(ctx, result),
        onError: (ctx, _id, _payload, errors) =>
          errors.flatMap((error) => this.formatError(ctx, error)),
        onClose: (ctx, code) => {
          const connection = ctx.extra.connection;
          if (!connection) return;
          clearTimeout(connection.expiry);
          this.logger.info(
            { requestId: connection.requestId, role: connection.principal.role, code },
            'subscription connection closed',
          );
          return connection.upstream.close();
        },
      },
    });
  }

  /** Closed before Apollo Server stops: its drain would otherwise wait for these sockets. */
  async onModuleDestroy(): Promise<void> {
    await this.endpoint?.close();
  }

  private async authenticate(ctx: ClientContext): Promise<boolean> {
    const params = ctx.connectionParams ?? {};
    const { request, socket } = ctx.extra;
    const requestId = safeRequestId(params.requestId ?? header(request, REQUEST_ID_HEADER));
    const authorization = params.authorization ?? header(request, 'authorization');
    let principal: Principal;
    try {
      if (authorization !== undefined && typeof authorization !== 'string') {
        throw new AuthenticationError('connectionParams.authorization must be "Bearer <JWT>".');
      }
      principal = await this.verifier.principalFor(authorization);
    } catch (error) {
      this.logger.info(
        {
          requestId,
          reason: error instanceof AuthenticationError ? error.message : 'unverifiable',
        },
        'subscription connection refused: the bearer token is not valid',
      );
      socket.close(WebSocketCloseCode.UNAUTHORIZED, 'Unauthorized');
      return false; // graphql-ws's own 4403 comes after the 4401 above, and is not sent
    }
    const clientAddress = this.setup.clientAddressOf(request);
    const connection: ClientConnection = {
      principal,
      clientAddress,
      requestId,
      errors: { ...connectionErrorOptions(this.logger, requestId), classify: this.setup.classify },
      upstream: new UpstreamConnections({
        connectionParams: async () => ({
          identity: await this.signer.sign(principal, clientAddress),
          requestId,
        }),
        onUnreachable: (url, reason) =>
          this.logger.warn(
            { requestId, url, reason },
            'subscription ended: the subgraph is not reachable',
          ),
      }),
    };
    const expiresAt = expiryOf(authorization);
    if (expiresAt !== undefined) {
      connection.expiry = setTimeout(
        () => socket.close(WebSocketCloseCode.UNAUTHORIZED, 'Token expired'),
        Math.min(MAX_TIMER_MS, Math.max(0, expiresAt - Date.now())),
      );
    }
    ctx.extra.connection = connection;
    return true;
  }

  private forward({ connection, plan, payload }: Forwarding) {
    const url = this.subgraphUrls[plan.subgraph.name as keyof SubgraphUrls] ?? plan.subgraph.url;
    return connection.upstream.subscribe(url, {
      query: plan.query,
      operationName: payload.operationName,
      variables: payload.variables,
    });
  }

  /** A subgraph's event as the client gets it: its data, its errors formatted as over HTTP. */
  private formatResult(ctx: ClientContext, result: unknown): FormattedExecutionResult {
    const { data, errors } = result as RelayedResult;
    return {
      data,
      ...(errors ? { errors: errors.map((error) => this.formatRelayed(ctx, error)) } : {}),
    };
  }

  private formatError(ctx: ClientContext, error: GraphQLError): GraphQLFormattedError[] {
    const original = error.originalError;
    if (original instanceof SubgraphRefusal) {
      return original.errors.map((relayed) => this.formatRelayed(ctx, relayed));
    }
    // Our own refusal thrown while forwarding (e.g. SERVICE_UNAVAILABLE) carries the code.
    const own = original instanceof GraphQLError ? original : error;
    return [formatGraphQLError(own.toJSON(), own, this.errorOptions(ctx))];
  }

  private formatRelayed(ctx: ClientContext, relayed: GraphQLFormattedError): GraphQLFormattedError {
    const error = new GraphQLError(relayed.message, {
      path: relayed.path,
      extensions: relayed.extensions,
    });
    return formatGraphQLError(relayed, error, this.errorOptions(ctx));
  }

  private errorOptions(ctx: ClientContext): FormatErrorOptions {
    return ctx.extra.connection?.errors ?? connectionErrorOptions(this.logger, undefined);
  }
}
