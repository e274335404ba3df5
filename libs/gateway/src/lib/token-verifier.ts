import type { AppConfig } from '@samservice/platform/config';
import {
  CitizenSessionKeys,
  ExternalTokenVerifier,
  developmentIssuerKey,
} from '@samservice/platform/auth';

/**
 * The key of the citizen sessions this gateway gives after an e-ID sign-in; undefined in
 * production when no EID_SESSION_SIGNING_KEY is configured (then there is no sign-in).
 */
export async function citizenSessionKeys(
  config: AppConfig,
): Promise<CitizenSessionKeys | undefined> {
  if (config.isProduction && !config.eid.sessionSigningKey) return undefined;
  return CitizenSessionKeys.create({
    isProduction: config.isProduction,
    dataDir: config.dataDir,
    signingKey: config.eid.sessionSigningKey,
  });
}

/**
 * The gateway's verifier of bearer tokens: the configured issuer's JWKS, the gateway's own
 * citizen sessions, and outside production also the local development issuer's key.
 */
export async function gatewayTokenVerifier(
  config: AppConfig,
  sessions?: CitizenSessionKeys,
): Promise<ExternalTokenVerifier> {
  return new ExternalTokenVerifier({
    audience: config.auth.audience,
    configured:
      config.auth.issuer && config.auth.jwksUrl
        ? { issuer: config.auth.issuer, jwksUrl: config.auth.jwksUrl }
        : undefined,
    citizenSessions: sessions ? { publicJwk: sessions.publicJwk } : undefined,
    development: config.auth.acceptDevelopmentTokens
      ? { publicJwk: (await developmentIssuerKey(config.dataDir, config.isProduction)).publicJwk }
      : undefined,
  });
}
