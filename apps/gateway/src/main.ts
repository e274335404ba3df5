import { GatewayModule } from '@samservice/gateway';
import { gatewayDatabase } from '@samservice/gateway/database';
import { runService } from '@samservice/platform/http';

/** The gateway on its own: the public GraphQL endpoint in front of the subgraphs in DIRECTORY_URL and SCHEDULING_URL. */
runService({
  name: 'gateway',
  // Its own schema: the request counts that make rate limits hold across replicas.
  database: gatewayDatabase,
  port: (config) => config.port,
  maxRequestBytes: (config) => config.maxRequestBytes.gateway,
  module: (config, databaseUrl) => GatewayModule.forRoot({ ...config, databaseUrl }),
});
