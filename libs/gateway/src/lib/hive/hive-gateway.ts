import {
  createGatewayRuntime,
  Logger as HiveLogger,
  type GatewayPlugin,
  type LogLevel,
} from '@graphql-hive/gateway-runtime';
import { unifiedGraphHandler } from '@graphql-hive/router-runtime';
import { GraphQLError } from 'graphql';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { ANONYMOUS, AuthenticationError, InternalIdentitySigner } from '@samservice/platform/auth';
import type { AppConfig } from '@samservice/platform/config';
import { citizenSessionKeys, gatewayTokenVerifier } from '../token-verifier';
import { authorizationOf } from '../citizen-login/session-cookie';
import {
  ErrorCode,
  INTERNAL_ERROR_MESSAGE,
  formatGraphQLError,
  type FormatErrorOptions,
} from '@samservice/platform/errors';
import {
  createLogger,
  currentLogger,
  currentRequestId,
  pathOf,
  requestLogging,
} from '@samservice/platform/logging';
import { clientAddressResolver } from '../client-address';
import { SubgraphProbe, type SubgraphStatus } from '../subgraph-probe';
import type { SubgraphUrls } from '../subgraphs';
import { readSupergraph } from '../supergraph';
import {
  samserviceTransports,
  SubgraphUnreachableError,
  type HiveRequestContext,
} from './subgraph-transport';
import type { SubgraphClient } from './subgraph-client';
import { apolloCompatibleAnswers, codeVariableError, keepHttpStatus } from './answer-shape';

const KEEP_ALIVE_TIMEOUT_MS = 65_000;
const LISTEN_BACKLOG = 4_096;
const GRAPHQL_PATH = '/graphql';

export const UNREACHABLE_MESSAGE =
  'Part of Samservice is not reachable right now. Please try again in a moment.';

export interface HiveGatewayOptions {
  config: AppConfig;
  /** Where the subgraphs run (default: the configuration's). */
  subgraphUrls?: SubgraphUrls;
  /** The supergraph to serve (default: the committed one). */
  supergraphSdl?: string;
  /** More envelop/Yoga/Hive plugins (e.g. graphql-armor's `EnvelopArmorPlugin`). */
  plugins?: GatewayPlugin[];
  /** How to post to the subgraphs (default Node's fetch, as the Apollo gateway does). */
  subgraphClient?: SubgraphClient;
  /** Port (default: the configuration's; 0 picks a free one). */
  port?: number;
}

