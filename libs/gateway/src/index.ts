export * from './lib/gateway.module';
export * from './lib/supergraph';
export * from './lib/subgraphs';
