// Secondary entry point `@samservice/gateway/database`: the gateway's database part (schema,
// entities, migrations) without its GraphQL layer, for migrations and the drift check.
export * from './lib/gateway.database';
