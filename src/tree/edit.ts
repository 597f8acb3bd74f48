// Changes to the working copy. Each operation checks what the schema can check at
// once (types, enums, names) and leaves cross-object rules to validate().
import type { PropDef, TreeNode } from '../schema/model.js';
import { applyDefaults, classDef, fixedChildrenOf, newNode, propsOf } from '../schema/registry.js';
import { isSecret, MAX_STRING, type Stored } from '../schema/types.js';
import { hashPassword, type SecretBox } from '../store/secrets.js';
import { childExact, childrenChanged } from './tree.js';

export class EditError extends Error {}

/** Converts typed text into the stored form, encrypting or hashing secrets. */
export function storedValue(prop: PropDef, text: string, box: SecretBox): Stored {
  const r = prop.type.parse(text);
  if (!r.ok) throw new EditError(`${prop.name}: ${r.error}`);
  if (isSecret(prop.type) && r.value !== '') {
    return prop.type.secret === 'hashed' ? hashPassword(String(r.value)) : box.encrypt(String(r.value));
  }
  return r.value;
}

/** Sets a property; returns how many type-specific properties a discriminator change reset. */
export function setProp(node: TreeNode, prop: PropDef, text: string, box: SecretBox): number {
  if (prop.readOnly) throw new EditError(`${prop.name} is read-only`);
  const value = storedValue(prop, text, box);
  const cls = classDef(node.$class);
  // A new type (also the first one, set while the object is created) brings its own defaults and fixed children.
  if (cls.discriminator === prop.name && node[prop.name] !== value) {
    let reset = 0;
    for (const p of propsOf(node)) {
      if (cls.props.includes(p) || p.name === 'Description' || node[p.name] === undefined) continue;
      delete node[p.name];
      reset++;
    }
    for (const f of fixedChildrenOf(node)) if (!cls.fixed?.some((c) => c.name === f.name)) delete node.$children?.[f.name];
    node[prop.name] = value;
    applyDefaults(node);
    if (node.$children) childrenChanged(node);
    return reset;
  }
  node[prop.name] = value;
  return 0;
}

export function unsetProp(node: TreeNode, prop: PropDef): void {
  if (prop.required) throw new EditError(`${prop.name} is required`);
  if (prop.readOnly) throw new EditError(`${prop.name} is read-only`);
  if (prop.default !== undefined) node[prop.name] = prop.default;
  else delete node[prop.name];
}

function checkName(name: string): void {
  if (name === '' || name === '.' || name === '..' || name.includes('/')) throw new EditError(`'${name}' is not a valid object name`);
  if (name.length > MAX_STRING) throw new EditError(`Argument too long (max ${MAX_STRING})`);
}

/** Creates a child of a collection, filling positional properties in schema order. */
export function addChild(container: TreeNode, name: string, positional: string[], box: SecretBox): TreeNode {
  const coll = classDef(container.$class).collection;
  if (!coll) throw new EditError(`${container.$class} holds no objects; add works in a container`);
  checkName(name);
  if (childExact(container, name) !== undefined) throw new EditError(`${name} already exists`);
  const cls = classDef(coll.cls);
  if (cls.namePattern && !cls.namePattern.pattern.test(name)) throw new EditError(`'${name}' is not ${cls.namePattern.help}`);
  const node = newNode(coll.cls);
  const order = cls.positional ?? ['Description'];
  if (positional.length > order.length) throw new EditError(`too many arguments: ${cls.name} takes ${order.join(', ')} after the name`);
  positional.forEach((text, i) => {
    if (text === '') return; // "" skips a positional argument
    const prop = propsOf(node).find((p) => p.name === order[i]);
    if (!prop) throw new EditError(`${order[i]} does not apply to this ${cls.name}`);
    setProp(node, prop, text, box);
  });
  container.$children ??= {};
  container.$children[name] = node;
  childrenChanged(container, name);
  return node;
}

export function deleteChild(container: TreeNode, name: string): void {
  if (fixedChildrenOf(container).some((f) => f.name === name)) throw new EditError(`${name} is part of ${container.$class} and cannot be deleted`);
  delete container.$children![name];
  childrenChanged(container);
}

/** Counts every object below a node, for the delete confirmation. */
export function countDescendants(node: TreeNode): number {
  return Object.values(node.$children ?? {}).reduce((n, c) => n + 1 + countDescendants(c), 0);
}

function listItem(node: TreeNode, text: string): Stored {
  const item = classDef(node.$class).list!.item;
  const r = item.parse(text);
  if (!r.ok) throw new EditError(r.error);
  return r.value;
}

export function appendToList(node: TreeNode, text: string): void {
  node.$list!.push(listItem(node, text));
}

/** 1-based insert; later entries shift down. */
export function insertIntoList(node: TreeNode, position: number, text: string): void {
  const list = node.$list!;
  if (!Number.isInteger(position) || position < 1 || position > list.length + 1) throw new EditError(`position must be 1-${list.length + 1}`);
  list.splice(position - 1, 0, listItem(node, text));
}

/** `set <n> <value>` in a list: overwrite slot n, or append at n = length + 1 (slots stay contiguous). */
export function setListSlot(node: TreeNode, position: number, text: string): void {
  const list = node.$list!;
  if (!Number.isInteger(position) || position < 1 || position > list.length + 1) throw new EditError(`position must be 1-${list.length + 1} (entries stay contiguous)`);
  list[position - 1] = listItem(node, text);
}

/** Removes a list entry given by position or by value; returns the removed value. */
export function deleteFromList(node: TreeNode, which: string): Stored {
  const list = node.$list!;
  const n = /^\d+$/.test(which) ? Number(which) : list.findIndex((v) => String(v).toLowerCase() === which.toLowerCase()) + 1;
  if (n < 1 || n > list.length) throw new EditError(`No such entry: ${which}`);
  return list.splice(n - 1, 1)[0];
}

/** Replaces every instance of an attribute or mapping key by the given values. */
export function setPair(node: TreeNode, key: string, values: string[]): void {
  const pairs = classDef(node.$class).pairs!;
  if (values.length === 0) throw new EditError(`set ${key} needs a value`);
  if (pairs.key) {
    const r = pairs.key.parse(key);
    if (!r.ok) throw new EditError(r.error);
  }
  for (const v of values) {
    if (v.length > MAX_STRING) throw new EditError(`Argument too long (max ${MAX_STRING})`);
    if (pairs.value) {
      const r = pairs.value.parse(v);
      if (!r.ok) throw new EditError(`${key}: ${r.error}`);
    }
  }
  const attrs = node.$attrs!;
  const at = attrs.findIndex(([k]) => k.toLowerCase() === key.toLowerCase());
  const kept = attrs.filter(([k]) => k.toLowerCase() !== key.toLowerCase());
  const fresh = values.map((v): [string, string] => [key, v]);
  kept.splice(at < 0 ? kept.length : at, 0, ...fresh);
  node.$attrs = kept;
}

export function deletePair(node: TreeNode, key: string): void {
  const attrs = node.$attrs!;
  const kept = attrs.filter(([k]) => k.toLowerCase() !== key.toLowerCase());
  if (kept.length === attrs.length) throw new EditError(`No such attribute: ${key}`);
  node.$attrs = kept;
}
