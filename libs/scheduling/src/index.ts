export * from './database';
export * from './scheduling.module';
