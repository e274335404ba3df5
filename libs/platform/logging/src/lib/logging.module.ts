import {
  Inject,
  Module,
  RequestMethod,
  type DynamicModule,
  type MiddlewareConsumer,
  type NestModule,
} from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pinoHttp } from 'pino-http';
import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import type { LoggerService } from '@nestjs/common';
import { REDACT_CENSOR, maskIdentityNumbersInJson, redactPaths } from './redaction';
import { requestIdFor } from './request-id';

export interface LoggingOptions {
  service: string;
  level: string;
  pretty: boolean;
  /** Append the lines to this file (JSON lines) instead of writing them to stdout. */
  file?: string;
  /** With `file`: the lines at this level and above go to stdout too ('silent': none). */
  consoleLevel?: string;
}

/** Base pino options shared by the HTTP logger and the process logger of the launcher. */
export function pinoOptions(options: LoggingOptions): LoggerOptions {
  return {
    level: options.level,
    base: { service: options.service },
    redact: { paths: redactPaths(), censor: REDACT_CENSOR },
    // On the written line, not on the arguments of a log call: what a child logger is bound
    // with (pino-http's request, the request id) and what serializers return never pass
    // through the arguments.
    hooks: { streamWrite: maskIdentityNumbersInJson },
  };
}

const destinations = new Map<boolean, DestinationStream>();

/** One output stream per process and format, shared by every logger (one pretty worker, not one per app). */
export function logDestination(pretty: boolean): DestinationStream {
  let destination = destinations.get(pretty);
  if (!destination) {
    destination = pretty
      ? pino.transport({
          target: 'pino-pretty',
          options: { singleLine: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' },
        })
      : pino.destination({ dest: 1, sync: false });
    destinations.set(pretty, destination);
  }
  return destination;
}

const files = new Map<string, DestinationStream>();

/**
 * One appending stream per file and process, shared by every logger writing there. Several
 * processes may append to one file (a test's in-process services and its child processes):
 * each line is one write to a file opened with O_APPEND, so lines do not interleave.
 */
export function fileDestination(file: string): DestinationStream {
  let destination = files.get(file);
  if (!destination) {
    destination = pino.destination({ dest: file, append: true, mkdir: true, sync: false });
    files.set(file, destination);
  }
  return destination;
}

export function createLogger(options: LoggingOptions): Logger {
  if (!options.file || options.level === 'silent') {
    return pino(pinoOptions(options), logDestination(options.pretty));
  }
  // The file gets every line as JSON (what tools read); the console, if asked, the lines from
  // consoleLevel up in the configured format. The streamWrite hook masks the line before
  // either stream sees it.
  const consoleLevel = options.consoleLevel ?? 'silent';
  const streams: pino.StreamEntry[] = [
    { level: options.level as pino.Level, stream: fileDestination(options.file) },
  ];
  if (consoleLevel !== 'silent') {
    streams.push({ level: consoleLevel as pino.Level, stream: logDestination(options.pretty) });
  }
  return pino(pinoOptions(options), pino.multistream(streams));
}

/** Nest's start-up chatter (modules loaded, routes mapped) goes to debug. */
const BOOTSTRAP_CONTEXTS = new Set([
  'InstanceLoader',
  'RoutesResolver',
  'RouterExplorer',
  'NestFactory',
  'GraphQLModule',
]);

/** Nest's own log lines, as structured pino lines of the right service. */
export class NestPinoLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  private write(
    level: 'debug' | 'info' | 'warn' | 'error' | 'trace',
    message: unknown,
    params: unknown[],
  ): void {
    const context =
      typeof params[params.length - 1] === 'string'
        ? (params[params.length - 1] as string)
        : undefined;
    const effective =
      level === 'info' && context && BOOTSTRAP_CONTEXTS.has(context) ? 'debug' : level;
    const stack =
      level === 'error' && typeof params[0] === 'string' && params.length > 1
        ? params[0]
        : undefined;
    this.logger[effective](
      { context, ...(stack ? { stack } : {}) },
      typeof message === 'string' ? message : JSON.stringify(message),
    );
  }

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }
}

