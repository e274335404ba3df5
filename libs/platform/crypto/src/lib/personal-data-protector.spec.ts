import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PersonalDataProtector } from './personal-data-protector';

describe('PersonalDataProtector', () => {
  const key = randomBytes(32);

  it('hashes stably per key and purpose, and never to the plain value', () => {
    const a = new PersonalDataProtector(key);
    const b = new PersonalDataProtector(key);
    const other = new PersonalDataProtector(randomBytes(32));
    expect(a.hash('citizen', '191212121212')).toBe(b.hash('citizen', '191212121212'));
    expect(a.hash('citizen', '191212121212')).not.toBe(other.hash('citizen', '191212121212'));
    expect(a.hash('citizen', '191212121212')).not.toBe(a.hash('visitor', '191212121212'));
    expect(a.hash('citizen', '191212121212')).not.toContain('191212121212');
  });

  it('encrypts with a fresh nonce each time and decrypts back; tampering is detected', () => {
    const protector = new PersonalDataProtector(key);
    const one = protector.encrypt('191212121212');
    const two = protector.encrypt('191212121212');
    expect(one.equals(two)).toBe(false);
    expect(one.toString('latin1')).not.toContain('191212121212');
    expect(protector.decrypt(one)).toBe('191212121212');
    const tampered = Buffer.from(one);
    tampered[tampered.length - 1] ^= 1;
    expect(() => protector.decrypt(tampered)).toThrow();
  });

  it('keeps a development key in DATA_DIR, and refuses to run without a key in production', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'samservice-pd-'));
    try {
      const first = await PersonalDataProtector.create({ dataDir, isProduction: false });
      const second = await PersonalDataProtector.create({ dataDir, isProduction: false });
      expect(second.decrypt(first.encrypt('x'))).toBe('x');
      await expect(PersonalDataProtector.create({ dataDir, isProduction: true })).rejects.toThrow(
        /PERSONAL_DATA_KEY/,
      );
      const configured = await PersonalDataProtector.create({
        dataDir: '/nonexistent',
        isProduction: true,
        key: key.toString('base64'),
      });
      expect(configured.hash('p', 'v')).toBe(new PersonalDataProtector(key).hash('p', 'v'));
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
