// SIP / HTTP digest (RFC 2617 §3.2.2, used unchanged by RFC 5090 and draft-sterman), with the checks
// FreeRADIUS rlm_digest makes (protocols.md §5.1). The nonce is the client's business (Kamailio owns it).
import { hash, timingSafeEqual } from 'node:crypto';

const md5hex = (text: string): string => hash('md5', text, 'hex');

export interface DigestInput {
  /** Stored HA1 (32 hex digits); otherwise username, realm and password give it. */
  ha1?: string;
  username?: string;
  realm?: string;
  password?: string;
  nonce: string;
  method: string;
  uri: string;
  /** Absent / empty: RFC 2069 compatible response; else auth or auth-int. */
  qop?: string;
  nc?: string;
  cnonce?: string;
  /** H(entity-body) for auth-int. */
  bodyDigest?: string;
  /** MD5 (default) or MD5-sess, case-insensitive. */
  algorithm?: string;
}

export class DigestError extends Error {
  override readonly name = 'DigestError';
}

export function digestHa1(username: string, realm: string, password: string): string {
  return md5hex(`${username}:${realm}:${password}`);
}

/** The expected response (32 lower-case hex digits); DigestError for what rlm_digest rejects. */
export function digestResponse(p: DigestInput): string {
  let ha1 = p.ha1?.toLowerCase();
  if (ha1 === undefined) {
    if (p.username === undefined || p.realm === undefined || p.password === undefined) {
      throw new DigestError('HA1 or username, realm and password are needed');
    }
    ha1 = digestHa1(p.username, p.realm, p.password);
  } else if (!/^[0-9a-f]{32}$/.test(ha1)) throw new DigestError('HA1 must be 32 hex digits');
  const algorithm = (p.algorithm || 'MD5').toLowerCase();
  const qop = (p.qop ?? '').toLowerCase();
  if (algorithm === 'md5-sess') {
    if (p.cnonce === undefined || p.nonce.length % 2 || p.cnonce.length % 2) throw new DigestError('MD5-sess needs an even-length nonce and cnonce');
    ha1 = md5hex(`${ha1}:${p.nonce}:${p.cnonce}`);
  } else if (algorithm !== 'md5') throw new DigestError(`unsupported algorithm ${p.algorithm}`);
  if (qop !== '' && qop !== 'auth' && qop !== 'auth-int') throw new DigestError(`unsupported qop ${p.qop}`);
  if (qop === 'auth-int' && p.bodyDigest === undefined) throw new DigestError('auth-int needs the body digest');
  const ha2 = md5hex(qop === 'auth-int' ? `${p.method}:${p.uri}:${p.bodyDigest}` : `${p.method}:${p.uri}`);
  if (qop === '') return md5hex(`${ha1}:${p.nonce}:${ha2}`);
  if (p.nc === undefined || p.cnonce === undefined) throw new DigestError(`qop ${qop} needs nc and cnonce`);
  return md5hex(`${ha1}:${p.nonce}:${p.nc}:${p.cnonce}:${qop}:${ha2}`);
}

/** Compares a received Digest-Response (32 hex digits, any case) in constant time. */
export function verifyDigest(p: DigestInput, response: string): boolean {
  if (!/^[0-9a-fA-F]{32}$/.test(response)) return false;
  return timingSafeEqual(Buffer.from(digestResponse(p), 'hex'), Buffer.from(response, 'hex'));
}
