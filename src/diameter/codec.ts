// Message encoding and decoding (RFC 6733 §3, §4). Decoding never throws: malformed input yields a
// DiameterError with the Result-Code and Failed-AVP the RFC prescribes. Encoding sizes the whole
// message first and writes it into one buffer.
import type { AvpDefinition, Dictionary } from './dictionary.js';
import {
  ResultCode, nestedAvpReport, truncatedAvpReport, withoutReservedBits, type DiameterError,
} from './errors.js';
import {
  AvpFlags, DiameterEncodeError, HEADER_LENGTH, MAX_LENGTH, MessageFlags, TYPE_CODECS,
  type Avp, type AvpType, type DiameterMessage,
} from './types.js';

/**
 * Grouped AVPs nest deeper than this are kept undecoded (raw Buffer): Failed-AVP may hold any AVP,
 * itself included, so a hostile peer could otherwise make recursion as deep as the message is long.
 */
export const MAX_GROUPED_DEPTH = 16;

export type DecodeResult = { ok: true; message: DiameterMessage } | DecodeFailure;

export interface DecodeFailure {
  ok: false;
  error: DiameterError;
  /** The stream can no longer be framed (bad message Length): close the connection. */
  fatal: boolean;
  /** The header and the top-level AVPs decoded before the error, when the header was readable. */
  partial?: DiameterMessage;
}

const pad4 = (n: number): number => (n + 3) & ~3;

/** The header fields, with an empty AVP list to be filled. */
export function decodeHeader(buf: Buffer): DiameterMessage {
  return {
    flags: buf[4]!,
    commandCode: buf.readUIntBE(5, 3),
    applicationId: buf.readUInt32BE(8),
    hopByHopId: buf.readUInt32BE(12),
    endToEndId: buf.readUInt32BE(16),
    avps: [],
  };
}

/** Decodes one whole message (as the framer delivers it). AVP values are views into `buf`, not copies. */
export function decodeMessage(buf: Buffer, dict: Dictionary): DecodeResult {
  if (buf.length < HEADER_LENGTH) {
    return failure(ResultCode.INVALID_MESSAGE_LENGTH, `message of ${buf.length} octets is shorter than the header`, true);
  }
  const length = buf.readUIntBE(1, 3);
  const partial = decodeHeader(buf);
  if (length !== buf.length || length % 4 !== 0) {
    return failure(ResultCode.INVALID_MESSAGE_LENGTH, `message Length ${length} does not frame ${buf.length} octets`, true, partial);
  }
  if (buf[0] !== 1) {
    return failure(ResultCode.UNSUPPORTED_VERSION, `Diameter version ${buf[0]} is not supported`, false, partial);
  }
  if ((partial.flags & MessageFlags.Request) && (partial.flags & MessageFlags.Error)) {
    return failure(ResultCode.INVALID_HDR_BITS, 'the E bit is set on a request', false, partial);
  }
  const error = decodeAvps(buf, HEADER_LENGTH, length, dict, 0, partial.avps);
  if (error) return { ok: false, error, fatal: false, partial };
  return { ok: true, message: partial };
}

function failure(resultCode: number, message: string, fatal: boolean, partial?: DiameterMessage): DecodeFailure {
  return { ok: false, error: { resultCode, message }, fatal, partial };
}

function avpLengthError(message: string, failedAvp: Buffer): DiameterError {
  return { resultCode: ResultCode.INVALID_AVP_LENGTH, message, failedAvp };
}

function avpLabel(def: AvpDefinition | undefined, code: number, vendorId: number): string {
  return def ? `${def.name} (${code})` : `${vendorId ? `${vendorId}:` : ''}${code}`;
}

function decodeAvps(buf: Buffer, start: number, end: number, dict: Dictionary, depth: number, out: Avp[]): DiameterError | undefined {
  for (let at = start; at < end; ) {
    const left = end - at;
    const hasVendor = left > 4 && (buf[at + 4]! & AvpFlags.Vendor) !== 0;
    const headerLength = hasVendor ? 12 : 8;
    if (left < headerLength) {
      return avpLengthError(`${left} octets left at offset ${at}: too few for an AVP header`,
        truncatedAvpReport(buf.subarray(at, end), headerLength, undefined));
    }
    const code = buf.readUInt32BE(at);
    const flags = buf[at + 4]!;
    const length = buf.readUIntBE(at + 5, 3);
    const vendorId = hasVendor ? buf.readUInt32BE(at + 8) : 0;
    const def = dict.avp(code, vendorId);
    if (length < headerLength || length > left) {
      return avpLengthError(`AVP ${avpLabel(def, code, vendorId)} Length ${length} does not fit ${left} octets with a ${headerLength}-octet header`,
        truncatedAvpReport(buf.subarray(at, at + headerLength), headerLength, def?.type));
    }
    const next = at + pad4(length);
    const raw = buf.subarray(at, Math.min(next, end));
    if (flags & AvpFlags.Reserved) {
      return { resultCode: ResultCode.INVALID_AVP_BITS, message: `AVP ${avpLabel(def, code, vendorId)} has reserved flag bits 0x${(flags & AvpFlags.Reserved).toString(16).padStart(2, '0')} set`, failedAvp: withoutReservedBits(raw) };
    }
    const dataStart = at + headerLength;
    const dataEnd = at + length;
    let value: Avp['value'];
    if (!def || (def.type === 'Grouped' && depth >= MAX_GROUPED_DEPTH)) {
      value = buf.subarray(dataStart, dataEnd);
    } else if (def.type === 'Grouped') {
      const members: Avp[] = [];
      const inner = decodeAvps(buf, dataStart, dataEnd, dict, depth + 1, members);
      if (inner) return { ...inner, failedAvp: inner.failedAvp && nestedAvpReport(buf.subarray(at, dataStart), inner.failedAvp) };
      value = members;
    } else {
      const codec = TYPE_CODECS[def.type];
      if (codec.fixed !== undefined && length - headerLength !== codec.fixed) {
        return avpLengthError(`AVP ${avpLabel(def, code, vendorId)} of type ${def.type} has ${length - headerLength} data octets, not ${codec.fixed}`,
          truncatedAvpReport(buf.subarray(at, at + headerLength), headerLength, def.type));
      }
      value = codec.decode(buf, dataStart, dataEnd) ?? buf.subarray(dataStart, dataEnd);
    }
    out.push({ code, vendorId, flags, value, def, raw });
    at = next;
  }
  return undefined;
}

