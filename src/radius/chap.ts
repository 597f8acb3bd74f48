// CHAP (RFC 1994 §4.1, RADIUS RFC 2865 §5.3): CHAP-Password = Ident + MD5(Ident + password + challenge),
// where the challenge is CHAP-Challenge when present, else the Request Authenticator.
import { timingSafeEqual } from 'node:crypto';
import { md5 } from './md5.js';

function bytes(text: string | Uint8Array): Uint8Array {
  return typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
}

export function chapPassword(ident: number, password: string | Uint8Array, challenge: Uint8Array): Buffer {
  const id = Buffer.of(ident);
  return Buffer.concat([id, md5(id, bytes(password), challenge)]);
}

/** Checks a received CHAP-Password value (17 octets) against the clear-text password. */
export function verifyChapPassword(value: Buffer, password: string | Uint8Array, challenge: Uint8Array): boolean {
  if (value.length !== 17) return false;
  const expected = md5(value.subarray(0, 1), bytes(password), challenge);
  return timingSafeEqual(expected, value.subarray(1));
}
