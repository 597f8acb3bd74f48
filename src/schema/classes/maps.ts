// Building blocks for `Left = Right` containers (translation mappings, enumerations,
// AVP rules, reply messages) and for values that name attributes.
import type { ClassDef } from '../model.js';
import { stringType, type PropType } from '../types.js';

const NAME = '[A-Za-z0-9][A-Za-z0-9_.:-]*';

/** The name of an attribute, AVP, command or reason: no spaces, no `=`. */
export const nameType: PropType = stringType({ pattern: new RegExp(`^${NAME}$`), patternHelp: 'a name without spaces' });

/** Names joined by `sep` (`NAS-Identifier:NAS-Port`, `Class, Reply-Message`). */
export const nameListType = (sep: ',' | ':'): PropType =>
  stringType({ pattern: new RegExp(`^${NAME}(\\s*${sep}\\s*${NAME})*$`), patternHelp: `names separated by '${sep}'` });

/** A container of `key = value` pairs, order kept. */
export const mapOf = (name: string, help: string, key: PropType, value: PropType): ClassDef => ({
  name, help, props: [], pairs: { kind: 'map', key, value },
});
