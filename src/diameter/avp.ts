// Building and finding AVPs. Builders take the flags from the dictionary's rules so callers only
// name the AVP and give its value.
import type { AvpDefinition, Dictionary } from './dictionary.js';
import { AvpFlags, type Avp, type AvpValue } from './types.js';

/** V when vendor-specific; M unless the rule forbids it; P only when required (RFC 6733 §4.1: SHOULD be 0). */
export function flagsFor(def: AvpDefinition): number {
  return (def.vendorId ? AvpFlags.Vendor : 0)
    | (def.mandatory === 'mustnot' ? 0 : AvpFlags.Mandatory)
    | (def.protected === 'must' ? AvpFlags.Protected : 0);
}

export function avpOf(def: AvpDefinition, value: AvpValue): Avp {
  return { code: def.code, vendorId: def.vendorId, flags: flagsFor(def), value, def };
}

/** The AVP named `name` (see Dictionary.avpByName). Throws on an unknown name: a programming error. */
export function makeAvp(dict: Dictionary, name: string, value: AvpValue, vendorId?: number): Avp {
  const def = dict.avpByName(name, vendorId);
  if (!def) throw new Error(`unknown Diameter AVP ${name}`);
  return avpOf(def, value);
}

/** An AVP given by code, sent as is (relaying an unknown AVP, or Failed-AVP content built by hand). */
export function rawAvp(code: number, data: Buffer, flags = 0, vendorId = 0): Avp {
  return { code, vendorId, flags: vendorId ? flags | AvpFlags.Vendor : flags, value: data };
}

type AvpKey = AvpDefinition | number;

function matches(avp: Avp, key: AvpKey, vendorId: number): boolean {
  return typeof key === 'number' ? avp.code === key && avp.vendorId === vendorId
    : avp.code === key.code && avp.vendorId === key.vendorId;
}

/** The first AVP with that definition, or that code (and vendor). */
export function findAvp(avps: readonly Avp[], key: AvpKey, vendorId = 0): Avp | undefined {
  return avps.find((a) => matches(a, key, vendorId));
}

export function findAvps(avps: readonly Avp[], key: AvpKey, vendorId = 0): Avp[] {
  return avps.filter((a) => matches(a, key, vendorId));
}
