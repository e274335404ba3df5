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
    await expect(verifier.verify(await signer.sign(principal, '203.0.113.7'))).resolves.toEqual({
      principal,
      clientAddress: '203.0.113.7',
    });
  });

  it('reuses a signed identity for the same caller, and a verified one until it expires', async () => {
    const signer = await InternalIdentitySigner.create({ isProduction: false, dataDir });
    const verifier = await InternalIdentityVerifier.create({ isProduction: false, dataDir });
    const citizen = { role: 'anonymous' as const };
    const first = await signer.sign(citizen, '203.0.113.7');
    expect(await signer.sign(citizen, '203.0.113.7')).toBe(first);
    const other = await signer.sign(citizen, '198.51.100.4');
    expect(other).not.toBe(first);
    expect((await verifier.verify(other)).clientAddress).toBe('198.51.100.4');
    expect((await verifier.verify(first)).clientAddress).toBe('203.0.113.7');
    // A tampered copy of a token already verified is still refused.
    const [header, payload, signature] = first.split('.');
    const forged = Buffer.from(
      JSON.stringify({
        ...JSON.parse(Buffer.from(payload, 'base64url').toString()),
        principal: { role: 'admin', subject: 'x' },
      }),
    ).toString('base64url');
    await expect(verifier.verify(`${header}.${forged}.${signature}`)).rejects.toThrow(
      ForwardedIdentityError,
    );
  });

  it('refuses an expired identity even after it was verified once', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    try {
      const signer = await InternalIdentitySigner.create({ isProduction: false, dataDir });
      const verifier = await InternalIdentityVerifier.create({ isProduction: false, dataDir });
      const token = await signer.sign({ role: 'anonymous' });
      await expect(verifier.verify(token)).resolves.toBeDefined();
      jest.setSystemTime(Date.now() + 120_000);
      await expect(verifier.verify(token)).rejects.toThrow(ForwardedIdentityError);
      expect(await signer.sign({ role: 'anonymous' })).not.toBe(token);
    } finally {
      jest.useRealTimers();
    }
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
      verifier.verify(await stranger.sign({ role: 'admin', subject: 'x' })),
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
    await expect(verifier.verify(await signer.sign({ role: 'anonymous' }))).resolves.toEqual({
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
