import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { dataSourceOptions, type ServiceDatabase } from './service-database';

/** The TypeORM connection of one service: its schema, entities and pool, nothing else. */
@Module({})
export class DatabaseModule {
  static forService(definition: ServiceDatabase, url: string, poolSize: number): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRoot({
          ...dataSourceOptions(definition, url, poolSize),
          // Named per service: several services may share one process (npm start, e2e tests).
          name: definition.service,
          retryAttempts: 2,
          retryDelay: 500,
        }),
      ],
      exports: [TypeOrmModule],
    };
  }
}

/**
 * The pg pool under a TypeORM data source: for hot paths that send one plain (named,
 * prepared) statement, on the same connections, without the ORM's per-query overhead.
 */
export function pgPoolOf(dataSource: DataSource): Pool {
  return (dataSource.driver as unknown as { master: Pool }).master;
}
