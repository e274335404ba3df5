import type { DynamicModule } from '@nestjs/common';
import 'reflect-metadata';
import { loadConfigOrExit, type AppConfig } from '@samservice/platform/config';
import { migrateService, type ServiceDatabase } from '@samservice/platform/database';
import type { AdmissionOptions } from './admission';
import { startNestApp } from './nest-app';

/** The gateway bounds what it forwards; a subgraph what it sends to its database pool. */
export function admissionFor(service: string, config: AppConfig): AdmissionOptions {
  const { gatewayLimit, subgraphLimit, maxQueue, maxWaitMs } = config.admission;
  return { limit: service === 'gateway' ? gatewayLimit : subgraphLimit, maxQueue, maxWaitMs };
}

/** A parent process (the launcher) passes its validated configuration in this variable. */
export const CONFIG_ENV = 'SAMSERVICE_CONFIG_JSON';
/** IPC message a child service sends its parent once it listens. */
export const LISTENING_MESSAGE = 'samservice:listening';

export interface ServiceEntryPoint {
  name: string;
  /** The service's database part; its migrations run before it starts. */
  database?: ServiceDatabase;
  port: (config: AppConfig) => number;
  /** The largest request body it reads: the gateway's or a subgraph's limit. */
  maxRequestBytes: (config: AppConfig) => number;
  module: (config: AppConfig, databaseUrl: string) => DynamicModule;
}

/**
 * Entry point of one service run on its own (a container of a deployment): validated
 * config, migrations, the app, graceful shutdown on SIGTERM/SIGINT.
 */
export function runService(entry: ServiceEntryPoint): void {
  const fail = (message: string) => {
    process.stderr.write(`${entry.name}: ${message}\n`);
    process.exit(1);
  };
  const inherited = process.env[CONFIG_ENV];
  const config = inherited ? (JSON.parse(inherited) as AppConfig) : loadConfigOrExit();
  const databaseUrl = config.databaseUrl ?? '';
  if (entry.database && !databaseUrl) {
    return fail(
      'DATABASE_URL is required to run this service on its own (`npm start` runs everything with an embedded database).',
    );
  }
  (async () => {
    if (entry.database) await migrateService(entry.database, databaseUrl);
    const { app, url } = await startNestApp(
      entry.module(config, databaseUrl),
      entry.port(config),
      config.host,
      {
        service: entry.name,
        ...config.log,
      },
      {
        maxRequestBytes: entry.maxRequestBytes(config),
        admission: admissionFor(entry.name, config),
      },
    );
    const stop = () =>
      void app.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
    if (process.send) {
      // Started by the launcher: report the address, and leave when the launcher is gone.
      process.send({ type: LISTENING_MESSAGE, url });
      process.once('disconnect', stop);
    } else {
      process.stdout.write(`${entry.name} listening on ${url}\n`);
    }
  })().catch((error: unknown) => fail((error as Error).message));
}