export interface HiveGateway {
  server: Server;
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Hive's own log lines (start-up, its warnings) as lines of the gateway's pino logger. Not
 * the errors Yoga logs when its masking replaces one (lines without a message): an expected
 * error (a subgraph that is down) is no news, and formatGraphQLError has logged each
 * unexpected one already, with the request id.
 */
function hiveLogger(logger: Logger): HiveLogger {
  const level = logger.level as string;
  const hiveLevel: LogLevel | false =
    level === 'silent' ? false : level === 'fatal' ? 'error' : (level as LogLevel);
  return new HiveLogger({
    level: hiveLevel,
    writers: [
      {
        write(lineLevel, attrs, msg) {
          if (lineLevel === 'error' && !msg) return;
          const fields = attrs && !Array.isArray(attrs) ? attrs : { attrs };
          logger[lineLevel]({ hive: true, ...fields }, msg ?? '');
        },
      },
    ],
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

/** `/ready` in the shape of @nestjs/terminus, which the Apollo gateway answers with. */
function readiness(statuses: SubgraphStatus[]): { status: number; body: unknown } {
  const info: Record<string, unknown> = {};
  const error: Record<string, unknown> = {};
  const details: Record<string, unknown> = {};
  for (const s of statuses) {
    const entry = s.reachable ? { status: 'up' } : { status: 'down', reason: s.reason };
    (s.reachable ? info : error)[s.name] = entry;
    details[s.name] = entry;
  }
  const ok = Object.keys(error).length === 0;
  return {
    status: ok ? 200 : 503,
    body: { status: ok ? 'ok' : 'error', info, error, details },
  };
}

function sameExtensions(a: Record<string, unknown> = {}, b: Record<string, unknown> = {}): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}

/**
 * Yoga's error masking through the one formatter every server uses (formatGraphQLError):
 * classified errors keep their code and extensions, anything else is logged with the request
 * id and answered INTERNAL_SERVER_ERROR; stack traces and internal messages never leave.
 * An error that is fine as it is comes back as the same object (Yoga logs each one replaced).
 */
function errorShaper(options: FormatErrorOptions): (error: unknown) => GraphQLError {
  return (error) => {
    const graphQLError =
      error instanceof GraphQLError
        ? error
        : new GraphQLError(INTERNAL_ERROR_MESSAGE, { originalError: error as Error });
    codeVariableError(graphQLError);
    keepHttpStatus(graphQLError);
    // Yoga's refusal of a body that is not JSON carries the parser's own message.
    const { originalError: _internal, ...extensions } = graphQLError.extensions;
    const formatted = formatGraphQLError(
      { ...graphQLError.toJSON(), extensions },
      graphQLError,
      options,
    );
    if (
      formatted.message === graphQLError.message &&
      sameExtensions(formatted.extensions, graphQLError.extensions)
    ) {
      return graphQLError;
    }
    return new GraphQLError(formatted.message, {
      nodes: graphQLError.nodes,
      source: graphQLError.source,
      positions: graphQLError.positions,
      path: formatted.path,
      extensions: formatted.extensions,
    });
  };
}

/**
 * The public GraphQL endpoint on Hive Gateway (`@graphql-hive/gateway-runtime` with the Rust
 * query planner of `@graphql-hive/router-runtime`) and a plain node:http server, doing per
 * request what the Apollo gateway (GatewayModule) does: the request id and one JSON log line
 * (the same pino-http middleware), the bearer JWT verified when present (401 otherwise), the
 * caller's identity signed and forwarded with the request id to the subgraphs, errors shaped
 * by the one formatter (codes kept, stack traces never), `/health` and `/ready`.
 */
export async function startHiveGateway(options: HiveGatewayOptions): Promise<HiveGateway> {
  const { config } = options;
  const subgraphUrls = options.subgraphUrls ?? config.subgraphUrls;
  const logger = createLogger({ service: 'gateway', ...config.log });
  const signer = await InternalIdentitySigner.create({
    isProduction: config.isProduction,
    dataDir: config.dataDir,
    ...config.internalIdentity,
  });
  const verifier = await gatewayTokenVerifier(config, await citizenSessionKeys(config));
  const probe = new SubgraphProbe(subgraphUrls, logger);
  const clientAddressOf = clientAddressResolver(config.trustedProxies);
  const shape = errorShaper({
    logger: { error: (obj, message) => currentLogger(logger).error(obj, message) },
    requestId: currentRequestId,
    classify: (original) =>
      original instanceof SubgraphUnreachableError
        ? { code: ErrorCode.SERVICE_UNAVAILABLE, message: UNREACHABLE_MESSAGE }
        : undefined,
  });

  const runtime = createGatewayRuntime<HiveRequestContext>({
    supergraph: options.supergraphSdl ?? readSupergraph(),
    unifiedGraphHandler,
    transports: samserviceTransports(signer, options.subgraphClient),
    // The URLs in the committed supergraph are docker/compose.yaml's.
    transportEntries: Object.fromEntries(
      Object.entries(subgraphUrls).map(([name, location]) => [name, { location }]),
    ),
    logging: hiveLogger(logger),
    // Batching merges parallel fetches of one request to one subgraph into one request; the
    // operations here make one fetch per subgraph and plan step, so it only costs CPU (the
    // Apollo gateway does not batch either).
    __experimental__batchExecution: false,
    landingPage: false,
    graphiql: false,
    // Request ids are ours (requestIdFor: an id holding an identity number is replaced).
    requestId: false,
    maskedErrors: { errorMessage: INTERNAL_ERROR_MESSAGE, maskError: (error) => shape(error) },
    plugins: () => [apolloCompatibleAnswers(), ...(options.plugins ?? [])],
  });

  // The supergraph is read and the query planner built now, not on the first request: a
  // supergraph it cannot serve stops the start.
  await runtime.getSchema();
  const logRequest = requestLogging(logger);

  const handleGraphQL = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    let principal;
    if (req.method !== 'OPTIONS') {
      try {
        principal = await verifier.principalFor(authorizationOf(req));
      } catch (error) {
        const message =
          error instanceof AuthenticationError
            ? error.message
            : 'The bearer token could not be verified.';
        sendJson(
          res,
          401,
          { errors: [{ message, extensions: { code: ErrorCode.UNAUTHENTICATED } }] },
          { 'www-authenticate': 'Bearer error="invalid_token"' },
        );
        return;
      }
    }
    const context: HiveRequestContext = {
      principal: principal ?? ANONYMOUS,
      clientAddress: clientAddressOf(req),
      requestId: String((req as IncomingMessage & { id?: unknown }).id),
    };
    await runtime.handle(req, res, context);
  };

  const server = createServer((req, res) => {
    logRequest(req, res, () => {
      const path = pathOf(req.url);
      const done = (error: unknown) => {
        currentLogger(logger).error({ err: error }, 'unexpected error on an HTTP route');
        if (!res.headersSent)
          sendJson(res, 500, {
            code: ErrorCode.INTERNAL_SERVER_ERROR,
            message: INTERNAL_ERROR_MESSAGE,
          });
      };
      if (path === GRAPHQL_PATH) {
        handleGraphQL(req, res).catch(done);
      } else if (path === '/health' && req.method === 'GET') {
        sendJson(res, 200, { status: 'ok', info: {}, error: {}, details: {} });
      } else if (path === '/ready' && req.method === 'GET') {
        probe.probe().then((statuses) => {
          const { status, body } = readiness(statuses);
          sendJson(res, status, body);
        }, done);
      } else {
        sendJson(res, 404, {
          message: `Cannot ${req.method} ${path}`,
          error: 'Not Found',
          statusCode: 404,
        });
      }
    });
  });
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? config.port, config.host, LISTEN_BACKLOG, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const printableHost =
    config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  // A subgraph that is down at start gets one clear line, as with the Apollo gateway.
  await probe.onApplicationBootstrap();
  return {
    server,
    port,
    url: `http://${printableHost}:${port}`,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await runtime.dispose();
      logger.flush();
    },
  };
}
