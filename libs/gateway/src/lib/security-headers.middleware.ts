import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import compression from 'compression';
import helmet from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { APP_CONFIG, type AppConfig } from '@samservice/platform/config';

type Handler = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;

/**
 * The pages' Content Security Policy: everything from the gateway's own origin and nothing
 * else. No inline script or style, no eval, no framing (clickjacking of a booking or of the
 * staff workstation), forms post only here. The web needs nothing more: its scripts and styles
 * are files of the build, its API is /graphql and its subscriptions ws(s) at the same origin
 * ('self' covers both), its icons are inline SVG, the lobby's chime is synthesized.
 */
export function pageContentSecurityPolicy(
  isProduction: boolean,
): Record<string, Iterable<string> | null> {
  return {
    'default-src': ["'self'"],
    'script-src': ["'self'"],
    'style-src': ["'self'"],
    'img-src': ["'self'", 'data:'],
    'font-src': ["'self'", 'data:'],
    'connect-src': ["'self'"],
    'object-src': ["'none'"],
    'base-uri': ["'self'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
    // Behind TLS in production; on http://127.0.0.1 in development it would break the page.
    'upgrade-insecure-requests': isProduction ? [] : null,
  };
}

/**
 * Security headers on every answer of the gateway (helmet, the Express ecosystem's
 * maintained set: nosniff, no framing, no referrer, same-origin opener and resources, HSTS
 * in production). The pages also get the strict CSP above; GraphQL answers are JSON and get
 * none, so Apollo's development landing page at GET /graphql (scripts from Apollo's CDN)
 * still opens in development.
 */
@Injectable()
export class SecurityHeadersMiddleware implements NestMiddleware {
  private readonly pages: Handler;
  private readonly api: Handler;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const common = {
      strictTransportSecurity: config.isProduction
        ? { maxAge: 31_536_000, includeSubDomains: true }
        : false,
      referrerPolicy: { policy: 'no-referrer' as const },
      frameguard: { action: 'deny' as const },
    };
    this.pages = helmet({
      ...common,
      contentSecurityPolicy: {
        useDefaults: false,
        directives: pageContentSecurityPolicy(config.isProduction),
      },
    }) as Handler;
    this.api = helmet({ ...common, contentSecurityPolicy: false }) as Handler;
  }

  use(req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void): void {
    (isApi(req) ? this.api : this.pages)(req, res, next);
  }
}

/** Whether the request is GraphQL's (/graphql), not a page or a file of the web. */
function isApi(req: IncomingMessage): boolean {
  // Express strips a mount path from req.url; originalUrl is the address as asked.
  const asked = (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url;
  const path = (asked ?? '/').split('?')[0];
  return path === '/graphql' || path.startsWith('/graphql/');
}

/**
 * The web's files compressed (gzip or brotli, as the browser accepts; expressjs/compression):
 * a phone on a slow connection loads about a third of the bytes. GraphQL answers are left as
 * they are: they are small, and compressing each would cost the gateway CPU in a rush.
 */
@Injectable()
export class PageCompressionMiddleware implements NestMiddleware {
  private readonly compress = compression({
    filter: (req, res) => !isApi(req) && compression.filter(req, res),
  }) as unknown as Handler;

  use(req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void): void {
    this.compress(req, res, next);
  }
}
