// Attribute values as people type them (`Framed-IP-Address = 10.0.0.1`, enum names, `Tunnel-Type:1 = L2TP`,
// `Cisco-AVPair = "a=b"`) and as traces and accounting detail files print them. Hiding passwords in traces is
// the trace layer's decision: def.flags.encrypt tells it which attributes are secret.
import type { AttributeDef, Dictionary } from './dictionary.js';
import { RadiusEncodeError } from './errors.js';
import type { AttributeInput, RadiusAttribute } from './packet.js';
import { encodeValue, type AttributeValue } from './values.js';

const enumerated = new Set(['integer', 'byte', 'short', 'signed']);
const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number): string => String(n).padStart(2, '0');

/** FreeRADIUS' date form, which accounting detail readers expect: `Jan  5 2024 13:04:05 UTC`. */
function formatDate(d: Date): string {
  const day = String(d.getUTCDate()).padStart(2, ' ');
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  return `${months[d.getUTCMonth()]} ${day} ${d.getUTCFullYear()} ${time} UTC`;
}

/** The value as text: enum names, dotted quads, `0x…` for octets, unquoted strings. */
export function formatValue(dictionary: Dictionary, a: Pick<RadiusAttribute, 'def' | 'value'>): string {
  const { def, value } = a;
  if (Buffer.isBuffer(value)) return `0x${value.toString('hex')}`;
  if (value instanceof Date) return formatDate(value);
  if (typeof value === 'number' && def && enumerated.has(def.type)) return dictionary.valueName(def, value) ?? String(value);
  return String(value);
}

/** The name FreeRADIUS gives an attribute it has no definition for. */
function unknownName(a: Pick<RadiusAttribute, 'type' | 'vendor'>): string {
  return a.vendor ? `Attr-26.${a.vendor}.${a.type}` : `Attr-${a.type}`;
}

/** One `Name[:tag] = value` line; strings are double-quoted with `"` and `\` escaped. */
export function formatAttribute(dictionary: Dictionary, a: Pick<RadiusAttribute, 'type' | 'vendor' | 'tag' | 'def' | 'value'>): string {
  const name = a.def?.name ?? unknownName(a);
  const text = formatValue(dictionary, a);
  const quoted = a.def?.type === 'string' && typeof a.value === 'string' ? `"${text.replace(/[\\"]/g, '\\$&')}"` : text;
  return `${name}${a.tag ? `:${a.tag}` : ''} = ${quoted}`;
}

function unquote(text: string): { text: string; quoted: boolean } {
  const t = text.trim();
  const q = t[0];
  if ((q !== '"' && q !== "'") || t.length < 2 || t.at(-1) !== q) return { text: t, quoted: false };
  const escapes: Record<string, string> = { n: '\n', r: '\r', t: '\t' };
  return { text: t.slice(1, -1).replace(/\\(.)/g, (_m, c: string) => escapes[c] ?? c), quoted: true };
}

function parseNumber(text: string): number | undefined {
  if (/^-?\d+$/.test(text)) return Number(text);
  if (/^0x[0-9a-f]+$/i.test(text)) return parseInt(text.slice(2), 16);
  return undefined;
}

function hexOctets(text: string): Buffer | undefined {
  return /^0x([0-9a-f]{2})*$/i.test(text) ? Buffer.from(text.slice(2), 'hex') : undefined;
}

/** Parses typed text into a value of `def`'s type; it is checked by encoding it. */
export function parseValue(dictionary: Dictionary, def: AttributeDef, input: string): AttributeValue {
  const { text, quoted } = unquote(input);
  let value: AttributeValue | undefined;
  switch (def.type) {
    case 'string':
      value = text;
      break;
    case 'integer':
    case 'byte':
    case 'short':
    case 'signed':
      value = dictionary.valueNumber(def, text) ?? parseNumber(text);
      break;
    case 'integer64':
      value = /^(\d+|0x[0-9a-f]+)$/i.test(text) ? BigInt(text) : undefined;
      break;
    case 'date': {
      const ms = /^\d+$/.test(text) ? Number(text) * 1000 : Date.parse(text);
      value = Number.isNaN(ms) ? undefined : new Date(ms);
      break;
    }
    case 'octets':
    case 'abinary':
      value = (!quoted && hexOctets(text)) || Buffer.from(text, 'utf8');
      break;
    case 'tlv':
      value = hexOctets(text);
      break;
    default:
      value = text;
  }
  if (value === undefined) throw new RadiusEncodeError(`${def.name}: '${input}' is not a ${def.type} value`);
  encodeValue(def, value);
  return value;
}

/** Parses `Name[:tag] = value` (also `Attr-N` and `Attr-26.V.N` with 0x octets for undefined attributes). */
export function parseAttribute(dictionary: Dictionary, line: string): AttributeInput {
  const m = /^\s*([^\s=:]+)(?::(\d+))?\s*=\s*(.*?)\s*$/.exec(line);
  if (!m) throw new RadiusEncodeError(`expected 'Name = value', got '${line}'`);
  const [, name, tagText, valueText] = m as unknown as [string, string, string | undefined, string];
  const def = dictionary.attribute(name);
  const tag = tagText === undefined ? undefined : Number(tagText);
  if (def) {
    if (tag !== undefined && (!def.flags.hasTag || tag < 1 || tag > 31)) throw new RadiusEncodeError(`${name}: bad tag ${tagText}`);
    return {
      type: def.number,
      ...(def.vendor ? { vendor: def.vendor } : {}),
      ...(tag ? { tag } : {}),
      def,
      value: parseValue(dictionary, def, valueText),
    };
  }
  const unknown = /^Attr-(?:26\.(\d+)\.)?(\d+)$/i.exec(name);
  const octets = hexOctets(valueText);
  if (!unknown || !octets) throw new RadiusEncodeError(`unknown attribute ${name}`);
  return { type: Number(unknown[2]), ...(unknown[1] ? { vendor: Number(unknown[1]) } : {}), value: octets };
}
