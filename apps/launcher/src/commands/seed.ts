import { provideDatabase } from '@samservice/platform/database';
import { migrateAll, seedDemo } from '@samservice/stack/database';
import { runCommand } from './cli';

/** `npm run db:seed`: seeds the demo network into an empty database (never in production). */
runCommand(async (config) => {
  if (config.isProduction) {
    process.stderr.write('Refusing to seed demo data: NODE_ENV is production.\n');
    return 1;
  }
  const database = await provideDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
  });
  try {
    await migrateAll(database.url);
    const seeded = await seedDemo(database.url);
    process.stdout.write(
      seeded ? 'Seeded the demo network.\n' : 'The database already has data; nothing seeded.\n',
    );
  } finally {
    await database.stop();
  }
});
