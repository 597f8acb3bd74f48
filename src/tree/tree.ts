// Navigation of the object tree: names, paths and their resolution by the shell's rules
// (case-insensitive, unique prefixes, `..`, `//localhost/...`).
import type { PropDef, TreeNode } from '../schema/model.js';
import { fixedChildrenOf, propsOf } from '../schema/registry.js';

export const CLUSTER = 'localhost';
/** Canonical names from the cluster root; [] is //localhost. */
export type Path = string[];

export function formatPath(path: Path): string {
  return `//${CLUSTER}${path.length ? '/' + path.join('/') : ''}`;
}

/** Short absolute form used in validation messages and the engine log: /Radius/Clients/NAS1. */
export function shortPath(path: Path): string {
  return '/' + path.join('/');
}

// Per children object: names in display order and a lower-case index, so that a UserList of
// 100,000 users costs one sort per change rather than a scan per lookup.
const sortedCache = new WeakMap<Record<string, TreeNode>, string[]>();
const lowerCache = new WeakMap<Record<string, TreeNode>, Map<string, string>>();

/** Call after adding or removing children so listings and lookups see the change. */
export function childrenChanged(node: TreeNode, added?: string): void {
  if (!node.$children) return;
  sortedCache.delete(node.$children);
  const index = lowerCache.get(node.$children);
  // An addition updates the index in place: bulk adds stay linear.
  if (added !== undefined && index) index.set(added.toLowerCase(), added);
  else lowerCache.delete(node.$children);
}

/** Children in display order: fixed children as declared, then the collection sorted by name. */
export function childNames(node: TreeNode): string[] {
  const children = node.$children;
  if (!children) return [];
  let names = sortedCache.get(children);
  if (!names) {
    const fixed = fixedChildrenOf(node).map((f) => f.name);
    const fixedSet = new Set(fixed);
    const added = Object.keys(children).filter((n) => !fixedSet.has(n));
    added.sort(compareNames);
    names = [...fixed.filter((n) => n in children), ...added];
    sortedCache.set(children, names);
  }
  return names;
}

export function compareNames(a: string, b: string): number {
  const la = a.toLowerCase();
  const lb = b.toLowerCase();
  return la < lb ? -1 : la > lb ? 1 : a < b ? -1 : a > b ? 1 : 0;
}

/** The child whose name equals `name` ignoring case. */
export function childExact(node: TreeNode, name: string): string | undefined {
  const children = node.$children;
  if (!children) return undefined;
  if (Object.hasOwn(children, name)) return name;
  let index = lowerCache.get(children);
  if (!index) {
    index = new Map(Object.keys(children).map((n) => [n.toLowerCase(), n]));
    lowerCache.set(children, index);
  }
  return index.get(name.toLowerCase());
}

export type Match = { ok: true; name: string } | { ok: false; error: string };

/** Exact (case-insensitive) match wins, else the single candidate with that prefix. */
export function matchName(candidates: readonly string[], text: string, what: string): Match {
  const lower = text.toLowerCase();
  const exact = candidates.find((c) => c.toLowerCase() === lower);
  if (exact !== undefined) return { ok: true, name: exact };
  const hits = candidates.filter((c) => c.toLowerCase().startsWith(lower));
  if (hits.length === 1) return { ok: true, name: hits[0] };
  if (hits.length > 1) return { ok: false, error: `'${text}' is ambiguous: ${hits.join(', ')}` };
  return { ok: false, error: `No such ${what}: ${text}` };
}

export function nodeAt(root: TreeNode, path: Path): TreeNode | undefined {
  let node: TreeNode | undefined = root;
  for (const name of path) {
    node = node.$children?.[name];
    if (!node) return undefined;
  }
  return node;
}

export type Resolution =
  | { kind: 'object'; path: Path; node: TreeNode }
  | { kind: 'property'; path: Path; node: TreeNode; prop: PropDef }
  | { kind: 'error'; error: string };

export interface ResolveOptions {
  /** The last element may name a property of the object before it. */
  property?: boolean;
}

/** Splits a path argument into its elements, with `//<cluster>` and `/` forms made absolute. */
export function splitPath(text: string, cwd: Path): { base: Path; parts: string[] } | { error: string } {
  let rest = text;
  let base: Path = cwd;
  if (rest.startsWith('//')) {
    const slash = rest.indexOf('/', 2);
    const cluster = slash < 0 ? rest.slice(2) : rest.slice(2, slash);
    if (cluster.toLowerCase() !== CLUSTER) return { error: `No such cluster: ${cluster} (areg serves only ${CLUSTER})` };
    rest = slash < 0 ? '' : rest.slice(slash);
  }
  if (rest.startsWith('/') || text.startsWith('//')) base = [];
  return { base, parts: rest.split('/').filter((p) => p !== '' && p !== '.') };
}

export function resolvePath(root: TreeNode, cwd: Path, text: string, opts: ResolveOptions = {}): Resolution {
  const split = splitPath(text, cwd);
  if ('error' in split) return { kind: 'error', error: split.error };
  const path = [...split.base];
  let node = nodeAt(root, path);
  if (!node) return { kind: 'error', error: `No such object: ${formatPath(path)}` };
  const { parts } = split;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    const last = i === parts.length - 1;
    if (part === '..') {
      if (path.length) path.pop();
      node = nodeAt(root, path)!;
      continue;
    }
    const exact = childExact(node, part);
    const m: Match = exact !== undefined ? { ok: true, name: exact } : matchName(childNames(node), part, 'object');
    if (m.ok) {
      path.push(m.name);
      node = node.$children![m.name];
      continue;
    }
    if (last && opts.property) {
      const props = propsOf(node).map((p) => p.name);
      const pm = matchName(props, part, 'property');
      if (pm.ok) return { kind: 'property', path, node, prop: propsOf(node).find((p) => p.name === pm.name)! };
      if (!pm.error.startsWith('No such')) return { kind: 'error', error: pm.error };
    }
    return { kind: 'error', error: m.error.startsWith('No such') ? `No such object: ${formatPath([...path, part])}` : m.error };
  }
  return { kind: 'object', path, node };
}
