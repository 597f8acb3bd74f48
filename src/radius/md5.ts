// MD5 of several parts without a per-call concatenation: the parts are copied into one reused scratch
// buffer and hashed with the one-shot crypto.hash (synchronous, so the scratch cannot be shared mid-call).
import { hash } from 'node:crypto';

let scratch = Buffer.allocUnsafe(8192);

export function md5(...parts: Uint8Array[]): Buffer {
  let length = 0;
  for (const p of parts) length += p.length;
  if (length > scratch.length) scratch = Buffer.allocUnsafe(length * 2);
  let offset = 0;
  for (const p of parts) {
    scratch.set(p, offset);
    offset += p.length;
  }
  return hash('md5', scratch.subarray(0, length), 'buffer');
}

export type Secret = string | Buffer;

export function secretBytes(secret: Secret): Buffer {
  return typeof secret === 'string' ? Buffer.from(secret, 'utf8') : secret;
}
