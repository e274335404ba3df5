import 'reflect-metadata';
import { ConfigError, loadConfig, type AppConfig } from '@samservice/platform/config';

/** Runs a command-line tool with the validated configuration; clear exit codes, no stack dumps for config errors. */
export function runCommand(
  command: (config: AppConfig, args: string[]) => Promise<number | void>,
): void {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  command(config, process.argv.slice(2)).then(
    (code) => process.exit(code ?? 0),
    (error: unknown) => {
      process.stderr.write(`${(error as Error).message ?? String(error)}\n`);
      process.exit(1);
    },
  );
}
