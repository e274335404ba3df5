export * from './lib/subgraph-graphql.module';
export * from './lib/health.module';
export * from './lib/backstop-exception.filter';
export * from './lib/nest-app';
export * from './lib/request-logger';
export * from './lib/subgraph-core.module';
export * from './lib/run-service';
export * from './lib/scalars';
