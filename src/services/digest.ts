// SIP / HTTP digest authentication of a local user (RFC 2617 §3.2.2, RFC 5090, draft-sterman;
// protocols.md §5). Protocol-independent: RADIUS (Sterman Digest-Attributes or RFC 5090 attributes) and
// Diameter MAR both hand the digest fields in as text and get a yes/no. The user's clear-text Password
// or, when it has none, its stored DigestHA1 (MD5(user:realm:password), aregcmd.md §7.3.2) is the secret.
// Keep `checkDigest`'s signature stable: the Diameter MAR calls it.
import type { DigestCredentials } from '../engine/pipeline/request.js';
import { DigestError, verifyDigest } from '../radius/index.js';

/** The digest fields of one request, as the client sent them (unquoted). */
export type DigestFields = DigestCredentials;

/** What checkDigest needs of a user: its properties as text (a ConfigObject fits). */
export interface DigestUser {
  str(prop: string): string;
}

/**
 * True when `input.response` is the digest of the user's secret: DigestHA1 when set (it binds the realm
 * it was made with), else the clear-text Password (an empty Password never matches). Unsupported
 * algorithms or qop values, or missing nc/cnonce where they are needed, are false, never an exception.
 */
export function checkDigest(user: DigestUser, input: DigestFields): boolean {
  const ha1 = user.str('DigestHA1').trim();
  const password = user.str('Password');
  if (ha1 === '' && password === '') return false;
  try {
    return verifyDigest(
      {
        ...(ha1 !== '' ? { ha1 } : { username: input.username, realm: input.realm, password }),
        nonce: input.nonce,
        method: input.method,
        uri: input.uri,
        ...(input.qop !== undefined ? { qop: input.qop } : {}),
        ...(input.nc !== undefined ? { nc: input.nc } : {}),
        ...(input.cnonce !== undefined ? { cnonce: input.cnonce } : {}),
        ...(input.algorithm !== undefined ? { algorithm: input.algorithm } : {}),
        ...(input.bodyDigest !== undefined ? { bodyDigest: input.bodyDigest } : {}),
      },
      input.response,
    );
  } catch (e) {
    if (e instanceof DigestError) return false;
    throw e;
  }
}
