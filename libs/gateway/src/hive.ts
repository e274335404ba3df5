export * from './lib/hive/hive-gateway';
export * from './lib/hive/subgraph-client';
export * from './lib/hive/subgraph-transport';
