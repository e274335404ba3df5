import { Controller, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { decodeJwt } from 'jose';
import { stringifySetCookie } from 'cookie';
import {
  CitizenSessionKeys,
  ExternalTokenVerifier,
  LOGIN_STATE_COOKIE,
  SESSION_COOKIE,
  STAFF_SESSION_COOKIE,
  citizenLoginUrls,
} from '@samservice/platform/auth';
import { APP_CONFIG, type AppConfig } from '@samservice/platform/config';
import { EXTERNAL_TOKEN_VERIFIER } from '../gateway-identity.middleware';
import { EidRelyingParty, SignInError } from './relying-party';
import { authorizationOf, cookieOf } from './session-cookie';

export const CITIZEN_SESSION_KEYS = Symbol('CITIZEN_SESSION_KEYS');
export const EID_RELYING_PARTY = Symbol('EID_RELYING_PARTY');

/** A sign-in under way is good for this long (the citizen opens BankID, reads, confirms). */
const LOGIN_STATE_SECONDS = 600;
const MAX_RETURN_TO = 512;

/**
 * Where a citizen goes after signing in: a path on this origin only (never `//host` or
 * another scheme), so the sign-in cannot be used to send people elsewhere.
 */
export function safeReturnTo(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_RETURN_TO) return '/';
  if (!value.startsWith('/') || value.startsWith('//') || value.includes('\\')) return '/';
  // Control characters (header splitting, hidden text) are not part of a path anyone wrote.
  if ([...value].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) return '/';
  return value;
}

export type Request = IncomingMessage & { originalUrl?: string };
export type Response = ServerResponse;

export function redirect(res: Response, location: string): void {
  res.statusCode = 303;
  res.setHeader('location', location);
  res.end();
}

export function json(res: Response, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(body));
}

export function queryOf(req: Request): URLSearchParams {
  return new URL(req.originalUrl ?? req.url ?? '/', 'http://x').searchParams;
}

export function withProblem(returnTo: string, problem: string): string {
  const url = new URL(returnTo, 'http://x');
  url.searchParams.set('login_error', problem);
  return `${url.pathname}${url.search}${url.hash}`;
}

/** Adds an HttpOnly cookie to the answer, keeping any set before. */
export function appendCookie(
  res: Response,
  name: string,
  value: string,
  options: { maxAge: number; path: string; secure: boolean; sameSite: 'lax' | 'strict' },
): void {
  const previous = res.getHeader('set-cookie');
  const cookies = Array.isArray(previous) ? previous : previous ? [String(previous)] : [];
  res.setHeader('set-cookie', [
    ...cookies,
    stringifySetCookie(name, value, { httpOnly: true, ...options }),
  ]);
}

/**
 * Citizen sign-in with e-ID at the gateway (docs/security.md, "E-ID"): `GET /auth/login`
 * sends the browser to the e-ID broker, `GET /auth/callback` completes the code flow and
 * sets the session cookie, `GET /auth/session` tells the web who is signed in, `POST
 * /auth/logout` ends the session (and returns the broker's logout URL).
 */
