export * from './database';
export * from './directory.module';
