// RadiusPacket fields -> datagram. Values are framed by walking up the definition tree (TLV, vendor,
// extended), long values are split where the protocol allows it (concat attributes, long-extended, vendor
// continuation), hidden attributes are hidden with the right authenticator, and the authenticators and any
// Message-Authenticator are computed over the final octets.
import type { AttributeDef, Dictionary, VendorDef } from './dictionary.js';
import { hasDigestAuthenticator, hasRandomAuthenticator, PacketCode } from './codes.js';
import { RadiusEncodeError } from './errors.js';
import { ascendSecret, hidePassword, saltEncrypt } from './hiding.js';
import { secretBytes, type Secret } from './md5.js';
import { messageAuthenticator, packetDigest } from './authenticators.js';
import { headerLength, maxPacketLength, type AttributeInput } from './packet.js';
import { randomInto } from './random.js';
import { encodeValue } from './values.js';

export interface PacketInput {
  code: number;
  identifier: number;
  /** Access-Request / Status-Server only: the Request Authenticator to use (default: random). */
  authenticator?: Uint8Array;
  attributes: readonly AttributeInput[];
}

export interface EncodeOptions {
  secret: Secret;
  /** Required for responses: the authenticator of the request being answered. */
  requestAuthenticator?: Uint8Array;
  /**
   * Add a Message-Authenticator (as the first attribute) when the list has none. Default: on for Access-Accept,
   * -Reject, -Challenge (BlastRADIUS, CVE-2024-3596); always on when EAP-Message is present or for Status-Server
   * (RFC 3579 §3.2, RFC 5997 §3).
   */
  messageAuthenticator?: boolean;
}

const messageAuthenticatorType = 80;
const eapMessageType = 79;
const zero16 = Buffer.alloc(16);
const signedReplies: ReadonlySet<number> = new Set([PacketCode.AccessAccept, PacketCode.AccessReject, PacketCode.AccessChallenge]);

// One packet is built at a time (encoding is synchronous), so the work buffer is shared.
const scratch = Buffer.allocUnsafe(maxPacketLength);

/** A top-level standard attribute of this number (by definition, or by number when there is none). */
function isTop(a: AttributeInput, type: number): boolean {
  return a.def ? a.def.oid === String(type) : !a.vendor && a.type === type;
}

class Writer {
  readonly buf = scratch;
  pos = 0;

  reserve(n: number): number {
    if (this.pos + n > maxPacketLength) {
      throw new RadiusEncodeError(`packet would exceed ${maxPacketLength} octets`);
    }
    const at = this.pos;
    this.pos += n;
    return at;
  }

  attribute(type: number, ...parts: Uint8Array[]): void {
    let length = 2;
    for (const p of parts) length += p.length;
    if (length > 255) throw new RadiusEncodeError(`attribute ${type}: ${length - 2} octets do not fit in one attribute`);
    let at = this.reserve(length);
    this.buf[at++] = type;
    this.buf[at++] = length;
    for (const p of parts) {
      this.buf.set(p, at);
      at += p.length;
    }
  }
}

function chunks(data: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let p = 0; p < data.length || out.length === 0; p += size) out.push(data.subarray(p, p + size));
  return out;
}

function uintBytes(n: number, bytes: number): Buffer {
  const b = Buffer.allocUnsafe(bytes);
  b.writeUIntBE(n, 0, bytes);
  return b;
}

const classicVendor: Pick<VendorDef, 'typeLength' | 'lengthLength' | 'continuation'> = {
  typeLength: 1,
  lengthLength: 1,
  continuation: false,
};

class Encoder {
  readonly w = new Writer();
  maOffset = -1;

  constructor(
    readonly dictionary: Dictionary,
    readonly secret: Buffer,
    readonly hidingAuthenticator: Uint8Array,
  ) {}