/** True when a known AVP's data did not decode as its type and is held raw (DIAMETER_INVALID_AVP_VALUE). */
export function hasInvalidValue(avp: Avp): boolean {
  return avp.def !== undefined && avp.def.type !== 'OctetString' && Buffer.isBuffer(avp.value);
}

/**
 * Encodes a message. Throws DiameterEncodeError when a value does not fit its type or a length
 * overflows 24 bits: our own bug, never the peer's.
 */
export function encodeMessage(msg: DiameterMessage): Buffer {
  const lengths: number[] = [];
  let total = HEADER_LENGTH;
  for (const avp of msg.avps) total += pad4(measure(avp, lengths));
  if (total > MAX_LENGTH) throw new DiameterEncodeError(`message of ${total} octets exceeds the 24-bit Length`);
  const buf = Buffer.allocUnsafe(total);
  buf.writeUInt32BE(0x01000000 | total, 0);
  buf.writeUInt32BE(((msg.flags & 0xff) << 24 | msg.commandCode) >>> 0, 4);
  buf.writeUInt32BE(msg.applicationId >>> 0, 8);
  buf.writeUInt32BE(msg.hopByHopId >>> 0, 12);
  buf.writeUInt32BE(msg.endToEndId >>> 0, 16);
  const writer = new AvpWriter(buf, lengths);
  let at = HEADER_LENGTH;
  for (const avp of msg.avps) at = writer.write(avp, at);
  return buf;
}

/** One AVP on its own, padded: for Failed-AVP contents and tests. */
export function encodeAvp(avp: Avp): Buffer {
  const lengths: number[] = [];
  const buf = Buffer.allocUnsafe(pad4(measure(avp, lengths)));
  new AvpWriter(buf, lengths).write(avp, 0);
  return buf;
}

function flagsOf(avp: Avp): number {
  return avp.vendorId ? avp.flags | AvpFlags.Vendor : avp.flags;
}

/** Records each AVP's Length in pre-order so the writer does not measure nested members twice. */
function measure(avp: Avp, lengths: number[]): number {
  const slot = lengths.push(0) - 1;
  let data: number;
  if (Buffer.isBuffer(avp.value)) {
    data = avp.value.length;
  } else if (Array.isArray(avp.value)) {
    data = 0;
    for (const member of avp.value) data += pad4(measure(member, lengths));
  } else if (!avp.def || avp.def.type === 'Grouped') {
    throw new DiameterEncodeError(`AVP ${avp.code}: ${avp.def ? 'a Grouped value must be an AVP list' : 'a value without a dictionary definition must be a Buffer'}`);
  } else {
    data = TYPE_CODECS[avp.def.type].size(avp.value);
  }
  const length = (flagsOf(avp) & AvpFlags.Vendor ? 12 : 8) + data;
  if (length > MAX_LENGTH) throw new DiameterEncodeError(`AVP ${avp.code} of ${length} octets exceeds the 24-bit Length`);
  lengths[slot] = length;
  return length;
}

class AvpWriter {
  private next = 0;

  constructor(private readonly buf: Buffer, private readonly lengths: readonly number[]) {}

  /** Writes the AVP at `at`; returns the offset after its padding. */
  write(avp: Avp, at: number): number {
    const { buf } = this;
    const length = this.lengths[this.next++]!;
    const flags = flagsOf(avp);
    buf.writeUInt32BE(avp.code >>> 0, at);
    buf.writeUInt32BE(((flags & 0xff) << 24 | length) >>> 0, at + 4);
    let data = at + 8;
    if (flags & AvpFlags.Vendor) {
      buf.writeUInt32BE(avp.vendorId >>> 0, data);
      data += 4;
    }
    const value = avp.value;
    if (Buffer.isBuffer(value)) value.copy(buf, data);
    else if (Array.isArray(value)) for (const member of value) data = this.write(member, data);
    else TYPE_CODECS[avp.def!.type as Exclude<AvpType, 'Grouped'>].write(value, buf, data);
    const end = at + length;
    const padded = pad4(end);
    if (padded > end) buf.fill(0, end, padded);
    return padded;
  }
}
