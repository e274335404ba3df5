import { SignJWT } from 'jose';
import { claimsForPrincipal } from './claims';
import { DEVELOPMENT_ISSUER } from './external-token-verifier';
import { KEY_ALGORITHM, loadOrCreateDevelopmentKey, type KeyPair } from './keys';
import type { Principal } from './principal';

const DEVELOPMENT_KEY_NAME = 'development-issuer';

/** The local development issuer's key (DATA_DIR/keys); never loaded in production. */
export async function developmentIssuerKey(
  dataDir: string,
  isProduction: boolean,
): Promise<KeyPair> {
  if (isProduction) throw new Error('the development issuer key is never used in production');
  return loadOrCreateDevelopmentKey(dataDir, DEVELOPMENT_KEY_NAME);
}

export interface DevelopmentTokenOptions {
  dataDir: string;
  audience: string;
  principal: Exclude<Principal, { role: 'anonymous' }>;
  ttlSeconds?: number;
}

/** Mints a bearer token of the development issuer, as `npm run token` does. */
export async function mintDevelopmentToken(options: DevelopmentTokenOptions): Promise<string> {
  const key = await developmentIssuerKey(options.dataDir, false);
  return new SignJWT(claimsForPrincipal(options.principal))
    .setProtectedHeader({ alg: KEY_ALGORITHM, kid: key.kid, typ: 'at+jwt' })
    .setIssuer(DEVELOPMENT_ISSUER)
    .setAudience(options.audience)
    .setIssuedAt()
    .setExpirationTime(`${options.ttlSeconds ?? 8 * 3600}s`)
    .sign(key.privateKey);
}
