// Property types of the configuration tree. Each type knows how to read a value typed
// by an administrator, how to show a stored value, and how to hand it to the engine
// in native form; validation, completion, help, man pages and the engine view all go
// through these, so a type is defined exactly once.
import net from 'node:net';
import { parseCron } from './cron.js';

export type Stored = string | number | boolean;

export type ParseResult = { ok: true; value: Stored } | { ok: false; error: string };

export interface PropType {
  /** Short name used in help and man pages (`int 0-5`, `enum Yes|No`). */
  readonly label: string;
  parse(text: string): ParseResult;
  format(value: Stored): string;
  /** Native value for the engine (bytes for sizes, seconds for durations, number[] for id lists). */
  native(value: Stored): unknown;
  /** Words offered by tab completion. */
  readonly completions?: readonly string[];
}

const ok = (value: Stored): ParseResult => ({ ok: true, value });
const fail = (error: string): ParseResult => ({ ok: false, error });
const identity = (v: Stored): unknown => v;

export const MAX_STRING = 255;

export function stringType(opts: { maxLength?: number; pattern?: RegExp; patternHelp?: string } = {}): PropType {
  const max = opts.maxLength ?? MAX_STRING;
  return {
    label: 'string',
    parse(text) {
      if (text.length > max) return fail(`value is longer than ${max} characters`);
      if (opts.pattern && text !== '' && !opts.pattern.test(text)) return fail(`expected ${opts.patternHelp ?? opts.pattern.source}`);
      return ok(text);
    },
    format: (v) => String(v),
    native: identity,
  };
}

export function intType(min = 0, max = 2 ** 31 - 1): PropType {
  return {
    label: max === 2 ** 31 - 1 ? (min === 0 ? 'int' : `int >= ${min}`) : `int ${min}-${max}`,
    parse(text) {
      if (!/^-?\d+$/.test(text.trim())) return fail(`'${text}' is not an integer`);
      const n = Number(text.trim());
      if (n < min || n > max) return fail(`${n} is out of range ${min}-${max}`);
      return ok(n);
    },
    format: (v) => String(v),
    native: (v) => Number(v),
  };
}

export const portType: PropType = { ...intType(1, 65535), label: 'port' };
export const msType: PropType = { ...intType(0), label: 'ms' };

export const boolType: PropType = {
  label: 'bool',
  completions: ['TRUE', 'FALSE'],
  parse(text) {
    const t = text.trim().toUpperCase();
    if (t === 'TRUE') return ok(true);
    if (t === 'FALSE') return ok(false);
    return fail(`'${text}' is not TRUE or FALSE`);
  },
  format: (v) => (v === true ? 'TRUE' : 'FALSE'),
  native: (v) => v === true,
};

export function enumType(values: readonly string[]): PropType {
  const byLower = new Map(values.map((v) => [v.toLowerCase(), v]));
  return {
    label: `enum ${values.join('|')}`,
    completions: values,
    parse(text) {
      const v = byLower.get(text.trim().toLowerCase());
      return v === undefined ? fail(`'${text}' is not one of ${values.join(', ')}`) : ok(v);
    },
    format: (v) => String(v),
    native: identity,
  };
}

export const ipType: PropType = {
  label: 'ip',
  parse(text) {
    const t = text.trim();
    return net.isIP(t) ? ok(t) : fail(`'${text}' is not an IPv4 or IPv6 address`);
  },
  format: (v) => String(v),
  native: identity,
};

/** One address, `a-b` range or `a/len` subnet, IPv4 or IPv6 (a client's IPAddress). */
export interface AddressRange {
  family: 4 | 6;
  /** Inclusive bounds as big integers, so v4 and v6 share one comparison. */
  first: bigint;
  last: bigint;
}

export function ipToBigInt(ip: string): bigint | undefined {
  const fam = net.isIP(ip);
  if (fam === 4) {
    return ip.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
  }
  if (fam === 6) {
    let text = ip;
    const v4tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
    if (v4tail) {
      const n = ipToBigInt(v4tail[1])!;
      text = text.slice(0, -v4tail[1].length) + `${(n >> 16n).toString(16)}:${(n & 0xffffn).toString(16)}`;
    }
    const [head, tail] = text.split('::');
    const h = head ? head.split(':') : [];
    const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
    const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
    return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
  }
  return undefined;
}

export function parseAddressRange(text: string): AddressRange | string {
  const t = text.trim();
  const slash = t.indexOf('/');
  if (slash >= 0) {
    const base = t.slice(0, slash);
    const fam = net.isIP(base);
    const len = Number(t.slice(slash + 1));
    const bits = fam === 4 ? 32 : 128;
    if (!fam) return `'${base}' is not an IP address`;
    if (!Number.isInteger(len) || len < 0 || len > bits) return `prefix length must be 0-${bits}`;
    const host = (1n << BigInt(bits - len)) - 1n;
    const first = ipToBigInt(base)! & ~host & ((1n << BigInt(bits)) - 1n);
    return { family: fam as 4 | 6, first, last: first | host };
  }
  const dash = t.indexOf('-');
  if (dash >= 0) {
    const a = t.slice(0, dash).trim();
    const b = t.slice(dash + 1).trim();
    const fa = net.isIP(a);
    if (!fa || fa !== net.isIP(b)) return `'${t}' is not a range of two addresses of one family`;
    const first = ipToBigInt(a)!;
    const last = ipToBigInt(b)!;
    if (last < first) return `range '${t}' ends before it starts`;
    return { family: fa as 4 | 6, first, last };
  }
  const fam = net.isIP(t);
  if (!fam) return `'${t}' is not an IP address, range or subnet`;
  const n = ipToBigInt(t)!;
  return { family: fam as 4 | 6, first: n, last: n };
}

