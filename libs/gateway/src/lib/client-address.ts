import type { IncomingMessage } from 'node:http';
import proxyaddr from 'proxy-addr';

/** The caller's network address as the gateway forwards it (limits per client). */
export type ClientAddressOf = (req: IncomingMessage) => string | undefined;

/**
 * Works out the caller's address from `trustedProxies` (TRUSTED_PROXIES). None: the socket's
 * peer, and X-Forwarded-For is ignored, since anyone can write it. With trusted proxies, the
 * header is walked from the right, past every address that is a trusted proxy, to the first
 * that is not: what the client wrote into the header itself, left of what its proxy saw, is
 * never taken. proxy-addr implements exactly this (it is Express's `trust proxy`).
 */
export function clientAddressResolver(trustedProxies: readonly string[]): ClientAddressOf {
  const trust = proxyaddr.compile([...trustedProxies]);
  return (req) => (req.socket?.remoteAddress ? proxyaddr(req, trust) : undefined);
}
