import { GatewayModule } from '@samservice/gateway';
import { nodeHttpPost, type SubgraphAnswer } from '@samservice/gateway/hive';
import { runService } from '@samservice/platform/http';

/**
 * bench:gateway only: today's Apollo gateway (GatewayModule, as apps/gateway/src/main.ts runs
 * it) with its POSTs to the subgraphs sent through node:http instead of Node's fetch, the
 * client the `hive-http` variant uses, so the benchmark can tell the gateway's share of the
 * CPU from the HTTP client's. The gateway's data sources call the global `fetch`; it is
 * replaced in this process for POSTs with a string body to http: URLs (what they send) by a
 * function answering with the few members RemoteGraphQLDataSource reads.
 */
const post = nodeHttpPost();
const nodeFetch = globalThis.fetch;

function answerAsResponse(url: string, answer: SubgraphAnswer) {
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

globalThis.fetch = (async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : undefined;
  if (url?.startsWith('http:') && init?.method === 'POST' && typeof init.body === 'string') {
    const headers = Object.fromEntries(new Headers(init.headers).entries());
    return answerAsResponse(url, await post(url, headers, init.body)) as unknown as Response;
  }
  return nodeFetch(input, init);
}) as typeof fetch;

runService({
  name: 'gateway',
  port: (config) => config.port,
  module: (config) => GatewayModule.forRoot(config),
});
