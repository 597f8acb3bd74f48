// The built-in dictionaries, one per client Dialect (protocols.md section 4). They are read from
// dictionaries/radius/ on first use and shared for the life of the process: the common file once, and each
// dialect file as a thin layer on top of it.
import path from 'node:path';
import { packageRoot } from '../home.js';
import type { Dictionary } from './dictionary.js';
import { loadDictionary } from './dictionary-parser.js';
import { PacketCode } from './codes.js';

export const dialects = ['default', 'kamailio', 'opensips', 'rfc5090'] as const;
export type Dialect = (typeof dialects)[number];

export const dictionaryDirectory = path.join(packageRoot, 'dictionaries', 'radius');

const cache = new Map<string, Dictionary>();

function cached(file: string, base?: Dictionary): Dictionary {
  let d = cache.get(file);
  if (!d) {
    d = loadDictionary(path.join(dictionaryDirectory, file), base);
    cache.set(file, d);
  }
  return d;
}

/** Standard attributes only: what every dialect shares. */
export function commonDictionary(): Dictionary {
  return cached('dictionary');
}

const accountingCodes: ReadonlySet<number> = new Set([PacketCode.AccountingRequest, PacketCode.AccountingResponse]);

/**
 * The dictionary to read and write packets of `code` for a client of this dialect. Only `opensips` depends on
 * the code: 206/207 are digest fields in its Access-Requests but From/To tags in its Accounting-Requests.
 */
export function dictionaryForDialect(name: Dialect, code?: number): Dictionary {
  if (!dialects.includes(name)) throw new Error(`unknown RADIUS dialect '${String(name)}'`);
  const layer =
    name === 'opensips' ? (code !== undefined && accountingCodes.has(code) ? 'opensips-accounting' : 'default') : name;
  return cached(`dialect.${layer}`, commonDictionary());
}
