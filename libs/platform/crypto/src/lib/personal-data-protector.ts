import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

const KEY_FILE = 'personal-data.key';
const VERSION = 1;

/**
 * Personal identity numbers are never stored in plain text: a keyed hash (HMAC-SHA256) is
 * what rows are found and compared by (and what the no-overlap constraints use), and the
 * value itself is kept encrypted (AES-256-GCM) for the few places that must show it.
 */
export class PersonalDataProtector {
  private readonly hashKey: Buffer;
  private readonly encryptionKey: Buffer;

  constructor(masterKey: Buffer) {
    if (masterKey.length < 32)
      throw new Error('PERSONAL_DATA_KEY: at least 32 bytes (base64) are required');
    this.hashKey = Buffer.from(
      hkdfSync('sha256', masterKey, Buffer.alloc(0), 'samservice:lookup-hash', 32),
    );
    this.encryptionKey = Buffer.from(
      hkdfSync('sha256', masterKey, Buffer.alloc(0), 'samservice:encryption', 32),
    );
  }

  /**
   * The key from configuration (base64, production) or, outside production, a development
   * key kept in DATA_DIR (created on first use).
   */
  static async create(options: {
    key?: string;
    dataDir: string;
    isProduction: boolean;
  }): Promise<PersonalDataProtector> {
    if (options.key) return new PersonalDataProtector(Buffer.from(options.key, 'base64'));
    if (options.isProduction)
      throw new Error('PERSONAL_DATA_KEY: required in production (32 random bytes, base64)');
    const file = path.join(options.dataDir, 'keys', KEY_FILE);
    try {
      return new PersonalDataProtector(
        Buffer.from((await fs.readFile(file, 'utf8')).trim(), 'base64'),
      );
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    const temp = `${file}.${process.pid}.tmp`;
    await fs.writeFile(temp, randomBytes(32).toString('base64'), { mode: 0o600 });
    await fs.link(temp, file).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
    await fs.rm(temp, { force: true });
    return new PersonalDataProtector(
      Buffer.from((await fs.readFile(file, 'utf8')).trim(), 'base64'),
    );
  }

  /** Stable keyed hash (hex) for lookups and constraints; `purpose` keeps hashes of different kinds apart. */
  hash(purpose: string, value: string): string {
    return createHmac('sha256', this.hashKey).update(`${purpose}\u0000${value}`).digest('hex');
  }

  encrypt(plain: string): Buffer {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.encryptionKey, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]);
  }

  decrypt(sealed: Buffer): string {
    if (sealed[0] !== VERSION) throw new Error('unknown personal data format');
    const iv = sealed.subarray(1, 13);
    const tag = sealed.subarray(13, 29);
    const decipher = createDecipheriv('aes-256-gcm', this.encryptionKey, iv);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(sealed.subarray(29)), decipher.final()]).toString('utf8');
  }
}
