import { SignJWT, createLocalJWKSet, jwtVerify, type JWK, type JWTVerifyGetKey } from 'jose';
import { KEY_ALGORITHM, keyPairFromJwk, loadOrCreateDevelopmentKey, type KeyPair } from './keys';
import { ANONYMOUS, type Principal } from './principal';

/** Header carrying the identity the gateway verified, signed by the gateway. */
export const IDENTITY_HEADER = 'x-samservice-identity';

const INTERNAL_ISSUER = 'urn:samservice:gateway';
const INTERNAL_AUDIENCE = 'urn:samservice:subgraph';
const LIFETIME_SECONDS = 60;
const DEVELOPMENT_KEY_NAME = 'internal-identity';

export interface InternalIdentityKeyConfig {
  isProduction: boolean;
  dataDir: string;
  signingKey?: Record<string, unknown>;
  verifyKey?: Record<string, unknown>;
}

/**
 * Signs the identity the gateway forwards to subgraphs. Every request forwarded by the
 * gateway carries one, anonymous callers included, so a subgraph can refuse anything that
 * did not come through the gateway.
 */
export class InternalIdentitySigner {
  private constructor(private readonly key: KeyPair) {}

  static async create(config: InternalIdentityKeyConfig): Promise<InternalIdentitySigner> {
    if (config.signingKey)
      return new InternalIdentitySigner(await keyPairFromJwk(config.signingKey as JWK));
    if (config.isProduction) {
      throw new Error('INTERNAL_SIGNING_KEY: required in production (a private JWK, EdDSA)');
    }
    return new InternalIdentitySigner(
      await loadOrCreateDevelopmentKey(config.dataDir, DEVELOPMENT_KEY_NAME),
    );
  }

  /** `clientAddress`: the caller's network address as the gateway saw it (limits per client). */
  async sign(principal: Principal, requestId: string, clientAddress?: string): Promise<string> {
    return new SignJWT({
      principal,
      rid: requestId,
      ...(clientAddress ? { cip: clientAddress } : {}),
    })
      .setProtectedHeader({ alg: KEY_ALGORITHM, kid: this.key.kid })
      .setIssuer(INTERNAL_ISSUER)
      .setAudience(INTERNAL_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(`${LIFETIME_SECONDS}s`)
      .sign(this.key.privateKey);
  }
}

export interface ForwardedIdentity {
  principal: Principal;
  clientAddress?: string;
}

export class ForwardedIdentityError extends Error {
  override name = 'ForwardedIdentityError';
}

/** Checks, in a subgraph, that the forwarded identity was signed by the gateway. */
export class InternalIdentityVerifier {
  private constructor(private readonly keys: JWTVerifyGetKey) {}

  static async create(config: InternalIdentityKeyConfig): Promise<InternalIdentityVerifier> {
    let publicJwk: JWK;
    if (config.verifyKey) {
      publicJwk = config.verifyKey as JWK;
    } else if (config.isProduction) {
      throw new Error(
        'INTERNAL_VERIFY_KEY: required in production (the public JWK of INTERNAL_SIGNING_KEY)',
      );
    } else {
      publicJwk = (await loadOrCreateDevelopmentKey(config.dataDir, DEVELOPMENT_KEY_NAME))
        .publicJwk;
    }
    return new InternalIdentityVerifier(
      createLocalJWKSet({ keys: [{ alg: KEY_ALGORITHM, ...publicJwk }] }),
    );
  }

  async verify(token: string | undefined): Promise<ForwardedIdentity> {
    if (!token) throw new ForwardedIdentityError('missing forwarded identity');
    try {
      const { payload } = await jwtVerify(token, this.keys, {
        issuer: INTERNAL_ISSUER,
        audience: INTERNAL_AUDIENCE,
        algorithms: [KEY_ALGORITHM],
        clockTolerance: 5,
      });
      const principal = payload['principal'] as Principal | undefined;
      if (!principal || typeof principal !== 'object' || typeof principal.role !== 'string') {
        throw new ForwardedIdentityError('forwarded identity has no principal');
      }
      const clientAddress = typeof payload['cip'] === 'string' ? payload['cip'] : undefined;
      return { principal: principal.role === 'anonymous' ? ANONYMOUS : principal, clientAddress };
    } catch (error) {
      if (error instanceof ForwardedIdentityError) throw error;
      throw new ForwardedIdentityError('forwarded identity is not signed by the gateway');
    }
  }
}