@Controller('auth')
export class CitizenLoginController {
  private readonly urls: ReturnType<typeof citizenLoginUrls>;
  private readonly secure: boolean;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CITIZEN_SESSION_KEYS) private readonly keys: CitizenSessionKeys,
    @Inject(EID_RELYING_PARTY) private readonly eid: EidRelyingParty | undefined,
    @Inject(EXTERNAL_TOKEN_VERIFIER) private readonly verifier: ExternalTokenVerifier,
  ) {
    const publicUrl = config.publicUrl ?? `http://${config.host}:${config.port}`;
    this.urls = citizenLoginUrls(publicUrl);
    this.secure = publicUrl.startsWith('https:');
  }

  private cookie(res: Response, name: string, value: string, maxAge: number, path: string): void {
    appendCookie(res, name, value, { maxAge, path, secure: this.secure, sameSite: 'lax' });
  }

  private unavailable(res: Response): void {
    json(res, 404, {
      error: 'EID_NOT_CONFIGURED',
      message: 'Sign-in with e-ID is not offered here. You can book without signing in.',
    });
  }

  @Get('login')
  async login(@Req() req: Request, @Res() res: Response): Promise<void> {
    if (!this.eid) return this.unavailable(res);
    const returnTo = safeReturnTo(queryOf(req).get('returnTo'));
    res.setHeader('cache-control', 'no-store');
    try {
      const started = await this.eid.start();
      const state = await this.keys.signLoginState(
        {
          state: started.state,
          nonce: started.nonce,
          codeVerifier: started.codeVerifier,
          returnTo,
        },
        LOGIN_STATE_SECONDS,
      );
      this.cookie(res, LOGIN_STATE_COOKIE, state, LOGIN_STATE_SECONDS, '/auth');
      redirect(res, started.url);
    } catch (error) {
      const problem = error instanceof SignInError ? error.problem : 'EID_UNAVAILABLE';
      redirect(res, withProblem(returnTo, problem));
    }
  }

  @Get('callback')
  async callback(@Req() req: Request, @Res() res: Response): Promise<void> {
    if (!this.eid) return this.unavailable(res);
    res.setHeader('cache-control', 'no-store');
    const login = await this.keys.verifyLoginState(cookieOf(req, LOGIN_STATE_COOKIE));
    // The sign-in under way is used once, whatever happens now.
    this.cookie(res, LOGIN_STATE_COOKIE, '', 0, '/auth');
    if (!login) {
      redirect(res, withProblem('/', 'LOGIN_EXPIRED'));
      return;
    }
    try {
      const callbackUrl = new URL(this.urls.callback);
      callbackUrl.search = queryOf(req).toString();
      const citizen = await this.eid.finish(callbackUrl, login);
      const session = await this.keys.signSession(
        { role: 'citizen', subject: citizen.subject, personnummer: citizen.personnummer },
        {
          name: citizen.name,
          acr: citizen.acr,
          audience: this.config.auth.audience,
          minutes: this.config.eid.sessionMinutes,
        },
      );
      this.cookie(res, SESSION_COOKIE, session, this.config.eid.sessionMinutes * 60, '/');
      // One person signed in per browser: a citizen at a shared computer ends a staff session.
      this.cookie(res, STAFF_SESSION_COOKIE, '', 0, '/');
      redirect(res, login.returnTo);
    } catch (error) {
      const problem = error instanceof SignInError ? error.problem : 'EID_UNAVAILABLE';
      redirect(res, withProblem(login.returnTo, problem));
    }
  }

  /** Who is signed in, for the web: the name and when the session ends (nothing else). */
  @Get('session')
  async session(@Req() req: Request, @Res() res: Response): Promise<void> {
    res.setHeader('cache-control', 'no-store');
    const authorization = authorizationOf(req);
    const signedOut = { signedIn: false, signInAvailable: this.eid !== undefined };
    if (!authorization) {
      json(res, 200, signedOut);
      return;
    }
    try {
      const principal = await this.verifier.principalFor(authorization);
      if (principal.role !== 'citizen') {
        json(res, 200, signedOut);
        return;
      }
      const claims = decodeJwt(authorization.slice('Bearer '.length));
      json(res, 200, {
        signedIn: true,
        signInAvailable: this.eid !== undefined,
        name: typeof claims.name === 'string' ? claims.name : null,
        expiresAt:
          typeof claims.exp === 'number' ? new Date(claims.exp * 1000).toISOString() : null,
      });
    } catch {
      json(res, 200, signedOut);
    }
  }

  @Post('logout')
  @HttpCode(200)
  async logout(@Res() res: Response): Promise<void> {
    res.setHeader('cache-control', 'no-store');
    this.cookie(res, SESSION_COOKIE, '', 0, '/');
    const endSessionUrl = this.eid ? await this.eid.endSessionUrl(this.urls.loggedOut) : undefined;
    json(res, 200, { signedOut: true, endSessionUrl: endSessionUrl ?? null });
  }

  /** Where the e-ID broker sends the browser after its own logout. */
  @Get('logged-out')
  loggedOut(@Res() res: Response): void {
    redirect(res, '/');
  }
}
