// MS-CHAP authentication of a local user (RFC 2433 MS-CHAPv1, RFC 2759 MS-CHAPv2; RADIUS attributes and MPPE
// keys RFC 2548 §2.1–2.4, RFC 3079). Protocol-independent: the caller hands the challenge and response octets
// and gets a decision plus the reply attributes as `[name, value]` pairs (octets as `0x…`): on success
// MS-CHAP2-Success (v2) and the MPPE keys, which the RADIUS encoder salt-encrypts (MS-MPPE-Send-Key /
// Recv-Key, RFC 2548 §2.4.2–3) or hides (MS-CHAP-MPPE-Keys, §2.4.1); on failure MS-CHAP-Error (E=691).
// The secret is the user's clear-text Password (an NT hash is all it takes, but none is stored).
import { timingSafeEqual } from 'node:crypto';
import type { ReplyPair } from '../engine/pipeline/request.js';
import { challengeResponse, msChapError, ntPasswordHash, ntPasswordHashHash, verifyMsChap2 } from '../radius/index.js';

export interface MsChapInput {
  version: 1 | 2;
  /** The name the client computed the response over (User-Name; a `DOMAIN\` prefix is ignored for v2). */
  userName: string;
  /** MS-CHAP-Challenge: 8 octets for v1, 16 for v2. */
  challenge: Buffer;
  /** MS-CHAP-Response (v1) or MS-CHAP2-Response (v2): 50 octets. */
  response: Buffer;
}

export interface MsChapDecision {
  ok: boolean;
  reason?: string;
  reply: ReplyPair[];
}

const hex = (b: Buffer): string => `0x${b.toString('hex')}`;

/** Encryption allowed, 40- or 128-bit RC4: what a NAS may negotiate with the keys (RFC 2548 §2.4.4–5). */
const ENCRYPTION: ReplyPair[] = [
  ['MS-MPPE-Encryption-Policy', 'Encryption-Allowed'],
  ['MS-MPPE-Encryption-Types', 'RC4-40-or-128bit'],
];

function failure(input: MsChapInput, reason: string): MsChapDecision {
  const ident = input.response[0] ?? 0;
  return { ok: false, reason, reply: [['MS-CHAP-Error', hex(msChapError(ident, input.challenge))]] };
}

/** Verifies an MS-CHAP response against `password` (clear text). */
export function checkMsChap(password: string, input: MsChapInput): MsChapDecision {
  if (input.response.length !== 50) return failure(input, `MS-CHAP${input.version === 2 ? '2' : ''}-Response is not 50 octets`);
  if (input.version === 2) {
    if (input.challenge.length !== 16) return failure(input, 'MS-CHAPv2 challenge is not 16 octets');
    const r = verifyMsChap2({ userName: input.userName, password, authenticatorChallenge: input.challenge, response: input.response });
    if (!r.ok) return failure(input, 'MS-CHAPv2 response mismatch');
    return {
      ok: true,
      reply: [['MS-CHAP2-Success', hex(r.success!)], ['MS-MPPE-Recv-Key', hex(r.recvKey!)], ['MS-MPPE-Send-Key', hex(r.sendKey!)], ...ENCRYPTION],
    };
  }
  // RFC 2433 / RFC 2548 §2.1.3: Ident, Flags (1 = use the NT-Response), LM-Response 24, NT-Response 24.
  if (input.challenge.length !== 8) return failure(input, 'MS-CHAPv1 challenge is not 8 octets');
  if (input.response[1] !== 1) return failure(input, 'MS-CHAPv1 LAN Manager responses are not supported');
  const hash = ntPasswordHash(password);
  if (!timingSafeEqual(challengeResponse(input.challenge, hash), input.response.subarray(26, 50))) {
    return failure(input, 'MS-CHAPv1 response mismatch');
  }
  // MS-CHAP-MPPE-Keys (RFC 2548 §2.4.1): LM session key (8, none: zeros) and the NT session key
  // HashNtPasswordHash (16), padded to 32 as FreeRADIUS rlm_mschap sends it.
  const keys = Buffer.alloc(32);
  ntPasswordHashHash(hash).copy(keys, 8);
  return { ok: true, reply: [['MS-CHAP-MPPE-Keys', hex(keys.subarray(0, 24))], ...ENCRYPTION] };
}
