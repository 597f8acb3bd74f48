// Finding what set, unset and delete act on: a property of an object, an entry of an
// ordered list, or a pair of an attribute list.
import type { PropDef, TreeNode } from '../schema/model.js';
import { classDef, propsOf } from '../schema/registry.js';
import { matchName, type Path } from '../tree/tree.js';
import { ShellError, type ShellSession } from './session.js';

export type Target =
  | { kind: 'property'; path: Path; node: TreeNode; prop: PropDef }
  | { kind: 'pair'; path: Path; node: TreeNode; key: string }
  | { kind: 'slot'; path: Path; node: TreeNode; position: number };

/** `Prop`, `/path/Prop`, an attribute name in an attribute list, or a slot number in a list. */
export function findTarget(sh: ShellSession, text: string): Target {
  const slash = text.lastIndexOf('/');
  const { path, node } = slash >= 0 ? sh.resolveObject(text.slice(0, slash) || '/') : { path: sh.cwd, node: sh.current };
  const name = slash >= 0 ? text.slice(slash + 1) : text;
  const cls = classDef(node.$class);
  if (cls.pairs) return { kind: 'pair', path, node, key: name };
  if (cls.list && /^\d+$/.test(name)) return { kind: 'slot', path, node, position: Number(name) };
  const props = propsOf(node);
  const m = matchName(props.map((p) => p.name), name, 'property');
  if (!m.ok) throw new ShellError(m.error.startsWith('No such') ? `No such property: ${name} in ${node.$class}` : m.error);
  return { kind: 'property', path, node, prop: props.find((p) => p.name === m.name)! };
}
