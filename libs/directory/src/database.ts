// Secondary entry point `@samservice/directory/database`: the directory's database part
// (schema, entities, migrations, demo seed) without its GraphQL layer, for migrations,
// seeding and test set-up that must not load the resolvers and their type registrations.
export * from './directory.database';
export * from './seed/demo-seed';
export { demoId } from './seed/demo-ids';
