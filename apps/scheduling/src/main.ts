import { runService } from '@samservice/platform/http';
import { schedulingDatabase, SchedulingModule } from '@samservice/scheduling';

/** The scheduling subgraph on its own (one replica of a deployment). */
runService({
  name: 'scheduling',
  database: schedulingDatabase,
  port: (config) => config.schedulingPort,
  maxRequestBytes: (config) => config.maxRequestBytes.subgraph,
  module: (config, databaseUrl) => SchedulingModule.forRoot(config, databaseUrl),
});
