// AVPs as text: "AVP-Name = value" lines for traces (aregcmd.md §11.3), and the reverse parse used by
// the configuration tree and scripts ("Result-Code = 2001", enumeration names, addresses).
import { ipToBytes, ipv6ToText } from './address.js';
import { avpOf, rawAvp } from './avp.js';
import { normalizeName, type AvpDefinition, type Dictionary } from './dictionary.js';
import { TYPE_CODECS, type Avp, type AvpValue, type DiameterAddress, type DiameterHeader } from './types.js';

/** Values never written to traces (aregcmd.md §11.3 shows `User-Password = <encrypted>`). */
export const DEFAULT_CONCEALED: ReadonlySet<string> = new Set(['User-Password', 'Tunnel-Password']);

export interface FormatOptions {
  concealed?: ReadonlySet<string>;
  /** Prefix of top-level lines; members of Grouped AVPs get two more spaces per level. */
  indent?: string;
}

const UNKNOWN_RE = /^Unknown-AVP-(?:(\d+):)?(\d+)$/;

/** The dictionary name, or Unknown-AVP-<code> / Unknown-AVP-<vendor>:<code>, which parseAvp reads back. */
export function avpName(avp: Avp): string {
  return avp.def?.name ?? `Unknown-AVP-${avp.vendorId ? `${avp.vendorId}:` : ''}${avp.code}`;
}

/** "Application id: 1, Cmd code: 265, Flag: 0x80", the header line of Prime AR's Diameter traces. */
export function formatHeader(header: DiameterHeader): string {
  return `Application id: ${header.applicationId}, Cmd code: ${header.commandCode}, Flag: 0x${header.flags.toString(16).padStart(2, '0')}`;
}

export function formatAvps(avps: readonly Avp[], options: FormatOptions = {}): string[] {
  const lines: string[] = [];
  const concealed = options.concealed ?? DEFAULT_CONCEALED;
  const walk = (list: readonly Avp[], indent: string): void => {
    for (const avp of list) {
      if (Array.isArray(avp.value)) {
        lines.push(`${indent}${avpName(avp)}:`);
        walk(avp.value, `${indent}  `);
      } else {
        lines.push(`${indent}${avpName(avp)} = ${concealed.has(avpName(avp)) ? '<encrypted>' : formatValue(avp)}`);
      }
    }
  };
  walk(avps, options.indent ?? '');
  return lines;
}

function isPrintable(bytes: Buffer): boolean {
  for (const b of bytes) if (b < 0x20 || b > 0x7e) return false;
  return !(bytes.length >= 2 && bytes[0] === 0x30 && (bytes[1] === 0x78 || bytes[1] === 0x58));
}

/** The text form of a non-Grouped value, as parseValue reads it back. */
export function formatValue(avp: Avp): string {
  const { value, def } = avp;
  if (Buffer.isBuffer(value)) {
    return def?.type === 'OctetString' && isPrintable(value) ? value.toString('latin1') : `0x${value.toString('hex')}`;
  }
  if (typeof value === 'number') return def?.values.get(value) ?? String(value);
  if (value instanceof Date) return value.toISOString().replace('.000Z', 'Z');
  if (typeof value === 'object' && !Array.isArray(value)) return `${value.family}:0x${value.bytes.toString('hex')}`;
  return String(value);
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: string };

const HEX_RE = /^0x((?:[0-9a-f]{2})*)$/i;
const INT_RE = /^[-+]?\d+$/;
const ADDRESS_RE = /^(\d+):0x((?:[0-9a-f]{2})*)$/i;

const ok = (value: AvpValue): ParseResult<AvpValue> => ({ ok: true, value });
const bad = (error: string): ParseResult<AvpValue> => ({ ok: false, error });

function parseRaw(def: AvpDefinition, text: string): ParseResult<AvpValue> {
  const hex = HEX_RE.exec(text);
  switch (def.type) {
    case 'OctetString':
      return ok(hex ? Buffer.from(hex[1]!, 'hex') : Buffer.from(text, 'utf8'));
    case 'Integer32': case 'Unsigned32': case 'Enumerated': {
      const named = def.valuesByName.get(normalizeName(text));
      if (named !== undefined) return ok(named);
      if (INT_RE.test(text)) return ok(Number(text));
      return hex ? ok(parseInt(hex[1]!, 16)) : bad(`"${text}" is neither a number nor a value name of ${def.name}`);
    }
    case 'Integer64': case 'Unsigned64':
      return INT_RE.test(text) ? ok(BigInt(text)) : bad(`"${text}" is not an integer`);
    case 'Float32': case 'Float64':
      return text === '' || Number.isNaN(Number(text)) ? bad(`"${text}" is not a number`) : ok(Number(text));
    case 'Address': {
      const bytes = ipToBytes(text);
      if (bytes) return ok(bytes.length === 4 ? text : ipv6ToText(bytes, 0));
      const other = ADDRESS_RE.exec(text);
      return other ? ok({ family: Number(other[1]), bytes: Buffer.from(other[2]!, 'hex') } satisfies DiameterAddress)
        : bad(`"${text}" is not an IPv4/IPv6 address nor <family>:0x<hex>`);
    }
    case 'Time': {
      const ms = INT_RE.test(text) ? Number(text) * 1000 : Date.parse(text);
      return Number.isNaN(ms) ? bad(`"${text}" is neither a date nor Unix seconds`) : ok(new Date(ms));
    }
    case 'Grouped':
      return bad(`${def.name} is Grouped: build it from its member AVPs`);
    default:
      return ok(text);
  }
}

/** A value from its text form (the inverse of formatValue), checked against the type's range. */
export function parseValue(def: AvpDefinition, text: string): ParseResult<AvpValue> {
  const parsed = parseRaw(def, text.trim());
  if (!parsed.ok || def.type === 'Grouped') return parsed;
  try {
    TYPE_CODECS[def.type].size(parsed.value);
  } catch (e) {
    return bad((e as Error).message);
  }
  return parsed;
}

/** "AVP-Name = value" into an AVP; Unknown-AVP-[<vendor>:]<code> = 0x<hex> gives a raw one. */
export function parseAvp(dict: Dictionary, line: string): ParseResult<Avp> {
  const eq = line.indexOf('=');
  if (eq < 0) return { ok: false, error: `"${line}" is not of the form Name = value` };
  const name = line.slice(0, eq).trim();
  const text = line.slice(eq + 1).trim();
  const unknown = UNKNOWN_RE.exec(name);
  if (unknown) {
    const hex = HEX_RE.exec(text);
    if (!hex) return { ok: false, error: `${name} takes a 0x<hex> value` };
    return { ok: true, value: rawAvp(Number(unknown[2]), Buffer.from(hex[1]!, 'hex'), 0, Number(unknown[1] ?? 0)) };
  }
  const def = dict.avpByName(name);
  if (!def) return { ok: false, error: `unknown Diameter AVP ${name}` };
  const parsed = parseValue(def, text);
  return parsed.ok ? { ok: true, value: avpOf(def, parsed.value) } : parsed;
}
