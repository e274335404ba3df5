import { spawn } from 'node:child_process';
import { composeServices } from '@apollo/composition';
import { promises as fs } from 'node:fs';
import { parse } from 'graphql';
import { SUPERGRAPH_FILE } from '@samservice/gateway';
import { ANONYMOUS, IDENTITY_HEADER, InternalIdentitySigner } from '@samservice/platform/auth';
import { createScratchDatabase, freePort } from '@samservice/platform/database';
import { migrateAll } from '@samservice/stack/database';
import { runCommand } from './cli';

/** Where each subgraph is reached in a deployment (docker/compose.yaml); the gateway maps names to its own URLs. */
const DEPLOYED_URLS = {
  directory: 'http://directory:4001/graphql',
  scheduling: 'http://scheduling:4002/graphql',
} as const;

interface RunningSubgraph {
  name: keyof typeof DEPLOYED_URLS;
  url: string;
  stop(): void;
}

/**
 * Starts one subgraph as its own process, as in a deployment. In one process, NestJS's
 * code-first type registry is shared, and each subgraph's SDL would list the other's types.
 */
async function startSubgraphProcess(
  name: keyof typeof DEPLOYED_URLS,
  env: NodeJS.ProcessEnv,
): Promise<RunningSubgraph> {
  const port = await freePort();
  const portVariable = name === 'directory' ? 'DIRECTORY_PORT' : 'SCHEDULING_PORT';
  const child = spawn(process.execPath, ['-r', '@swc-node/register', `apps/${name}/src/main.ts`], {
    env: {
      ...env,
      [portVariable]: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      LOG_FORMAT: 'json',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited before it was up:\n${stderr}`);
    const up = await fetch(`${url}/health`).then(
      (response) => response.ok,
      () => false,
    );
    if (up) return { name, url, stop: () => child.kill('SIGTERM') };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  child.kill('SIGKILL');
  throw new Error(`${name} did not answer within 60 s:\n${stderr}`);
}

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
  const running: RunningSubgraph[] = [];
  try {
    await migrateAll(scratch.url);
    const env = {
      ...process.env,
      NODE_ENV: 'development',
      DATABASE_URL: scratch.url,
      DATA_DIR: config.dataDir,
    };
    for (const name of Object.keys(DEPLOYED_URLS) as Array<keyof typeof DEPLOYED_URLS>) {
      running.push(await startSubgraphProcess(name, env));
    }
    const services = [];
    for (const subgraph of running) {
      const response = await fetch(`${subgraph.url}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [IDENTITY_HEADER]: await signer.sign(ANONYMOUS, 'supergraph'),
        },
        body: JSON.stringify({ query: '{ _service { sdl } }' }),
      });
      const body = (await response.json()) as { data?: { _service: { sdl: string } } };
      if (!body.data)
        throw new Error(`${subgraph.name}: could not read its SDL: ${JSON.stringify(body)}`);
      services.push({
        name: subgraph.name,
        url: DEPLOYED_URLS[subgraph.name],
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
    for (const subgraph of running) subgraph.stop();
    await new Promise((resolve) => setTimeout(resolve, 300));
    await scratch.drop();
  }
});
