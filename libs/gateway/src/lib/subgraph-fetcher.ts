import { Agent } from 'node:http';
import type { RemoteGraphQLDataSource } from '@apollo/gateway';
import { nodeHttpPost, type SubgraphAnswer, type SubgraphClient } from './hive/subgraph-client';

type Fetcher = RemoteGraphQLDataSource['fetcher'];

function asResponse(url: string, answer: SubgraphAnswer) {
  const response = {
    ok: answer.status >= 200 && answer.status < 300,
    status: answer.status,
    statusText: '',
    url,
    headers: new Headers(answer.contentType ? { 'content-type': answer.contentType } : {}),
    text: async () => answer.text,
    json: async () => JSON.parse(answer.text) as unknown,
    clone: () => response,
  };
  return response;
}

/**
 * How the gateway's data sources post to the subgraphs. `http` (the default): node:http with
 * a keep-alive agent, answering with the few members RemoteGraphQLDataSource reads; Node's
 * fetch (undici) cost the gateway a sixth to a third of its CPU per answer in its WHATWG
 * streams, abort signals and Request/Response objects (bench:gateway, docs/benchmarks.md).
 * `fetch` is kept for that comparison. Idle sockets are closed after 30 s, before the
 * subgraphs' 65-s keep-alive ends, so a request is never sent on a socket being closed.
 */
export function subgraphFetcher(client: SubgraphClient = 'http'): Fetcher {
  if (client === 'fetch') return fetch as unknown as Fetcher;
  const post = nodeHttpPost(new Agent({ keepAlive: true, maxSockets: 256, timeout: 30_000 }));
  return (async (url: string, init?: { method?: string; headers?: unknown; body?: unknown }) => {
    if (init?.method === 'POST' && typeof init.body === 'string' && url.startsWith('http:')) {
      const headers = Object.fromEntries(new Headers(init.headers as HeadersInit).entries());
      return asResponse(url, await post(url, headers, init.body));
    }
    return fetch(url, init as RequestInit);
  }) as unknown as Fetcher;
}
