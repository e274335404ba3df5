import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { Logger } from 'pino';
import type { AppConfig } from '@samservice/platform/config';
import { CONFIG_ENV, LISTENING_MESSAGE } from '@samservice/platform/http';

/** The repository root: apps/<name>/src/main.ts is run from here. */
const WORKSPACE_ROOT = path.resolve(__dirname, '../../../..');

/** Receives each line a service writes to stdout or stderr (its log lines). */
export type ServiceOutput = (service: string, line: string) => void;

export interface SubgraphProcess {
  name: string;
  url: string;
  /** The process id (benchmarks read its CPU time from /proc). */
  pid: number;
  stop(): Promise<void>;
}

export interface ServiceProcessOptions {
  /** The entry point, relative to the repository root (default `apps/<name>/src/main.ts`). */
  script?: string;
  /** Environment variables set (or, when undefined, removed) for this process only. */
  env?: Record<string, string | undefined>;
  /** Node flags for this process only (after SAMSERVICE_SUBGRAPH_NODE_ARGS). */
  nodeArgs?: string[];
}

/**
 * Starts one subgraph (or the gateway) as its own Node process (as in a deployment) and resolves with its
 * URL once it listens. Each subgraph needs a process of its own: NestJS's code-first type
 * registry is per process, and two subgraphs in one process would see each other's types.
 * The child gets the parent's validated configuration, reports its port over IPC, and
 * exits by itself if the parent dies (the IPC channel closes), so nothing is orphaned.
 * With `output`, the child's stdout and stderr go there line by line instead of to this
 * process's own.
 */
export async function startSubgraphProcess(
  name: 'directory' | 'scheduling' | 'gateway',
  config: AppConfig,
  log: Logger,
  output?: ServiceOutput,
  options: ServiceProcessOptions = {},
): Promise<SubgraphProcess> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
  for (const [key, value] of Object.entries(options.env ?? {}))
    if (value === undefined) delete env[key];
  const child = spawn(
    process.execPath, // The data directory on the command line marks the process as this instance's (ps, tests).
    [
      // Extra Node flags for the subgraphs only, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile a benchmark.
      ...(process.env.SAMSERVICE_SUBGRAPH_NODE_ARGS?.split(/\s+/).filter(Boolean) ?? []),
      ...(options.nodeArgs ?? []),
      '-r',
      '@swc-node/register',
      options.script ?? `apps/${name}/src/main.ts`,
      `--data-dir=${config.dataDir}`,
    ],
    {
      cwd: WORKSPACE_ROOT,
      env: { ...env, [CONFIG_ENV]: JSON.stringify(config) },
      stdio: ['ignore', output ? 'pipe' : 'inherit', output ? 'pipe' : 'inherit', 'ipc'],
    },
  );
  const closed: Array<Promise<void>> = [];
  if (output) {
    for (const stream of [child.stdout, child.stderr] as Readable[]) {
      const lines = createInterface({ input: stream, crlfDelay: Infinity });
      lines.on('line', (line) => output(name, line));
      closed.push(new Promise((resolve) => lines.once('close', resolve)));
    }
  }
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start within 60 s`)), 60_000);
    child.on('message', (message: { type?: string; url?: string }) => {
      if (message?.type === LISTENING_MESSAGE && message.url) {
        clearTimeout(timer);
        resolve(message.url);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (code ${code}) before it was up`));
    });
  });
  let stopping = false;
  void exited.then((code) => {
    if (!stopping) log.error(`the ${name} subgraph stopped unexpectedly (exit code ${code})`);
  });
  return {
    name,
    url,
    pid: child.pid ?? 0,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      stopping = true;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
      // Every line written before the exit has been handed to `output`.
      await Promise.all(closed);
    },
  };
}
