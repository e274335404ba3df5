import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  ANONYMOUS,
  AuthenticationError,
  ExternalTokenVerifier,
  type Principal,
} from '@samservice/platform/auth';
import { ErrorCode } from '@samservice/platform/errors';
import { authorizationOf } from './citizen-login/session-cookie';
import type { ClientAddressOf } from './client-address';
import { CLIENT_ADDRESS_OF, sendRateLimited } from './rate-limit/rate-limit.middleware';
import { RATE_LIMITER, type RateLimiter } from './rate-limit/rate-limiter';

export const EXTERNAL_TOKEN_VERIFIER = Symbol('EXTERNAL_TOKEN_VERIFIER');
/** The gateway's `InternalIdentitySigner` (HTTP forwarding and the subscription path). */
export const INTERNAL_IDENTITY_SIGNER = Symbol('INTERNAL_IDENTITY_SIGNER');

export interface GatewayRequest extends IncomingMessage {
  principal?: Principal;
}

/**
 * Authenticates every request to the gateway's GraphQL endpoint: its bearer token, else a
 * citizen's session cookie (after an e-ID sign-in). Neither: anonymous (allowed where the
 * contract needs it; resolvers decide). A header that is
 * malformed, or a token that is expired, from an unknown issuer or signed by an unknown
 * key: 401 with UNAUTHENTICATED, and the request goes no further. Such a refusal counts
 * against the address's rate limit (as an anonymous request would), so guessing tokens is
 * throttled too: over the limit it is answered 429 instead.
 */
@Injectable()
export class GatewayIdentityMiddleware implements NestMiddleware {
  constructor(
    @Inject(EXTERNAL_TOKEN_VERIFIER) private readonly verifier: ExternalTokenVerifier,
    @Inject(RATE_LIMITER) private readonly rateLimiter: RateLimiter,
    @Inject(CLIENT_ADDRESS_OF) private readonly clientAddressOf: ClientAddressOf,
  ) {}

  async use(
    req: GatewayRequest,
    res: ServerResponse,
    next: (error?: unknown) => void,
  ): Promise<void> {
    if (req.method === 'OPTIONS') return next();
    try {
      req.principal = await this.verifier.principalFor(authorizationOf(req));
      next();
    } catch (error) {
      const refusal = this.rateLimiter.admitRequest(ANONYMOUS, this.clientAddressOf(req));
      if (refusal) return sendRateLimited(res, refusal);
      const message =
        error instanceof AuthenticationError
          ? error.message
          : 'The bearer token could not be verified.';
      res.statusCode = 401;
      res.setHeader('content-type', 'application/json');
      res.setHeader('www-authenticate', 'Bearer error="invalid_token"');
      res.end(
        JSON.stringify({ errors: [{ message, extensions: { code: ErrorCode.UNAUTHENTICATED } }] }),
      );
    }
  }
}
