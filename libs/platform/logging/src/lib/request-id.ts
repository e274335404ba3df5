import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { maskIdentityNumbers } from './redaction';

export const REQUEST_ID_HEADER = 'x-request-id';

const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/**
 * The correlation id of a request: taken from the caller's `x-request-id` when it looks
 * like one (the gateway always sends it to subgraphs), otherwise a new UUID. Echoed back
 * in the response so a citizen can quote it to support. An id that holds an identity number
 * is replaced, not just masked in the log: it would travel to the subgraphs and back to the
 * client, and every such request would share one masked id in the log.
 */
export function requestIdFor(req: IncomingMessage, res?: ServerResponse): string {
  const incoming = req.headers[REQUEST_ID_HEADER];
  const id = safeRequestId(Array.isArray(incoming) ? incoming[0] : incoming);
  res?.setHeader(REQUEST_ID_HEADER, id);
  return id;
}

/**
 * `candidate` when it looks like a request id and holds no identity number, otherwise a new
 * UUID. For ids that come another way than the header (a WebSocket's connection_init).
 */
export function safeRequestId(candidate: unknown): string {
  return typeof candidate === 'string' &&
    SAFE_REQUEST_ID.test(candidate) &&
    maskIdentityNumbers(candidate) === candidate
    ? candidate
    : randomUUID();
}
