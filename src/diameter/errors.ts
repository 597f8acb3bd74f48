// Protocol errors as values: what the decoder and the validator return instead of throwing, carrying
// the Result-Code and the Failed-AVP payload RFC 6733 §7 prescribes for each case.
import type { AvpDefinition } from './dictionary.js';
import { AvpFlags, minDataLength, type AvpType } from './types.js';

/** RFC 6733 §7.1 Result-Code values this library produces or the server commonly answers with. */
export const ResultCode = {
  MULTI_ROUND_AUTH: 1001,
  SUCCESS: 2001,
  LIMITED_SUCCESS: 2002,
  COMMAND_UNSUPPORTED: 3001,
  UNABLE_TO_DELIVER: 3002,
  REALM_NOT_SERVED: 3003,
  TOO_BUSY: 3004,
  LOOP_DETECTED: 3005,
  REDIRECT_INDICATION: 3006,
  APPLICATION_UNSUPPORTED: 3007,
  INVALID_HDR_BITS: 3008,
  INVALID_AVP_BITS: 3009,
  UNKNOWN_PEER: 3010,
  AUTHENTICATION_REJECTED: 4001,
  OUT_OF_SPACE: 4002,
  ELECTION_LOST: 4003,
  AVP_UNSUPPORTED: 5001,
  UNKNOWN_SESSION_ID: 5002,
  AUTHORIZATION_REJECTED: 5003,
  INVALID_AVP_VALUE: 5004,
  MISSING_AVP: 5005,
  RESOURCES_EXCEEDED: 5006,
  CONTRADICTING_AVPS: 5007,
  AVP_NOT_ALLOWED: 5008,
  AVP_OCCURS_TOO_MANY_TIMES: 5009,
  NO_COMMON_APPLICATION: 5010,
  UNSUPPORTED_VERSION: 5011,
  UNABLE_TO_COMPLY: 5012,
  INVALID_BIT_IN_HEADER: 5013,
  INVALID_AVP_LENGTH: 5014,
  INVALID_MESSAGE_LENGTH: 5015,
  INVALID_AVP_BIT_COMBO: 5016,
  NO_COMMON_SECURITY: 5017,
} as const;

/** 3xxx: answered with the E bit in the generic answer-message format (RFC 6733 §7.2). */
export function isProtocolError(resultCode: number): boolean {
  return resultCode >= 3000 && resultCode < 4000;
}

export interface DiameterError {
  resultCode: number;
  /** Human-readable cause: the Error-Message AVP and the log line. */
  message: string;
  /** The AVP(s) to carry inside Failed-AVP, encoded as RFC 6733 §7.5 says for this Result-Code. */
  failedAvp?: Buffer;
}

const pad4 = (n: number): number => (n + 3) & ~3;

/** Zero-extends to a 4-octet boundary (and to at least `min` octets): Failed-AVP content must be well padded. */
export function zeroPadded(bytes: Buffer, min = 0): Buffer {
  const len = pad4(Math.max(bytes.length, min));
  if (len === bytes.length) return bytes;
  const out = Buffer.alloc(len);
  bytes.copy(out);
  return out;
}

/**
 * The report of an AVP with reserved flag bits set (3009): a copy with those bits cleared, so that the answer
 * itself decodes cleanly (a strict decoder such as tshark flags the copied bits as malformed); the
 * Error-Message names the bits.
 */
export function withoutReservedBits(raw: Buffer): Buffer {
  const out = zeroPadded(Buffer.from(raw));
  out[4] = out[4]! & ~AvpFlags.Reserved;
  return out;
}

/**
 * The stand-in for an AVP whose Length cannot be trusted (RFC 6733 §7.1.5, 5014): its header as
 * received, zero-extended when incomplete, followed by a zero payload of the type's minimum length.
 * The Length field is rewritten to cover exactly that, as Erlang's diameter does: with the bogus
 * value kept, the receiver could not parse our Failed-AVP, nor anything after it.
 */
export function truncatedAvpReport(header: Buffer, headerLength: number, type: AvpType | undefined): Buffer {
  const length = headerLength + minDataLength(type);
  const out = Buffer.alloc(pad4(length));
  header.copy(out, 0, 0, Math.min(header.length, headerLength));
  out.writeUIntBE(length, 5, 3);
  return out;
}

/** The example AVP of a 5005 answer: the missing AVP's header with a zero-filled minimal payload (§7.5). */
export function missingAvpExample(def: AvpDefinition): Buffer {
  const headerLength = def.vendorId ? 12 : 8;
  const length = headerLength + minDataLength(def.type);
  const out = Buffer.alloc(pad4(length));
  out.writeUInt32BE(def.code, 0);
  out.writeUInt32BE(length, 4);
  out[4] = (def.vendorId ? AvpFlags.Vendor : 0) | (def.mandatory === 'mustnot' ? 0 : AvpFlags.Mandatory);
  if (def.vendorId) out.writeUInt32BE(def.vendorId, 8);
  return out;
}

/** Wraps the report of an offending member in its Grouped parent's header (§7.5 allows the nesting). */
export function nestedAvpReport(parentHeader: Buffer, inner: Buffer): Buffer {
  const out = Buffer.alloc(parentHeader.length + inner.length);
  parentHeader.copy(out);
  out.writeUIntBE(out.length, 5, 3);
  inner.copy(out, parentHeader.length);
  return out;
}
