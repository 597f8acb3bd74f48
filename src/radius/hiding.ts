// Attribute hiding with the shared secret: User-Password (RFC 2865 §5.2, encrypt=1), the salted scheme of
// Tunnel-Password and MS-MPPE keys (RFC 2868 §3.5, RFC 2548 §2.4.2, encrypt=2), and Ascend-Send-Secret
// (encrypt=3). All are MD5 keystreams chained over 16-octet blocks.
import { md5, secretBytes, type Secret } from './md5.js';
import { randomInto } from './random.js';

/** c(i) = p(i) XOR MD5(secret + c(i-1)), with c(0) = `iv`; `data` is changed in place. */
function chainEncrypt(data: Buffer, secret: Buffer, iv: Uint8Array): void {
  let previous: Uint8Array = iv;
  for (let i = 0; i < data.length; i += 16) {
    const key = md5(secret, previous);
    for (let j = 0; j < 16; j++) data[i + j]! ^= key[j]!;
    previous = data.subarray(i, i + 16);
  }
}

function chainDecrypt(cipher: Buffer, secret: Buffer, iv: Uint8Array): Buffer {
  const plain = Buffer.allocUnsafe(cipher.length);
  let previous: Uint8Array = iv;
  for (let i = 0; i < cipher.length; i += 16) {
    const key = md5(secret, previous);
    for (let j = 0; j < 16; j++) plain[i + j] = cipher[i + j]! ^ key[j]!;
    previous = cipher.subarray(i, i + 16);
  }
  return plain;
}

function padded(data: Uint8Array, offset: number, minimum: number): Buffer {
  const length = Math.max(minimum, Math.ceil((offset + data.length) / 16) * 16);
  const out = Buffer.alloc(length);
  out.set(data, offset);
  return out;
}

/** RFC 2865 §5.2. `password` up to 128 octets. */
export function hidePassword(password: Uint8Array, secret: Secret, authenticator: Uint8Array): Buffer {
  if (password.length > 128) throw new RangeError('User-Password longer than 128 octets');
  const out = padded(password, 0, 16);
  chainEncrypt(out, secretBytes(secret), authenticator);
  return out;
}

/** Inverse of hidePassword; undefined when the length is not 16..128 in steps of 16. Trailing NULs go. */
export function unhidePassword(hidden: Buffer, secret: Secret, authenticator: Uint8Array): Buffer | undefined {
  if (hidden.length < 16 || hidden.length > 128 || hidden.length % 16 !== 0) return undefined;
  const plain = chainDecrypt(hidden, secretBytes(secret), authenticator);
  let end = plain.length;
  while (end > 0 && plain[end - 1] === 0) end--;
  return plain.subarray(0, end);
}

/**
 * RFC 2868 §3.5 / RFC 2548 §2.4.2: Salt(2, high bit set) + encrypted (length octet + data + padding).
 * The first key block is MD5(secret + authenticator + salt).
 */
export function saltEncrypt(data: Uint8Array, secret: Secret, authenticator: Uint8Array, salt?: Uint8Array): Buffer {
  if (data.length > 255) throw new RangeError('salt-encrypted value longer than 255 octets');
  const plain = padded(data, 1, 16);
  plain[0] = data.length;
  const out = Buffer.allocUnsafe(2 + plain.length);
  if (salt) out.set(salt.subarray(0, 2), 0);
  else randomInto(out, 0, 2);
  out[0]! |= 0x80;
  chainEncrypt(plain, secretBytes(secret), Buffer.concat([authenticator, out.subarray(0, 2)]));
  plain.copy(out, 2);
  return out;
}

/** Inverse of saltEncrypt; undefined when the framing or the embedded length is impossible. */
export function saltDecrypt(data: Buffer, secret: Secret, authenticator: Uint8Array): Buffer | undefined {
  const cipher = data.subarray(2);
  if (data.length < 18 || cipher.length % 16 !== 0) return undefined;
  const plain = chainDecrypt(cipher, secretBytes(secret), Buffer.concat([authenticator, data.subarray(0, 2)]));
  return plain[0]! < plain.length ? plain.subarray(1, 1 + plain[0]!) : undefined;
}

/** Ascend-Send-Secret (encrypt=3): one block, value XOR MD5(authenticator + secret). Symmetric. */
export function ascendSecret(data: Buffer, secret: Secret, authenticator: Uint8Array): Buffer {
  const key = md5(authenticator, secretBytes(secret));
  const out = padded(data.subarray(0, 16), 0, 16).subarray(0, 16);
  for (let j = 0; j < 16; j++) out[j]! ^= key[j]!;
  return out;
}
