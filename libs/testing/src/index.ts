export * from './lib/test-stack';
export * from './lib/graphql-client';
export * from './lib/tcp-proxy';
export * from './lib/db-fingerprint';
export * from './lib/personnummer';
export * from './lib/eventually';
export * from './lib/demo-network';
export * from './lib/subscription-client';
