// Unpredictable octets for Request Authenticators, salts and challenges (RFC 2865 §3 asks for
// unpredictability), taken from a 4 KiB CSPRNG pool that is refilled in one system call when spent.
import { randomFillSync } from 'node:crypto';

const pool = Buffer.allocUnsafe(4096);
let used = pool.length;

/** Writes `length` random octets into `target` at `offset`. */
export function randomInto(target: Uint8Array, offset: number, length: number): void {
  for (let done = 0; done < length; ) {
    if (used === pool.length) {
      randomFillSync(pool);
      used = 0;
    }
    const n = Math.min(length - done, pool.length - used);
    pool.copy(target, offset + done, used, used + n);
    used += n;
    done += n;
  }
}

export function randomBytes(length: number): Buffer {
  const b = Buffer.allocUnsafe(length);
  randomInto(b, 0, length);
  return b;
}
