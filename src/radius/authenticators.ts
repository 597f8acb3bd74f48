// Packet authentication (RFC 2865 §3, RFC 2866 §3, RFC 5176 §3, RFC 3579 §3.2). Everything is computed over
// the bytes as received or as encoded: never over a re-encoding of decoded attributes.
import { timingSafeEqual } from 'node:crypto';
import { hasDigestAuthenticator, hasRandomAuthenticator } from './codes.js';
import { hmacMd5Packet, md5Packet, secretBytes, type Secret } from './md5.js';

const zero16 = Buffer.alloc(16);

/** MD5(Code + Identifier + Length + `authenticator` + Attributes + Secret) over a packet of exactly Length octets. */
export function packetDigest(packet: Buffer, authenticator: Uint8Array, secret: Secret): Buffer {
  return md5Packet(packet, authenticator, secretBytes(secret));
}

/** Response Authenticator of a reply, from the request's authenticator. */
export function responseAuthenticator(packet: Buffer, requestAuthenticator: Uint8Array, secret: Secret): Buffer {
  return packetDigest(packet, requestAuthenticator, secret);
}

export function verifyResponseAuthenticator(packet: Buffer, requestAuthenticator: Uint8Array, secret: Secret): boolean {
  return timingSafeEqual(packetDigest(packet, requestAuthenticator, secret), packet.subarray(4, 20));
}

/** Accounting-Request, CoA-Request, Disconnect-Request: the authenticator digests the packet with zeros in its place. */
export function verifyRequestAuthenticator(packet: Buffer, secret: Secret): boolean {
  return timingSafeEqual(packetDigest(packet, zero16, secret), packet.subarray(4, 20));
}

/**
 * The authenticator a Message-Authenticator is computed with: the packet's own for Access-Request and
 * Status-Server (undefined: the one in place), zeros for the digest-authenticated requests, the request's for
 * every response.
 */
function macAuthenticator(packet: Buffer, requestAuthenticator: Uint8Array | undefined): Uint8Array | undefined {
  const code = packet[0]!;
  if (hasRandomAuthenticator(code)) return undefined;
  if (hasDigestAuthenticator(code)) return zero16;
  if (!requestAuthenticator) throw new Error('a response Message-Authenticator needs the request authenticator');
  return requestAuthenticator;
}

/**
 * HMAC-MD5(secret) over the packet with the 16 value octets at `offset` taken as zeros (RFC 3579 §3.2).
 * `offset` is where the Message-Authenticator value starts (decodePacket reports it).
 */
export function messageAuthenticator(
  packet: Buffer,
  offset: number,
  secret: Secret,
  requestAuthenticator?: Uint8Array,
): Buffer {
  return hmacMd5Packet(secretBytes(secret), packet, macAuthenticator(packet, requestAuthenticator), offset);
}

export function verifyMessageAuthenticator(
  packet: Buffer,
  offset: number,
  secret: Secret,
  requestAuthenticator?: Uint8Array,
): boolean {
  if (offset < 22 || offset + 16 > packet.length) return false;
  const expected = messageAuthenticator(packet, offset, secret, requestAuthenticator);
  return timingSafeEqual(expected, packet.subarray(offset, offset + 16));
}
