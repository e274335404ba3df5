import 'reflect-metadata';
import { mkdtemp, rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { DateTime } from 'luxon';
import { loadConfig, type AppConfig } from '@samservice/platform/config';
import { createScratchDatabase, type ScratchDatabase } from '@samservice/platform/database';
import { processLogger, startStack, type RunningStack } from '@samservice/stack';
import { GraphQLClient } from './graphql';
import { progress } from './output';

/**
 * "Now" for every benchmark: Monday 11 January 2027, 07:00 in Stockholm. The weeks after it
 * hold no public holiday or eve (Trettondedag jul is the 6th, Easter is late March), so the
 * figures never depend on the day a benchmark runs.
 */
export const FIXED_NOW = '2027-01-11T07:00:00+01:00';
export const ZONE = 'Europe/Stockholm';

export interface BenchSystem {
  stack: RunningStack;
  config: AppConfig;
  /** FIXED_NOW in epoch ms. */
  now: number;
  /** FIXED_NOW's local day, YYYY-MM-DD. */
  today: string;
  client: GraphQLClient;
}

/** A local date `days` after `date` (YYYY-MM-DD). */
export function plusDays(date: string, days: number): string {
  return DateTime.fromISO(date, { zone: 'UTC' }).plus({ days }).toISODate() as string;
}

/**
 * Starts the whole system (subgraphs + gateway on free loopback ports) on a scratch database
 * with the demo network seeded, runs `body`, then always stops the system and drops the
 * database. The figures `body` returns are written as the last line of stdout, as one line
 * of JSON. Exit code 0 when the benchmark ran (whatever the figures), 1 on a real failure.
 */
export async function runBench(
  name: string,
  body: (system: BenchSystem) => Promise<Record<string, unknown>>,
  /** `fixedNow`: another pinned "now" than FIXED_NOW (the front desk needs an open office). */
  options: { deadlineMs?: number; fixedNow?: string } = {},
): Promise<void> {
  const started = Date.now();
  let scratch: ScratchDatabase | undefined;
  let stack: RunningStack | undefined;
  let dataDir: string | undefined;
  let result: Record<string, unknown> | undefined;
  let failure: unknown;
  let cleaning: Promise<void> | undefined;

  const cleanup = () =>
    (cleaning ??= (async () => {
      try {
        await stack?.stop();
      } catch (error) {
        process.stderr.write(`stopping the system failed: ${String(error)}\n`);
      }
      try {
        await scratch?.drop();
      } catch (error) {
        process.stderr.write(`dropping the scratch database failed: ${String(error)}\n`);
      }
      if (dataDir) await rm(dataDir, { recursive: true, force: true }).catch(() => undefined);
    })());

  // A last resort: a benchmark that hangs is stopped, cleaned up and reported as failed.
  const deadlineMs = options.deadlineMs ?? 170_000;
  const watchdog = setTimeout(() => {
    process.stderr.write(`${name}: still running after ${deadlineMs / 1000} s; giving up\n`);
    void cleanup().finally(() => process.exit(1));
  }, deadlineMs);
  watchdog.unref();

  try {
    // The libraries run as deployed (graphql-js's plain instanceof instead of its development
    // checks, Express, Apollo Server), in the service processes, which inherit this
    // environment. The services' own configuration stays that of a test (a pinned clock, the
    // demo seed, development keys), which production's would refuse.
    process.env['NODE_ENV'] = 'production';
    dataDir = await mkdtemp(path.join(os.tmpdir(), `samservice-bench-${name}-`));
    scratch = await createScratchDatabase(process.env.DATABASE_URL || undefined);
    const fixedNow = options.fixedNow ?? FIXED_NOW;
    const config = loadConfig({
      ...process.env,
      NODE_ENV: 'development',
      PORT: '0',
      DATABASE_URL: scratch.url,
      DATA_DIR: dataDir,
      SEED_DEMO: 'true',
      LOG_LEVEL: 'warn',
      LOG_FORMAT: 'json',
      FIXED_NOW: fixedNow,
    });
    progress(`${name}: starting the system on a scratch database (now = ${fixedNow})`);
    // The gateway in a process of its own, as deployed: the load this benchmark generates
    // must not share the gateway's event loop.
    stack = await startStack({ config, log: processLogger(config, 'bench'), gatewayProcess: true });
    progress(
      `${name}: gateway at ${stack.graphqlUrl} after ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    const now = Date.parse(fixedNow);
    const today = DateTime.fromMillis(now, { zone: ZONE }).toISODate() as string;
    result = await body({
      stack,
      config,
      now,
      today,
      client: new GraphQLClient(stack.graphqlUrl),
    });
  } catch (error) {
    failure = error;
  } finally {
    progress(`${name}: stopping the system and dropping the scratch database`);
    await cleanup();
    clearTimeout(watchdog);
  }

  progress(`${name}: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (failure !== undefined || !result) {
    const message = failure instanceof Error ? (failure.stack ?? failure.message) : String(failure);
    process.stderr.write(`${name} failed: ${message}\n`);
    process.exit(1);
  }
  // Let late log lines of the stopped services drain before the figures, which come last.
  await new Promise((resolve) => setTimeout(resolve, 200));
  process.stdout.write(`${JSON.stringify(result)}\n`);
  // Keep-alive sockets and timers of the stopped system must not keep the process up.
  process.exit(0);
}
