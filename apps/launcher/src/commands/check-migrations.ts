import { createScratchDatabase, pendingSchemaChanges } from '@samservice/platform/database';
import { SERVICE_DATABASES, migrateAll } from '@samservice/stack/database';
import { runCommand } from './cli';

/**
 * `npm run db:check`: applies every migration to a scratch database and asks TypeORM what
 * it would still change to match the entities. Anything: the entities have drifted from
 * the migrations (write a migration with `npm run db:generate`). Exit 1.
 */
runCommand(async (config) => {
  const scratch = await createScratchDatabase(config.databaseUrl);
  try {
    await migrateAll(scratch.url);
    let drift = 0;
    for (const definition of SERVICE_DATABASES) {
      const changes = await pendingSchemaChanges(definition, scratch.url);
      drift += changes.length;
      if (changes.length > 0) {
        process.stdout.write(
          `${definition.service}: entities need a new migration:\n${changes.map((q) => `  ${q};`).join('\n')}\n`,
        );
      } else {
        process.stdout.write(`${definition.service}: migrations match the entities\n`);
      }
    }
    return drift > 0 ? 1 : 0;
  } finally {
    await scratch.drop();
  }
});
