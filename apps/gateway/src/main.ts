import { GatewayModule } from '@samservice/gateway';
import { runService } from '@samservice/platform/http';

/** The gateway on its own: the public GraphQL endpoint in front of the subgraphs in DIRECTORY_URL and SCHEDULING_URL. */
runService({
  name: 'gateway',
  port: (config) => config.port,
  maxRequestBytes: (config) => config.maxRequestBytes.gateway,
  module: (config) => GatewayModule.forRoot(config),
});
