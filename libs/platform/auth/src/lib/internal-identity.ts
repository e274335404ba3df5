import { SignJWT, createLocalJWKSet, jwtVerify, type JWK, type JWTVerifyGetKey } from 'jose';
import { KEY_ALGORITHM, keyPairFromJwk, loadOrCreateDevelopmentKey, type KeyPair } from './keys';
import { ANONYMOUS, type Principal } from './principal';

/** Header carrying the identity the gateway verified, signed by the gateway. */
export const IDENTITY_HEADER = 'x-samservice-identity';

const INTERNAL_ISSUER = 'urn:samservice:gateway';
const INTERNAL_AUDIENCE = 'urn:samservice:subgraph';
const LIFETIME_SECONDS = 60;
const DEVELOPMENT_KEY_NAME = 'internal-identity';
/** Tokens remembered by the signer and the verifier before their memory is cleared. */
const MAX_REMEMBERED = 10_000;
const CLOCK_TOLERANCE_SECONDS = 5;

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
  /** Signed identities reused for half their lifetime: signing on every request costs CPU. */
  private readonly issued = new Map<string, { token: string; renewAt: number }>();

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

  /**
   * The signed identity to forward. `clientAddress`: the caller's network address as the
   * gateway saw it (limits per client). The same principal from the same address gets the
   * same token for half its lifetime (the request id travels in its own header).
   */
  async sign(principal: Principal, clientAddress?: string): Promise<string> {
    const key = JSON.stringify([principal, clientAddress ?? null]);
    const now = Date.now();
    const known = this.issued.get(key);
    if (known && known.renewAt > now) return known.token;
    const token = await new SignJWT({
      principal,
      ...(clientAddress ? { cip: clientAddress } : {}),
    })
      .setProtectedHeader({ alg: KEY_ALGORITHM, kid: this.key.kid })
      .setIssuer(INTERNAL_ISSUER)
      .setAudience(INTERNAL_AUDIENCE)
      .setIssuedAt(Math.floor(now / 1000))
      .setExpirationTime(Math.floor(now / 1000) + LIFETIME_SECONDS)
      .sign(this.key.privateKey);
    if (this.issued.size >= MAX_REMEMBERED) this.issued.clear();
    this.issued.set(key, { token, renewAt: now + (LIFETIME_SECONDS * 1000) / 2 });
    return token;
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
  /** Tokens already verified, until they expire: the same string always carries the same claims. */
  private readonly verified = new Map<string, { identity: ForwardedIdentity; expiresAt: number }>();

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
    const known = this.verified.get(token);
    if (known) {
      if (known.expiresAt > Date.now()) return known.identity;
      this.verified.delete(token);
    }
    try {
      const { payload } = await jwtVerify(token, this.keys, {
        issuer: INTERNAL_ISSUER,
        audience: INTERNAL_AUDIENCE,
        algorithms: [KEY_ALGORITHM],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
      });
      const principal = payload['principal'] as Principal | undefined;
      if (!principal || typeof principal !== 'object' || typeof principal.role !== 'string') {
        throw new ForwardedIdentityError('forwarded identity has no principal');
      }
      const clientAddress = typeof payload['cip'] === 'string' ? payload['cip'] : undefined;
      const identity = {
        principal: principal.role === 'anonymous' ? ANONYMOUS : principal,
        clientAddress,
      };
      if (typeof payload.exp === 'number') {
        if (this.verified.size >= MAX_REMEMBERED) this.verified.clear();
        this.verified.set(token, {
          identity,
          expiresAt: (payload.exp + CLOCK_TOLERANCE_SECONDS) * 1000,
        });
      }
      return identity;
    } catch (error) {
      if (error instanceof ForwardedIdentityError) throw error;
      throw new ForwardedIdentityError('forwarded identity is not signed by the gateway');
    }
  }
}
