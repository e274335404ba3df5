import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';

export const KEY_ALGORITHM = 'EdDSA';

export interface KeyPair {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

/** The public half of a private JWK (Ed25519: drop `d`). */
export function publicJwkOf(privateJwk: JWK): JWK {
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicJwk } = privateJwk;
  return publicJwk;
}

export async function keyPairFromJwk(privateJwk: JWK): Promise<KeyPair> {
  const kid = privateJwk.kid ?? 'default';
  const privateKey = (await importJWK(privateJwk, privateJwk.alg ?? KEY_ALGORITHM)) as CryptoKey;
  return {
    kid,
    privateKey,
    publicJwk: {
      ...publicJwkOf(privateJwk),
      kid,
      alg: privateJwk.alg ?? KEY_ALGORITHM,
      use: 'sig',
    },
  };
}

/**
 * A development key kept in DATA_DIR/keys, created on first use. Concurrent first uses
 * (several services starting at once) agree on one key: it is written to a temporary
 * file and linked into place, which fails if another process won.
 */
export async function loadOrCreateDevelopmentKey(dataDir: string, name: string): Promise<KeyPair> {
  const dir = path.join(dataDir, 'keys');
  const file = path.join(dir, `${name}.jwk.json`);
  try {
    return await keyPairFromJwk(JSON.parse(await fs.readFile(file, 'utf8')) as JWK);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  const { privateKey } = await generateKeyPair(KEY_ALGORITHM, { extractable: true });
  const jwk = {
    ...(await exportJWK(privateKey)),
    kid: `${name}-${randomUUID().slice(0, 8)}`,
    alg: KEY_ALGORITHM,
  };
  const temp = `${file}.${process.pid}.tmp`;
  await fs.writeFile(temp, JSON.stringify(jwk), { mode: 0o600 });
  try {
    await fs.link(temp, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await fs.rm(temp, { force: true });
  }
  return keyPairFromJwk(JSON.parse(await fs.readFile(file, 'utf8')) as JWK);
}
