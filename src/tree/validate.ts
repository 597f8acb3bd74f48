// Whole-tree validation (aregcmd.md §6, rules V1-V12). Every problem is reported with the
// path of the object it is about; save refuses a tree with any error.
import fs from 'node:fs';
import path from 'node:path';
import type { PropDef, TreeNode } from '../schema/model.js';
import { classDef, isVariantStoredOnly, propsOf } from '../schema/registry.js';
import { isRef, isSecret, parseAddressRange, type AddressRange, type PropType } from '../schema/types.js';
import { shortPath, type Path } from './tree.js';
import { parseGrouping } from './grouping.js';
import { BUILTIN_RULE_SCRIPTS } from '../schema/classes/policy.js';

export interface Problem {
  path: string;
  message: string;
  severity: 'error' | 'warning';
}

export interface ValidationContext {
  /** Directory that script Filenames are relative to. */
  scriptsDir: string;
  /** Checks an attribute name and value against the built-in dictionaries (V9); omitted = not checked. */
  checkAttribute?: (dictionary: 'radius' | 'diameter' | 'any', name: string, value: string) => { error?: string };
}

interface Visit {
  path: Path;
  node: TreeNode;
}

function* walk(node: TreeNode, path: Path): Generator<Visit> {
  yield { path, node };
  for (const [name, child] of Object.entries(node.$children ?? {})) yield* walk(child, [...path, name]);
}

export function validateTree(root: TreeNode, ctx: ValidationContext): Problem[] {
  const problems: Problem[] = [];
  const radius = root.$children?.Radius;
  const err = (p: Path, message: string) => problems.push({ path: shortPath(p), message, severity: 'error' });
  const warn = (p: Path, message: string) => problems.push({ path: shortPath(p), message, severity: 'warning' });
  if (!radius) {
    err([], 'the tree has no /Radius object');
    return problems;
  }
  const collection = (name: string): Record<string, TreeNode> => radius.$children?.[name]?.$children ?? {};
  const lookup = (coll: string, name: string): TreeNode | undefined => {
    const c = collection(coll);
    if (name in c) return c[name];
    const lower = name.toLowerCase();
    return Object.entries(c).find(([n]) => n.toLowerCase() === lower)?.[1];
  };
  const referenced = new Set<TreeNode>();
  const customAttributes = customAttributeNames(radius);

  const checkRef = (p: Path, label: string, type: PropType, value: string) => {
    if (!isRef(type) || value === '') return;
    if (type.ref === 'Scripts' && BUILTIN_RULE_SCRIPTS.includes(value)) return;
    const target = lookup(type.ref, value);
    if (!target) return err(p, `${label} names ${value}, which does not exist in /Radius/${type.ref}`);
    referenced.add(target);
    const f = type.filter;
    if (f && !f.values.includes(String(target[f.prop]))) err(p, `${label} names ${value}, whose ${f.prop} is ${String(target[f.prop])}, not ${f.values.join(' or ')}`);
  };

  for (const { path: p, node } of walk(root, [])) {
    let cls;
    try {
      cls = classDef(node.$class);
    } catch {
      err(p, `unknown object class ${String(node.$class)}`);
      continue;
    }
    const props = propsOf(node);
    const known = new Map<string, PropDef>(props.map((d) => [d.name, d]));
    for (const key of Object.keys(node)) {
      if (key.startsWith('$')) continue;
      if (!known.has(key)) err(p, `${key} is not a property of ${cls.name}${cls.discriminator ? ` of ${cls.discriminator} ${String(node[cls.discriminator])}` : ''}`);
    }
    for (const d of props) {
      const v = node[d.name];
      if (v === undefined || v === '') {
        if (d.required) err(p, `${d.name} is required`);
        continue;
      }
      if (typeof v === 'object') {
        err(p, `${d.name} has a value of the wrong shape`);
        continue;
      }
      if (!isSecret(d.type)) {
        const r = d.type.parse(String(d.type.format(v)));
        if (!r.ok || typeof r.value !== typeof v) err(p, `${d.name}: ${r.ok ? 'value has the wrong type' : r.error}`);
      }
      checkRef(p, d.name, d.type, String(v));
    }
    if (cls.list) {
      (node.$list ?? []).forEach((item, i) => {
        const r = cls.list!.item.parse(String(item));
        if (!r.ok) err(p, `entry ${i + 1}: ${r.error}`);
        checkRef(p, `entry ${i + 1}`, cls.list!.item, String(item));
      });
    }
    if (cls.pairs) checkPairs(p, node, cls.pairs, ctx, customAttributes, err);
    const seen = new Map<string, string>();
    for (const name of Object.keys(node.$children ?? {})) {
      const lower = name.toLowerCase();
      if (seen.has(lower)) err(p, `${name} and ${seen.get(lower)} differ only in case`);
      seen.set(lower, name);
      const childCls = cls.collection ? classDef(cls.collection.cls) : undefined;
      if (childCls?.namePattern && !childCls.namePattern.pattern.test(name)) err([...p, name], `name is not ${childCls.namePattern.help}`);
    }
  }

  checkClients(radius, err);
  checkPorts(radius, err);
  checkServices(radius, lookup, err);
  checkDiameterIdentity(radius, err);
  checkPolicies(radius, (rule) => lookup('Rules', rule) !== undefined, err);
  for (const [name, script] of Object.entries(collection('Scripts'))) {
    if (!referenced.has(script)) continue;
    const p = ['Radius', 'Scripts', name];
    if (script.Language !== undefined && script.Language !== 'REX') err(p, `Language ${String(script.Language)} cannot be run by areg (only REX JavaScript modules)`);
    const file = String(script.Filename ?? '');
    if (file && !fs.existsSync(path.resolve(ctx.scriptsDir, file))) err(p, `Filename ${file} does not exist in ${ctx.scriptsDir}`);
  }
  for (const [name, service] of Object.entries(collection('Services'))) {
    if (referenced.has(service) && isVariantStoredOnly(service)) warn(['Radius', 'Services', name], `Type ${String(service.Type)} is stored only: areg does not execute it`);
  }
  return problems;
}

