import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey } from 'jose';
import {
  CLAIMS,
  KEY_ALGORITHM,
  mintDevelopmentToken,
  publicJwkOf,
} from '@samservice/platform/auth';
import { errorCodes, startTestStack, type TestStack } from '@samservice/testing';

const ISSUER = 'https://idp.test.samservice.local';
const ME = '{ me { role subject agency } }';

/** A real local HTTP server publishing a JWKS, as an agency's or the e-ID broker's OIDC provider would. */
async function startJwksServer(
  jwks: object,
): Promise<{ url: string; close(): Promise<void>; hits: () => number }> {
  let hits = 0;
  const server = http.createServer((req, res) => {
    hits++;
    if (req.url !== '/.well-known/jwks.json') {
      res.statusCode = 404;
      res.end();
      return;
    }
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(jwks));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    hits: () => hits,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('tokens of the configured OIDC issuer (JWKS over HTTP)', () => {
  let stack: TestStack;
  let jwks: Awaited<ReturnType<typeof startJwksServer>>;
  let issuerKey: CryptoKey;

  const agencyToken = (key: CryptoKey, kid: string, issuer = ISSUER) =>
    new SignJWT({
      [CLAIMS.roles]: ['agency'],
      [CLAIMS.clientId]: 'skv-api',
      [CLAIMS.agency]: 'SKV',
    })
      .setProtectedHeader({ alg: 'ES256', kid })
      .setIssuer(issuer)
      .setAudience('samservice-api')
      .setSubject('skv-api')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(key);

  beforeAll(async () => {
    const pair = await generateKeyPair('ES256', { extractable: true });
    issuerKey = pair.privateKey;
    jwks = await startJwksServer({
      keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'idp-key-1', alg: 'ES256', use: 'sig' }],
    });
    stack = await startTestStack({
      AUTH_ISSUER: ISSUER,
      AUTH_JWKS_URL: jwks.url,
      AUTH_AUDIENCE: 'samservice-api',
    });
  });

  afterAll(async () => {
    await stack?.stop();
    await jwks?.close();
  });

  it('accepts a token signed by a key in the issuer JWKS', async () => {
    const response = await stack.query<{ me: Record<string, unknown> }>(
      ME,
      {},
      { token: await agencyToken(issuerKey, 'idp-key-1') },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data?.me).toEqual({ role: 'AGENCY', subject: 'skv-api', agency: 'SKV' });
    expect(jwks.hits()).toBeGreaterThan(0);
  });

  it('refuses a token naming the issuer but signed by another key', async () => {
    const other = await generateKeyPair('ES256');
    const response = await stack.query(
      ME,
      {},
      { token: await agencyToken(other.privateKey, 'idp-key-1') },
    );
    expect(response.status).toBe(401);
    expect(errorCodes(response)).toEqual(['UNAUTHENTICATED']);
  });

  it('refuses a token of an issuer it was not configured with', async () => {
    const response = await stack.query(
      ME,
      {},
      { token: await agencyToken(issuerKey, 'idp-key-1', 'https://evil.example') },
    );
    expect(response.status).toBe(401);
    expect(errorCodes(response)).toEqual(['UNAUTHENTICATED']);
  });

  it('refuses a token without a Samservice role', async () => {
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid: 'idp-key-1' })
      .setIssuer(ISSUER)
      .setAudience('samservice-api')
      .setSubject('someone')
      .setExpirationTime('5m')
      .sign(issuerKey);
    const response = await stack.query(ME, {}, { token });
    expect(errorCodes(response)).toEqual(['UNAUTHENTICATED']);
    expect(response.errors?.[0]?.message).toMatch(/role/);
  });
});

describe('in production', () => {
  let stack: TestStack;
  let jwks: Awaited<ReturnType<typeof startJwksServer>>;
  let issuerKey: CryptoKey;
  let dataDir: string;

  beforeAll(async () => {
    const pair = await generateKeyPair('ES256', { extractable: true });
    issuerKey = pair.privateKey;
    jwks = await startJwksServer({
      keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'idp-key-1', alg: 'ES256' }],
    });
    const internal = await generateKeyPair(KEY_ALGORITHM, { extractable: true });
    const internalJwk = {
      ...(await exportJWK(internal.privateKey)),
      kid: 'internal-1',
      alg: KEY_ALGORITHM,
    };
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'samservice-prod-'));
    stack = await startTestStack({
      NODE_ENV: 'production',
      SEED_DEMO: '',
      DATA_DIR: dataDir,
      AUTH_ISSUER: ISSUER,
      AUTH_JWKS_URL: jwks.url,
      INTERNAL_SIGNING_KEY: JSON.stringify(internalJwk),
      INTERNAL_VERIFY_KEY: JSON.stringify(publicJwkOf(internalJwk)),
      PERSONAL_DATA_KEY: Buffer.alloc(32, 9).toString('base64'),
    });
  });

  afterAll(async () => {
    await stack?.stop();
    await jwks?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('accepts only the configured issuer and never creates or loads a development key', async () => {
    const good = await new SignJWT({ [CLAIMS.roles]: ['admin'] })
      .setProtectedHeader({ alg: 'ES256', kid: 'idp-key-1' })
      .setIssuer(ISSUER)
      .setAudience('samservice-api')
      .setSubject('ops')
      .setExpirationTime('5m')
      .sign(issuerKey);
    expect(
      (await stack.query<{ me: { role: string } }>(ME, {}, { token: good })).data?.me.role,
    ).toBe('ADMIN');

    const otherDir = mkdtempSync(path.join(os.tmpdir(), 'samservice-devkey-'));
    const development = await mintDevelopmentToken({
      dataDir: otherDir,
      audience: 'samservice-api',
      principal: { role: 'admin', subject: 'dev' },
    });
    rmSync(otherDir, { recursive: true, force: true });
    const refused = await stack.query(ME, {}, { token: development });
    expect(refused.status).toBe(401);
    expect(errorCodes(refused)).toEqual(['UNAUTHENTICATED']);
    expect(existsSync(path.join(dataDir, 'keys'))).toBe(false);
  });
});
