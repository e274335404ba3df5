// Secondary entry point `@samservice/stack/database`: migrations and seeding of every
// service, without loading any service's GraphQL layer (for the jest global set-up and
// the database commands).
export * from './lib/services';
