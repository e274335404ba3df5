import { Agent, request as httpRequest } from 'node:http';

/** How the gateway posts to a subgraph: Node's fetch (undici), or node:http with keep-alive. */
export type SubgraphClient = 'fetch' | 'http';

/** A subgraph's answer, read whole. */
export interface SubgraphAnswer {
  status: number;
  contentType?: string;
  text: string;
}

/** Posts `body` to `url`; rejects when there is no answer (refused, reset, timed out). */
export type SubgraphPost = (
  url: string,
  headers: Record<string, string>,
  body: string,
) => Promise<SubgraphAnswer>;

/** Node's fetch (undici), as the Apollo gateway's AuthenticatedDataSource uses. */
export const fetchPost: SubgraphPost = async (url, headers, body) => {
  const response = await fetch(url, { method: 'POST', headers, body });
  return {
    status: response.status,
    contentType: response.headers.get('content-type') ?? undefined,
    text: await response.text(),
  };
};

const TIMEOUT_MS = 60_000;

/**
 * node:http with a keep-alive agent: the same request without fetch's WHATWG machinery
 * (streams, abort signals, a Request and a Response object per call), which costs the
 * gateway a sixth to a fifth of its CPU per answer (see docs/benchmarks.md, bench:gateway).
 * Plain http only: the subgraphs are on the internal network.
 */
export function nodeHttpPost(
  agent = new Agent({ keepAlive: true, maxSockets: 256 }),
): SubgraphPost {
  return (url, headers, body) =>
    new Promise((resolve, reject) => {
      const request = httpRequest(
        url,
        {
          method: 'POST',
          agent,
          headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
          timeout: TIMEOUT_MS,
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', reject);
          response.on('end', () =>
            resolve({
              status: response.statusCode ?? 0,
              contentType: response.headers['content-type'],
              text: Buffer.concat(chunks).toString('utf8'),
            }),
          );
        },
      );
      request.on('timeout', () =>
        request.destroy(Object.assign(new Error('subgraph timed out'), { code: 'ETIMEDOUT' })),
      );
      request.on('error', reject);
      request.end(body);
    });
}
