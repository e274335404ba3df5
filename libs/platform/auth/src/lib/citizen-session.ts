import { SignJWT, jwtVerify, createLocalJWKSet, type JWK, type JWTVerifyGetKey } from 'jose';
import { claimsForPrincipal } from './claims';
import { KEY_ALGORITHM, keyPairFromJwk, loadOrCreateDevelopmentKey, type KeyPair } from './keys';
import type { CitizenPrincipal } from './principal';

/** Issuer of the sessions the gateway gives a citizen who signed in with e-ID. */
export const CITIZEN_SESSION_ISSUER = 'urn:samservice:citizen-session';
/** The session, an HttpOnly cookie (or, for other clients, a bearer token). */
export const SESSION_COOKIE = 'samservice_session';
/** The sign-in under way: state, nonce and PKCE verifier, for the callback only. */
export const LOGIN_STATE_COOKIE = 'samservice_login';

const LOGIN_STATE_AUDIENCE = 'urn:samservice:login-state';
const DEVELOPMENT_KEY_NAME = 'citizen-session';

/** The gateway's sign-in routes under its public origin. */
export function citizenLoginUrls(publicUrl: string): {
  login: string;
  callback: string;
  loggedOut: string;
} {
  const base = publicUrl.replace(/\/+$/, '');
  return {
    login: `${base}/auth/login`,
    callback: `${base}/auth/callback`,
    loggedOut: `${base}/auth/logged-out`,
  };
}

export interface LoginState {
  state: string;
  nonce: string;
  codeVerifier: string;
  /** Where the citizen goes after signing in: a path on the gateway's origin. */
  returnTo: string;
}

export interface CitizenSessionKeyConfig {
  isProduction: boolean;
  dataDir: string;
  signingKey?: Record<string, unknown>;
}

/**
 * The key the gateway signs citizen sessions and sign-ins under way with (EID_SESSION_SIGNING_KEY;
 * outside production a development key in DATA_DIR/keys). Every gateway replica has the
 * same key, so a session started on one is good on all.
 */
export class CitizenSessionKeys {
  private constructor(private readonly key: KeyPair) {}

  static async create(config: CitizenSessionKeyConfig): Promise<CitizenSessionKeys> {
    if (config.signingKey)
      return new CitizenSessionKeys(await keyPairFromJwk(config.signingKey as JWK));
    if (config.isProduction) {
      throw new Error('EID_SESSION_SIGNING_KEY: required in production (a private JWK, EdDSA)');
    }
    return new CitizenSessionKeys(
      await loadOrCreateDevelopmentKey(config.dataDir, DEVELOPMENT_KEY_NAME),
    );
  }

  get publicJwk(): JWK {
    return this.key.publicJwk;
  }

  /** A session token: the citizen principal's claims, the name, and the e-ID's assurance level. */
  async signSession(
    principal: CitizenPrincipal,
    details: { name?: string; acr?: string; audience: string; minutes: number },
  ): Promise<string> {
    return new SignJWT({
      ...claimsForPrincipal(principal),
      ...(details.name ? { name: details.name } : {}),
      ...(details.acr ? { acr: details.acr } : {}),
    })
      .setProtectedHeader({ alg: KEY_ALGORITHM, kid: this.key.kid, typ: 'at+jwt' })
      .setIssuer(CITIZEN_SESSION_ISSUER)
      .setAudience(details.audience)
      .setIssuedAt()
      .setExpirationTime(`${details.minutes * 60}s`)
      .sign(this.key.privateKey);
  }

  /** `audience` tells sign-ins apart: a citizen's under way is never good for staff's. */
  async signLoginState(
    state: LoginState,
    ttlSeconds: number,
    audience = LOGIN_STATE_AUDIENCE,
  ): Promise<string> {
    return new SignJWT({ ...state })
      .setProtectedHeader({ alg: KEY_ALGORITHM, kid: this.key.kid })
      .setIssuer(CITIZEN_SESSION_ISSUER)
      .setAudience(audience)
      .setIssuedAt()
      .setExpirationTime(`${ttlSeconds}s`)
      .sign(this.key.privateKey);
  }

  /** The sign-in under way, or undefined when the cookie is missing, forged or expired. */
  async verifyLoginState(
    token: string | undefined,
    audience = LOGIN_STATE_AUDIENCE,
  ): Promise<LoginState | undefined> {
    if (!token) return undefined;
    try {
      const { payload } = await jwtVerify(token, this.keySet(), {
        issuer: CITIZEN_SESSION_ISSUER,
        audience,
        algorithms: [KEY_ALGORITHM],
      });
      const { state, nonce, codeVerifier, returnTo } = payload as Record<string, unknown>;
      if (
        typeof state !== 'string' ||
        typeof nonce !== 'string' ||
        typeof codeVerifier !== 'string' ||
        typeof returnTo !== 'string'
      )
        return undefined;
      return { state, nonce, codeVerifier, returnTo };
    } catch {
      return undefined;
    }
  }

  private keys?: JWTVerifyGetKey;

  private keySet(): JWTVerifyGetKey {
    this.keys ??= createLocalJWKSet({ keys: [this.key.publicJwk] });
    return this.keys;
  }
}
