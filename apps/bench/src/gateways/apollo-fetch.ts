import { GatewayModule } from '@samservice/gateway';
import { runService } from '@samservice/platform/http';

/**
 * bench:gateway only: the Apollo gateway as it was before issue 10, posting to the subgraphs
 * with Node's fetch (undici) instead of node:http, the baseline the gateway's CPU per answer
 * is compared with in the same run.
 */
runService({
  name: 'gateway',
  port: (config) => config.port,
  maxRequestBytes: (config) => config.maxRequestBytes.gateway,
  module: (config) =>
    GatewayModule.forRoot(config, config.subgraphUrls, { subgraphClient: 'fetch' }),
});
