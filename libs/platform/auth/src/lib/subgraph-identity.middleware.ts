import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ErrorCode } from '@samservice/platform/errors';
import { IDENTITY_HEADER, InternalIdentityVerifier } from './internal-identity';
import type { Principal } from './principal';

export const INTERNAL_IDENTITY_VERIFIER = Symbol('INTERNAL_IDENTITY_VERIFIER');

export interface RequestWithPrincipal extends IncomingMessage {
  principal?: Principal;
  /** The caller's address as the gateway saw it. */
  clientAddress?: string;
}

/**
 * Guards a subgraph's GraphQL endpoint: only requests carrying an identity signed by the
 * gateway get through. Being on the internal network is not enough; a client that sends
 * the header itself cannot sign it.
 */
@Injectable()
export class SubgraphIdentityMiddleware implements NestMiddleware {
  constructor(
    @Inject(INTERNAL_IDENTITY_VERIFIER) private readonly verifier: InternalIdentityVerifier,
  ) {}

  async use(
    req: RequestWithPrincipal,
    res: ServerResponse,
    next: (error?: unknown) => void,
  ): Promise<void> {
    const header = req.headers[IDENTITY_HEADER];
    try {
      const forwarded = await this.verifier.verify(Array.isArray(header) ? header[0] : header);
      req.principal = forwarded.principal;
      req.clientAddress = forwarded.clientAddress;
      next();
    } catch {
      res.statusCode = 401;
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          errors: [
            {
              message: 'This service only answers requests forwarded by the Samservice gateway.',
              extensions: { code: ErrorCode.UNAUTHENTICATED },
            },
          ],
        }),
      );
    }
  }
}
