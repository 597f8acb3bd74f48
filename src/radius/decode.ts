// Datagram -> RadiusPacket. Framing is checked strictly (RFC 2865 §3, §5; RFC 6929 §2); any failure is a
// RadiusDecodeError with a reason code, and nothing else may escape: the server drops and counts such packets.
import type { AttributeDef, Dictionary } from './dictionary.js';
import { hasDigestAuthenticator, isResponse } from './codes.js';
import { itemSize } from './dictionary-builder.js';
import { RadiusDecodeError, type DecodeReason } from './errors.js';
import { ascendSecret, saltDecrypt, unhidePassword } from './hiding.js';
import { secretBytes, type Secret } from './md5.js';
import { headerLength, maxPacketLength, type RadiusAttribute, type RadiusPacket } from './packet.js';
import { decodeValue, type AttributeValue } from './values.js';

export interface DecodeOptions {
  /** Unhide encrypted attributes (User-Password, Tunnel-Password, MS-MPPE keys) with this secret. */
  secret?: Secret;
  /** The request's authenticator, when the packet is a response (its hidden attributes are keyed with it). */
  requestAuthenticator?: Uint8Array;
}

const messageAuthenticatorType = 80;
const zero16 = Buffer.alloc(16);

interface Context {
  readonly dictionary: Dictionary;
  readonly out: RadiusAttribute[];
  readonly secret: Buffer | undefined;
  readonly hidingAuthenticator: Uint8Array;
}

function malformed(reason: DecodeReason, detail: string): never {
  throw new RadiusDecodeError(reason, detail);
}

export function decodePacket(datagram: Buffer, dictionary: Dictionary, options: DecodeOptions = {}): RadiusPacket {
  if (datagram.length < headerLength) malformed('short-datagram', `${datagram.length} octets`);
  const length = datagram.readUInt16BE(2);
  if (length < headerLength || length > maxPacketLength) malformed('bad-length', `Length ${length}`);
  if (datagram.length < length) malformed('short-datagram', `${datagram.length} octets, Length ${length}`);
  const raw = datagram.subarray(0, length);
  const code = raw[0]!;
  const authenticator = raw.subarray(4, 20);
  // A response's hidden attributes are keyed with the request's authenticator: without it they stay hidden.
  const canUnhide = options.secret !== undefined && (!isResponse(code) || options.requestAuthenticator !== undefined);
  const ctx: Context = {
    dictionary,
    out: [],
    secret: canUnhide ? secretBytes(options.secret!) : undefined,
    hidingAuthenticator: options.requestAuthenticator ?? (hasDigestAuthenticator(code) ? zero16 : authenticator),
  };
  let messageAuthenticatorOffset = -1;
  for (let offset = headerLength; offset < length; ) {
    if (offset + 2 > length) malformed('attribute-overflow', `1 octet left at ${offset}`);
    const type = raw[offset]!;
    const size = raw[offset + 1]!;
    if (size < 2) malformed('attribute-length', `attribute ${type} at ${offset} has length ${size}`);
    if (offset + size > length) malformed('attribute-overflow', `attribute ${type} at ${offset} runs past Length`);
    if (type === messageAuthenticatorType) {
      if (messageAuthenticatorOffset >= 0) malformed('duplicate-message-authenticator', `second one at ${offset}`);
      messageAuthenticatorOffset = offset + 2;
    }
    offset = decodeTopLevel(ctx, raw, offset, length);
  }
  return {
    code,
    identifier: raw[1]!,
    length,
    authenticator,
    attributes: ctx.out,
    raw,
    messageAuthenticatorOffset,
  };
}

/** Decodes the attribute at `offset` (and any continuation fragments after it); returns the next offset. */
function decodeTopLevel(ctx: Context, raw: Buffer, offset: number, end: number): number {
  const type = raw[offset]!;
  const value = raw.subarray(offset + 2, offset + raw[offset + 1]!);
  const next = offset + raw[offset + 1]!;
  const def = ctx.dictionary.top(type);
  switch (def?.onWire ? def.type : undefined) {
    case undefined:
      ctx.out.push({ type, value, raw: value });
      return next;
    case 'vsa':
      return decodeVendorSpecific(ctx, def!, raw, offset, end);
    case 'extended':
      if (value.length < 1) malformed('extended-malformed', `attribute ${type} without extended type`);
      decodeExtended(ctx, def!, value[0]!, value.subarray(1), value);
      return next;
    case 'long-extended':
      return decodeLongExtended(ctx, def!, raw, offset, end);
    case 'tlv':
      decodeTlv(ctx, def!, value);
      return next;
    default:
      decodeLeaf(ctx, def!, value);
      return next;
  }
}

