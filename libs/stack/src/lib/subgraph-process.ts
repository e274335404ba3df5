import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { Logger } from 'pino';
import type { AppConfig } from '@samservice/platform/config';
import { CONFIG_ENV, LISTENING_MESSAGE } from '@samservice/platform/http';
import { fileDestination } from '@samservice/platform/logging';

/** The repository root: apps/<name>/src/main.ts is run from here. */
const WORKSPACE_ROOT = path.resolve(__dirname, '../../../..');

/** Receives each line a service writes to stdout or stderr (its log lines). */
export type ServiceOutput = (service: string, line: string) => void;

export type ServiceName = 'directory' | 'scheduling' | 'gateway' | 'test-eid';

export interface SubgraphProcess {
  name: string;
  url: string;
  /** The process serving now (it changes when one is restarted); undefined between two. */
  pid(): number | undefined;
  /** How many times the process was restarted after it stopped unexpectedly. */
  restarts(): number;
  /**
   * From now on an exit is expected: no restart, no error. Called first thing on shutdown,
   * because Ctrl-C signals the whole process group and a service may exit before `stop`.
   */
  expectExit(): void;
  stop(): Promise<void>;
}

export interface ServiceProcessOptions {
  /** The entry point, relative to the repository root (default `apps/<name>/src/main.ts`). */
  script?: string;
  /** Environment variables set (or, when undefined, removed) for this process only. */
  env?: Record<string, string | undefined>;
  /** Node flags for this process only (after SAMSERVICE_SUBGRAPH_NODE_ARGS). */
  nodeArgs?: string[];
  restartPolicy?: RestartPolicy;
}

export interface RestartPolicy {
  /** Wait before the first restart; doubled for each further one in a row. */
  initialDelayMs: number;
  maxDelayMs: number;
  /** A process that stayed up this long resets the backoff. */
  stableAfterMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = {
  initialDelayMs: 500,
  maxDelayMs: 30_000,
  stableAfterMs: 60_000,
};

/** The config key of each service's port: a restarted process must take the same one. */
const PORT_KEY = {
  directory: 'directoryPort',
  scheduling: 'schedulingPort',
  gateway: 'port',
  'test-eid': 'testEidPort',
} as const;

interface Spawned {
  child: ChildProcess;
  url: Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Every line written before the exit has been handed to `output`. */
  drained: Promise<void>;
}

function spawnService(
  name: ServiceName,
  config: AppConfig,
  output: ServiceOutput | undefined,
  options: ServiceProcessOptions,
): Spawned {
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
  for (const [key, value] of Object.entries(options.env ?? {}))
    if (value === undefined) delete env[key];
  // With `output` the lines come here (tests read them), so the child writes them to stdout;
  // when the configuration names a log file, they are appended to it here, as written.
  const logFile = output ? config.log.file : undefined;
  const childConfig: AppConfig = logFile
    ? { ...config, log: { level: config.log.level, pretty: config.log.pretty } }
    : config;
  const child = spawn(
    process.execPath,
    [
      // Extra Node flags for the subgraphs only, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile a benchmark.
      ...(process.env.SAMSERVICE_SUBGRAPH_NODE_ARGS?.split(/\s+/).filter(Boolean) ?? []),
      ...(options.nodeArgs ?? []),
      '-r',
      '@swc-node/register',
      options.script ?? `apps/${name}/src/main.ts`,
      // The data directory on the command line marks the process as this instance's (ps, tests).
      `--data-dir=${config.dataDir}`,
    ],
    {
      cwd: WORKSPACE_ROOT,
      env: { ...env, [CONFIG_ENV]: JSON.stringify(childConfig) },
      stdio: ['ignore', output ? 'pipe' : 'inherit', output ? 'pipe' : 'inherit', 'ipc'],
    },
  );
  const closed: Array<Promise<void>> = [];
  if (output) {
    for (const stream of [child.stdout, child.stderr] as Readable[]) {
      const lines = createInterface({ input: stream, crlfDelay: Infinity });
      const file = logFile ? fileDestination(logFile) : undefined;
      lines.on('line', (line) => {
        output(name, line);
        file?.write(`${line}\n`);
      });
      closed.push(new Promise((resolve) => lines.once('close', resolve)));
    }
  }
  // A spawn that fails (EACCES, ENOENT) emits 'error' and maybe no 'exit'.
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', () => resolve({ code: null, signal: null }));
  });
  const url = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start within 60 s`)), 60_000);
    child.on('message', (message: { type?: string; url?: string }) => {
      if (message?.type === LISTENING_MESSAGE && message.url) {
        clearTimeout(timer);
        resolve(message.url);
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${signal ?? `code ${code}`}) before it was up`));
    });
  });
  url.catch(() => undefined);
  return { child, url, exited, drained: Promise.all(closed).then(() => undefined) };
}

