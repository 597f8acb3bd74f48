// The Diameter dictionary: AVP, command and application definitions built from plain data (the JSON
// files under dictionaries/diameter and the configuration tree), resolved once into immutable
// objects with O(1) lookups, because the codec consults it for every AVP of every message.
import { isAvpType, type AvpType } from './types.js';

export type FlagRule = 'must' | 'may' | 'mustnot';
export type ApplicationType = 'auth' | 'acct';

/** One AVP as the data files write it. Rule strings are RFC 6733 §3.2 CCF items, e.g. "1*{Host-IP-Address}". */
export interface AvpSource {
  code: number;
  name: string;
  type: AvpType;
  /** Vendor-ID; 0 or absent for IETF AVPs. */
  vendor?: number;
  /** M bit rule; default "must". */
  m?: FlagRule;
  /** P bit rule; default "may" (RFC 6733 §4.1: senders should leave it clear). */
  p?: FlagRule;
  mayEncrypt?: boolean;
  /** Named values: the enumeration of Enumerated AVPs, or well-known values of integer AVPs (Result-Code). */
  enum?: Record<string, number>;
  /** Member rules of a Grouped AVP. */
  grouped?: string[];
}

export interface CommandSource {
  code: number;
  name: string;
  /** Request/answer abbreviation stem, e.g. "CE" for CER/CEA. */
  abbrev?: string;
  application: number;
  proxiable?: boolean;
  request: string[];
  answer: string[];
}

export interface ApplicationSource {
  id: number;
  name: string;
  type: ApplicationType;
  vendor?: number;
}

export interface DictionarySource {
  /** Where the definitions come from (an RFC, "configuration"): for humans only. */
  source?: string;
  vendors?: { id: number; name: string }[];
  applications?: ApplicationSource[];
  avps?: AvpSource[];
  commands?: CommandSource[];
  /** Rules of the generic error answer (RFC 6733 §7.2 answer-message), used for answers with the E bit. */
  answerMessage?: string[];
}

export type RulePosition = 'fixed' | 'required' | 'optional';

export interface AvpRule {
  readonly position: RulePosition;
  /** Undefined for the "AVP" wildcard. */
  readonly avp: AvpDefinition | undefined;
  readonly min: number;
  readonly max: number;
}

export interface RuleSet {
  readonly rules: readonly AvpRule[];
  /** The leading fixed-position rules, in order. */
  readonly fixed: readonly AvpRule[];
  readonly byAvp: ReadonlyMap<AvpDefinition, AvpRule>;
  /** The "*[AVP]" / "{AVP}" rule, when any AVP may appear. */
  readonly any: AvpRule | undefined;
}

export interface AvpDefinition {
  readonly code: number;
  readonly vendorId: number;
  readonly name: string;
  readonly type: AvpType;
  readonly mandatory: FlagRule;
  readonly protected: FlagRule;
  readonly mayEncrypt: boolean;
  /** Named values by number (enumerations, Result-Code names). */
  readonly values: ReadonlyMap<number, string>;
  /** Named values by normalized name (see normalizeName). */
  readonly valuesByName: ReadonlyMap<string, number>;
  /** Member rules when type is Grouped. */
  readonly rules: RuleSet | undefined;
}

export interface CommandDefinition {
  readonly code: number;
  readonly name: string;
  readonly abbrev: string | undefined;
  readonly applicationId: number;
  readonly proxiable: boolean;
  readonly request: RuleSet;
  readonly answer: RuleSet;
}

export interface ApplicationDefinition {
  readonly id: number;
  readonly name: string;
  readonly type: ApplicationType;
  readonly vendorId: number;
}

/** Thrown by Dictionary.build on inconsistent data (unknown AVP in a rule, bad type, bad CCF item). */
export class DictionaryError extends Error {
  override name = 'DictionaryError';
}

/** Names compare case-insensitively and with "-" and "_" alike, so DIAMETER_SUCCESS finds Diameter-Success. */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/_/g, '-');
}

const RULE_RE = /^\s*(\d*)\s*(\*?)\s*(\d*)\s*([<{[])\s*([^\s>}\]]+)\s*([>}\]])\s*$/;
const CLOSER: Record<string, string> = { '<': '>', '{': '}', '[': ']' };
const POSITION: Record<string, RulePosition> = { '<': 'fixed', '{': 'required', '[': 'optional' };

interface ParsedRule {
  position: RulePosition;
  name: string;
  min: number;
  max: number;
}

