// Secrets at rest. Shared secrets and user passwords must be recoverable (CHAP, digest and
// authenticators need them in clear), so they are encrypted with a per-install key;
// administrator passwords are only compared, so they are hashed.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const ENC_PREFIX = '$aes256gcm$';
const HASH_PREFIX = '$scrypt$';
const SCRYPT = { N: 16384, r: 8, p: 1, keylen: 32 };

export class SecretBox {
  private constructor(private readonly key: Buffer) {}

  /** Loads the install key, creating it (mode 0600) the first time. */
  static open(keyFile: string): SecretBox {
    try {
      return new SecretBox(Buffer.from(fs.readFileSync(keyFile, 'utf8').trim(), 'base64'));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    fs.mkdirSync(path.dirname(keyFile), { recursive: true, mode: 0o700 });
    const key = crypto.randomBytes(32);
    try {
      fs.writeFileSync(keyFile, key.toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
      return new SecretBox(key);
    } catch (err) {
      // Another process created it first: use theirs.
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return SecretBox.open(keyFile);
      throw err;
    }
  }

  static isEncrypted(stored: string): boolean {
    return stored.startsWith(ENC_PREFIX);
  }

  encrypt(clear: string): string {
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.key, iv);
    const ct = Buffer.concat([cipher.update(clear, 'utf8'), cipher.final()]);
    return `${ENC_PREFIX}${iv.toString('base64')}$${cipher.getAuthTag().toString('base64')}$${ct.toString('base64')}`;
  }

  /** Clear text of a stored secret; values not produced by encrypt() are returned as they are. */
  decrypt(stored: string): string {
    if (!SecretBox.isEncrypted(stored)) return stored;
    const [iv, tag, ct] = stored.slice(ENC_PREFIX.length).split('$');
    const decipher = crypto.createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64'));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(ct, 'base64')), decipher.final()]).toString('utf8');
  }
}

export function isHashed(stored: string): boolean {
  return stored.startsWith(HASH_PREFIX);
}

export function hashPassword(clear: string): string {
  const salt = crypto.randomBytes(16);
  const hash = crypto.scryptSync(clear, salt, SCRYPT.keylen, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p });
  return `${HASH_PREFIX}${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

export function verifyPassword(clear: string, stored: string): boolean {
  if (!isHashed(stored)) return false;
  const [N, r, p, salt, hash] = stored.slice(HASH_PREFIX.length).split('$');
  const expected = Buffer.from(hash, 'base64');
  const got = crypto.scryptSync(clear, Buffer.from(salt, 'base64'), expected.length, { N: Number(N), r: Number(r), p: Number(p) });
  return crypto.timingSafeEqual(expected, got);
}
