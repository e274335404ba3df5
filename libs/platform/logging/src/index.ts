export * from './lib/redaction';
export * from './lib/logging.module';
export * from './lib/request-id';
