import { composeServices } from '@apollo/composition';
import { promises as fs } from 'node:fs';
import { parse } from 'graphql';
import { DirectoryModule } from '@samservice/directory';
import { SUPERGRAPH_FILE } from '@samservice/gateway';
import { ANONYMOUS, IDENTITY_HEADER, InternalIdentitySigner } from '@samservice/platform/auth';
import { createScratchDatabase } from '@samservice/platform/database';
import { startNestApp } from '@samservice/platform/http';
import { SchedulingModule } from '@samservice/scheduling';
import { migrateAll } from '@samservice/stack';
import { runCommand } from './cli';

/** Where each subgraph is reached in a deployment (docker/compose.yaml); the gateway maps names to its own URLs. */
const DEPLOYED_URLS = {
  directory: 'http://directory:4001/graphql',
  scheduling: 'http://scheduling:4002/graphql',
} as const;

/**
 * `npm run supergraph`: starts each subgraph on a scratch database, reads its federated
 * SDL, composes the supergraph with @apollo/composition and writes it where the gateway
 * reads it. `npm run supergraph:check` (CI) fails when the committed file differs.
 */
runCommand(async (baseConfig, args) => {
  const check = args.includes('--check');
  const config = { ...baseConfig, log: { level: 'warn', pretty: false } };
  const scratch = await createScratchDatabase(config.databaseUrl);
  const signer = await InternalIdentitySigner.create({
    isProduction: false,
    dataDir: config.dataDir,
    ...config.internalIdentity,
  });
  const apps = [];
  try {
    await migrateAll(scratch.url);
    const subgraphs = {
      directory: await startNestApp(DirectoryModule.forRoot(config, scratch.url), 0, '127.0.0.1', {
        service: 'directory',
        ...config.log,
      }),
      scheduling: await startNestApp(
        SchedulingModule.forRoot(config, scratch.url),
        0,
        '127.0.0.1',
        {
          service: 'scheduling',
          ...config.log,
        },
      ),
    };
    apps.push(subgraphs.directory.app, subgraphs.scheduling.app);
    const services = [];
    for (const [name, started] of Object.entries(subgraphs)) {
      const response = await fetch(`${started.url}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [IDENTITY_HEADER]: await signer.sign(ANONYMOUS, 'supergraph'),
        },
        body: JSON.stringify({ query: '{ _service { sdl } }' }),
      });
      const body = (await response.json()) as { data?: { _service: { sdl: string } } };
      if (!body.data) throw new Error(`${name}: could not read its SDL: ${JSON.stringify(body)}`);
      services.push({
        name,
        url: DEPLOYED_URLS[name as keyof typeof DEPLOYED_URLS],
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
    for (const app of apps) await app.close();
    await scratch.drop();
  }
});
