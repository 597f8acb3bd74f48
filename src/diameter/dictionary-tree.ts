// Custom Diameter definitions from the configuration tree (aregcmd.md §7.3.9,
// /Radius/Advanced/DiameterDictionary) merged over a dictionary. Bad entries are reported and
// skipped, never thrown: one typo in the tree must not keep the server from starting.
import {
  Dictionary, DictionaryError, parseRule, type AvpSource, type CommandSource, type DictionarySource, type FlagRule,
} from './dictionary.js';
import { isAvpType } from './types.js';

type TreeNumber = number | string;
type TreeFlagRule = 'May' | 'Must' | 'MustNot';

/**
 * Member rules as the tree writes them: `AVP-Name = Required | Optional | Fixed`, optionally with
 * `:<max>` (a number or `*`); Required and Fixed default to exactly one, Optional to at most one.
 */
export type TreeAvpRules = Record<string, string>;

/** `DiameterAttributes/<Name>` */
export interface TreeDiameterAttribute {
  Name: string;
  /** AVP code. */
  Attribute: TreeNumber;
  VendorID?: TreeNumber;
  Mandatory?: TreeFlagRule;
  Protected?: TreeFlagRule;
  MayEncrypt?: 'Yes' | 'No';
  /** One of the RFC 6733 data formats: OctetString, Integer32, ..., Grouped, Address, Time, UTF8String, ... */
  Type: string;
  /** `Name = number` */
  Enumerations?: Record<string, TreeNumber>;
  GroupedAVPs?: TreeAvpRules;
}

/** `DiameterApplications/<Name>` */
export interface TreeDiameterApplication {
  Name: string;
  ApplicationId: TreeNumber;
  Type: 'Auth' | 'Acct';
  VendorId?: TreeNumber;
}

/** `DiameterCommands/<Name>` */
export interface TreeDiameterCommand {
  Name: string;
  CommandCode: TreeNumber;
  ApplicationId: TreeNumber;
  RequestAVPs?: TreeAvpRules;
  AnswerAVPs?: TreeAvpRules;
}

/** `/Radius/Advanced/DiameterDictionary`, each child list in tree order. */
export interface DiameterDictionaryTree {
  DiameterAttributes?: TreeDiameterAttribute[];
  DiameterApplications?: TreeDiameterApplication[];
  DiameterCommands?: TreeDiameterCommand[];
}

export interface MergeResult {
  dictionary: Dictionary;
  /** One line per skipped entry, for the log. */
  problems: string[];
}

function toNumber(value: TreeNumber | undefined, what: string, fallback?: number): number {
  if (value === undefined && fallback !== undefined) return fallback;
  const n = typeof value === 'number' ? value : Number(String(value).trim());
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new DictionaryError(`${what} "${String(value)}" is not a number`);
  return n;
}

function toFlagRule(value: string | undefined, what: string): FlagRule | undefined {
  if (value === undefined) return undefined;
  const rule = ({ may: 'may', must: 'must', mustnot: 'mustnot' } as const)[value.replace(/[\s_-]/g, '').toLowerCase() as 'may'];
  if (!rule) throw new DictionaryError(`${what} "${value}" is not May, Must or MustNot`);
  return rule;
}

const TREE_RULE_RE = /^\s*(required|optional|fixed)\s*(?::\s*(\d+|\*)\s*)?$/i;

/** `Optional:5` on AVP X becomes the CCF item `0*5[X]`. */
function toCcf(name: string, text: string): string {
  const m = TREE_RULE_RE.exec(text);
  if (!m) throw new DictionaryError(`rule "${name} = ${text}" is not Required, Optional or Fixed[:max]`);
  const kind = m[1]!.toLowerCase();
  const max = m[2] === '*' ? '' : m[2];
  const [open, close] = kind === 'fixed' ? ['<', '>'] : kind === 'required' ? ['{', '}'] : ['[', ']'];
  const min = kind === 'optional' ? '0' : '1';
  const item = m[2] === undefined ? `${open}${name}${close}` : `${min}*${max}${open}${name}${close}`;
  parseRule(item);
  return item;
}

function toRules(rules: TreeAvpRules | undefined): string[] {
  return Object.entries(rules ?? {}).map(([name, text]) => toCcf(name, text));
}

