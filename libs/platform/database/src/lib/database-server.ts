import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { isAlive, startEmbeddedPostgres } from './embedded-postgres';

export interface DatabaseServer {
  url: string;
  /** True when this process started the server (and stops it again). */
  embedded: boolean;
  stop(): Promise<void>;
}

export interface ProvideDatabaseOptions {
  databaseUrl?: string;
  dataDir: string;
  log?: (message: string) => void;
  /** Called when the embedded server ends without being asked to. */
  onUnexpectedExit?: (message: string) => void;
}

/**
 * One Samservice process tree owns a data directory at a time; a second `npm start` with
 * the same DATA_DIR stops with a clear message instead of fighting over the cluster.
 */
async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  await fs.mkdir(dataDir, { recursive: true });
  const lockFile = path.join(dataDir, 'samservice.pid');
  try {
    const owner = Number.parseInt(await fs.readFile(lockFile, 'utf8'), 10);
    if (Number.isInteger(owner) && owner !== process.pid && isAlive(owner)) {
      throw new Error(
        `DATA_DIR ${dataDir} is in use by another Samservice process (pid ${owner}). ` +
          'Stop it, or give this instance its own DATA_DIR and PORT.',
      );
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await fs.writeFile(lockFile, String(process.pid));
  return async () => {
    await fs.rm(lockFile, { force: true });
  };
}

/**
 * The database every service of this process tree uses: the server in DATABASE_URL when
 * given (nothing is started), otherwise an embedded PostgreSQL kept in DATA_DIR/postgres.
 */
export async function provideDatabase(options: ProvideDatabaseOptions): Promise<DatabaseServer> {
  if (options.databaseUrl) {
    return { url: options.databaseUrl, embedded: false, stop: async () => undefined };
  }
  const unlock = await lockDataDir(options.dataDir);
  try {
    const server = await startEmbeddedPostgres({
      clusterDir: path.join(options.dataDir, 'postgres'),
      database: 'samservice',
      onLog: options.log,
      onUnexpectedExit: options.onUnexpectedExit,
    });
    return {
      url: server.url,
      embedded: true,
      async stop() {
        await server.stop();
        await unlock();
      },
    };
  } catch (error) {
    await unlock();
    throw error;
  }
}
