import { Controller, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { decodeJwt } from 'jose';
import {
  CitizenSessionKeys,
  ExternalTokenVerifier,
  SESSION_COOKIE,
  STAFF_LOGIN_STATE_AUDIENCE,
  STAFF_LOGIN_STATE_COOKIE,
  STAFF_SESSION_COOKIE,
  staffLoginUrls,
} from '@samservice/platform/auth';
import { APP_CONFIG, type AppConfig } from '@samservice/platform/config';
import {
  CITIZEN_SESSION_KEYS,
  appendCookie,
  json,
  queryOf,
  redirect,
  safeReturnTo,
  withProblem,
  type Request,
  type Response,
} from '../citizen-login/citizen-login.controller';
import { SignInError } from '../citizen-login/relying-party';
import { cookieOf } from '../citizen-login/session-cookie';
import { EXTERNAL_TOKEN_VERIFIER } from '../gateway-identity.middleware';
import { StaffRelyingParty } from './staff-relying-party';

export const STAFF_RELYING_PARTY = Symbol('STAFF_RELYING_PARTY');

const LOGIN_STATE_SECONDS = 600;
const WORKSTATION = '/personal';

/**
 * Staff sign-in at the gateway (docs/security.md, "Staff sign-in"): `GET /auth/staff/login`
 * sends the browser to the organisation's identity provider, `GET /auth/staff/callback`
 * completes the code flow and keeps the access token in an HttpOnly, SameSite=Strict cookie
 * for exactly its lifetime, `GET /auth/staff/session` tells the workstation who is signed
 * in, `POST /auth/staff/logout` ends it.
 */
@Controller('auth/staff')
export class StaffLoginController {
  private readonly urls: ReturnType<typeof staffLoginUrls>;
  private readonly secure: boolean;
  private readonly developmentTokens: boolean;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(CITIZEN_SESSION_KEYS) private readonly keys: CitizenSessionKeys,
    @Inject(STAFF_RELYING_PARTY) private readonly staff: StaffRelyingParty | undefined,
    @Inject(EXTERNAL_TOKEN_VERIFIER) private readonly verifier: ExternalTokenVerifier,
  ) {
    const publicUrl = config.publicUrl ?? `http://${config.host}:${config.port}`;
    this.urls = staffLoginUrls(publicUrl);
    this.secure = publicUrl.startsWith('https:');
    this.developmentTokens = config.auth.acceptDevelopmentTokens;
  }

  private cookie(
    res: Response,
    name: string,
    value: string,
    maxAge: number,
    path: string,
    sameSite: 'lax' | 'strict',
  ): void {
    appendCookie(res, name, value, { maxAge, path, secure: this.secure, sameSite });
  }

  private unavailable(res: Response): void {
    json(res, 404, {
      error: 'STAFF_SIGN_IN_NOT_CONFIGURED',
      message: 'Staff sign-in is not set up here (STAFF_OIDC_ISSUER).',
    });
  }

  @Get('login')
  async login(@Req() req: Request, @Res() res: Response): Promise<void> {
    if (!this.staff) return this.unavailable(res);
    const asked = queryOf(req).get('returnTo');
    const returnTo = asked ? safeReturnTo(asked) : WORKSTATION;
    res.setHeader('cache-control', 'no-store');
    try {
      const started = await this.staff.start();
      const state = await this.keys.signLoginState(
        {
          state: started.state,
          nonce: started.nonce,
          codeVerifier: started.codeVerifier,
          returnTo,
        },
        LOGIN_STATE_SECONDS,
        STAFF_LOGIN_STATE_AUDIENCE,
      );
      // Lax: the provider sends the browser back by a top-level navigation from its site.
      this.cookie(res, STAFF_LOGIN_STATE_COOKIE, state, LOGIN_STATE_SECONDS, '/auth/staff', 'lax');
      redirect(res, started.url);
    } catch (error) {
      const problem = error instanceof SignInError ? error.problem : 'EID_UNAVAILABLE';
      redirect(res, withProblem(returnTo, problem));
    }
  }

  @Get('callback')
  async callback(@Req() req: Request, @Res() res: Response): Promise<void> {
    if (!this.staff) return this.unavailable(res);
    res.setHeader('cache-control', 'no-store');
    const login = await this.keys.verifyLoginState(
      cookieOf(req, STAFF_LOGIN_STATE_COOKIE),
      STAFF_LOGIN_STATE_AUDIENCE,
    );
    this.cookie(res, STAFF_LOGIN_STATE_COOKIE, '', 0, '/auth/staff', 'lax');
    if (!login) {
      redirect(res, withProblem(WORKSTATION, 'LOGIN_EXPIRED'));
      return;
    }
    try {
      const callbackUrl = new URL(this.urls.callback);
      callbackUrl.search = queryOf(req).toString();
      const signedIn = await this.staff.finish(callbackUrl, login);
      const seconds = Math.max(0, signedIn.expiresAt - Math.floor(Date.now() / 1000));
      // Strict: never sent with a request another site starts (no cross-site use of a
      // counter's session); the workstation's own calls to /graphql carry it.
      this.cookie(res, STAFF_SESSION_COOKIE, signedIn.accessToken, seconds, '/', 'strict');
      // One person signed in per browser: a staff sign-in ends a citizen's session here.
      this.cookie(res, SESSION_COOKIE, '', 0, '/', 'lax');
      redirect(res, login.returnTo);
    } catch (error) {
      const problem = error instanceof SignInError ? error.problem : 'EID_UNAVAILABLE';
      redirect(res, withProblem(login.returnTo, problem));
    }
  }

  /** Who is signed in at the workstation: the name, the offices, when the session ends. */
  @Get('session')
  async session(@Req() req: Request, @Res() res: Response): Promise<void> {
    res.setHeader('cache-control', 'no-store');
    const token = cookieOf(req, STAFF_SESSION_COOKIE);
    // developmentTokens: the workstation offers to paste one (never in production).
    const signedOut = {
      signedIn: false,
      signInAvailable: this.staff !== undefined,
      developmentTokens: this.developmentTokens,
    };
    if (!token) {
      json(res, 200, signedOut);
      return;
    }
    try {
      const principal = await this.verifier.principalFor(`Bearer ${token}`);
      if (principal.role !== 'staff') {
        json(res, 200, signedOut);
        return;
      }
      const claims = decodeJwt(token);
      json(res, 200, {
        signedIn: true,
        signInAvailable: true,
        developmentTokens: this.developmentTokens,
        name: typeof claims.name === 'string' ? claims.name : null,
        offices: principal.offices,
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
    this.cookie(res, STAFF_SESSION_COOKIE, '', 0, '/', 'strict');
    const endSessionUrl = this.staff
      ? await this.staff.endSessionUrl(this.urls.loggedOut)
      : undefined;
    json(res, 200, { signedOut: true, endSessionUrl: endSessionUrl ?? null });
  }

  /** Where the identity provider sends the browser after its own logout. */
  @Get('logged-out')
  loggedOut(@Res() res: Response): void {
    redirect(res, WORKSTATION);
  }
}
