import { readFileSync } from 'node:fs';
import * as path from 'node:path';

/**
 * The composed supergraph SDL, committed next to this file and produced by
 * `npm run supergraph` from the subgraphs' own schemas. The gateway serves exactly this;
 * CI fails when the subgraphs have drifted from it.
 */
export const SUPERGRAPH_FILE = path.join(__dirname, 'supergraph.graphql');

export function readSupergraph(): string {
  return readFileSync(SUPERGRAPH_FILE, 'utf8');
}
