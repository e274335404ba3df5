export * from './lib/embedded-postgres';
export * from './lib/database-server';
export * from './lib/service-database';
export * from './lib/migrate';
export * from './lib/database.module';
export * from './lib/free-port';
export * from './lib/scratch-database';
export * from './lib/constraint-errors';
