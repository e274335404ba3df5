// Secondary entry point `@samservice/scheduling/database`: schema, entities and migrations
// without the GraphQL layer.
export * from './scheduling.database';
export * from './frontdesk/demo-morning';
