// The decoded form of a packet: an ordered attribute list, as on the wire (never a map by name, so repeated
// and ordered attributes such as Proxy-State, Class and EAP-Message fragments keep their meaning).
import type { AttributeDef, Dictionary } from './dictionary.js';
import { RadiusEncodeError } from './errors.js';
import type { AttributeValue } from './values.js';

export interface RadiusAttribute {
  /** Number in the attribute's own space: top-level type, vendor type, TLV or extended sub-type. */
  type: number;
  vendor?: number;
  /** RFC 2868 tag (1..31), when present. */
  tag?: number;
  /** Absent for attributes the dictionary does not know: their value is then the raw octets. */
  def?: AttributeDef;
  value: AttributeValue;
  /** The value octets as received (tag, salt and hiding included). */
  raw: Buffer;
  /** Decoded without the secret: `value` is still the hidden octets and is re-sent unchanged. */
  hidden?: boolean;
}

/** An attribute to encode: as decoded, or built with attribute(). */
export type AttributeInput = Omit<RadiusAttribute, 'raw'> & { raw?: Buffer };

export interface RadiusPacket {
  code: number;
  identifier: number;
  length: number;
  authenticator: Buffer;
  attributes: RadiusAttribute[];
  /** The packet's octets (exactly Length of them): authenticators are checked over these. */
  raw: Buffer;
  /** Offset in `raw` of the Message-Authenticator value, -1 when there is none. */
  messageAuthenticatorOffset: number;
}

export const maxPacketLength = 4096;
export const headerLength = 20;

/** An attribute by dictionary name, ready for encodePacket. */
export function attribute(dictionary: Dictionary, name: string, value: AttributeValue, tag?: number): AttributeInput {
  const def = dictionary.attribute(name);
  if (!def) throw new RadiusEncodeError(`unknown attribute ${name}`);
  return { type: def.number, ...(def.vendor ? { vendor: def.vendor } : {}), ...(tag ? { tag } : {}), def, value };
}
