import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  AuthenticationError,
  ExternalTokenVerifier,
  type Principal,
} from '@samservice/platform/auth';
import { ErrorCode } from '@samservice/platform/errors';
import { authorizationOf } from './citizen-login/session-cookie';

export const EXTERNAL_TOKEN_VERIFIER = Symbol('EXTERNAL_TOKEN_VERIFIER');
/** The gateway's `InternalIdentitySigner` (HTTP forwarding and the subscription path). */
export const INTERNAL_IDENTITY_SIGNER = Symbol('INTERNAL_IDENTITY_SIGNER');

export interface GatewayRequest extends IncomingMessage {
  principal?: Principal;
}

/**
 * Authenticates every request to the gateway's GraphQL endpoint: its bearer token, else a
 * citizen's session cookie (after an e-ID sign-in). Neither: anonymous (allowed where the contract needs it; resolvers decide). A header that is
 * malformed, or a token that is expired, from an unknown issuer or signed by an unknown
 * key: 401 with UNAUTHENTICATED, and the request goes no further.
 */
@Injectable()
export class GatewayIdentityMiddleware implements NestMiddleware {
  constructor(@Inject(EXTERNAL_TOKEN_VERIFIER) private readonly verifier: ExternalTokenVerifier) {}

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