type Report = (p: Path, message: string) => void;

/** Attributes defined in the tree itself (Attribute Dictionary, Vendor Attributes, DiameterDictionary). */
function customAttributeNames(radius: TreeNode): Set<string> {
  const adv = radius.$children?.Advanced?.$children ?? {};
  const names = (n: TreeNode | undefined) => Object.keys(n?.$children ?? {});
  return new Set([
    ...names(adv['Attribute Dictionary']),
    ...Object.values(adv['Vendor Attributes']?.$children ?? {}).flatMap(names),
    ...names(adv.DiameterDictionary?.$children?.DiameterAttributes),
  ].map((n) => n.toLowerCase()));
}

function checkPairs(p: Path, node: TreeNode, pairs: NonNullable<ReturnType<typeof classDef>['pairs']>, ctx: ValidationContext, custom: Set<string>, err: Report) {
  for (const [key, value] of node.$attrs ?? []) {
    if (pairs.kind === 'attributes' && ctx.checkAttribute && !custom.has(key.toLowerCase())) {
      const r = ctx.checkAttribute(pairs.dictionary ?? 'any', key, value);
      if (r.error) err(p, r.error);
    }
    if (pairs.key) {
      const r = pairs.key.parse(key);
      if (!r.ok) err(p, `${key}: ${r.error}`);
    }
    if (pairs.value) {
      const r = pairs.value.parse(value);
      if (!r.ok) err(p, `${key}: ${r.error}`);
    }
  }
}

/** V4: RADIUS client addresses unique and not overlapping; Diameter HostNames unique. */
function checkClients(radius: TreeNode, err: Report) {
  const ranges: { name: string; range: AddressRange }[] = [];
  const hosts = new Map<string, string>();
  for (const [name, client] of Object.entries(radius.$children?.Clients?.$children ?? {})) {
    const p = ['Radius', 'Clients', name];
    if (client.Protocol === 'diameter') {
      const host = String(client.HostName ?? '').toLowerCase();
      if (!host) continue;
      const other = hosts.get(host);
      if (other) err(p, `HostName ${String(client.HostName)} is also the HostName of client ${other}`);
      else hosts.set(host, name);
      continue;
    }
    if (client.Protocol !== 'radius' || typeof client.IPAddress !== 'string') continue;
    const range = parseAddressRange(client.IPAddress);
    if (typeof range === 'string') continue; // reported as a type error
    const clash = ranges.find((r) => r.range.family === range.family && r.range.first <= range.last && range.first <= r.range.last);
    if (clash) err(p, `IPAddress ${client.IPAddress} overlaps the addresses of client ${clash.name}`);
    ranges.push({ name, range });
  }
}

