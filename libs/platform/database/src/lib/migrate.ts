import { DataSource } from 'typeorm';
import { dataSourceOptions, type ServiceDatabase } from './service-database';

/** Quotes an identifier we control (schema names); refuses anything else. */
function identifier(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`unsafe SQL identifier: ${name}`);
  return `"${name}"`;
}

/**
 * Applies a service's pending migrations. Replicas may start at the same moment: a
 * PostgreSQL advisory lock per schema lets one migrate while the others wait, and then
 * find nothing left to do.
 */
export async function migrateService(definition: ServiceDatabase, url: string): Promise<string[]> {
  const dataSource = new DataSource({ ...dataSourceOptions(definition, url, 2), logging: false });
  await dataSource.initialize();
  const runner = dataSource.createQueryRunner();
  try {
    await runner.connect();
    await runner.query('SELECT pg_advisory_lock(hashtext($1))', [
      `samservice:migrate:${definition.schema}`,
    ]);
    try {
      await runner.query(`CREATE SCHEMA IF NOT EXISTS ${identifier(definition.schema)}`);
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      return applied.map((migration) => migration.name);
    } finally {
      await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [
        `samservice:migrate:${definition.schema}`,
      ]);
    }
  } finally {
    await runner.release();
    await dataSource.destroy();
  }
}

/**
 * The SQL TypeORM would still have to run to make the database match the entities after
 * all migrations: empty when migrations and entities agree. CI fails when it is not.
 */
export async function pendingSchemaChanges(
  definition: ServiceDatabase,
  url: string,
): Promise<string[]> {
  const dataSource = new DataSource({ ...dataSourceOptions(definition, url, 2), logging: false });
  await dataSource.initialize();
  try {
    const sql = await dataSource.driver.createSchemaBuilder().log();
    return sql.upQueries.map((query) => query.query);
  } finally {
    await dataSource.destroy();
  }
}

export async function pendingMigrations(
  definition: ServiceDatabase,
  url: string,
): Promise<boolean> {
  const dataSource = new DataSource({ ...dataSourceOptions(definition, url, 2), logging: false });
  await dataSource.initialize();
  try {
    return await dataSource.showMigrations();
  } finally {
    await dataSource.destroy();
  }
}
