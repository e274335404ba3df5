import { mkdtempSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createScratchDatabase, PostgresStartError } from '@samservice/platform/database';
import { migrateAll } from '@samservice/stack/database';
// The web build alone (no service code loaded into jest's main process).
import { buildWeb, provideChromium, webIsStale } from '@samservice/stack/web';

/**
 * Once per `npm test`: a database of this run's own, with every migration applied.
 * Without DATABASE_URL an embedded PostgreSQL starts in a temporary directory; with it,
 * a new database is created on that server (the named database is never touched).
 * Workers inherit the URL through the environment, and the directory where every suite's
 * services write their log lines (SAMSERVICE_TEST_LOG_DIR, see global-teardown.ts).
 */
export default async function globalSetup(): Promise<void> {
  const serverUrl = process.env.DATABASE_URL;
  const scratch = await createScratchDatabase(serverUrl).catch((error: unknown) => {
    // One sentence, not a stack trace: jest prints an error's stack as it is.
    if (error instanceof PostgresStartError) {
      error.stack = `The test database could not be started: ${error.message}.`;
    }
    throw error;
  });
  (globalThis as { __samserviceScratch__?: typeof scratch }).__samserviceScratch__ = scratch;
  await migrateAll(scratch.url);
  // Where suites that need a database of their own create it (the e2e stacks).
  const admin = new URL(scratch.url);
  admin.pathname = '/postgres';
  process.env.SAMSERVICE_TEST_SERVER_URL = serverUrl ?? admin.toString();
  process.env.DATABASE_URL = scratch.url;
  process.env.DATA_DIR = mkdtempSync(path.join(os.tmpdir(), 'samservice-test-data-'));
  process.env.NODE_ENV = 'test';
  // Every service's log lines of this run, a file per suite; scanned by the global teardown.
  process.env.SAMSERVICE_TEST_LOG_DIR = mkdtempSync(
    path.join(os.tmpdir(), 'samservice-test-logs-'),
  );
  // The web the browser suites open (built when its sources changed since the last build),
  // and the Chromium they drive: the one @sparticuz/chromium ships inside the npm package,
  // unpacked once into the temporary directory (no download, no apt).
  if (webIsStale()) await buildWeb({ quiet: true });
  await provideChromium();
}