export const APP_LOGGER = Symbol('APP_LOGGER');

interface RequestLogContext {
  logger: Logger;
  requestId: string;
}

const requestContext = new AsyncLocalStorage<RequestLogContext>();

/** The id of the request being handled, if any. */
export function currentRequestId(): string | undefined {
  return requestContext.getStore()?.requestId;
}

/** The logger of the request being handled (its lines carry the request id), else `fallback`. */
export function currentLogger(fallback: Logger): Logger {
  return requestContext.getStore()?.logger ?? fallback;
}

/**
 * The path of a request URL. The query string stays out of the log: a GET request carries
 * its GraphQL operation and variables there, identity numbers included.
 */
export function pathOf(url: string | undefined): string {
  if (!url) return '';
  const end = url.search(/[?#]/);
  return end === -1 ? url : url.slice(0, end);
}

const UNLOGGED_PATHS = new Set(['/health', '/ready']);

/** A Connect-style middleware on Node's own request and response. */
export type RequestMiddleware = (
  req: IncomingMessage,
  res: ServerResponse,
  next: () => void,
) => void;

/**
 * The request logging of every service, on Node's own request and response (what
 * `LoggingModule` applies to every route, and what a server without Nest can run in front of
 * its handler): pino-http's one JSON line per request with the request id, and the request's
 * logger and id in AsyncLocalStorage for `currentLogger` and `currentRequestId`.
 */
export function requestLogging(base: Logger): RequestMiddleware {
  const httpLogger = pinoHttp({
    logger: base,
    genReqId: (req, res) => requestIdFor(req, res),
    customProps: (req) => ({ requestId: req.id }),
    autoLogging: { ignore: (req) => UNLOGGED_PATHS.has(pathOf(req.url)) },
    serializers: {
      // pino-http hands over `originalUrl` (Express) as `url`.
      req: (req: { id: unknown; method: string; url: string }) => ({
        id: req.id,
        method: req.method,
        url: pathOf(req.url),
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  });
  // Request lines are logged at info. Above that level (LOG_LEVEL=warn, as in the
  // benchmarks) pino-http would build a child logger per request for lines never written:
  // only the request id is set, and a child logger is made when something is logged.
  return base.isLevelEnabled('info')
    ? (req, res, next) =>
        httpLogger(req, res, () => {
          const withLog = req as IncomingMessage & { log: Logger; id: unknown };
          requestContext.run({ logger: withLog.log, requestId: String(withLog.id) }, next);
        })
    : (req, res, next) => {
        const requestId = requestIdFor(req, res);
        (req as IncomingMessage & { id: unknown }).id = requestId;
        let child: Logger | undefined;
        requestContext.run(
          {
            get logger() {
              return (child ??= base.child({ requestId }));
            },
            requestId,
          },
          next,
        );
      };
}

/**
 * Structured request logging with pino-http: one JSON line per request with the request
 * id, which every line logged while handling the request carries too (AsyncLocalStorage).
 * Each Nest app gets its own logger, labelled with its service, so several services can
 * share one process (npm start, e2e tests). nestjs-pino keeps one logger per process,
 * which would label every service's lines with the first one's name.
 */
@Module({})
export class LoggingModule implements NestModule {
  static forService(options: LoggingOptions): DynamicModule {
    return {
      module: LoggingModule,
      global: true,
      providers: [{ provide: APP_LOGGER, useValue: createLogger(options) }],
      exports: [APP_LOGGER],
    };
  }

  constructor(@Inject(APP_LOGGER) private readonly logger: Logger) {}

  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(requestLogging(this.logger))
      .forRoutes({ path: '*path', method: RequestMethod.ALL });
  }
}
