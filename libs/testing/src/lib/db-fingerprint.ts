import { Client } from 'pg';

/**
 * A fingerprint of every row of every table in a schema: equal before and after a refused
 * change proves the change wrote nothing.
 */
export async function schemaFingerprint(
  databaseUrl: string,
  schema: string,
): Promise<Record<string, string>> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows: tables } = await client.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE' ORDER BY table_name`,
      [schema],
    );
    const fingerprint: Record<string, string> = {};
    for (const { table_name } of tables) {
      const { rows } = await client.query<{ count: string; digest: string | null }>(
        `SELECT count(*)::text AS count, md5(string_agg(t::text, '|' ORDER BY t::text)) AS digest FROM "${schema}"."${table_name}" t`,
      );
      fingerprint[table_name] = `${rows[0]?.count}:${rows[0]?.digest ?? ''}`;
    }
    return fingerprint;
  } finally {
    await client.end();
  }
}