function keepRaw(ctx: Context, def: AttributeDef, value: Buffer): void {
  ctx.out.push(leaf(def, value, value, 0));
}

function decodeChild(ctx: Context, def: AttributeDef, data: Buffer): void {
  if (def.type === 'tlv') decodeTlv(ctx, def, data);
  else decodeLeaf(ctx, def, data);
}

function decodeExtended(ctx: Context, def: AttributeDef, extendedType: number, data: Buffer, whole: Buffer): void {
  let child = ctx.dictionary.child(def, extendedType);
  let body = data;
  if (child?.type === 'evs') {
    if (data.length < 5) malformed('extended-malformed', `${child.name} shorter than vendor id and type`);
    const node = ctx.dictionary.child(child, data.readUInt32BE(0));
    child = node && ctx.dictionary.child(node, data[4]!);
    body = data.subarray(5);
  }
  if (child) decodeChild(ctx, child, body);
  else keepRaw(ctx, def, whole);
}

/** RFC 6929 §2.2: fragments with the More flag continue in the next attribute of the same type. */
function decodeLongExtended(ctx: Context, def: AttributeDef, raw: Buffer, offset: number, end: number): number {
  const first = raw.subarray(offset + 2, offset + raw[offset + 1]!);
  if (first.length < 2) malformed('extended-malformed', `attribute ${def.number} without extended type and flags`);
  const extendedType = first[0]!;
  let next = offset + raw[offset + 1]!;
  if (!ctx.dictionary.child(def, extendedType)) {
    keepRaw(ctx, def, first);
    return next;
  }
  const parts = [first.subarray(2)];
  for (let more = first[1]! & 0x80; more; ) {
    if (next + 4 > end || raw[next] !== def.number || raw[next + 2] !== extendedType) {
      malformed('extended-malformed', `attribute ${def.number}.${extendedType}: More flag without a following fragment`);
    }
    const size = raw[next + 1]!;
    if (size < 4 || next + size > end) malformed('extended-malformed', `bad fragment length ${size}`);
    parts.push(raw.subarray(next + 4, next + size));
    more = raw[next + 3]! & 0x80;
    next += size;
  }
  const data = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  decodeExtended(ctx, def, extendedType, data, first);
  return next;
}

function decodeTlv(ctx: Context, def: AttributeDef, data: Buffer): void {
  const start = ctx.out.length;
  for (let p = 0; p < data.length; ) {
    const size = data[p + 1];
    if (size === undefined || size < 2 || p + size > data.length) malformed('tlv-malformed', `${def.name} at ${p}`);
    const child = ctx.dictionary.child(def, data[p]!);
    if (!child) {
      // One unknown member: keep the whole TLV as octets so that it re-encodes exactly.
      ctx.out.length = start;
      keepRaw(ctx, def, data);
      return;
    }
    decodeChild(ctx, child, data.subarray(p + 2, p + size));
    p += size;
  }
}

interface VendorFraming {
  typeLength: number;
  lengthLength: number;
  continuation: boolean;
}

const classicFormat: VendorFraming = { typeLength: 1, lengthLength: 1, continuation: false };

/** Splits vendor content into [type, data, more] records; undefined when it does not parse. */
function vendorRecords(content: Buffer, f: VendorFraming): [number, Buffer, boolean][] | undefined {
  const header = f.typeLength + f.lengthLength + (f.continuation ? 1 : 0);
  const records: [number, Buffer, boolean][] = [];
  for (let p = 0; p < content.length; ) {
    if (p + header > content.length) return undefined;
    const type = content.readUIntBE(p, f.typeLength);
    const size = f.lengthLength === 0 ? content.length - p : content.readUIntBE(p + f.typeLength, f.lengthLength);
    if (size < header || p + size > content.length) return undefined;
    const more = f.continuation && (content[p + header - 1]! & 0x80) !== 0;
    records.push([type, content.subarray(p + header, p + size), more]);
    p += size;
  }
  return records;
}

