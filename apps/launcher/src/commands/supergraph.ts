import { composeServices } from '@apollo/composition';
import { promises as fs } from 'node:fs';
import { parse } from 'graphql';
import { SUPERGRAPH_FILE } from '@samservice/gateway';
import { ANONYMOUS, IDENTITY_HEADER, InternalIdentitySigner } from '@samservice/platform/auth';
import { createScratchDatabase } from '@samservice/platform/database';
import { processLogger, startSubgraphProcess, type SubgraphProcess } from '@samservice/stack';
import { migrateAll } from '@samservice/stack/database';
import { runCommand } from './cli';

/** Where each subgraph is reached in a deployment (docker/compose.yaml); the gateway maps names to its own URLs. */
const DEPLOYED_URLS = {
  directory: 'http://directory:4001/graphql',
  scheduling: 'http://scheduling:4002/graphql',
} as const;

/**
 * `npm run supergraph`: starts each subgraph as its own process on a scratch database,
 * reads its federated SDL, composes the supergraph with @apollo/composition and writes it
 * where the gateway reads it. `npm run supergraph:check` (CI) fails when the committed
 * file differs.
 */
runCommand(async (config, args) => {
  const check = args.includes('--check');
  const scratch = await createScratchDatabase(config.databaseUrl);
  const signer = await InternalIdentitySigner.create({
    isProduction: false,
    dataDir: config.dataDir,
    ...config.internalIdentity,
  });
  const running: SubgraphProcess[] = [];
  try {
    await migrateAll(scratch.url);
    const childConfig = {
      ...config,
      databaseUrl: scratch.url,
      host: '127.0.0.1',
      directoryPort: 0,
      schedulingPort: 0,
      log: { level: 'warn', pretty: false },
    };
    const log = processLogger(childConfig, 'supergraph');
    for (const name of Object.keys(DEPLOYED_URLS) as Array<keyof typeof DEPLOYED_URLS>) {
      running.push(await startSubgraphProcess(name, childConfig, log));
    }
    const services = [];
    for (const subgraph of running) {
      const response = await fetch(`${subgraph.url}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [IDENTITY_HEADER]: await signer.sign(ANONYMOUS),
        },
        body: JSON.stringify({ query: '{ _service { sdl } }' }),
      });
      const body = (await response.json()) as { data?: { _service: { sdl: string } } };
      if (!body.data)
        throw new Error(`${subgraph.name}: could not read its SDL: ${JSON.stringify(body)}`);
      services.push({
        name: subgraph.name,
        url: DEPLOYED_URLS[subgraph.name as keyof typeof DEPLOYED_URLS],
        typeDefs: parse(body.data._service.sdl),
      });
    }
    const result = composeServices(services);
    if (result.errors) {
      process.stderr.write(
        `composition failed:\n${result.errors.map((e) => `  - ${e.message}`).join('\n')}\n`,
      );
      return 1;
    }
    const supergraph = `${result.supergraphSdl.trim()}\n`;
    if (check) {
      const committed = await fs.readFile(SUPERGRAPH_FILE, 'utf8').catch(() => '');
      if (committed !== supergraph) {
        process.stderr.write(
          `${SUPERGRAPH_FILE} is out of date with the subgraphs: run \`npm run supergraph\` and commit the result.\n`,
        );
        return 1;
      }
      process.stdout.write('supergraph is up to date with the subgraphs\n');
      return 0;
    }
    await fs.writeFile(SUPERGRAPH_FILE, supergraph);
    process.stdout.write(`wrote ${SUPERGRAPH_FILE}\n`);
    return 0;
  } finally {
    await Promise.all(running.map((subgraph) => subgraph.stop()));
    await scratch.drop();
  }
});
