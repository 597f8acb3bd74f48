// The `[ //localhost/... ]` listing of an object, shared by ls, cd, next, prev and find.
import type { PropDef, TreeNode } from '../schema/model.js';
import { classDef, propsOf } from '../schema/registry.js';
import { isRef, type Stored } from '../schema/types.js';
import { childNames, formatPath, type Path } from '../tree/tree.js';
import { PAGE_SIZE, type ShellSession } from './session.js';

const INDENT = '    ';

/** Glob with `*` and `?`, case-insensitive; '' matches everything. */
export function globMatcher(pattern: string): (name: string) => boolean {
  if (!pattern) return () => true;
  const re = new RegExp('^' + pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$', 'i');
  return (name) => re.test(name);
}

/** A stored value as listed. Every secret, shared secrets included, lists as <encrypted>: the issue
 * asks for that, where the original listed shared secrets in clear (aregcmd.md §4). */
export function shownValue(p: PropDef, v: Stored | undefined): string {
  return v === undefined || v === '' ? '' : p.type.format(v);
}

export function propertyLine(node: TreeNode, name: string): string {
  const p = propsOf(node).find((d) => d.name === name)!;
  return `${p.name}${isRef(p.type) ? '~' : ''} = ${shownValue(p, node[p.name] as Stored | undefined)}`.trimEnd();
}

/** Children that a listing window pages through: the collection's, after the session filter. */
export function windowedChildren(sh: ShellSession, node: TreeNode): string[] {
  const match = globMatcher(sh.filter);
  const fixed = new Set((classDef(node.$class).fixed ?? []).map((f) => f.name));
  return childNames(node).filter((n) => !fixed.has(n) && match(n));
}

export function listing(sh: ShellSession, path: Path, node: TreeNode): string[] {
  const cls = classDef(node.$class);
  const lines = ['', `[ ${formatPath(path)} ]`];
  // The cluster root lists only its children (the login banner of aregcmd.md §2.3).
  if (path.length) {
    lines.push(`${INDENT}Name = ${path[path.length - 1]}`);
    for (const p of propsOf(node)) lines.push(INDENT + propertyLine(node, p.name));
  }
  if (cls.list) {
    (node.$list ?? []).forEach((v, i) => lines.push(`${INDENT}${i + 1}. ${String(v)}`));
  }
  if (cls.pairs) {
    for (const [k, v] of node.$attrs ?? []) lines.push(`${INDENT}${k} = ${v}`);
  }
  const fixed = childNames(node).filter((n) => !cls.collection || (cls.fixed ?? []).some((f) => f.name === n));
  if (cls.collection) {
    const names = windowedChildren(sh, node);
    const key = formatPath(path);
    const start = Math.min(sh.windows.get(key) ?? 0, Math.max(0, names.length - 1));
    const shown = names.slice(start, start + PAGE_SIZE);
    sh.pagedContainer = path;
    lines.push(
      `${INDENT}Entries ${shown.length ? start + 1 : 0} to ${start + shown.length} from ${names.length} total entries`,
      `${INDENT}Current filter: ${sh.filter || '<all>'}`,
      '',
      ...shown.map((n) => `${INDENT}${n}/`),
    );
  }
  if (fixed.length) lines.push(...(lines.length > 2 ? [''] : []), ...fixed.map((n) => `${INDENT}${n}/`));
  return lines;
}

/** Plain data of an object for `--json`: properties as shown (secrets masked), children by name. */
export function listingJson(sh: ShellSession, path: Path, node: TreeNode, recursive: boolean): Record<string, unknown> {
  const cls = classDef(node.$class);
  const out: Record<string, unknown> = { path: formatPath(path), class: node.$class };
  const props: Record<string, string> = {};
  for (const p of propsOf(node)) props[p.name] = shownValue(p, node[p.name] as Stored | undefined);
  out.properties = props;
  if (cls.list) out.list = (node.$list ?? []).map(String);
  if (cls.pairs) out.attributes = node.$attrs ?? [];
  const names = childNames(node);
  if (names.length) {
    out.children = recursive ? names.map((n) => listingJson(sh, [...path, n], node.$children![n], true)) : names;
  }
  return out;
}
