import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import type { ClientAddressOf } from '../client-address';
import type { GatewayRequest } from '../gateway-identity.middleware';
import { RATE_LIMITER, type RateLimiter, type RateLimitRefusal } from './rate-limiter';

export const CLIENT_ADDRESS_OF = Symbol('CLIENT_ADDRESS_OF');

/** Writes the 429 of a caller over its limit. */
export function sendRateLimited(res: ServerResponse, refusal: RateLimitRefusal): void {
  res.statusCode = 429;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('retry-after', String(refusal.retryAfterSeconds));
  res.end(refusal.body);
}

/**
 * Rate limits of GraphQL over HTTP (/graphql, POST and GET), after authentication (a
 * signed-in caller counts per identity) and before any GraphQL work. Health endpoints are
 * not under /graphql and are never limited.
 */
@Injectable()
export class RateLimitMiddleware implements NestMiddleware {
  constructor(
    @Inject(RATE_LIMITER) private readonly limiter: RateLimiter,
    @Inject(CLIENT_ADDRESS_OF) private readonly clientAddressOf: ClientAddressOf,
  ) {}

  use(req: GatewayRequest, res: ServerResponse, next: (error?: unknown) => void): void {
    if (req.method === 'OPTIONS' || !this.limiter.enabled) return next();
    const refusal = this.limiter.admitRequest(req.principal, this.clientAddressOf(req));
    if (!refusal) return next();
    sendRateLimited(res, refusal);
  }
}
