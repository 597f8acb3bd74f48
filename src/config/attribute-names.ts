// Attribute names of attribute lists (Attributes/, CheckItems/) are checked against the
// built-in RADIUS and Diameter dictionaries (rule V9), at `set` time and on validate.
import { commonDictionary, parseValue as parseRadiusValue, type Dictionary } from '../radius/index.js';
import { builtinDictionary, parseValue as parseDiameterValue } from '../diameter/index.js';

export type DictionaryKind = 'radius' | 'diameter' | 'any';

export interface AttributeCheck {
  /** The dictionary's spelling of the name, when known. */
  name?: string;
  error?: string;
}

/** Checks an attribute name and its value; an unknown name is an error, a bad value too. `radius` may be a
 * dictionary with the tree's own attributes layered on the built-in one. */
export function checkAttribute(kind: DictionaryKind, name: string, value?: string, radius: Dictionary = commonDictionary()): AttributeCheck {
  if (kind !== 'diameter') {
    const d = radius;
    const def = d.attribute(name);
    if (def) {
      if (value === undefined) return { name: def.name };
      try {
        parseRadiusValue(d, def, value);
        return { name: def.name };
      } catch (e) {
        return { name: def.name, error: (e as Error).message };
      }
    }
  }
  if (kind !== 'radius') {
    const def = builtinDictionary().avpByName(name);
    if (def) {
      if (value === undefined || def.type === 'Grouped') return { name: def.name };
      const r = parseDiameterValue(def, value);
      return r.ok ? { name: def.name } : { name: def.name, error: `${def.name}: ${r.error}` };
    }
  }
  return { error: `${name} is not in the ${kind === 'diameter' ? 'Diameter' : kind === 'radius' ? 'RADIUS' : 'RADIUS or Diameter'} dictionary` };
}
