import type { INestApplication } from '@nestjs/common';
import type { Logger } from 'pino';
import { DirectoryModule } from '@samservice/directory';
import { GatewayModule } from '@samservice/gateway';
import type { AppConfig } from '@samservice/platform/config';
import { isPortFree, provideDatabase, type DatabaseServer } from '@samservice/platform/database';
import { startNestApp } from '@samservice/platform/http';
import { SchedulingModule } from '@samservice/scheduling';
import { migrateAll, seedDemo } from './services';

export interface RunningStack {
  gatewayUrl: string;
  graphqlUrl: string;
  subgraphs: { directory: string; scheduling: string };
  databaseUrl: string;
  stop(): Promise<void>;
}

export interface StackOptions {
  config: AppConfig;
  log: Logger;
  /** Run migrations before starting the services (default true). */
  migrate?: boolean;
}

async function subgraphPort(preferred: number, host: string): Promise<number> {
  if (preferred !== 0 && (await isPortFree(preferred, host))) return preferred;
  return 0;
}

/**
 * The whole system in one process tree: the database (embedded unless DATABASE_URL),
 * migrations, the demo seed where allowed, every subgraph and the gateway. Used by
 * `npm start` and by the end-to-end tests; `stop()` closes the apps, then the database.
 */
export async function startStack(options: StackOptions): Promise<RunningStack> {
  const { config, log } = options;
  const apps: INestApplication[] = [];
  let database: DatabaseServer | undefined;
  const stop = async () => {
    for (const app of apps.reverse())
      await app
        .close()
        .catch((error: unknown) => log.warn({ err: error }, 'closing an app failed'));
    apps.length = 0;
    await database?.stop();
    database = undefined;
  };

  try {
    if (config.port !== 0 && !(await isPortFree(config.port, config.host))) {
      throw new Error(
        `PORT ${config.port} is already in use on ${config.host}; choose another with PORT=…`,
      );
    }
    database = await provideDatabase({
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      log: (message) => log.debug({ postgres: message }, 'postgres'),
      onUnexpectedExit: (message) => log.error(message),
    });
    log.info(
      database.embedded
        ? 'embedded PostgreSQL started'
        : 'using the PostgreSQL server in DATABASE_URL',
    );

    if (options.migrate !== false) {
      const applied = await migrateAll(database.url);
      const count = Object.values(applied).flat().length;
      if (count > 0) log.info({ applied }, `applied ${count} migration(s)`);
    }
    if (config.seedDemo && (await seedDemo(database.url)))
      log.info('seeded the demo network into the empty database');

    const subgraphModules = {
      directory: {
        module: DirectoryModule.forRoot(config, database.url),
        port: config.directoryPort,
      },
      scheduling: {
        module: SchedulingModule.forRoot(config, database.url),
        port: config.schedulingPort,
      },
    };
    const subgraphs = {} as Record<keyof typeof subgraphModules, string>;
    for (const [name, { module, port }] of Object.entries(subgraphModules)) {
      const started = await startNestApp(
        module,
        await subgraphPort(port, config.host),
        config.host,
        {
          service: name,
          ...config.log,
        },
      );
      apps.push(started.app);
      subgraphs[name as keyof typeof subgraphModules] = `${started.url}/graphql`;
    }
    const gateway = await startNestApp(
      GatewayModule.forRoot(config, subgraphs),
      config.port,
      config.host,
      {
        service: 'gateway',
        ...config.log,
      },
    );
    apps.push(gateway.app);

    return {
      gatewayUrl: gateway.url,
      graphqlUrl: `${gateway.url}/graphql`,
      subgraphs,
      databaseUrl: database.url,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
