// The Diameter data model: the base and derived AVP data formats of RFC 6733 §4.2–4.3, the value
// each one decodes to, and the per-type rules for reading and writing the data field.
import { isUtf8 } from 'node:buffer';
import { ADDRESS_FAMILY_IPV4, ADDRESS_FAMILY_IPV6, ipToBytes, ipv4ToText, ipv6ToText } from './address.js';
import type { AvpDefinition } from './dictionary.js';

export const AVP_TYPES = [
  'OctetString', 'Integer32', 'Integer64', 'Unsigned32', 'Unsigned64', 'Float32', 'Float64', 'Grouped',
  'Address', 'Time', 'UTF8String', 'DiameterIdentity', 'DiameterURI', 'Enumerated', 'IPFilterRule',
  'QoSFilterRule',
] as const;
export type AvpType = (typeof AVP_TYPES)[number];

/** An Address whose family is neither IPv4 nor IPv6 (E.164, NSAP, ...): kept as family + octets. */
export interface DiameterAddress {
  family: number;
  bytes: Buffer;
}

/**
 * The decoded value of an AVP's data, by type: OctetString → Buffer; Integer32, Unsigned32,
 * Enumerated, Float32/64 → number; Integer64, Unsigned64 → bigint; Address → IPv4/IPv6 text or
 * DiameterAddress; Time → Date; the string types → string; Grouped → Avp[]. A Buffer in place of
 * any other type holds the data verbatim: an unknown AVP, or a known one whose data was invalid.
 */
export type AvpValue = Buffer | number | bigint | string | Date | DiameterAddress | Avp[];

export interface Avp {
  code: number;
  /** 0 when the V bit is clear. */
  vendorId: number;
  /** AVP header flags as on the wire (V 0x80, M 0x40, P 0x20); the V bit decides whether Vendor-ID is written. */
  flags: number;
  value: AvpValue;
  /** The dictionary entry; absent for unknown AVPs, which are then relayed verbatim from their Buffer value. */
  def?: AvpDefinition;
  /** For decoded AVPs: the whole AVP as received (header, data, padding), used to report it in Failed-AVP. */
  raw?: Buffer;
}

export const AvpFlags = { Vendor: 0x80, Mandatory: 0x40, Protected: 0x20, Reserved: 0x1f } as const;

/** Thrown by the encoder when a value does not fit its AVP's type: a programming error, never a peer's. */
export class DiameterEncodeError extends Error {
  override name = 'DiameterEncodeError';
}

interface TypeCodec {
  /** Exact data length of fixed-size types; any other length is DIAMETER_INVALID_AVP_LENGTH. */
  fixed?: number;
  /** Smallest valid data length: the zero-filled payload of Failed-AVP examples (RFC 6733 §7.5). */
  min: number;
  /** The value, or undefined when the data is not a valid value of the type (DIAMETER_INVALID_AVP_VALUE). */
  decode(buf: Buffer, start: number, end: number): AvpValue | undefined;
  size(value: AvpValue): number;
  write(value: AvpValue, buf: Buffer, at: number): void;
}

const NTP_TO_UNIX = 2208988800;
const TWO_32 = 2 ** 32;

function fail(type: string, value: unknown): never {
  throw new DiameterEncodeError(`${typeof value === 'object' ? 'object' : String(value)} is not a valid ${type}`);
}

function intCodec(type: string, lo: number, hi: number, read: 'readInt32BE' | 'readUInt32BE',
  write: 'writeInt32BE' | 'writeUInt32BE'): TypeCodec {
  return {
    fixed: 4, min: 4,
    decode: (buf, start) => buf[read](start),
    size: (v) => (typeof v === 'number' && Number.isInteger(v) && v >= lo && v <= hi ? 4 : fail(type, v)),
    write: (v, buf, at) => { buf[write](v as number, at); },
  };
}

function bigCodec(type: string, lo: bigint, hi: bigint, read: 'readBigInt64BE' | 'readBigUInt64BE',
  write: 'writeBigInt64BE' | 'writeBigUInt64BE'): TypeCodec {
  const asBig = (v: AvpValue): bigint => {
    const b = typeof v === 'bigint' ? v : typeof v === 'number' && Number.isSafeInteger(v) ? BigInt(v) : fail(type, v);
    return b >= lo && b <= hi ? b : fail(type, v);
  };
  return {
    fixed: 8, min: 8,
    decode: (buf, start) => buf[read](start),
    size: (v) => (asBig(v), 8),
    write: (v, buf, at) => { buf[write](asBig(v), at); },
  };
}

function floatCodec(type: string, bytes: 4 | 8): TypeCodec {
  return {
    fixed: bytes, min: bytes,
    decode: (buf, start) => (bytes === 4 ? buf.readFloatBE(start) : buf.readDoubleBE(start)),
    size: (v) => (typeof v === 'number' ? bytes : fail(type, v)),
    write: (v, buf, at) => { if (bytes === 4) buf.writeFloatBE(v as number, at); else buf.writeDoubleBE(v as number, at); },
  };
}

const octetString: TypeCodec = {
  min: 0,
  decode: (buf, start, end) => buf.subarray(start, end),
  size: (v) => (Buffer.isBuffer(v) ? v.length : fail('OctetString', v)),
  write: (v, buf, at) => { (v as Buffer).copy(buf, at); },
};

