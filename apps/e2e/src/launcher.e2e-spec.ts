import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort } from '@samservice/platform/database';
import { postGraphQL } from '@samservice/testing';

const ROOT = path.resolve(__dirname, '../../..');

interface Launched {
  child: ChildProcess;
  output: () => string;
  graphqlUrl: string;
  exited: Promise<number | null>;
}

/** `npm start`, as its script runs it: `exec node -r @swc-node/register apps/launcher/src/main.ts`. */
async function launch(env: Record<string, string>): Promise<Launched> {
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'development',
    LOG_FORMAT: 'json',
    LOG_LEVEL: 'info',
    // Under `npm test` the lines go to the run's log file (LOG_FILE); this test reads them on
    // stdout too.
    LOG_CONSOLE_LEVEL: 'info',
    ...env,
  };
  delete childEnv.DATABASE_URL;
  const child = spawn(process.execPath, ['-r', '@swc-node/register', 'apps/launcher/src/main.ts'], {
    cwd: ROOT,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  const graphqlUrl = await new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const match = /GraphQL gateway: (\S+)/.exec(output);
      if (match) {
        clearInterval(timer);
        resolve(match[1] as string);
      }
    }, 50);
    void exited.then((code) => {
      clearInterval(timer);
      reject(new Error(`launcher exited (${code}) before it was up:\n${output}`));
    });
  });
  return { child, output: () => output, graphqlUrl, exited };
}

/** Processes whose command line mentions `needle` (e.g. a data directory). */
function processesMentioning(needle: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(needle)) pids.push(Number(entry));
    } catch {
      // the process ended meanwhile
    }
  }
  return pids;
}

async function agencyCodes(url: string): Promise<string[]> {
  const response = await postGraphQL<{ agencies: Array<{ code: string }> }>(
    url,
    '{ agencies { code } }',
  );
  return response.data?.agencies.map((agency) => agency.code) ?? [];
}

describe('npm start (the launcher as its own process)', () => {
  const dirs: string[] = [];
  const newDataDir = () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'samservice-launch-'));
    dirs.push(dir);
    return dir;
  };

  afterAll(() => {
    for (const dir of dirs) {
      for (const pid of processesMentioning(dir)) process.kill(pid, 'SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs two instances side by side, each with its own PORT and DATA_DIR, and SIGTERM leaves nothing behind', async () => {
    const [dataA, dataB] = [newDataDir(), newDataDir()];
    const [portA, portB] = [await freePort(), await freePort()];
    const [a, b] = await Promise.all([
      launch({ DATA_DIR: dataA, PORT: String(portA) }),
      launch({ DATA_DIR: dataB, PORT: String(portB) }),
    ]);
    expect(a.graphqlUrl).toBe(`http://127.0.0.1:${portA}/graphql`);
    expect(b.graphqlUrl).toBe(`http://127.0.0.1:${portB}/graphql`);
    expect(await agencyCodes(a.graphqlUrl)).toContain('FK');
    expect(await agencyCodes(b.graphqlUrl)).toContain('FK');
    expect(processesMentioning(dataA).length).toBeGreaterThan(0);

    a.child.kill('SIGTERM');
    b.child.kill('SIGTERM');
    expect(await a.exited).toBe(0);
    expect(await b.exited).toBe(0);
    expect(processesMentioning(dataA)).toEqual([]);
    expect(processesMentioning(dataB)).toEqual([]);
    expect(existsSync(path.join(dataA, 'postgres', 'postmaster.pid'))).toBe(false);
  });

  it('keeps its data between runs and recovers from a killed run without a stale lock', async () => {
    const dataDir = newDataDir();
    const first = await launch({ DATA_DIR: dataDir, PORT: String(await freePort()) });
    expect(first.output()).toMatch(/seeded the demo network/);
    first.child.kill('SIGKILL');
    await first.exited;
    // The killed launcher could not stop its PostgreSQL: it is still running now.
    expect(processesMentioning(dataDir).length).toBeGreaterThan(0);

    const second = await launch({ DATA_DIR: dataDir, PORT: String(await freePort()) });
    expect(second.output()).not.toMatch(/seeded the demo network/);
    expect(await agencyCodes(second.graphqlUrl)).toEqual(expect.arrayContaining(['FK', 'SKV']));
    expect((await agencyCodes(second.graphqlUrl)).filter((code) => code === 'FK')).toHaveLength(1);
    second.child.kill('SIGINT');
    expect(await second.exited).toBe(0);
    expect(processesMentioning(dataDir)).toEqual([]);
  });

  it('says so when its database dies, and still stops cleanly', async () => {
    const dataDir = newDataDir();
    const launched = await launch({ DATA_DIR: dataDir, PORT: String(await freePort()) });
    const postmaster = Number(
      readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0],
    );
    process.kill(postmaster, 'SIGINT');
    for (let i = 0; i < 100 && !/stopped unexpectedly/.test(launched.output()); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(launched.output()).toMatch(/the embedded PostgreSQL stopped unexpectedly/);
    launched.child.kill('SIGTERM');
    expect(await launched.exited).toBe(0);
    expect(processesMentioning(dataDir)).toEqual([]);
  });

  it('refuses a bad configuration value with a message naming the variable', async () => {
    await expect(launch({ DATA_DIR: newDataDir(), PORT: 'four-thousand' })).rejects.toThrow(
      /PORT: must be a port number/,
    );
  });
});
