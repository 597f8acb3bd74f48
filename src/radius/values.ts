// Wire form <-> typed value of one leaf attribute (after any tag and hiding are taken off).
// Addresses and prefixes are text so that traces, scripts and the configuration tree see one form.
import { isUtf8 } from 'node:buffer';
import type { AttributeDef, AttributeType } from './dictionary.js';
import { itemSize } from './dictionary-builder.js';
import { RadiusDecodeError, RadiusEncodeError } from './errors.js';
import { formatIPv4, formatIPv6, parseIPv4, parseIPv6 } from './ip.js';

export type AttributeValue = string | Buffer | number | bigint | Date;

function formatHexGroups(b: Buffer, groupBytes: number, separator: string): string {
  const hex = b.toString('hex');
  const groups: string[] = [];
  for (let i = 0; i < hex.length; i += groupBytes * 2) groups.push(hex.slice(i, i + groupBytes * 2));
  return groups.join(separator);
}

function prefixText(data: Buffer, family: 4 | 6): string {
  const bits = data[1]!;
  const address = Buffer.alloc(family === 4 ? 4 : 16);
  data.copy(address, 0, 2);
  return `${family === 4 ? formatIPv4(address) : formatIPv6(address)}/${bits}`;
}

/** Decodes one value; a size that the type cannot have is a RadiusDecodeError('value-size'). */
export function decodeValue(def: AttributeDef, data: Buffer): AttributeValue {
  const size = itemSize(def);
  if (size !== undefined && data.length !== size) {
    throw new RadiusDecodeError('value-size', `${def.name}: ${data.length} octets, ${def.type} needs ${size}`);
  }
  switch (def.type) {
    case 'string':
      return isUtf8(data) ? data.toString('utf8') : data;
    case 'ipaddr':
      return formatIPv4(data);
    case 'ipv6addr':
      return formatIPv6(data);
    case 'combo-ip':
      if (data.length === 4) return formatIPv4(data);
      if (data.length === 16) return formatIPv6(data);
      break;
    case 'ipv4prefix':
      if (data[1]! <= 32) return prefixText(data, 4);
      break;
    case 'ipv6prefix':
      if (data.length >= 2 && data.length <= 18 && data[1]! <= 128 && data.length - 2 >= Math.ceil(data[1]! / 8)) {
        return prefixText(data, 6);
      }
      break;
    case 'ifid':
      return formatHexGroups(data, 2, ':');
    case 'ether':
      return formatHexGroups(data, 1, ':');
    case 'integer':
      return data.readUInt32BE(0);
    case 'byte':
      return data[0]!;
    case 'short':
      return data.readUInt16BE(0);
    case 'signed':
      return data.readInt32BE(0);
    case 'integer64':
      return data.readBigUInt64BE(0);
    case 'date':
      return new Date(data.readUInt32BE(0) * 1000);
    default:
      return data;
  }
  throw new RadiusDecodeError('value-size', `${def.name}: ${data.length} octets do not form a ${def.type}`);
}

function fail(def: AttributeDef, value: AttributeValue, why: string): never {
  throw new RadiusEncodeError(`${def.name}: cannot encode ${String(value)} as ${def.type}: ${why}`);
}

function uint(def: AttributeDef, value: AttributeValue, bytes: 1 | 2 | 4): Buffer {
  const n = value instanceof Date ? Math.floor(value.getTime() / 1000) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n >= 2 ** (8 * bytes)) fail(def, value, 'out of range');
  const b = Buffer.allocUnsafe(bytes);
  b.writeUIntBE(n, 0, bytes);
  return b;
}

function signed(def: AttributeDef, value: AttributeValue): Buffer {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < -0x80000000 || value > 0x7fffffff) {
    fail(def, value, 'out of range');
  }
  const b = Buffer.allocUnsafe(4);
  b.writeInt32BE(value);
  return b;
}

function uint64(def: AttributeDef, value: AttributeValue): Buffer {
  const n = typeof value === 'bigint' ? value : typeof value === 'number' && Number.isSafeInteger(value) ? BigInt(value) : -1n;
  if (n < 0n || n > 0xffffffffffffffffn) fail(def, value, 'out of range');
  const b = Buffer.allocUnsafe(8);
  b.writeBigUInt64BE(n);
  return b;
}

function address(def: AttributeDef, value: AttributeValue, family: 4 | 6 | 0): Buffer {
  const text = String(value);
  const b = (family !== 6 ? parseIPv4(text) : undefined) ?? (family !== 4 ? parseIPv6(text) : undefined);
  return b ?? fail(def, value, 'not an address');
}

function prefix(def: AttributeDef, value: AttributeValue, family: 4 | 6): Buffer {
  const [addr, bitsText] = String(value).split('/') as [string, string | undefined];
  const bytes = family === 4 ? parseIPv4(addr) : parseIPv6(addr);
  const bits = bitsText === undefined ? (bytes?.length ?? 0) * 8 : Number(bitsText);
  if (!bytes || !Number.isInteger(bits) || bits < 0 || bits > bytes.length * 8) fail(def, value, 'not a prefix');
  // IPv6 prefixes carry only the octets the length covers (RFC 3162 §2.3); IPv4 ones always four (RFC 6572).
  const used = family === 4 ? 4 : Math.ceil(bits / 8);
  return Buffer.concat([Buffer.from([0, bits]), bytes.subarray(0, used)]);
}

function hexGroups(def: AttributeDef, value: AttributeValue, bytes: number): Buffer {
  const hex = String(value).replace(/[:.-]/g, '');
  if (hex.length !== bytes * 2 || !/^[0-9a-fA-F]*$/.test(hex)) fail(def, value, `needs ${bytes} hex octets`);
  return Buffer.from(hex, 'hex');
}

type Encoder = (def: AttributeDef, value: AttributeValue) => Buffer;

const text: Encoder = (_def, value) => Buffer.from(String(value), 'utf8');

const encoders: Partial<Record<AttributeType, Encoder>> = {
  ipaddr: (def, v) => address(def, v, 4),
  ipv6addr: (def, v) => address(def, v, 6),
  'combo-ip': (def, v) => address(def, v, 0),
  ipv4prefix: (def, v) => prefix(def, v, 4),
  ipv6prefix: (def, v) => prefix(def, v, 6),
  ifid: (def, v) => hexGroups(def, v, 8),
  ether: (def, v) => hexGroups(def, v, 6),
  integer: (def, v) => uint(def, v, 4),
  date: (def, v) => uint(def, v, 4),
  byte: (def, v) => uint(def, v, 1),
  short: (def, v) => uint(def, v, 2),
  signed,
  integer64: uint64,
};

/** Encodes one typed value (a Buffer is taken as the wire form for any type). */
export function encodeValue(def: AttributeDef, value: AttributeValue): Buffer {
  const out = Buffer.isBuffer(value) ? value : (encoders[def.type] ?? text)(def, value);
  const size = itemSize(def);
  if (size !== undefined && out.length !== size) fail(def, value, `${out.length} octets, needs ${size}`);
  return out;
}
