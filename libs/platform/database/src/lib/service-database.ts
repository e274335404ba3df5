import type { DataSourceOptions, MixedList, EntitySchema } from 'typeorm';
import { Pool } from 'pg';

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

export interface ServicePoolOptions {
  poolSize: number;
  /** How long to wait for a connection or a statement before giving up (ms). */
  timeoutMs: number;
}

/**
 * A plain pg pool for a service whose database work is one statement on a timer (the
 * gateway's rate-limit counts): no ORM, named like the services' TypeORM pools, and short
 * timeouts, since such work must give up quickly and let the service go on without it.
 * An idle connection that breaks (the server restarts) is dropped quietly; the next query
 * reports the problem to its caller.
 */
export function servicePool(
  definition: Pick<ServiceDatabase, 'service'>,
  url: string,
  options: ServicePoolOptions,
): Pool {
  const pool = new Pool({
    connectionString: url,
    max: options.poolSize,
    application_name: `samservice-${definition.service}`,
    connectionTimeoutMillis: options.timeoutMs,
    statement_timeout: options.timeoutMs,
    query_timeout: options.timeoutMs,
    idleTimeoutMillis: 30_000,
  });
  pool.on('error', () => undefined);
  return pool;
}
