// MS-CHAPv2 for the server side (RFC 2759 §8; RADIUS attributes RFC 2548 §2.3) and its MPPE keys
// (RFC 3079 §3.4-3.5). Passwords may be given in clear or as the stored NT hash.
import { createHash, timingSafeEqual } from 'node:crypto';
import { desEncryptBlock, expandDesKey } from './des.js';
import { md4 } from './md4.js';

const sha1 = (...parts: Uint8Array[]): Buffer => {
  const h = createHash('sha1');
  for (const p of parts) h.update(p);
  return h.digest();
};

/** NtPasswordHash: MD4 of the UTF-16LE password. */
export function ntPasswordHash(password: string): Buffer {
  return md4(Buffer.from(password, 'utf16le'));
}

/** HashNtPasswordHash. */
export function ntPasswordHashHash(passwordHash: Uint8Array): Buffer {
  return md4(passwordHash);
}

/** ChallengeHash: the user name is taken without any "DOMAIN\" prefix (RFC 2759 §8.2). */
export function challengeHash(peerChallenge: Uint8Array, authenticatorChallenge: Uint8Array, userName: string): Buffer {
  const bare = userName.slice(userName.lastIndexOf('\\') + 1);
  return sha1(peerChallenge, authenticatorChallenge, Buffer.from(bare, 'utf8')).subarray(0, 8);
}

/** ChallengeResponse: the 8-octet challenge DES-encrypted under three 7-octet slices of the zero-padded hash. */
export function challengeResponse(challenge: Uint8Array, passwordHash: Uint8Array): Buffer {
  const key = Buffer.alloc(21);
  key.set(passwordHash);
  return Buffer.concat([0, 7, 14].map((o) => desEncryptBlock(expandDesKey(key.subarray(o, o + 7)), challenge)));
}

export function generateNtResponse(
  authenticatorChallenge: Uint8Array,
  peerChallenge: Uint8Array,
  userName: string,
  passwordHash: Uint8Array,
): Buffer {
  return challengeResponse(challengeHash(peerChallenge, authenticatorChallenge, userName), passwordHash);
}

const magicSigning = Buffer.from('Magic server to client signing constant');
const magicPad = Buffer.from('Pad to make it do more than one iteration');

/** GenerateAuthenticatorResponse: "S=" and 40 upper-case hex digits. */
export function authenticatorResponse(
  passwordHash: Uint8Array,
  ntResponse: Uint8Array,
  peerChallenge: Uint8Array,
  authenticatorChallenge: Uint8Array,
  userName: string,
): string {
  const digest = sha1(ntPasswordHashHash(passwordHash), ntResponse, magicSigning);
  const challenge = challengeHash(peerChallenge, authenticatorChallenge, userName);
  return `S=${sha1(digest, challenge, magicPad).toString('hex').toUpperCase()}`;
}

export interface MsChap2Request {
  userName: string;
  /** NT hash of the password (ntPasswordHash), or the clear-text password. */
  password: Uint8Array | string;
  /** MS-CHAP-Challenge (16 octets). */
  authenticatorChallenge: Uint8Array;
  /** MS-CHAP2-Response (50 octets: Ident, Flags, Peer-Challenge 16, Reserved 8, Response 24). */
  response: Uint8Array;
}

export interface MsChap2Result {
  ok: boolean;
  /** MS-CHAP2-Success value (Ident + "S=…"), when ok. */
  success?: Buffer;
  /** MS-MPPE-Send-Key / MS-MPPE-Recv-Key (server's view), when ok. */
  sendKey?: Buffer;
  recvKey?: Buffer;
}

/** Verifies an MS-CHAP2-Response and prepares the Access-Accept attributes. */
export function verifyMsChap2(request: MsChap2Request): MsChap2Result {
  const r = request.response;
  if (r.length !== 50 || request.authenticatorChallenge.length !== 16) return { ok: false };
  const passwordHash = typeof request.password === 'string' ? ntPasswordHash(request.password) : request.password;
  const peerChallenge = r.subarray(2, 18);
  const ntResponse = r.subarray(26, 50);
  const expected = generateNtResponse(request.authenticatorChallenge, peerChallenge, request.userName, passwordHash);
  if (!timingSafeEqual(expected, ntResponse)) return { ok: false };
  const text = authenticatorResponse(passwordHash, ntResponse, peerChallenge, request.authenticatorChallenge, request.userName);
  const keys = mppeKeys(passwordHash, ntResponse);
  return { ok: true, success: Buffer.concat([r.subarray(0, 1), Buffer.from(text)]), ...keys };
}

/** MS-CHAP-Error value: Ident + "E=691 R=0 C=<challenge> V=3 M=<message>" (RFC 2759 §6). */
export function msChapError(ident: number, challenge: Uint8Array, code = 691, message = 'Authentication failed'): Buffer {
  const text = `E=${code} R=0 C=${Buffer.from(challenge).toString('hex').toUpperCase()} V=3 M=${message}`;
  return Buffer.concat([Buffer.of(ident), Buffer.from(text)]);
}

const masterMagic = Buffer.from('This is the MPPE Master Key');
const clientSendMagic = Buffer.from('On the client side, this is the send key; on the server side, it is the receive key.');
const clientReceiveMagic = Buffer.from('On the client side, this is the receive key; on the server side, it is the send key.');
const pad1 = Buffer.alloc(40, 0);
const pad2 = Buffer.alloc(40, 0xf2);

/** GetMasterKey (RFC 3079 §3.4). */
export function mppeMasterKey(passwordHashHash: Uint8Array, ntResponse: Uint8Array): Buffer {
  return sha1(passwordHashHash, ntResponse, masterMagic).subarray(0, 16);
}

/** GetAsymmetricStartKey (RFC 3079 §3.4) as the server sees it: `send` is the server's sending key. */
export function mppeServerStartKey(masterKey: Uint8Array, send: boolean, length = 16): Buffer {
  return sha1(masterKey, pad1, send ? clientReceiveMagic : clientSendMagic, pad2).subarray(0, length);
}

/** The 128-bit keys for MS-MPPE-Send-Key and MS-MPPE-Recv-Key (hidden by the encoder, RFC 2548 §2.4.2-3). */
export function mppeKeys(passwordHash: Uint8Array, ntResponse: Uint8Array): { sendKey: Buffer; recvKey: Buffer } {
  const master = mppeMasterKey(ntPasswordHashHash(passwordHash), ntResponse);
  return { sendKey: mppeServerStartKey(master, true), recvKey: mppeServerStartKey(master, false) };
}
