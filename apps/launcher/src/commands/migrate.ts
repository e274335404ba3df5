import { provideDatabase } from '@samservice/platform/database';
import { migrateAll } from '@samservice/stack/database';
import { runCommand } from './cli';

/** `npm run db:migrate`: applies pending migrations of every service. */
runCommand(async (config) => {
  const database = await provideDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
  });
  try {
    const applied = await migrateAll(database.url);
    for (const [service, names] of Object.entries(applied)) {
      process.stdout.write(
        `${service}: ${names.length === 0 ? 'up to date' : `applied ${names.join(', ')}`}\n`,
      );
    }
  } finally {
    await database.stop();
  }
});
