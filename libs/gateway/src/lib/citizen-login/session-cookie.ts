import type { IncomingMessage } from 'node:http';
import { parseCookie } from 'cookie';
import { SESSION_COOKIE, STAFF_SESSION_COOKIE } from '@samservice/platform/auth';

/** One cookie of a request (the first, if a client sends the name twice). */
export function cookieOf(req: IncomingMessage, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header || header.length > 8192) return undefined;
  try {
    return parseCookie(header)[name];
  } catch {
    return undefined;
  }
}

/**
 * The credentials of a request: its Authorization header, else a session cookie as a bearer
 * token: a citizen's (after an e-ID sign-in) or a staff member's (the identity provider's
 * access token, after a staff sign-in; each sign-in ends the other in that browser). The
 * header wins: an API client that sends one is never judged by a cookie it may also carry.
 */
export function authorizationOf(req: IncomingMessage): string | undefined {
  if (req.headers.authorization !== undefined) return req.headers.authorization;
  const session = cookieOf(req, SESSION_COOKIE) ?? cookieOf(req, STAFF_SESSION_COOKIE);
  return session ? `Bearer ${session}` : undefined;
}
