export * from './lib/error-codes';
export * from './lib/domain-error';
export * from './lib/format-graphql-error';
