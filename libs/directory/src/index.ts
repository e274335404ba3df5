export * from './directory.database';
export * from './directory.module';
export * from './seed/demo-seed';
