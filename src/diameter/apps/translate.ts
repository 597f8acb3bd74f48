// Profile attributes (RADIUS names and values, as the tree stores them: `Service-Type = Framed-User`) into
// the AVPs an AA-Answer may carry (RFC 7155 §3.2). NASREQ reuses the RADIUS attribute codes 1–255, so the
// Diameter AVP is the one with the RADIUS attribute's code; enumerated values keep their numbers
// (Framed-User = 2 = FRAMED), addresses become the 4/16 octets of the OctetString AVPs. Attributes
// without a NASREQ AA-Answer equivalent (Vendor-Specific, Login-* where absent, Acct-*, ...) are skipped
// and reported to the caller; a profile may also name a Diameter AVP directly (FRAMED, Acct-Interim-Interval).
import { commonDictionary, parseValue as parseRadiusValue } from '../../radius/index.js';
import { ipToBytes } from '../address.js';
import { avpOf } from '../avp.js';
import type { AvpDefinition, Dictionary } from '../dictionary.js';
import { parseValue } from '../text.js';
import type { Avp, AvpValue } from '../types.js';

/** AVPs of the AA-Answer ABNF (RFC 7155 §3.2) that a profile may fill, by code. */
const AAA_AVPS = new Set([
  6, // Service-Type
  7, 8, 9, 10, 12, 13, 22, 23, 37, 38, 39, 88, 96, 97, 99, 100, // Framed-*
  11, // Filter-Id
  14, 15, 16, 34, 35, 36, 63, 98, // Login-*
  18, // Reply-Message
  19, 20, // Callback-Number, Callback-Id
  25, // Class
  27, 28, // Session-Timeout, Idle-Timeout
  62, // Port-Limit
  75, 76, // Password-Retry, Prompt
  78, // Configuration-Token
  85, // Acct-Interim-Interval
  272, 276, 285, 291, // Multi-Round-Time-Out, Auth-Grace-Period, Re-Auth-Request-Type, Authorization-Lifetime
  400, 407, // NAS-Filter-Rule, QoS-Filter-Rule
]);

export interface Translation {
  avps: Avp[];
  /** `Name = value` pairs left out, with why. */
  skipped: string[];
}

function unquote(text: string): string {
  const t = text.trim();
  return t.length >= 2 && (t[0] === '"' || t[0] === "'") && t.at(-1) === t[0] ? t.slice(1, -1) : t;
}

/** The AVP value of `def` from the RADIUS attribute's parsed value. */
function fromRadius(def: AvpDefinition, value: unknown): AvpValue | undefined {
  switch (def.type) {
    case 'Enumerated': case 'Unsigned32': case 'Integer32':
      return typeof value === 'number' ? value : undefined;
    case 'UTF8String': case 'DiameterIdentity': case 'DiameterURI': case 'IPFilterRule': case 'QoSFilterRule':
      return typeof value === 'string' ? value : Buffer.isBuffer(value) ? value.toString('utf8') : undefined;
    case 'OctetString':
      if (Buffer.isBuffer(value)) return value;
      if (typeof value === 'string') return ipToBytes(value) ?? Buffer.from(value, 'utf8');
      if (typeof value === 'number') {
        const b = Buffer.alloc(4);
        b.writeUInt32BE(value >>> 0);
        return b;
      }
      return undefined;
    case 'Address':
      return typeof value === 'string' ? value : undefined;
    default:
      return undefined;
  }
}

/** The AA-Answer AVP for one profile pair, or why there is none. */
export function profileAvp(dict: Dictionary, name: string, text: string): Avp | string {
  const rd = commonDictionary();
  const rdef = rd.attribute(name);
  if (rdef && rdef.vendor === 0 && rdef.parent === undefined && rdef.onWire) {
    const code = Number(rdef.oid);
    const def = Number.isInteger(code) ? dict.avp(code) : undefined;
    if (!def || !AAA_AVPS.has(code)) return 'no NASREQ AA-Answer equivalent';
    try {
      const v = fromRadius(def, parseRadiusValue(rd, rdef, text));
      if (v !== undefined) return avpOf(def, v);
    } catch {
      // fall through to the Diameter spelling of the value (FRAMED, VJ, ...)
    }
    const parsed = parseValue(def, unquote(text));
    return parsed.ok ? avpOf(def, parsed.value) : parsed.error;
  }
  const def = dict.avpByName(name);
  if (!def || def.vendorId !== 0 || !AAA_AVPS.has(def.code)) return 'no NASREQ AA-Answer equivalent';
  const parsed = parseValue(def, unquote(text));
  return parsed.ok ? avpOf(def, parsed.value) : parsed.error;
}

/** Translates a merged profile into AA-Answer AVPs, in profile order. */
export function profileToAvps(dict: Dictionary, reply: readonly (readonly [string, string])[]): Translation {
  const out: Translation = { avps: [], skipped: [] };
  for (const [name, value] of reply) {
    const r = profileAvp(dict, name, value);
    if (typeof r === 'string') out.skipped.push(`${name} = ${value} (${r})`);
    else out.avps.push(r);
  }
  return out;
}
