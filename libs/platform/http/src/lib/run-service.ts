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
  /** The largest request body it reads (its MAX_REQUEST_BYTES). */
  maxRequestBytes: (config: AppConfig) => number;
  module: (config: AppConfig, databaseUrl: string) => DynamicModule;
}

/** A server that is up: its address, and how to stop it. */
export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

export interface ServerEntryPoint {
  name: string;
  /** Starts the server on the validated configuration. */
  start: (config: AppConfig) => Promise<RunningServer>;
}

/**
 * Entry point of one service run on its own (a container of a deployment): validated
 * config, migrations, the app, graceful shutdown on SIGTERM/SIGINT.
 */
export function runService(entry: ServiceEntryPoint): void {
  runServer({
    name: entry.name,
    async start(config) {
      const databaseUrl = config.databaseUrl ?? '';
      if (entry.database && !databaseUrl) {
        throw new Error(
          'DATABASE_URL is required to run this service on its own (`npm start` runs everything with an embedded database).',
        );
      }
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
      return { url, close: () => app.close() };
    },
  });
}

/**
 * Runs any server as a service of its own (a Nest app through `runService`, or a plain
 * node:http server): the configuration the launcher passed on (else the environment,
 * validated), graceful shutdown on SIGTERM/SIGINT, and, when started by the launcher, its
 * address reported over IPC and an exit when the launcher is gone.
 */
export function runServer(entry: ServerEntryPoint): void {
  const fail = (message: string) => {
    process.stderr.write(`${entry.name}: ${message}\n`);
    process.exit(1);
  };
  const inherited = process.env[CONFIG_ENV];
  const config = inherited ? (JSON.parse(inherited) as AppConfig) : loadConfigOrExit();
  (async () => {
    const { url, close } = await entry.start(config);
    const stop = () =>
      void close().then(
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
