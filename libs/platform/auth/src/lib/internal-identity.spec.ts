import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  ForwardedIdentityError,
  InternalIdentitySigner,
  InternalIdentityVerifier,
} from './internal-identity';
import { loadOrCreateDevelopmentKey, publicJwkOf } from './keys';

describe('identity forwarded from the gateway to subgraphs', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'samservice-keys-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('verifies what the gateway signed', async () => {
    const signer = await InternalIdentitySigner.create({ isProduction: false, dataDir });
    const verifier = await InternalIdentityVerifier.create({ isProduction: false, dataDir });
    const principal = { role: 'admin' as const, subject: 'root' };
    await expect(
      verifier.verify(await signer.sign(principal, 'req-1', '203.0.113.7')),
    ).resolves.toEqual({
      principal,
      clientAddress: '203.0.113.7',
    });
  });

  it('refuses a missing header, garbage, and a signature by another key', async () => {
    const verifier = await InternalIdentityVerifier.create({ isProduction: false, dataDir });
    const otherDir = mkdtempSync(path.join(os.tmpdir(), 'samservice-keys-'));
    const stranger = await InternalIdentitySigner.create({
      isProduction: false,
      dataDir: otherDir,
    });
    rmSync(otherDir, { recursive: true, force: true });
    await expect(verifier.verify(undefined)).rejects.toThrow(ForwardedIdentityError);
    await expect(verifier.verify('a.b.c')).rejects.toThrow(ForwardedIdentityError);
    await expect(
      verifier.verify(await stranger.sign({ role: 'admin', subject: 'x' }, 'r')),
    ).rejects.toThrow(/not signed by the gateway/);
  });

  it('uses configured keys, and in production never falls back to a development key', async () => {
    const pair = await loadOrCreateDevelopmentKey(dataDir, 'deployed');
    const privateJwk = JSON.parse(
      readFileSync(path.join(dataDir, 'keys', 'deployed.jwk.json'), 'utf8'),
    );
    const signer = await InternalIdentitySigner.create({
      isProduction: true,
      dataDir: '/nonexistent',
      signingKey: privateJwk,
    });
    const verifier = await InternalIdentityVerifier.create({
      isProduction: true,
      dataDir: '/nonexistent',
      verifyKey: { ...publicJwkOf(privateJwk), kid: pair.kid },
    });
    await expect(verifier.verify(await signer.sign({ role: 'anonymous' }, 'r'))).resolves.toEqual({
      principal: { role: 'anonymous' },
      clientAddress: undefined,
    });
    await expect(InternalIdentitySigner.create({ isProduction: true, dataDir })).rejects.toThrow(
      /INTERNAL_SIGNING_KEY/,
    );
    await expect(InternalIdentityVerifier.create({ isProduction: true, dataDir })).rejects.toThrow(
      /INTERNAL_VERIFY_KEY/,
    );
  });

  it('agrees on one development key when several services create it at once', async () => {
    const pairs = await Promise.all(
      Array.from({ length: 5 }, () => loadOrCreateDevelopmentKey(dataDir, 'shared')),
    );
    expect(new Set(pairs.map((pair) => pair.kid)).size).toBe(1);
  });
});
