import {
  ValidationPipe,
  type INestApplication,
  type Type,
  type ValidationError,
} from '@nestjs/common';
import { DomainError } from '@samservice/platform/errors';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Server } from 'node:http';
import type { Logger } from 'pino';
import {
  APP_LOGGER,
  createLogger,
  NestPinoLogger,
  type LoggingOptions,
} from '@samservice/platform/logging';
import { AdmissionGate, admissionMiddleware, type AdmissionOptions } from './admission';
import { BackstopExceptionFilter } from './backstop-exception.filter';
import { bodyErrorHandler } from './request-body';

const KEEP_ALIVE_TIMEOUT_MS = 65_000;
const LISTEN_BACKLOG = 4_096;

export interface NestAppOptions {
  /** The largest JSON body read (bytes); a larger one is answered 413 PAYLOAD_TOO_LARGE. */
  maxRequestBytes: number;
  /** Bounds the GraphQL requests worked on at once (absent: unbounded, tests of other parts). */
  admission?: AdmissionOptions;
}

export interface CreatedApp {
  app: INestApplication;
  url: string;
  port: number;
}

/**
 * Creates and starts one Nest HTTP application (a subgraph or the gateway) with the
 * shared edges: pino logging, a JSON body parser with a size limit, global validation, the
 * backstop filter. Port 0 picks a free one.
 */
export async function startNestApp(
  module: Type<unknown> | object,
  port: number,
  host: string,
  log: LoggingOptions,
  options: NestAppOptions,
): Promise<CreatedApp> {
  const app = await NestFactory.create<NestExpressApplication>(module as Type<unknown>, {
    logger: new NestPinoLogger(createLogger(log)),
    abortOnError: false,
    // JSON only (GraphQL over HTTP), with our limit; Nest's default parsers would read
    // 100 kB of JSON or URL-encoded forms and answer a larger body with a 500.
    bodyParser: false,
  });
  if (options.admission) {
    const logger = app.get<Logger>(APP_LOGGER);
    const gate = new AdmissionGate(options.admission);
    // Before the request logger and GraphQL: a refused request costs a few microseconds and
    // its one log line. /health and /ready are never queued behind a rush.
    app.use(
      '/graphql',
      admissionMiddleware(gate, (error, req) =>
        logger.warn(
          {
            method: req.method,
            reason: error.reason,
            inFlight: gate.inFlight,
            waiting: gate.waiting,
            retryAfterSeconds: error.retryAfterSeconds,
          },
          'request refused: overloaded',
        ),
      ),
    );
  }
  app.useBodyParser('json', { limit: options.maxRequestBytes });
  // Right after the parser: its refusals are answered here, GraphQL-shaped, before Nest's
  // error handling would log them as unexpected.
  app.use(bodyErrorHandler(options.maxRequestBytes, app.get(APP_LOGGER)));
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      exceptionFactory: validationFailure,
    }),
  );
  app.useGlobalFilters(new BackstopExceptionFilter(app.get(APP_LOGGER)));
  const server = app.getHttpServer() as Server;
  // Idle keep-alive connections outlive the clients' and proxies' own (they close first, so a
  // request is never sent on a connection the server is closing: ECONNRESET under load).
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1_000;
  // Room for a burst of new connections (everyone books at 08:00) before the kernel refuses.
  const listen = app.listen.bind(app) as unknown as (
    port: number,
    host: string,
    backlog: number,
  ) => Promise<unknown>; // Nest passes extra arguments on to server.listen
  await listen(port, host, LISTEN_BACKLOG);
  const address = app.getHttpServer().address() as { port: number } | string | null;
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const printableHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  return { app, port: actualPort, url: `http://${printableHost}:${actualPort}` };
}

function flatten(
  errors: ValidationError[],
  prefix = '',
): Array<{ field: string; message: string }> {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/** Input validation fails as BAD_USER_INPUT naming the (first) field, like every other refusal. */
export function validationFailure(errors: ValidationError[]): DomainError {
  const problems = flatten(errors);
  const first = problems[0] ?? { field: 'input', message: 'The input is not valid.' };
  // One message per problem: the validators of a field that share a message (from 1 to 50)
  // all fail on an explicit null, and the message need not be said three times.
  const messages = [...new Set(problems.map((p) => p.message))];
  return DomainError.badInput(messages.join('; '), first.field);
}
