import { directoryDatabase, DirectoryModule } from '@samservice/directory';
import { runService } from '@samservice/platform/http';

/** The directory subgraph on its own (one replica of a deployment). */
runService({
  name: 'directory',
  database: directoryDatabase,
  port: (config) => config.directoryPort,
  maxRequestBytes: (config) => config.maxRequestBytes.subgraph,
  module: (config, databaseUrl) => DirectoryModule.forRoot(config, databaseUrl),
});
