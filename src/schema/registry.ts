// The registry: every class declared once, looked up by name, and the operations that
// depend only on the schema (which properties an object has given its type, how a
// new object looks).
import type { ClassDef, FixedChild, PropDef, TreeNode } from './model.js';
import { stringType } from './types.js';
import { ALL_CLASSES } from './classes/index.js';

const DESCRIPTION: PropDef = { name: 'Description', type: stringType(), default: '', help: 'Free text describing the object.' };

const classes = new Map<string, ClassDef>();
for (const c of ALL_CLASSES) {
  if (classes.has(c.name)) throw new Error(`schema: class ${c.name} declared twice`);
  classes.set(c.name, c);
}

export function classDef(name: string): ClassDef {
  const c = classes.get(name);
  if (!c) throw new Error(`schema: unknown class ${name}`);
  return c;
}

export function allClasses(): ClassDef[] {
  return [...classes.values()];
}

/** The variant selected by the node's discriminator value, if any. */
function variantOf(cls: ClassDef, node: TreeNode) {
  if (!cls.discriminator || !cls.variants) return undefined;
  const v = node[cls.discriminator];
  return typeof v === 'string' ? cls.variants[v] : undefined;
}

/** Properties of a node in display order: Description, the class's own, then its variant's. */
export function propsOf(node: TreeNode): PropDef[] {
  const cls = classDef(node.$class);
  return [DESCRIPTION, ...cls.props, ...(variantOf(cls, node)?.props ?? [])];
}

export function propOf(node: TreeNode, name: string): PropDef | undefined {
  const lower = name.toLowerCase();
  return propsOf(node).find((p) => p.name.toLowerCase() === lower);
}

export function fixedChildrenOf(node: TreeNode): FixedChild[] {
  const cls = classDef(node.$class);
  return [...(cls.fixed ?? []), ...(variantOf(cls, node)?.fixed ?? [])];
}

export function isVariantStoredOnly(node: TreeNode): boolean {
  return variantOf(classDef(node.$class), node)?.storedOnly === true;
}

/** A new node of a class with its defaults and fixed children (recursively). */
export function newNode(clsName: string): TreeNode {
  const cls = classDef(clsName);
  const node: TreeNode = { $class: clsName };
  applyDefaults(node);
  if (cls.collection || fixedChildrenOf(node).length) node.$children ??= {};
  if (cls.list) node.$list = [];
  if (cls.pairs) node.$attrs = [];
  return node;
}

/** Fill missing defaults and fixed children; used on creation and after a type change. */
export function applyDefaults(node: TreeNode): void {
  // Two passes: the first sets the discriminator's default, which selects the variant of the second.
  for (let pass = 0; pass < 2; pass++) {
    for (const p of propsOf(node)) {
      if (node[p.name] === undefined && p.default !== undefined) node[p.name] = p.default;
    }
  }
  const fixed = fixedChildrenOf(node);
  if (fixed.length) {
    node.$children ??= {};
    for (const f of fixed) node.$children[f.name] ??= newNode(f.cls);
  }
}