function decodeVendorSpecific(ctx: Context, vsa: AttributeDef, raw: Buffer, offset: number, end: number): number {
  const value = raw.subarray(offset + 2, offset + raw[offset + 1]!);
  let next = offset + raw[offset + 1]!;
  if (value.length < 4) malformed('vsa-malformed', `Vendor-Specific of ${value.length} octets`);
  const vendorId = value.readUInt32BE(0);
  const node = ctx.dictionary.child(vsa, vendorId);
  const format = (node && ctx.dictionary.vendor(vendorId)) ?? classicFormat;
  const records = vendorRecords(value.subarray(4), format);
  if (!records) {
    if (node) malformed('vsa-malformed', `vendor ${vendorId} content does not match format ${format.typeLength},${format.lengthLength}`);
    keepRaw(ctx, vsa, value);
    return next;
  }
  for (let i = 0; i < records.length; i++) {
    let [type, data, more] = records[i]!;
    // WiMAX-style continuation: the last record goes on in the next Vendor-Specific attribute(s).
    if (more) {
      if (i !== records.length - 1) malformed('vsa-malformed', `continuation flag on a record that is not last`);
      const parts = [data];
      while (more) {
        if (next + 2 > end || raw[next] !== vsa.number) malformed('vsa-malformed', 'continuation without a following fragment');
        const follow = raw.subarray(next + 2, next + raw[next + 1]!);
        const cont = follow.length >= 4 && follow.readUInt32BE(0) === vendorId ? vendorRecords(follow.subarray(4), format) : undefined;
        if (cont?.length !== 1 || cont[0]![0] !== type) malformed('vsa-malformed', 'continuation fragment does not match');
        parts.push(cont[0]![1]);
        more = cont[0]![2];
        next += raw[next + 1]!;
      }
      data = Buffer.concat(parts);
    }
    const def = node && ctx.dictionary.child(node, type);
    if (def) decodeChild(ctx, def, data);
    else ctx.out.push({ type, vendor: vendorId, value: data, raw: data });
  }
  return next;
}

function unhide(ctx: Context, def: AttributeDef, data: Buffer): Buffer {
  const secret = ctx.secret!;
  const plain =
    def.flags.encrypt === 1
      ? unhidePassword(data, secret, ctx.hidingAuthenticator)
      : def.flags.encrypt === 2
        ? saltDecrypt(data, secret, ctx.hidingAuthenticator)
        : data.length === 16
          ? trimNul(ascendSecret(data, secret, ctx.hidingAuthenticator))
          : undefined;
  return plain ?? malformed('encrypted-value', `${def.name}: ${data.length} hidden octets`);
}

function trimNul(b: Buffer): Buffer {
  let end = b.length;
  while (end > 0 && b[end - 1] === 0) end--;
  return b.subarray(0, end);
}

/** One decoded attribute; built field by field because object spreads cost more than the rest of decoding. */
function leaf(def: AttributeDef, raw: Buffer, value: AttributeValue, tag: number): RadiusAttribute {
  const a: RadiusAttribute = { type: def.number, def, value, raw };
  if (def.vendor) a.vendor = def.vendor;
  if (tag) a.tag = tag;
  return a;
}

function decodeLeaf(ctx: Context, def: AttributeDef, data: Buffer): void {
  let body = data;
  let tag = 0;
  if (def.flags.hasTag) {
    if (def.type === 'integer') {
      // RFC 2868 §3.1: a tagged integer is a tag octet and a 24-bit value.
      if (data.length !== 4) malformed('value-size', `${def.name}: ${data.length} octets, tagged integer needs 4`);
      ctx.out.push(leaf(def, data, data.readUIntBE(1, 3), data[0]!));
      return;
    }
    // A string's first octet is a tag when below 0x20 (RFC 2868 §3.3); a salted value always has one.
    if (data.length > 0 && (def.flags.encrypt === 2 || data[0]! < 0x20)) {
      tag = data[0]!;
      body = data.subarray(1);
    }
  }
  if (def.flags.encrypt) {
    if (!ctx.secret) {
      const hidden = leaf(def, data, body, tag);
      hidden.hidden = true;
      ctx.out.push(hidden);
      return;
    }
    body = unhide(ctx, def, body);
  }
  const size = def.flags.array ? itemSize(def) : undefined;
  if (size === undefined) {
    ctx.out.push(leaf(def, data, decodeValue(def, body), tag));
    return;
  }
  if (body.length === 0 || body.length % size !== 0) malformed('value-size', `${def.name}: array of ${body.length} octets`);
  for (let p = 0; p < body.length; p += size) ctx.out.push(leaf(def, data, decodeValue(def, body.subarray(p, p + size)), tag));
}