/**
 * Starts one subgraph (or the gateway) as its own Node process (as in a deployment) and resolves with its
 * URL once it listens. Each subgraph needs a process of its own: NestJS's code-first type
 * registry is per process, and two subgraphs in one process would see each other's types.
 * The child gets the parent's validated configuration, reports its port over IPC, and
 * exits by itself if the parent dies (the IPC channel closes), so nothing is orphaned.
 * With `output`, the child's stdout and stderr go there line by line instead of to this
 * process's own (and, when `config.log.file` is set, to that file as well). Without it the
 * child logs as configured: to `config.log.file` when set, else to the inherited stdout.
 *
 * A process that stops unexpectedly (killed, out of memory) is started again on the same
 * port, after a delay that doubles with each restart in a row (`policy`), and each step is
 * logged; meanwhile the gateway's /ready names the service as unreachable and its fields
 * answer SERVICE_UNAVAILABLE. A process that dies before it is up the first time fails the
 * start instead: that is a configuration problem, not a crash.
 */
export async function startSubgraphProcess(
  name: ServiceName,
  config: AppConfig,
  log: Logger,
  output?: ServiceOutput,
  options: ServiceProcessOptions = {},
): Promise<SubgraphProcess> {
  const policy = options.restartPolicy ?? DEFAULT_RESTART_POLICY;
  let current: Spawned | undefined = spawnService(name, config, output, options);
  const url = await current.url.catch(async (error: unknown) => {
    current?.child.kill('SIGKILL');
    throw error;
  });
  const port = Number(new URL(url).port);
  const pinned: AppConfig = { ...config, [PORT_KEY[name]]: port };
  let stopping = false;
  let restarts = 0;
  let streak = 0;
  let timer: NodeJS.Timeout | undefined;
  let upSince = Date.now();

  const supervise = (spawned: Spawned) => {
    void spawned.exited.then(({ code, signal }) => {
      if (stopping || current !== spawned) return;
      current = undefined;
      if (Date.now() - upSince >= policy.stableAfterMs) streak = 0;
      const delay = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** streak);
      streak++;
      log.error(
        `the ${name} subgraph stopped unexpectedly (${signal ?? `exit code ${code}`}); restarting it in ${(delay / 1000).toFixed(1)} s`,
      );
      const restart = () => {
        timer = undefined;
        if (stopping) return;
        const next = spawnService(name, pinned, output, options);
        current = next;
        supervise(next);
        next.url.then(
          () => {
            restarts++;
            upSince = Date.now();
            log.warn(`the ${name} subgraph is up again at ${url} (restart ${restarts})`);
          },
          (error: unknown) => {
            // Its exit is handled by supervise: another try after a longer wait.
            if (!stopping)
              log.error(`restarting the ${name} subgraph failed: ${(error as Error).message}`);
            next.child.kill('SIGKILL');
          },
        );
      };
      timer = setTimeout(restart, delay);
    });
  };
  supervise(current);

  return {
    name,
    url,
    pid: () => current?.child.pid,
    restarts: () => restarts,
    expectExit() {
      stopping = true;
      clearTimeout(timer);
    },
    async stop() {
      stopping = true;
      clearTimeout(timer);
      const spawned = current;
      if (!spawned) return;
      const { child } = spawned;
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await spawned.exited;
        clearTimeout(kill);
      }
      await spawned.drained;
    },
  };
}
