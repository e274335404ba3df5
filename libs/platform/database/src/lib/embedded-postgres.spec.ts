import { promises as fs, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { PostgresStartError, startEmbeddedPostgres } from './embedded-postgres';
import { packagedBinaries } from './postgres-binaries';

const asRoot = os.userInfo().uid === 0;

async function selectOne(url: string): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<{ one: number }>('SELECT 1 AS one')).rows[0]?.one as number;
  } finally {
    await client.end();
  }
}

describe('the embedded PostgreSQL', () => {
  const cleanup: string[] = [];
  afterEach(async () => {
    for (const dir of cleanup.splice(0)) await fs.rm(dir, { recursive: true, force: true });
  });

  it('reports a binary it cannot run in one sentence, not with an unhandled error event', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'samservice-pgfail-'));
    cleanup.push(dir);
    await fs.chmod(dir, 0o755);
    const root = path.join(dir, 'native');
    // A directory where initdb should be: spawning it fails with EACCES, for root too.
    await fs.mkdir(path.join(root, 'bin', 'initdb'), { recursive: true, mode: 0o755 });
    await fs.mkdir(path.join(root, 'lib'), { mode: 0o755 });
    await fs.mkdir(path.join(root, 'share'), { mode: 0o755 });

    const started = startEmbeddedPostgres({
      clusterDir: path.join(dir, 'data', 'postgres'),
      database: 'samservice',
      binaries: { root, version: 'test' },
      binaryCacheDir: path.join(dir, 'cache'),
    });
    await expect(started).rejects.toBeInstanceOf(PostgresStartError);
    const message = await started.catch((error: Error) => error.message);
    expect(message).toMatch(
      /^PostgreSQL's initdb \(\/\S+\/bin\/initdb\) could not be run( as the "postgres" OS user)?: permission denied \(EACCES\); .*reinstall with npm ci$/,
    );
    expect(message).not.toContain('\n');
  });

  (asRoot ? it : it.skip)(
    'as root, starts from a folder the postgres OS user cannot enter, binaries included (skipped unless run as root: only root runs the server as another user)',
    async () => {
      // Like a clone in `mktemp -d` or /root: the cluster and the binaries both below a 0700 dir.
      const closed = await fs.mkdtemp(path.join(os.tmpdir(), 'samservice-closed-'));
      cleanup.push(closed);
      expect((await fs.stat(closed)).mode & 0o777).toBe(0o700);
      const packaged = await packagedBinaries();
      const root = path.join(closed, 'native');
      await fs.symlink(packaged.root, root);
      // A cache of this test's own, so the copy is made (not found from an earlier run).
      const cache = await fs.mkdtemp(path.join(os.tmpdir(), 'samservice-pgcache-'));
      cleanup.push(cache);
      await fs.chmod(cache, 0o755);

      const clusterDir = path.join(closed, 'data', 'postgres');
      const logs: string[] = [];
      const start = () =>
        startEmbeddedPostgres({
          clusterDir,
          database: 'samservice',
          binaries: { ...packaged, root },
          binaryCacheDir: cache,
          onLog: (message) => logs.push(message),
        });
      const server = await start().finally(async () => {
        // The cluster is moved out of the closed dir (/var/lib/samservice/<hash>/postgres).
        const relocated = await fs.readlink(clusterDir).catch(() => undefined);
        if (relocated) cleanup.push(path.dirname(relocated));
      });
      try {
        expect(await selectOne(server.url)).toBe(1);
        const postmaster = readFileSync(path.join(clusterDir, 'postmaster.pid'), 'utf8').split(
          '\n',
        )[0] as string;
        const [copy] = await fs.readdir(cache);
        expect(copy).toMatch(
          new RegExp(`^pg-${packaged.version.replace(/\./g, '\\.')}-[0-9a-f]{16}$`),
        );
        expect(await fs.readlink(`/proc/${postmaster}/exe`)).toBe(
          path.join(cache, copy as string, 'bin', 'postgres'),
        );
        expect(logs.join('\n')).toMatch(/copying the PostgreSQL binaries/);
      } finally {
        await server.stop();
      }

      // Once: the next start runs the same copy without copying again.
      logs.length = 0;
      const again = await start();
      try {
        expect(await selectOne(again.url)).toBe(1);
        expect(logs.join('\n')).not.toMatch(/copying the PostgreSQL binaries/);
        expect(logs.join('\n')).toMatch(/running the copy in/);
      } finally {
        await again.stop();
      }
    },
  );
});