  topLevel(type: number, payload: Buffer, splittable: boolean): void {
    if (payload.length <= 253) this.w.attribute(type, payload);
    else if (splittable) for (const part of chunks(payload, 253)) this.w.attribute(type, part);
    else throw new RadiusEncodeError(`attribute ${type}: ${payload.length} octets exceed 253`);
  }

  vendorSpecific(vendorId: number, type: number, payload: Buffer): void {
    const f = this.dictionary.vendor(vendorId) ?? classicVendor;
    const header = f.typeLength + f.lengthLength + (f.continuation ? 1 : 0);
    const room = 253 - 4 - header;
    if (payload.length > room && !f.continuation) {
      throw new RadiusEncodeError(`vendor ${vendorId} attribute ${type}: ${payload.length} octets exceed ${room}`);
    }
    const parts = chunks(payload, room);
    parts.forEach((part, i) => {
      const head = Buffer.allocUnsafe(4 + header);
      head.writeUInt32BE(vendorId, 0);
      head.writeUIntBE(type, 4, f.typeLength);
      if (f.lengthLength) head.writeUIntBE(header + part.length, 4 + f.typeLength, f.lengthLength);
      if (f.continuation) head[3 + header] = i < parts.length - 1 ? 0x80 : 0;
      this.w.attribute(26, head, part);
    });
  }

  /** Wraps `payload` (the value of `def`) in each enclosing container up to a top-level attribute. */
  frame(def: AttributeDef, payload: Buffer): void {
    const parent = def.parent;
    if (!parent) return this.topLevel(def.number, payload, def.flags.concat);
    switch (parent.type) {
      case 'tlv':
        if (payload.length > 253) throw new RadiusEncodeError(`${def.name}: ${payload.length} octets exceed a TLV`);
        return this.frame(parent, Buffer.concat([Buffer.from([def.number, payload.length + 2]), payload]));
      case 'vendor':
        if (parent.parent!.type === 'vsa') return this.vendorSpecific(parent.number, def.number, payload);
        return this.frame(parent.parent!, Buffer.concat([uintBytes(parent.number, 4), Buffer.from([def.number]), payload]));
      case 'extended':
        if (payload.length > 252) throw new RadiusEncodeError(`${def.name}: ${payload.length} octets exceed 252`);
        return this.w.attribute(parent.number, Buffer.from([def.number]), payload);
      case 'long-extended': {
        // RFC 6929 §2.2: every fragment but the last has the More flag and is full.
        const parts = chunks(payload, 251);
        parts.forEach((part, i) => this.w.attribute(parent.number, Buffer.from([def.number, i < parts.length - 1 ? 0x80 : 0]), part));
        return;
      }
      default:
        throw new RadiusEncodeError(`${def.name}: cannot be framed inside ${parent.type}`);
    }
  }

  hide(def: AttributeDef, plain: Buffer): Buffer {
    switch (def.flags.encrypt) {
      case 1:
        return hidePassword(plain, this.secret, this.hidingAuthenticator);
      case 2:
        return saltEncrypt(plain, this.secret, this.hidingAuthenticator);
      case 3:
        return ascendSecret(plain, this.secret, this.hidingAuthenticator);
      default:
        return plain;
    }
  }

  leafPayload(a: AttributeInput, def: AttributeDef): Buffer {
    const tag = a.tag ?? 0;
    if (!Number.isInteger(tag) || tag < 0 || tag > 0x1f || (tag && !def.flags.hasTag)) {
      throw new RadiusEncodeError(`${def.name}: bad tag ${a.tag}`);
    }
    if (a.hidden) {
      if (!Buffer.isBuffer(a.value)) throw new RadiusEncodeError(`${def.name}: a hidden value must be octets`);
      return def.flags.hasTag ? Buffer.concat([Buffer.from([tag]), a.value]) : a.value;
    }
    let value = this.hide(def, encodeValue(def, a.value));
    if (!def.flags.hasTag) return value;
    if (def.type === 'integer') {
      if (value[0] !== 0) throw new RadiusEncodeError(`${def.name}: tagged value over 24 bits`);
      value = Buffer.from(value);
      value[0] = tag;
      return value;
    }
    return tag || def.flags.encrypt === 2 ? Buffer.concat([Buffer.from([tag]), value]) : value;
  }

