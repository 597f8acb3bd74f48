// The built-in Diameter dictionary: JSON files written from the RFCs, shipped in
// dictionaries/diameter/ at the package root and read once at run time.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../home.js';
import { Dictionary, type DictionarySource } from './dictionary.js';

/** In load order: a later file may override an earlier one's definitions. */
export const BUILTIN_DICTIONARY_FILES = [
  'base.json', 'nasreq.json', 'eap.json', 'sip.json', 'opensips.json', 'doic.json',
] as const;

export const builtinDictionaryDir = path.join(packageRoot, 'dictionaries', 'diameter');

export function readDictionarySource(file: string): DictionarySource {
  return JSON.parse(readFileSync(file, 'utf8')) as DictionarySource;
}

let builtin: Dictionary | undefined;

/** Base (RFC 6733), NASREQ (RFC 7155), EAP (RFC 4072), SIP (RFC 4740), the OpenSIPS AVPs and DOIC (RFC 7683). */
export function builtinDictionary(): Dictionary {
  builtin ??= Dictionary.build(BUILTIN_DICTIONARY_FILES.map((f) => readDictionarySource(path.join(builtinDictionaryDir, f))));
  return builtin;
}
