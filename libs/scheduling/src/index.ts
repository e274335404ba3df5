export * from './scheduling.database';
export * from './scheduling.module';
