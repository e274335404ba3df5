export * from './lib/stack';
export * from './lib/services';
export * from './lib/process-logger';
export * from './lib/subgraph-process';
export * from './lib/demo-clock';
export { buildWeb, webIsStale, WEB_DIST } from './lib/web-build';
