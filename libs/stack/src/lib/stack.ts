import type { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { DEVELOPMENT_API_RESOURCE } from '@samservice/platform/auth';
import type { Logger } from 'pino';
import { GatewayModule } from '@samservice/gateway';
import type { AppConfig } from '@samservice/platform/config';
import {
  freePort,
  isPortFree,
  provideDatabase,
  type DatabaseServer,
} from '@samservice/platform/database';
import { admissionFor, startNestApp } from '@samservice/platform/http';
import { seedFrontDeskMorning } from '@samservice/scheduling/database';
import { decideDemoClock } from './demo-clock';
import { migrateAll, seedDemo } from './services';
import { startSubgraphProcess, type ServiceOutput, type SubgraphProcess } from './subgraph-process';

export interface RunningStack {
  gatewayUrl: string;
  graphqlUrl: string;
  subgraphs: { directory: string; scheduling: string };
  databaseUrl: string;
  /** The local test e-ID's issuer URL, when it runs (development: `TEST_EID`). */
  testEidUrl?: string;
  /** The service processes (the gateway's too with `gatewayProcess`), as they run now. */
  processes: SubgraphProcess[];
  stop(): Promise<void>;
}

export interface StackOptions {
  config: AppConfig;
  log: Logger;
  /** Run migrations before starting the services (default true). */
  migrate?: boolean;
  /**
   * Run the gateway as a child process of its own too, instead of in this process (default
   * false). Benchmarks do, so their load generator does not share the gateway's event loop.
   */
  gatewayProcess?: boolean;
  /**
   * Each line the services write (their logs), instead of this process's stdout; tests
   * read them. Needs `gatewayProcess`: a gateway in this process writes to this process's
   * stdout directly.
   */
  output?: ServiceOutput;
  /**
   * The lived-in demo of `npm start` (with `config.seedDemo`; default false): a demo clock
   * when the demo offices are closed at the real now (demo-clock.ts), then a morning at the
   * front desk of each office open at the services' now. Tests and benchmarks that seed the
   * demo network start from an empty front desk unless they ask for it.
   */
  demo?: boolean;
}

async function subgraphPort(preferred: number, host: string): Promise<number> {
  if (preferred !== 0 && (await isPortFree(preferred, host))) return preferred;
  return 0;
}

/**
 * The whole system in one process tree: the database (embedded unless DATABASE_URL),
 * migrations, the demo seed where allowed, every subgraph (each its own child process)
 * and the gateway (in this process). Used by `npm start` and by the end-to-end tests;
 * `stop()` closes the gateway, then the subgraphs, then the database.
 */
export async function startStack(options: StackOptions): Promise<RunningStack> {
  const { config, log, output } = options;
  if (output && !options.gatewayProcess) {
    throw new Error('startStack: `output` needs `gatewayProcess: true`');
  }
  const apps: INestApplication[] = [];
  const children: SubgraphProcess[] = [];
  let database: DatabaseServer | undefined;
  const stop = async () => {
    for (const child of children) child.expectExit();
    for (const app of apps.reverse())
      await app
        .close()
        .catch((error: unknown) => log.warn({ err: error }, 'closing an app failed'));
    apps.length = 0;
    await Promise.all(children.map((child) => child.stop()));
    children.length = 0;
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
    const servicesConfig =
      options.demo && config.seedDemo ? await startDemo(config, database.url, log) : config;

    // The config the subgraph processes get: this run's database, their ports (a free one
    // when the derived port is taken), no seeding of their own.
    const childConfig: AppConfig = {
      ...servicesConfig,
      databaseUrl: database.url,
      seedDemo: false,
      directoryPort: await subgraphPort(config.directoryPort, config.host),
      schedulingPort: await subgraphPort(config.schedulingPort, config.host),
    };
    const [directory, scheduling] = await Promise.all([
      startSubgraphProcess('directory', childConfig, log, output),
      startSubgraphProcess('scheduling', childConfig, log, output),
    ]);
    children.push(directory, scheduling);
    const subgraphs = {
      directory: `${directory.url}/graphql`,
      scheduling: `${scheduling.url}/graphql`,
    };
    // Development: the local test e-ID, and the gateway signing citizens in against it, and
    // staff too (as the organisation's identity provider: its access tokens for the API are
    // then the bearer tokens of AUTH_ISSUER), unless another issuer is configured. Its
    // redirect URIs name the gateway's port, so that port is chosen before either starts.
    let gatewayPort = config.port;
    let signIn: Pick<AppConfig, 'eid' | 'publicUrl' | 'staffSignIn' | 'auth'> = {
      eid: config.eid,
      publicUrl: config.publicUrl,
      staffSignIn: config.staffSignIn,
      auth: config.auth,
    };
    let testEidUrl: string | undefined;
    if (config.eid.testProvider && !config.eid.issuer && !config.isProduction) {
      if (gatewayPort === 0)
        gatewayPort = await freePort(config.host === '0.0.0.0' ? '127.0.0.1' : config.host);
      const publicUrl =
        config.publicUrl ??
        `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${gatewayPort}`;
      const eid = { ...config.eid, clientSecret: randomBytes(24).toString('base64url') };
      const staffSignIn = config.auth.issuer
        ? config.staffSignIn
        : {
            ...config.staffSignIn,
            clientSecret: randomBytes(24).toString('base64url'),
            resource: config.staffSignIn.resource ?? DEVELOPMENT_API_RESOURCE,
          };
      const testEid = await startSubgraphProcess(
        'test-eid',
        {
          ...childConfig,
          publicUrl,
          eid,
          staffSignIn,
          testEidPort: await subgraphPort(config.testEidPort, config.host),
        },
        log,
        output,
      );
      children.push(testEid);
      testEidUrl = testEid.url;
      signIn = {
        publicUrl,
        eid: { ...eid, issuer: testEid.url },
        ...(config.auth.issuer
          ? { staffSignIn: config.staffSignIn, auth: config.auth }
          : {
              staffSignIn: { ...staffSignIn, issuer: testEid.url },
              auth: { ...config.auth, issuer: testEid.url, jwksUrl: `${testEid.url}/jwks` },
            }),
      };
    }
    let gatewayUrl: string;
    if (options.gatewayProcess) {
      const gateway = await startSubgraphProcess(
        'gateway',
        { ...childConfig, ...signIn, port: gatewayPort, subgraphUrls: subgraphs },
        log,
        output,
      );
      children.unshift(gateway);
      gatewayUrl = gateway.url;
    } else {
      const gateway = await startNestApp(
        // The gateway's own schema (rate limits) is on this run's database too.
        GatewayModule.forRoot(
          { ...servicesConfig, ...signIn, databaseUrl: database.url, port: gatewayPort },
          subgraphs,
        ),
        gatewayPort,
        config.host,
        {
          service: 'gateway',
          ...config.log,
        },
        {
          maxRequestBytes: config.maxRequestBytes.gateway,
          admission: admissionFor('gateway', config),
        },
      );
      apps.push(gateway.app);
      gatewayUrl = gateway.url;
    }

    return {
      gatewayUrl,
      graphqlUrl: `${gatewayUrl}/graphql`,
      subgraphs,
      databaseUrl: database.url,
      testEidUrl,
      processes: [...children],
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * The demo's clock and its morning at the front desk: the config the services run on (with
 * the demo clock's offset, when it shifts), after the morning up to that clock's now is seeded.
 */
async function startDemo(config: AppConfig, databaseUrl: string, log: Logger): Promise<AppConfig> {
  const shift = await decideDemoClock(config, databaseUrl, Date.now());
  if (shift) log.info(shift.line);
  const servicesConfig = shift ? { ...config, clockOffsetMs: shift.offsetMs } : config;
  const now = servicesConfig.fixedNow ?? Date.now() + (servicesConfig.clockOffsetMs ?? 0);
  const offices = await seedFrontDeskMorning(databaseUrl, now, {
    targetWaitMinutes: config.frontDesk.targetWaitMinutes,
  });
  for (const office of offices) {
    if (office.endedEarlier > 0) {
      log.debug(
        `demo morning: ended ${office.endedEarlier} ticket(s) an earlier day left open at ${office.officeName}`,
      );
    }
    if (office.outcome === 'SEEDED') continue;
    const why = {
      CLOSED: 'closed now',
      HAS_TICKETS: 'it has tickets today already',
      NOBODY_ON_SHIFT: 'nobody on shift at a counter',
    }[office.outcome];
    log.debug(`demo morning: skipped ${office.officeName} (${why})`);
  }
  const seeded = offices.filter((o) => o.outcome === 'SEEDED');
  if (seeded.length > 0) {
    const sum = (key: 'waiting' | 'atCounters' | 'completed') =>
      seeded.reduce((total, o) => total + o[key], 0);
    log.info(
      `demo morning at ${seeded.length} office(s): ${sum('waiting')} waiting, ${sum('atCounters')} at counters, ${sum('completed')} served`,
    );
  }
  return servicesConfig;
}