/** One CCF item: [min]*[max] then <fixed>, {required} or [optional] (RFC 6733 §3.2). */
export function parseRule(text: string): ParsedRule {
  const m = RULE_RE.exec(text);
  if (!m || CLOSER[m[4]!] !== m[6]) throw new DictionaryError(`bad rule "${text}"`);
  const [, lo, star, hi, open, name] = m;
  const position = POSITION[open!]!;
  const min = lo !== '' ? Number(lo) : position === 'optional' ? 0 : 1;
  const max = hi !== '' ? Number(hi) : star ? Infinity : 1;
  if (!star && (lo !== '' || hi !== '')) throw new DictionaryError(`bad rule "${text}"`);
  if (min > max) throw new DictionaryError(`bad rule "${text}": min above max`);
  return { position, name: name!, min, max };
}

function byVendorThenCode(a: AvpDefinition, b: AvpDefinition): number {
  return a.vendorId - b.vendorId || a.code - b.code;
}

/** Immutable after build; derive a new one with build([...dictionary.sources, more]). */
export class Dictionary {
  readonly sources: readonly DictionarySource[];
  readonly answerMessage: RuleSet;
  private readonly avpsByVendor = new Map<number, Map<number, AvpDefinition>>();
  private readonly avpsByExactName = new Map<string, AvpDefinition>();
  private readonly avpsByName = new Map<string, AvpDefinition>();
  private readonly avpsByVendorName = new Map<string, AvpDefinition>();
  private readonly commandsByApp = new Map<number, Map<number, CommandDefinition>>();
  private readonly commandsByName = new Map<string, CommandDefinition>();
  private readonly applicationsById = new Map<number, ApplicationDefinition>();
  private readonly vendorNames = new Map<number, string>();

  /**
   * Later sources override earlier ones: an AVP with the same vendor and code, a command with the
   * same application and code, an application with the same id replaces the earlier definition.
   */
  static build(sources: readonly DictionarySource[]): Dictionary {
    return new Dictionary(sources);
  }

  private constructor(sources: readonly DictionarySource[]) {
    this.sources = Object.freeze([...sources]);
    const avpSources = new Map<AvpDefinition, AvpSource>();
    let answerMessage: string[] = [];
    for (const src of sources) {
      for (const v of src.vendors ?? []) this.vendorNames.set(v.id, v.name);
      for (const a of src.applications ?? []) this.applicationsById.set(a.id, Object.freeze({
        id: a.id, name: a.name, type: a.type, vendorId: a.vendor ?? 0,
      }));
      for (const a of src.avps ?? []) {
        const def = this.defineAvp(a);
        const codes = this.avpsByVendor.get(def.vendorId) ?? new Map<number, AvpDefinition>();
        this.avpsByVendor.set(def.vendorId, codes);
        const replaced = codes.get(def.code);
        if (replaced) avpSources.delete(replaced);
        codes.set(def.code, def);
        avpSources.set(def, a);
      }
      if (src.answerMessage) answerMessage = src.answerMessage;
    }
    this.indexNames([...avpSources.keys()].sort(byVendorThenCode));
    for (const [def, src] of avpSources) {
      if (def.type === 'Grouped') (def as { rules: RuleSet }).rules = this.ruleSet(src.grouped ?? ['*[AVP]'], def.name);
      Object.freeze(def);
    }
    this.answerMessage = this.ruleSet(answerMessage, 'answer-message');
    for (const src of sources) for (const c of src.commands ?? []) this.defineCommand(c);
  }

  private defineAvp(a: AvpSource): AvpDefinition {
    if (!isAvpType(a.type)) throw new DictionaryError(`AVP ${a.name}: unknown type ${String(a.type)}`);
    if (!Number.isInteger(a.code) || a.code < 0 || a.code > 0xffffffff) throw new DictionaryError(`AVP ${a.name}: bad code ${a.code}`);
    const values = new Map<number, string>();
    const valuesByName = new Map<string, number>();
    for (const [name, value] of Object.entries(a.enum ?? {})) {
      if (!values.has(value)) values.set(value, name);
      valuesByName.set(normalizeName(name), value);
    }
    return {
      code: a.code,
      vendorId: a.vendor ?? 0,
      name: a.name,
      type: a.type,
      mandatory: a.m ?? 'must',
      protected: a.p ?? 'may',
      mayEncrypt: a.mayEncrypt ?? false,
      values,
      valuesByName,
      rules: undefined,
    };
  }

