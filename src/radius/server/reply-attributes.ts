// Reply attributes reach the handler as text pairs. Most of them (profile and user attributes) repeat on every
// Access-Accept of a revision, so their parsed form is kept per dictionary instead of being parsed per reply.
// Per-request values (MS-CHAP2-Success, MPPE keys) would only fill the cache: it is bounded and starts over
// when full. Cached inputs are shared between replies; the encoder only reads them.
import { parseAttribute, type AttributeInput, type Dictionary } from '../index.js';

const LIMIT = 4096;
const byDictionary = new WeakMap<Dictionary, Map<string, AttributeInput>>();

/** The parsed reply attribute `name = value`; throws as parseAttribute does for a bad one. */
export function replyAttribute(dictionary: Dictionary, name: string, value: string): AttributeInput {
  let cache = byDictionary.get(dictionary);
  if (!cache) byDictionary.set(dictionary, (cache = new Map()));
  const key = `${name}\0${value}`;
  let a = cache.get(key);
  if (!a) {
    a = parseAttribute(dictionary, `${name} = ${value}`);
    // A string attribute that carries octets (MS-CHAP-Error: ident + text) comes as unquoted 0x… hex.
    if (a.def?.type === 'string' && /^0x(?:[0-9a-f]{2})+$/i.test(value)) a.value = Buffer.from(value.slice(2), 'hex');
    if (cache.size >= LIMIT) cache.clear();
    cache.set(key, a);
  }
  return a;
}
