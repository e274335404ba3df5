import {
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeJwt,
  errors as joseErrors,
  jwtVerify,
  type JWTVerifyGetKey,
} from 'jose';
import { CITIZEN_SESSION_ISSUER } from './citizen-session';
import { InvalidClaimsError, principalFromClaims } from './claims';
import { ANONYMOUS, type Principal } from './principal';

export const DEVELOPMENT_ISSUER = 'urn:samservice:development-issuer';

const ACCEPTED_ALGORITHMS = ['RS256', 'PS256', 'ES256', 'EdDSA', 'Ed25519'];

/** How long past its `exp` a bearer token is still accepted (clocks differ a little). */
export const TOKEN_CLOCK_TOLERANCE_SECONDS = 30;

export class AuthenticationError extends Error {
  override name = 'AuthenticationError';
}

export interface TrustedIssuer {
  issuer: string;
  keys: JWTVerifyGetKey;
}

export interface ExternalTokenVerifierOptions {
  audience: string;
  /** The configured OIDC issuer and its JWKS URL. */
  configured?: { issuer: string; jwksUrl: string };
  /** Outside production only: the local development issuer's public key. */
  development?: { publicJwk: import('jose').JWK };
  /** The gateway's own citizen sessions (e-ID sign-in); they can only ever be a citizen. */
  citizenSessions?: { publicJwk: import('jose').JWK };
}

/**
 * Verifies the bearer tokens clients send to the gateway. The issuer named in the token
 * selects the key set (the configured OIDC issuer's JWKS, or, in development, the local
 * development key); signature, issuer, audience and expiry are all checked. The result is
 * the caller's principal, or an AuthenticationError with a reason safe to show.
 */
export class ExternalTokenVerifier {
  private readonly issuers = new Map<string, JWTVerifyGetKey>();

  constructor(private readonly options: ExternalTokenVerifierOptions) {
    if (options.configured) {
      this.issuers.set(
        options.configured.issuer,
        createRemoteJWKSet(new URL(options.configured.jwksUrl), {
          cooldownDuration: 30_000,
          timeoutDuration: 5_000,
        }),
      );
    }
    if (options.citizenSessions) {
      this.issuers.set(
        CITIZEN_SESSION_ISSUER,
        createLocalJWKSet({ keys: [options.citizenSessions.publicJwk] }),
      );
    }
    if (options.development) {
      this.issuers.set(
        DEVELOPMENT_ISSUER,
        createLocalJWKSet({ keys: [options.development.publicJwk] }),
      );
    }
  }

  /** `authorization` is the raw header value, or undefined when the header is absent. */
  async principalFor(authorization: string | undefined): Promise<Principal> {
    if (authorization === undefined) return ANONYMOUS;
    const match = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/.exec(
      authorization.trim(),
    );
    if (!match) {
      throw new AuthenticationError('The Authorization header must be "Bearer <JWT>".');
    }
    const token = match[1] as string;
    let issuer: string | undefined;
    try {
      issuer = decodeJwt(token).iss;
    } catch {
      throw new AuthenticationError('The bearer token is not a well-formed JWT.');
    }
    const keys = issuer ? this.issuers.get(issuer) : undefined;
    if (!issuer || !keys)
      throw new AuthenticationError(
        'The bearer token comes from an issuer this service does not trust.',
      );
    try {
      const { payload } = await jwtVerify(token, keys, {
        issuer,
        audience: this.options.audience,
        algorithms: ACCEPTED_ALGORITHMS,
        clockTolerance: TOKEN_CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ['exp', 'sub'],
      });
      const principal = principalFromClaims(payload);
      if (issuer === CITIZEN_SESSION_ISSUER && principal.role !== 'citizen') {
        throw new InvalidClaimsError('a citizen session carries the citizen role only');
      }
      return principal;
    } catch (error) {
      throw new AuthenticationError(reasonFor(error));
    }
  }
}

function reasonFor(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'The bearer token has expired; sign in again.';
  if (error instanceof InvalidClaimsError)
    return `The bearer token is not usable here: ${error.message}.`;
  if (
    error instanceof joseErrors.JWKSNoMatchingKey ||
    error instanceof joseErrors.JWSSignatureVerificationFailed
  ) {
    return 'The bearer token is not signed by a key this service trusts.';
  }
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    return `The bearer token is not valid here (${error.claim} claim).`;
  }
  if (error instanceof joseErrors.JWKSTimeout || error instanceof joseErrors.JOSEError) {
    return 'The bearer token could not be verified.';
  }
  return 'The bearer token could not be verified.';
}
