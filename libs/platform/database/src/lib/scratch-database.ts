import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres } from './embedded-postgres';

export interface ScratchDatabase {
  url: string;
  drop(): Promise<void>;
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/**
 * A database of its own for one test run or one check: on the server in `serverUrl`
 * (created there and dropped afterwards; the database named in the URL is never touched),
 * or on a throwaway embedded PostgreSQL in a temporary directory.
 */
export async function createScratchDatabase(serverUrl?: string): Promise<ScratchDatabase> {
  const name = `samservice_scratch_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  if (serverUrl) {
    const admin = new Client({ connectionString: serverUrl });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE "${name}"`);
    } finally {
      await admin.end();
    }
    return {
      url: withDatabase(serverUrl, name),
      async drop() {
        const client = new Client({ connectionString: serverUrl });
        await client.connect();
        try {
          await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        } finally {
          await client.end();
        }
      },
    };
  }
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'samservice-pg-'));
  await fs.chmod(dir, 0o755);
  const server = await startEmbeddedPostgres({
    clusterDir: path.join(dir, 'cluster'),
    database: name,
  }).catch(async (error: unknown) => {
    await fs.rm(dir, { recursive: true, force: true });
    throw error;
  });
  return {
    url: server.url,
    async drop() {
      await server.stop();
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}
