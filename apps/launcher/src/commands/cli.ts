import 'reflect-metadata';
import { loadConfigOrExit, type AppConfig } from '@samservice/platform/config';

/** Runs a command-line tool with the validated configuration; clear exit codes, no stack dumps for config errors. */
export function runCommand(
  command: (config: AppConfig, args: string[]) => Promise<number | void>,
): void {
  const config = loadConfigOrExit();
  command(config, process.argv.slice(2)).then(
    (code) => process.exit(code ?? 0),
    (error: unknown) => {
      process.stderr.write(`${(error as Error).message ?? String(error)}\n`);
      process.exit(1);
    },
  );
}
