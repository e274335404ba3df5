import { startHiveGateway } from '@samservice/gateway/hive';
import { runServer } from '@samservice/platform/http';

/**
 * The gateway on Hive Gateway instead of the Apollo gateway (not deployed: the benchmark
 * `npm run bench:gateway` and its e2e test run it): the public GraphQL endpoint in front of
 * the subgraphs in DIRECTORY_URL and SCHEDULING_URL.
 */
runServer({
  name: 'gateway',
  start: (config) =>
    startHiveGateway({
      config,
      subgraphClient: process.env.HIVE_SUBGRAPH_CLIENT === 'http' ? 'http' : 'fetch',
    }),
});