  /** Sorted so that when two vendors (or two codes) share a name the lowest vendor, then code, wins. */
  private indexNames(sorted: AvpDefinition[]): void {
    for (const def of sorted) {
      const norm = normalizeName(def.name);
      if (!this.avpsByExactName.has(def.name)) this.avpsByExactName.set(def.name, def);
      if (!this.avpsByName.has(norm)) this.avpsByName.set(norm, def);
      const vendorKey = `${def.vendorId}:${norm}`;
      if (!this.avpsByVendorName.has(vendorKey)) this.avpsByVendorName.set(vendorKey, def);
    }
  }

  private ruleSet(items: readonly string[], owner: string): RuleSet {
    const rules: AvpRule[] = [];
    const byAvp = new Map<AvpDefinition, AvpRule>();
    let any: AvpRule | undefined;
    for (const item of items) {
      const p = parseRule(item);
      const avp = p.name === 'AVP' ? undefined : this.avpByName(p.name);
      if (p.name !== 'AVP' && !avp) throw new DictionaryError(`${owner}: rule "${item}" names an unknown AVP`);
      const rule: AvpRule = Object.freeze({ position: p.position, avp, min: p.min, max: p.max });
      rules.push(rule);
      if (avp) byAvp.set(avp, rule);
      else any = rule;
    }
    const firstLoose = rules.findIndex((r) => r.position !== 'fixed');
    const fixed = firstLoose < 0 ? rules : rules.slice(0, firstLoose);
    return Object.freeze({ rules: Object.freeze(rules), fixed: Object.freeze(fixed), byAvp, any });
  }

  private defineCommand(c: CommandSource): void {
    const def: CommandDefinition = Object.freeze({
      code: c.code,
      name: c.name,
      abbrev: c.abbrev,
      applicationId: c.application,
      proxiable: c.proxiable ?? false,
      request: this.ruleSet(c.request, `${c.name}-Request`),
      answer: this.ruleSet(c.answer, `${c.name}-Answer`),
    });
    const codes = this.commandsByApp.get(def.applicationId) ?? new Map<number, CommandDefinition>();
    this.commandsByApp.set(def.applicationId, codes);
    codes.set(def.code, def);
    for (const alias of [def.name, ...(def.abbrev ? [def.abbrev + 'R', def.abbrev + 'A'] : [])]) {
      const key = normalizeName(alias);
      const known = this.commandsByName.get(key);
      if (!known || def.applicationId < known.applicationId) this.commandsByName.set(key, def);
    }
  }

  avp(code: number, vendorId = 0): AvpDefinition | undefined {
    return this.avpsByVendor.get(vendorId)?.get(code);
  }

  /**
   * By name: the exact spelling first, then case-insensitively ("-" = "_"). Without a vendor, a name
   * shared by several AVPs resolves to the lowest Vendor-ID, then the lowest code (Service-Type is
   * the IETF one, not a 3GPP homonym; "sip-method" is Sip-Method 204, "SIP-Method" is 393).
   */
  avpByName(name: string, vendorId?: number): AvpDefinition | undefined {
    if (vendorId !== undefined) return this.avpsByVendorName.get(`${vendorId}:${normalizeName(name)}`);
    return this.avpsByExactName.get(name) ?? this.avpsByName.get(normalizeName(name));
  }

  /** The command as the application defines it, else the application-independent base definition (app 0). */
  command(applicationId: number, code: number): CommandDefinition | undefined {
    return this.commandsByApp.get(applicationId)?.get(code) ?? this.commandsByApp.get(0)?.get(code);
  }

  /** By full name ("Capabilities-Exchange") or abbreviation ("CER", "CEA"). */
  commandByName(name: string): CommandDefinition | undefined {
    return this.commandsByName.get(normalizeName(name));
  }

  application(id: number): ApplicationDefinition | undefined {
    return this.applicationsById.get(id);
  }

  vendorName(id: number): string | undefined {
    return this.vendorNames.get(id);
  }

  *allAvps(): IterableIterator<AvpDefinition> {
    for (const codes of this.avpsByVendor.values()) yield* codes.values();
  }

  *allCommands(): IterableIterator<CommandDefinition> {
    for (const codes of this.commandsByApp.values()) yield* codes.values();
  }

  allApplications(): IterableIterator<ApplicationDefinition> {
    return this.applicationsById.values();
  }
}
