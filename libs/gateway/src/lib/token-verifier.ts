import type { AppConfig } from '@samservice/platform/config';
import { ExternalTokenVerifier, developmentIssuerKey } from '@samservice/platform/auth';

/**
 * The gateway's verifier of bearer tokens: the configured issuer's JWKS, and outside
 * production also the local development issuer's key.
 */
export async function gatewayTokenVerifier(config: AppConfig): Promise<ExternalTokenVerifier> {
  return new ExternalTokenVerifier({
    audience: config.auth.audience,
    configured:
      config.auth.issuer && config.auth.jwksUrl
        ? { issuer: config.auth.issuer, jwksUrl: config.auth.jwksUrl }
        : undefined,
    development: config.auth.acceptDevelopmentTokens
      ? { publicJwk: (await developmentIssuerKey(config.dataDir, config.isProduction)).publicJwk }
      : undefined,
  });
}