export const ipRangeType: PropType = {
  label: 'iprange',
  parse(text) {
    const r = parseAddressRange(text);
    return typeof r === 'string' ? fail(r) : ok(text.trim());
  },
  format: (v) => String(v),
  native: (v) => parseAddressRange(String(v)),
};

const SIZE_UNITS: Record<string, number> = { byte: 1, bytes: 1, kilobyte: 1024, kilobytes: 1024, megabyte: 1024 ** 2, megabytes: 1024 ** 2, gigabyte: 1024 ** 3, gigabytes: 1024 ** 3 };
const DURATION_UNITS: Record<string, number> = {
  second: 1, seconds: 1, minute: 60, minutes: 60, hour: 3600, hours: 3600, day: 86400, days: 86400, week: 604800, weeks: 604800,
};

/** `<n> <Unit>` quantities (sizes, durations): stored as typed, handed to the engine in base units. */
function quantityType(label: string, units: Record<string, number>, canonical: string[]): PropType {
  const canon = (unit: string, n: number): string => {
    const c = canonical.find((u) => u.toLowerCase().startsWith(unit.replace(/s$/, '')))!;
    return n === 1 ? c : `${c}s`;
  };
  return {
    label,
    completions: canonical.flatMap((u) => [u, `${u}s`]),
    parse(text) {
      const m = /^\s*(\d+)\s*([A-Za-z]+)\s*$/.exec(text);
      const unit = m?.[2].toLowerCase();
      if (!m || !unit || !(unit in units)) return fail(`'${text}' is not '<n> ${canonical.map((u) => u + 's').join('|')}'`);
      const n = Number(m[1]);
      return ok(`${n} ${canon(unit, n)}`);
    },
    format: (v) => String(v),
    native(v) {
      const m = /^(\d+)\s+([A-Za-z]+)$/.exec(String(v));
      return m ? Number(m[1]) * (units[m[2].toLowerCase()] ?? 1) : 0;
    },
  };
}

export const sizeType = quantityType('size', SIZE_UNITS, ['Byte', 'Kilobyte', 'Megabyte', 'Gigabyte']);
export const durationType = quantityType('duration', DURATION_UNITS, ['Second', 'Minute', 'Hour', 'Day', 'Week']);

/** Colon- or comma-separated integers (`1:5`, `265,275`). */
export const idListType: PropType = {
  label: 'idlist',
  parse(text) {
    const t = text.trim();
    if (t === '') return ok('');
    if (!/^\d+([:,]\d+)*$/.test(t)) return fail(`'${text}' is not a list of integers separated by ':' or ','`);
    return ok(t);
  },
  format: (v) => String(v),
  native: (v) => (String(v) === '' ? [] : String(v).split(/[:,]/).map(Number)),
};

/** A cron-like `min hour dom mon dow` schedule; empty = none. */
export const cronType: PropType = {
  label: 'schedule',
  parse(text) {
    if (text.trim() === '') return ok('');
    const r = parseCron(text);
    return typeof r === 'string' ? fail(r) : ok(text.trim().split(/\s+/).join(' '));
  },
  format: (v) => String(v),
  native: identity,
};

export const hexType = (bytes: number): PropType =>
  stringType({ maxLength: bytes * 2, pattern: new RegExp(`^[0-9a-fA-F]{${bytes * 2}}$`), patternHelp: `${bytes * 2} hexadecimal digits` });

/**
 * A secret. `encrypted` secrets (shared secrets, user passwords) are needed in clear by the
 * engine (CHAP, digest, authenticators) and are kept encrypted with the install key;
 * `hashed` ones (administrator passwords) are only ever compared. Both list as `<encrypted>`.
 */
export interface SecretType extends PropType {
  readonly secret: 'encrypted' | 'hashed';
}

export const SECRET_MASK = '<encrypted>';

function secretType(kind: 'encrypted' | 'hashed'): SecretType {
  return {
    label: 'secret',
    secret: kind,
    parse: (text) => (text.length > MAX_STRING ? fail(`value is longer than ${MAX_STRING} characters`) : ok(text)),
    format: () => SECRET_MASK,
    native: identity,
  };
}
export const encryptedSecretType = secretType('encrypted');
export const hashedSecretType = secretType('hashed');

export function isSecret(t: PropType): t is SecretType {
  return (t as SecretType).secret !== undefined;
}

/** Reference to another object by name; shown with `~`. Existence is checked by validate. */
export interface RefType extends PropType {
  readonly ref: string;
}

export function refType(targetCollection: string, filter?: { prop: string; values: string[] }): RefType & { filter?: { prop: string; values: string[] } } {
  return {
    label: `ref ${targetCollection}`,
    ref: targetCollection,
    filter,
    parse: (text) => (text.length > MAX_STRING ? fail(`value is longer than ${MAX_STRING} characters`) : ok(text.trim())),
    format: (v) => String(v),
    native: identity,
  };
}

export function isRef(t: PropType): t is RefType & { filter?: { prop: string; values: string[] } } {
  return typeof (t as RefType).ref === 'string';
}
