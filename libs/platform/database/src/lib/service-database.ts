import type { DataSourceOptions, MixedList, EntitySchema } from 'typeorm';

/**
 * What a service owns in the database: its schema, entities and migrations. Each service
 * writes only its own schema; the migration history lives in that schema too.
 */
export interface ServiceDatabase {
  /** Service name, used for the connection's application_name and in logs. */
  service: string;
  schema: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
}

export function dataSourceOptions(
  definition: ServiceDatabase,
  url: string,
  poolSize = 10,
): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    schema: definition.schema,
    entities: definition.entities,
    migrations: definition.migrations,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    applicationName: `samservice-${definition.service}`,
    // gen_random_uuid() is built into PostgreSQL 13+; extensions are created by migrations only.
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    poolSize,
    // Under a rush requests queue for a connection rather than fail: waiting is the honest answer.
    extra: { max: poolSize, connectionTimeoutMillis: 30_000 },
  };
}
