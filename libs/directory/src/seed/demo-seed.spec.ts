import { Client } from 'pg';
import {
  createScratchDatabase,
  migrateService,
  type ScratchDatabase,
} from '@samservice/platform/database';
import { directoryDatabase } from '../directory.database';
import { demoId } from './demo-ids';
import { seedDirectoryDemo } from './demo-seed';

async function query<T>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/** Every row of every directory table (timestamps left out), in id or content order. */
async function directoryRows(url: string): Promise<Record<string, string[]>> {
  const tables = await query<{ table_name: string }>(
    url,
    `SELECT table_name FROM information_schema.tables
      WHERE table_schema = 'directory' AND table_type = 'BASE TABLE' AND table_name <> 'migrations'
      ORDER BY table_name`,
  );
  const rows: Record<string, string[]> = {};
  for (const { table_name } of tables) {
    const result = await query<{ row: string }>(
      url,
      `SELECT (to_jsonb(t) - 'created_at' - 'updated_at')::text AS row FROM directory."${table_name}" t ORDER BY 1`,
    );
    rows[table_name] = result.map((r) => r.row);
  }
  return rows;
}

async function ids(url: string, table: string): Promise<string[]> {
  return (
    await query<{ id: string }>(url, `SELECT id::text AS id FROM directory."${table}" ORDER BY id`)
  ).map((r) => r.id);
}

describe('the demo seed', () => {
  const scratches: ScratchDatabase[] = [];
  const freshDatabase = async () => {
    const scratch = await createScratchDatabase(
      process.env.SAMSERVICE_TEST_SERVER_URL || undefined,
    );
    scratches.push(scratch);
    await migrateService(directoryDatabase, scratch.url);
    return scratch.url;
  };
  afterAll(async () => {
    for (const scratch of scratches) await scratch.drop();
  });

  it('gives every row the same id on two fresh databases', async () => {
    const [a, b] = [await freshDatabase(), await freshDatabase()];
    expect(await seedDirectoryDemo(a)).toBe(true);
    expect(await seedDirectoryDemo(b)).toBe(true);

    const [rowsA, rowsB] = [await directoryRows(a), await directoryRows(b)];
    expect(rowsB).toEqual(rowsA);
    for (const table of [
      'agency',
      'service',
      'office',
      'opening_hours',
      'counter',
      'counter_allocation',
      'staff',
      'staff_competence',
      'staff_shift',
    ]) {
      const tableIds = await ids(a, table);
      expect(tableIds.length).toBeGreaterThan(0);
      // Name-based (version 5), not the database's random default (version 4).
      for (const id of tableIds) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5/);
    }
    const [fk] = await query<{ id: string }>(
      a,
      `SELECT id FROM directory.agency WHERE code = 'FK'`,
    );
    expect(fk?.id).toBe(demoId('agency', 'FK'));
    const [orebro] = await query<{ id: string }>(
      a,
      `SELECT id FROM directory.office WHERE name = 'Servicekontor Örebro centrum'`,
    );
    expect(orebro?.id).toBe(demoId('office', 'orebro'));
  });

  it('still refuses a database that has data, writing nothing', async () => {
    const seededBefore = await freshDatabase();
    expect(await seedDirectoryDemo(seededBefore)).toBe(true);
    const before = await directoryRows(seededBefore);
    expect(await seedDirectoryDemo(seededBefore)).toBe(false);
    expect(await directoryRows(seededBefore)).toEqual(before);

    const ownData = await freshDatabase();
    await query(
      ownData,
      `INSERT INTO directory.agency (code, name, level) VALUES ('EGEN', 'Egen myndighet', 'STATE')`,
    );
    expect(await seedDirectoryDemo(ownData)).toBe(false);
    expect(
      (await query<{ code: string }>(ownData, 'SELECT code FROM directory.agency')).map(
        (r) => r.code,
      ),
    ).toEqual(['EGEN']);
    expect(await query(ownData, 'SELECT 1 FROM directory.office')).toEqual([]);
  });
});
