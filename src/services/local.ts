// The `local` service: users of a UserList (aregcmd.md §7.3.2, §9.1 step 8). Protocol-independent: the
// caller hands credentials and the request's attributes as text, and gets back a decision and reply
// attributes as `[name, value]` pairs.
import type { ConfigObject } from '../config/object.js';
import type { Credentials, ReplyPair, RequestAttributes, RequestTrace } from '../engine/pipeline/request.js';
import { noTrace } from '../engine/pipeline/request.js';
import { checkDigest } from './digest.js';
import { checkMsChap } from './mschap.js';

export interface UserRecord {
  name: string;
  listName: string;
  user: ConfigObject;
  group: ConfigObject | undefined;
}

export type LocalDecision =
  | { ok: true; record: UserRecord; reply: ReplyPair[] }
  | { ok: false; reason: string; record?: UserRecord; reply?: ReplyPair[] };

/** The user `name` of the service's UserList, with its group resolved. */
export function lookupUser(radius: ConfigObject, service: ConfigObject, name: string): UserRecord | undefined {
  const listName = service.str('UserList');
  const list = radius.at('UserLists', listName);
  const user = list?.child(name);
  if (!list || !user) return undefined;
  const groupName = user.str('Group');
  const group = groupName ? radius.at('UserGroups', groupName) : undefined;
  return { name: user.name, listName: list.name, user, group };
}

/** The user of the service's UserList under the first of `names` that has one. */
export function lookupFirstUser(radius: ConfigObject, service: ConfigObject, names: readonly string[]): UserRecord | undefined {
  for (const name of names) {
    const record = lookupUser(radius, service, name);
    if (record) return record;
  }
  return undefined;
}

/**
 * The user's credentials checked, with the reply attributes the method brings (MS-CHAP2-Success and MPPE
 * keys on success, MS-CHAP-Error on failure). SIP digest takes the Password or DigestHA1; the others the
 * clear-text Password, empty only with AllowNullPassword (or its env override).
 */
export function verifyCredentials(user: ConfigObject, credentials: Credentials, allowNullOverride?: boolean): { ok: boolean; reply: ReplyPair[] } {
  if (credentials.kind === 'digest') return { ok: checkDigest(user, credentials.digest), reply: [] };
  if (credentials.kind === 'mschap') {
    const password = user.str('Password');
    if (password === '') return { ok: false, reply: [] };
    const d = checkMsChap(password, credentials);
    return { ok: d.ok, reply: d.reply };
  }
  return { ok: checkPassword(user, credentials, allowNullOverride), reply: [] };
}

/** PAP / CHAP against the user's clear-text Password; AllowNullPassword (or its env override) for empty. */
export function checkPassword(user: ConfigObject, credentials: Credentials, allowNullOverride?: boolean): boolean {
  const password = user.str('Password');
  const allowNull = allowNullOverride ?? user.bool('AllowNullPassword');
  if (password === '' && !allowNull) return false;
  switch (credentials.kind) {
    case 'pap':
      return credentials.password === password;
    case 'chap':
      return credentials.verify(password);
    default:
      return false;
  }
}

function unquote(text: string): string {
  const t = text.trim();
  return t.length >= 2 && (t[0] === '"' || t[0] === "'") && t.at(-1) === t[0] ? t.slice(1, -1) : t;
}

/** The first check item the request does not satisfy (`Name = value`: the request must carry `Name` with
 * that value), or undefined when all are met. Names compare case-insensitively through the request view. */
export function failedCheckItem(items: readonly (readonly [string, string])[], attributes: RequestAttributes): string | undefined {
  for (const [name, value] of items) {
    const want = unquote(value);
    if (!attributes.values(name).some((v) => v === want || v.toLowerCase() === want.toLowerCase())) return `${name} = ${value}`;
  }
  return undefined;
}

/**
 * Merges reply attribute sets, later wins per attribute (REPLACE: every earlier instance of a name is
 * removed when a later set carries that name; several instances within one set are all kept).
 */
export function mergeAttributeSets(sets: readonly (readonly (readonly [string, string])[])[]): ReplyPair[] {
  const merged = new Map<string, { name: string; values: string[] }>();
  for (const set of sets) {
    const here = new Map<string, { name: string; values: string[] }>();
    for (const [name, value] of set) {
      const k = name.toLowerCase();
      let e = here.get(k);
      if (!e) here.set(k, (e = { name, values: [] }));
      e.values.push(value);
    }
    for (const [k, e] of here) merged.set(k, e);
  }
  const out: ReplyPair[] = [];
  for (const e of merged.values()) for (const v of e.values) out.push([e.name, v]);
  return out;
}