  attribute(a: AttributeInput): void {
    if (isTop(a, messageAuthenticatorType)) {
      if (this.maOffset >= 0) throw new RadiusEncodeError('more than one Message-Authenticator');
      this.w.attribute(messageAuthenticatorType, zero16);
      this.maOffset = this.w.pos - 16;
      return;
    }
    const def = a.def ?? (a.vendor ? this.dictionary.vendorAttribute(a.vendor, a.type) : this.dictionary.top(a.type));
    if (!def) {
      if (!Buffer.isBuffer(a.value)) throw new RadiusEncodeError(`attribute ${a.vendor ? `${a.vendor}/` : ''}${a.type}: unknown, value must be octets`);
      if (a.vendor) this.vendorSpecific(a.vendor, a.type, a.value);
      else this.topLevel(a.type, a.value, false);
      return;
    }
    if (!def.onWire) throw new RadiusEncodeError(`${def.name} is internal and never sent`);
    if (def.type === 'vsa' || def.type === 'extended' || def.type === 'long-extended') {
      // Kept undecoded (unknown vendor or extended type): its octets go out as they came.
      if (!Buffer.isBuffer(a.value)) throw new RadiusEncodeError(`${def.name}: value must be octets`);
      return this.topLevel(def.number, a.value, false);
    }
    if (def.type === 'vendor' || def.type === 'evs') throw new RadiusEncodeError(`${def.name} is not an attribute`);
    if (def.type !== 'tlv') return this.frame(def, this.leafPayload(a, def));
    if (!Buffer.isBuffer(a.value)) throw new RadiusEncodeError(`${def.name}: a whole TLV must be given as octets`);
    this.frame(def, a.value);
  }
}

/** The authenticator in the header while attributes are hidden and the Message-Authenticator is computed. */
function provisionalAuthenticator(packet: PacketInput, options: EncodeOptions): Uint8Array {
  if (hasRandomAuthenticator(packet.code)) {
    if (packet.authenticator) return packet.authenticator;
    const a = Buffer.allocUnsafe(16);
    randomInto(a, 0, 16);
    return a;
  }
  if (hasDigestAuthenticator(packet.code)) return zero16;
  if (!options.requestAuthenticator) {
    throw new RadiusEncodeError(`a response (code ${packet.code}) needs the request authenticator`);
  }
  return options.requestAuthenticator;
}

export function encodePacket(packet: PacketInput, dictionary: Dictionary, options: EncodeOptions): Buffer {
  const authenticator = provisionalAuthenticator(packet, options);
  if (authenticator.length !== 16) throw new RadiusEncodeError('an authenticator is 16 octets');
  const secret = secretBytes(options.secret);
  const e = new Encoder(dictionary, secret, authenticator);
  const header = e.w.reserve(headerLength);
  e.w.buf[header] = packet.code;
  e.w.buf[header + 1] = packet.identifier;
  e.w.buf.set(authenticator, 4);

  const required = packet.code === PacketCode.StatusServer || packet.attributes.some((a) => isTop(a, eapMessageType));
  const wanted = required || (options.messageAuthenticator ?? signedReplies.has(packet.code));
  if (wanted && !packet.attributes.some((a) => isTop(a, messageAuthenticatorType))) {
    e.attribute({ type: messageAuthenticatorType, value: zero16 });
  }
  for (const a of packet.attributes) e.attribute(a);

  const out = Buffer.from(e.w.buf.subarray(0, e.w.pos));
  out.writeUInt16BE(out.length, 2);
  if (e.maOffset >= 0) messageAuthenticator(out, e.maOffset, secret, options.requestAuthenticator).copy(out, e.maOffset);
  if (!hasRandomAuthenticator(packet.code)) packetDigest(out, authenticator, secret).copy(out, 4);
  return out;
}
