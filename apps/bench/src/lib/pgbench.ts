import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { progress } from './output';

/**
 * pgbench from Debian's PostgreSQL packages: the ceiling a booking path is measured against
 * is PostgreSQL's own client issuing the same INSERT, not a Node client that is itself the
 * bottleneck. Installed (as root) when missing.
 */
export function findPgbench(): string {
  const candidates = () => {
    const root = '/usr/lib/postgresql';
    const versions = existsSync(root)
      ? readdirSync(root).sort((a, b) => Number(b) - Number(a))
      : [];
    return versions.map((v) => path.join(root, v, 'bin', 'pgbench')).filter((p) => existsSync(p));
  };
  let found = candidates()[0];
  if (!found) {
    if (process.getuid?.() !== 0) {
      throw new Error(
        'pgbench is missing: install Debian\'s "postgresql" package (apt-get install postgresql) and run again.',
      );
    }
    progress('pgbench is missing: installing Debian\'s "postgresql" package');
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'ignore' });
    execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'postgresql'], {
      stdio: 'ignore',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    found = candidates()[0];
    if (!found) throw new Error('pgbench is still missing after installing "postgresql"');
  }
  return found;
}

export interface PgbenchResult {
  tps: number;
  transactions: number;
  failed: number;
  latencyMs: number;
}

/**
 * Runs one SQL script under pgbench (`clients` connections, prepared statements, `seconds`
 * long after a short warm-up run) against `url`, and reads its figures.
 */
export function runPgbench(
  url: string,
  script: string,
  clients: number,
  seconds: number,
): PgbenchResult {
  const binary = findPgbench();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'samservice-pgbench-'));
  try {
    const file = path.join(dir, 'script.sql');
    writeFileSync(file, script);
    const args = (s: number) => [
      '-n', // no vacuum of pgbench's own tables: there are none
      '-M',
      'prepared',
      '-c',
      String(clients),
      '-j',
      String(Math.min(clients, Math.max(1, os.cpus().length))),
      '-T',
      String(s),
      '-f',
      file,
      url,
    ];
    spawnSync(binary, args(1), { encoding: 'utf8' }); // warm-up
    const run = spawnSync(binary, args(seconds), { encoding: 'utf8' });
    const out = `${run.stdout}\n${run.stderr}`;
    const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(out);
    if (run.status !== 0 || !tps) throw new Error(`pgbench failed: ${out.slice(-800)}`);
    const number = (pattern: RegExp) => Number(pattern.exec(out)?.[1] ?? 0);
    return {
      tps: Number(tps[1]),
      transactions: number(/number of transactions actually processed: (\d+)/),
      failed: number(/number of failed transactions: (\d+)/),
      latencyMs: number(/latency average = ([\d.]+) ms/),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
