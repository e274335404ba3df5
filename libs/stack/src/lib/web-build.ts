import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../../../..');
const WEB = path.join(ROOT, 'apps/web');
export const WEB_DIST = path.join(ROOT, 'dist/apps/web');
const SUPERGRAPH = path.join(ROOT, 'libs/gateway/src/lib/supergraph.graphql');
const STAMP = path.join(WEB_DIST, '.built');

function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'gql' || entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(full) : statSync(full).mtimeMs);
  }
  return latest;
}

/** True when dist/apps/web is older than a source of the web or the supergraph. */
export function webIsStale(): boolean {
  if (!existsSync(STAMP)) return true;
  const built = statSync(STAMP).mtimeMs;
  return Math.max(newest(WEB), statSync(SUPERGRAPH).mtimeMs) > built;
}

/** The typed operations (apps/web/src/gql) from the committed supergraph. */
export async function generateOperations(options: { quiet?: boolean } = {}): Promise<void> {
  const { generate } = await import('@graphql-codegen/cli');
  await generate(
    {
      schema: SUPERGRAPH,
      documents: [path.join(WEB, 'src/**/*.vue'), path.join(WEB, 'src/**/*.ts')],
      ignoreNoDocuments: true,
      silent: options.quiet ?? false,
      generates: {
        [path.join(WEB, 'src/gql/')]: {
          preset: 'client',
          config: {
            useTypeImports: true,
            enumsAsTypes: true,
            // ISO-8601 strings on the wire (DESIGN.md, Time).
            scalars: { DateTime: 'string', Date: 'string' },
          },
          presetConfig: { fragmentMasking: false },
        },
      },
    },
    true,
  );
}

/**
 * Builds the web: typed operations generated from the committed supergraph
 * (`@graphql-codegen/client-preset`, into apps/web/src/gql, not committed), then Vite into
 * dist/apps/web, which the gateway serves. Returns the size of what a browser loads.
 */
export async function buildWeb(
  options: { quiet?: boolean } = {},
): Promise<{ jsBytes: number; cssBytes: number }> {
  await generateOperations(options);
  const vite = await import('vite');
  await vite.build({
    configFile: path.join(WEB, 'vite.config.mts'),
    logLevel: options.quiet ? 'warn' : 'info',
  });
  writeFileSync(STAMP, new Date().toISOString());
  let jsBytes = 0;
  let cssBytes = 0;
  const assets = path.join(WEB_DIST, 'assets');
  for (const name of readdirSync(assets)) {
    const size = statSync(path.join(assets, name)).size;
    if (name.endsWith('.js')) jsBytes += size;
    if (name.endsWith('.css')) cssBytes += size;
  }
  return { jsBytes, cssBytes };
}

if (require.main === module) {
  const codegenOnly = process.argv.includes('--codegen-only');
  (codegenOnly ? generateOperations({ quiet: true }).then(() => undefined) : buildWeb()).then(
    (built) => {
      if (built)
        process.stdout.write(
          `web built into dist/apps/web: ${(built.jsBytes / 1024).toFixed(0)} kB JavaScript, ${(built.cssBytes / 1024).toFixed(0)} kB CSS (before compression)\n`,
        );
    },
    (error: unknown) => {
      process.stderr.write(`web build failed: ${(error as Error).message}\n`);
      process.exit(1);
    },
  );
}
