export * from './lib/stack';
export * from './lib/services';
export * from './lib/process-logger';
export * from './lib/subgraph-process';
export * from './lib/demo-clock';