/** Group BaseProfile, group Attributes, user BaseProfile, user Attributes, merged in that order. */
export function authorizationReply(radius: ConfigObject, record: UserRecord, trace: RequestTrace = noTrace): ReplyPair[] {
  const sets: (readonly (readonly [string, string])[])[] = [];
  const profile = (owner: string, name: string): void => {
    if (!name) return;
    const p = radius.at('Profiles', name);
    if (trace.on(3)) trace.line(`Merging ${owner}'s BaseProfile ${name} into response dictionary`);
    if (p) sets.push(p.child('Attributes')?.pairs ?? p.pairs);
    else if (trace.on(2)) trace.line(`Profile ${name} not found`);
  };
  const { group, user } = record;
  if (group) {
    if (trace.on(3)) trace.line(`User ${record.name} is part of UserGroup ${group.name}`);
    profile(`UserGroup ${group.name}`, group.str('BaseProfile'));
    const ga = group.child('Attributes')?.pairs ?? [];
    if (ga.length) {
      if (trace.on(3)) trace.line(`Merging UserGroup ${group.name}'s Attributes into response dictionary`);
      sets.push(ga);
    }
  }
  profile(`User ${record.name}`, user.str('BaseProfile'));
  const ua = user.child('Attributes')?.pairs ?? [];
  if (ua.length) {
    if (trace.on(3)) trace.line(`Merging User ${record.name}'s Attributes into response dictionary`);
    sets.push(ua);
  }
  return mergeAttributeSets(sets);
}

export interface LocalAuthInput {
  userName: string;
  /** Further names to look the user up by when `userName` has no UserRecord (Digest-User-Name, bare user). */
  alternateNames?: readonly string[];
  /** A SIP check-only request the client may send (AllowCheckOnlyRequests): no credentials, no CheckItems. */
  checkOnly?: boolean;
  credentials: Credentials;
  attributes: RequestAttributes;
  allowNullOverride?: boolean;
  trace?: RequestTrace;
}

/** Authentication by a `local` service: user exists, enabled, credentials, group then user CheckItems. */
export function authenticateLocal(radius: ConfigObject, service: ConfigObject, input: LocalAuthInput): LocalDecision {
  const trace = input.trace ?? noTrace;
  if (trace.on(3)) trace.line(`Getting User ${input.userName}'s UserRecord from UserList ${service.str('UserList')}`);
  const record = lookupFirstUser(radius, service, [input.userName, ...(input.alternateNames ?? [])]);
  if (!record) return { ok: false, reason: `No UserRecord found for User ${input.userName} in UserList ${service.str('UserList')}` };
  if (record.user.props.Enabled === false) return { ok: false, reason: `User ${record.name} is disabled`, record };
  if (input.checkOnly) return { ok: true, record, reply: [] };
  const verified = verifyCredentials(record.user, input.credentials, input.allowNullOverride);
  if (!verified.ok) {
    const method = input.credentials.kind === 'digest' ? 'Digest' : input.credentials.kind === 'mschap' ? `MS-CHAPv${input.credentials.version}` : 'Password';
    return { ok: false, reason: `${method} mismatch for User ${record.name}`, record, reply: verified.reply };
  }
  for (const owner of [record.group, record.user]) {
    if (!owner) continue;
    const failed = failedCheckItem(owner.child('CheckItems')?.pairs ?? [], input.attributes);
    if (failed) return { ok: false, reason: `CheckItem ${failed} of ${owner.name} not met`, record };
  }
  return { ok: true, record, reply: verified.reply };
}

/** Authorization by a `local` service: the merged reply of the user's group and own profiles. */
export function authorizeLocal(radius: ConfigObject, service: ConfigObject, userName: string, trace: RequestTrace = noTrace): LocalDecision {
  const record = lookupUser(radius, service, userName);
  if (!record) return { ok: false, reason: `No UserRecord found for User ${userName} in UserList ${service.str('UserList')}` };
  if (record.user.props.Enabled === false) return { ok: false, reason: `User ${record.name} is disabled`, record };
  return { ok: true, record, reply: authorizationReply(radius, record, trace) };
}
