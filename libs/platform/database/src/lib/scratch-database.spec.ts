import { Client } from 'pg';
import { createScratchDatabase } from './scratch-database';

async function databaseExists(serverUrl: string, name: string): Promise<boolean> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const result = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    return result.rowCount === 1;
  } finally {
    await client.end();
  }
}

describe('scratch databases on an existing server (DATABASE_URL)', () => {
  const serverUrl = process.env.DATABASE_URL as string;

  it('creates a database of its own and drops it afterwards, leaving the named one alone', async () => {
    const scratch = await createScratchDatabase(serverUrl);
    const name = new URL(scratch.url).pathname.slice(1);
    expect(name).toMatch(/^samservice_scratch_/);
    expect(name).not.toBe(new URL(serverUrl).pathname.slice(1));
    const client = new Client({ connectionString: scratch.url });
    await client.connect();
    const { rows } = await client.query(
      "SELECT name FROM pg_available_extensions WHERE name = 'btree_gist'",
    );
    await client.end();
    expect(rows).toHaveLength(1);
    await scratch.drop();
    expect(await databaseExists(serverUrl, name)).toBe(false);
    expect(await databaseExists(serverUrl, new URL(serverUrl).pathname.slice(1))).toBe(true);
  });
});
