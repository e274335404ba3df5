/** The subgraphs behind the gateway; names are those of the composed supergraph. */
export const SUBGRAPH_NAMES = ['directory', 'scheduling'] as const;
export type SubgraphName = (typeof SUBGRAPH_NAMES)[number];
export type SubgraphUrls = Record<SubgraphName, string>;

/** `http://host:port/graphql` → `http://host:port/health`. */
export function healthUrlOf(graphqlUrl: string): string {
  const url = new URL(graphqlUrl);
  url.pathname = url.pathname.replace(/\/graphql\/?$/, '') + '/health';
  return url.toString();
}