function attributeSource(a: TreeDiameterAttribute): AvpSource {
  if (!isAvpType(a.Type)) throw new DictionaryError(`Type "${a.Type}" is not a Diameter data format`);
  const enumeration = Object.fromEntries(Object.entries(a.Enumerations ?? {}).map(([k, v]) => [k, toNumber(v, `enumeration ${k}`)]));
  return {
    code: toNumber(a.Attribute, 'Attribute'),
    name: a.Name,
    type: a.Type,
    vendor: toNumber(a.VendorID, 'VendorID', 0),
    m: toFlagRule(a.Mandatory, 'Mandatory'),
    p: toFlagRule(a.Protected, 'Protected'),
    mayEncrypt: a.MayEncrypt?.toLowerCase() === 'yes',
    enum: enumeration,
    grouped: a.Type === 'Grouped' ? toRules(a.GroupedAVPs) : undefined,
  };
}

function commandSource(c: TreeDiameterCommand): CommandSource {
  return {
    code: toNumber(c.CommandCode, 'CommandCode'),
    name: c.Name,
    application: toNumber(c.ApplicationId, 'ApplicationId'),
    proxiable: true,
    request: [...toRules(c.RequestAVPs), ...(c.RequestAVPs && 'AVP' in c.RequestAVPs ? [] : ['*[AVP]'])],
    answer: [...toRules(c.AnswerAVPs), ...(c.AnswerAVPs && 'AVP' in c.AnswerAVPs ? [] : ['*[AVP]'])],
  };
}

/** Converts each entry on its own so that one bad entry costs only itself. */
function collect<T, S>(entries: T[] | undefined, kind: string, convert: (entry: T) => S, problems: string[]): S[] {
  const out: S[] = [];
  for (const entry of entries ?? []) {
    try {
      out.push(convert(entry));
    } catch (e) {
      problems.push(`${kind}/${(entry as { Name?: string }).Name ?? '?'}: ${(e as Error).message}`);
    }
  }
  return out;
}

/** A rule naming an AVP neither dictionary defines would fail the whole build: drop its owner first. */
function unresolved(rules: readonly string[], known: (name: string) => boolean): string | undefined {
  return rules.map((r) => parseRule(r).name).find((n) => n !== 'AVP' && !known(n));
}

/**
 * `base` plus the tree's definitions; a tree entry replaces a base one with the same vendor and code
 * (AVPs), application and code (commands) or id (applications). Commands from the tree accept
 * unlisted AVPs unless their rules name "AVP" themselves.
 */
export function mergeTreeDictionary(base: Dictionary, tree: DiameterDictionaryTree): MergeResult {
  const problems: string[] = [];
  const avps = collect(tree.DiameterAttributes, 'DiameterAttributes', attributeSource, problems);
  const applications = collect(tree.DiameterApplications, 'DiameterApplications', (a) => ({
    id: toNumber(a.ApplicationId, 'ApplicationId'),
    name: a.Name,
    type: a.Type?.toLowerCase() === 'acct' ? 'acct' as const : 'auth' as const,
    vendor: toNumber(a.VendorId, 'VendorId', 0),
  }), problems);
  const commands = collect(tree.DiameterCommands, 'DiameterCommands', commandSource, problems);

  const customNames = new Set(avps.map((a) => a.name.toLowerCase()));
  const known = (name: string): boolean => customNames.has(name.toLowerCase()) || base.avpByName(name) !== undefined;
  const keep = <S extends { name: string }>(kind: string, items: S[], rulesOf: (s: S) => string[]): S[] =>
    items.filter((s) => {
      const missing = unresolved(rulesOf(s), known);
      if (missing) problems.push(`${kind}/${s.name}: rule names unknown AVP ${missing}`);
      return !missing;
    });
  const custom: DictionarySource = {
    source: 'configuration tree',
    applications,
    avps: keep('DiameterAttributes', avps, (a) => a.grouped ?? []),
    commands: keep('DiameterCommands', commands, (c) => [...c.request, ...c.answer]),
  };
  try {
    return { dictionary: Dictionary.build([...base.sources, custom]), problems };
  } catch (e) {
    return { dictionary: base, problems: [...problems, `DiameterDictionary ignored: ${(e as Error).message}`] };
  }
}
