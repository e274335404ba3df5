import { ValidationPipe, type INestApplication, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  APP_LOGGER,
  createLogger,
  NestPinoLogger,
  type LoggingOptions,
} from '@samservice/platform/logging';
import { BackstopExceptionFilter } from './backstop-exception.filter';

export interface CreatedApp {
  app: INestApplication;
  url: string;
  port: number;
}

/**
 * Creates and starts one Nest HTTP application (a subgraph or the gateway) with the
 * shared edges: pino logging, global validation, the backstop filter. Port 0 picks a free one.
 */
export async function startNestApp(
  module: Type<unknown> | object,
  port: number,
  host: string,
  log: LoggingOptions,
): Promise<CreatedApp> {
  const app = await NestFactory.create(module as Type<unknown>, {
    logger: new NestPinoLogger(createLogger(log)),
    abortOnError: false,
  });
  app.useGlobalPipes(
    new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }),
  );
  app.useGlobalFilters(new BackstopExceptionFilter(app.get(APP_LOGGER)));
  await app.listen(port, host);
  const address = app.getHttpServer().address() as { port: number } | string | null;
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const printableHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  return { app, port: actualPort, url: `http://${printableHost}:${actualPort}` };
}
