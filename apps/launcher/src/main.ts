import 'reflect-metadata';
import { loadConfigOrExit } from '@samservice/platform/config';
import { buildWeb, processLogger, startStack, webIsStale } from '@samservice/stack';

/**
 * `npm start`: the whole system in one process tree. Ctrl-C or SIGTERM closes the
 * services, then stops the embedded PostgreSQL, so nothing is left running.
 */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const log = processLogger(config);
  const started = Date.now();
  let stopping = false;
  let stack: Awaited<ReturnType<typeof startStack>> | undefined;

  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal}: stopping`);
    const force = setTimeout(() => {
      log.error('shutdown took longer than 20 s; exiting');
      process.exit(1);
    }, 20_000);
    force.unref();
    try {
      await stack?.stop();
      log.info('stopped');
      process.exit(0);
    } catch (error) {
      log.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => void shutdown(signal));
  }

  try {
    // The web the gateway serves: built now when its sources changed since the last build.
    if (webIsStale()) {
      const built = await buildWeb({ quiet: true });
      log.info(
        `built the web (${Math.round(built.jsBytes / 1024)} kB JavaScript, ${Math.round(built.cssBytes / 1024)} kB CSS)`,
      );
    }
    stack = await startStack({ config, log, demo: true });
  } catch (error) {
    log.error(`could not start: ${(error as Error).message}`);
    await stack?.stop();
    process.exit(1);
  }
  if (stopping) return;
  log.info(`Samservice is up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  process.stdout.write(`\nSamservice on the web: ${stack.gatewayUrl}/\n`);
  process.stdout.write(`Samservice GraphQL gateway: ${stack.graphqlUrl}\n`);
  if (stack.testEidUrl) {
    process.stdout.write(
      `Citizen sign-in with the test e-ID: ${stack.gatewayUrl}/auth/login (test citizens at ${stack.testEidUrl})\n`,
    );
    process.stdout.write(
      `Staff workstation, signed in at the test identity provider: ${stack.gatewayUrl}/personal\n`,
    );
  }
  process.stdout.write('\n');
}

void main();