/** Most Diameter strings are ASCII: checking that in place spares a Buffer view per AVP. */
function isAscii(buf: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (buf[i]! > 0x7f) return false;
  return true;
}

const utf8String: TypeCodec = {
  min: 0,
  decode(buf, start, end) {
    if (isAscii(buf, start, end)) return buf.toString('latin1', start, end);
    return isUtf8(buf.subarray(start, end)) ? buf.toString('utf8', start, end) : undefined;
  },
  size: (v) => (typeof v === 'string' ? Buffer.byteLength(v) : fail('UTF8String', v)),
  write: (v, buf, at) => { buf.write(v as string, at, 'utf8'); },
};

function addressBytes(v: AvpValue): { family: number; bytes: Buffer } {
  if (typeof v === 'string') {
    const bytes = ipToBytes(v) ?? fail('Address', v);
    return { family: bytes.length === 4 ? ADDRESS_FAMILY_IPV4 : ADDRESS_FAMILY_IPV6, bytes };
  }
  if (typeof v === 'object' && v !== null && 'family' in v && Buffer.isBuffer(v.bytes)) return v;
  return fail('Address', v);
}

const address: TypeCodec = {
  min: 6,
  decode(buf, start, end) {
    if (end - start < 2) return undefined;
    const family = buf.readUInt16BE(start);
    const len = end - start - 2;
    if (family === ADDRESS_FAMILY_IPV4) return len === 4 ? ipv4ToText(buf, start + 2) : undefined;
    if (family === ADDRESS_FAMILY_IPV6) return len === 16 ? ipv6ToText(buf, start + 2) : undefined;
    return { family, bytes: buf.subarray(start + 2, end) };
  },
  size: (v) => 2 + addressBytes(v).bytes.length,
  write(v, buf, at) {
    const { family, bytes } = addressBytes(v);
    buf.writeUInt16BE(family, at);
    bytes.copy(buf, at + 2);
  },
};

/** NTP seconds with the RFC 4330 §3 era rule: MSB set = 1968–2036 (era 0), clear = 2036–2104 (era 1). */
function ntpSeconds(v: AvpValue): number {
  if (!(v instanceof Date) || Number.isNaN(v.getTime())) return fail('Time', v);
  const ntp = Math.floor(v.getTime() / 1000) + NTP_TO_UNIX;
  if (ntp < 0x80000000 || ntp >= 0x80000000 + TWO_32) return fail('Time (1968-01-20 to 2104-02-26)', v);
  return ntp % TWO_32;
}

const time: TypeCodec = {
  fixed: 4, min: 4,
  decode(buf, start) {
    const raw = buf.readUInt32BE(start);
    const ntp = raw >= 0x80000000 ? raw : raw + TWO_32;
    return new Date((ntp - NTP_TO_UNIX) * 1000);
  },
  size: (v) => (ntpSeconds(v), 4),
  write: (v, buf, at) => { buf.writeUInt32BE(ntpSeconds(v), at); },
};

const INT32 = intCodec('Integer32', -0x80000000, 0x7fffffff, 'readInt32BE', 'writeInt32BE');

/** Grouped has no entry: its data is a list of AVPs, read and written by the codec itself. */
export const TYPE_CODECS: Readonly<Record<Exclude<AvpType, 'Grouped'>, TypeCodec>> = {
  OctetString: octetString,
  Integer32: INT32,
  Integer64: bigCodec('Integer64', -(2n ** 63n), 2n ** 63n - 1n, 'readBigInt64BE', 'writeBigInt64BE'),
  Unsigned32: intCodec('Unsigned32', 0, 0xffffffff, 'readUInt32BE', 'writeUInt32BE'),
  Unsigned64: bigCodec('Unsigned64', 0n, 2n ** 64n - 1n, 'readBigUInt64BE', 'writeBigUInt64BE'),
  Float32: floatCodec('Float32', 4),
  Float64: floatCodec('Float64', 8),
  Address: address,
  Time: time,
  UTF8String: utf8String,
  DiameterIdentity: utf8String,
  DiameterURI: utf8String,
  Enumerated: INT32,
  IPFilterRule: utf8String,
  QoSFilterRule: utf8String,
};

/** Length of the zero-filled payload that stands for a missing or truncated AVP of this type in Failed-AVP. */
export function minDataLength(type: AvpType | undefined): number {
  return type === undefined || type === 'Grouped' ? 0 : TYPE_CODECS[type].min;
}

export function isAvpType(name: string): name is AvpType {
  return (AVP_TYPES as readonly string[]).includes(name);
}

export const MessageFlags = { Request: 0x80, Proxiable: 0x40, Error: 0x20, Retransmit: 0x10 } as const;
export const HEADER_LENGTH = 20;
/** The Length fields are 24 bits wide. */
export const MAX_LENGTH = 0xffffff;

export interface DiameterHeader {
  /** R 0x80, P 0x40, E 0x20, T 0x10 (MessageFlags). */
  flags: number;
  commandCode: number;
  applicationId: number;
  hopByHopId: number;
  endToEndId: number;
}

export interface DiameterMessage extends DiameterHeader {
  avps: Avp[];
}