/** V5: at least one auth and one acct port when ports are configured and RADIUS clients exist. */
function checkPorts(radius: TreeNode, err: Report) {
  const ports = radius.$children?.Advanced?.$children?.Ports?.$children ?? {};
  const types = new Set(Object.values(ports).map((p) => p.Type));
  const hasRadiusClient = Object.values(radius.$children?.Clients?.$children ?? {}).some((c) => c.Protocol === 'radius');
  if (!Object.keys(ports).length || !hasRadiusClient) return;
  for (const t of ['auth', 'acct']) if (!types.has(t)) err(['Radius', 'Advanced', 'Ports'], `no port of Type ${t}, but RADIUS clients exist`);
}

/** V6 and V12: service type rules and group cycles. */
function checkServices(radius: TreeNode, lookup: (coll: string, name: string) => TreeNode | undefined, err: Report) {
  const services = radius.$children?.Services?.$children ?? {};
  const listOf = (s: TreeNode, child: string) => s.$children?.[child]?.$list ?? [];
  for (const [name, s] of Object.entries(services)) {
    const p = ['Radius', 'Services', name];
    if (s.Type === 'radius' && listOf(s, 'RemoteServers').length === 0) err(p, 'a radius service needs at least one entry in RemoteServers');
    if (s.Type === 'group' && listOf(s, 'GroupServices').length === 0) err(p, 'a group service needs at least one entry in GroupServices');
    if (s.Type === 'diameter' && Object.keys(s.$children?.DiaRemoteServers?.$children ?? {}).length === 0 && listOf(s, 'GroupServers').length === 0) {
      err(p, 'a diameter service needs at least one DiaRemoteServer or GroupServer');
    }
  }
  // Depth-first search for a service that reaches itself through GroupServices.
  const state = new Map<TreeNode, 'open' | 'done'>();
  const visit = (name: string, s: TreeNode, trail: string[]): void => {
    if (state.get(s) === 'done') return;
    if (state.get(s) === 'open') {
      err(['Radius', 'Services', trail[0]], `group services form a cycle: ${[...trail, name].join(' -> ')}`);
      return;
    }
    state.set(s, 'open');
    for (const member of listOf(s, 'GroupServices')) {
      const m = lookup('Services', String(member));
      if (m) visit(String(member), m, [...trail, name]);
    }
    state.set(s, 'done');
  };
  for (const [name, s] of Object.entries(services)) visit(name, s, []);
}

/** V8: any Diameter object requires our Identity and Realm. */
function checkDiameterIdentity(radius: TreeNode, err: Report) {
  const isDiameter = (n: TreeNode) => n.Protocol === 'diameter';
  const any = Object.values(radius.$children?.Clients?.$children ?? {}).some(isDiameter)
    || Object.values(radius.$children?.RemoteServers?.$children ?? {}).some(isDiameter);
  if (!any) return;
  const tm = radius.$children?.Advanced?.$children?.Diameter?.$children?.TransportManagement;
  for (const prop of ['Identity', 'Realm']) {
    if (!tm?.[prop]) err(['Radius', 'Advanced', 'Diameter', 'TransportManagement'], `${prop} is required when Diameter clients or remote servers exist`);
  }
}

/** V10: Policy Grouping expressions parse and name existing rules. */
function checkPolicies(radius: TreeNode, ruleExists: (name: string) => boolean, err: Report) {
  for (const [name, policy] of Object.entries(radius.$children?.Policies?.$children ?? {})) {
    const grouping = String(policy.Grouping ?? '');
    if (!grouping) continue;
    const parsed = parseGrouping(grouping);
    const p = ['Radius', 'Policies', name];
    if ('error' in parsed) {
      err(p, `Grouping: ${parsed.error}`);
      continue;
    }
    for (const rule of parsed.rules) if (!ruleExists(rule)) err(p, `Grouping names rule ${rule}, which does not exist in /Radius/Rules`);
  }
}
