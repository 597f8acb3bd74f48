// The engine's read-only view of one saved object: properties already in native form
// (numbers, booleans, bytes, seconds, clear-text secrets), so nothing on the request
// path parses configuration text.
import type { TreeNode } from '../schema/model.js';
import { classDef, propsOf } from '../schema/registry.js';
import { isSecret } from '../schema/types.js';
import type { SecretBox } from '../store/secrets.js';
import { childNames } from '../tree/tree.js';

export class ConfigObject {
  readonly props: Readonly<Record<string, unknown>>;
  readonly children: ReadonlyMap<string, ConfigObject>;
  /** Lower-cased names, for the case-insensitive lookups references need. */
  private readonly byLower: ReadonlyMap<string, ConfigObject>;
  readonly list: readonly unknown[];
  readonly pairs: readonly (readonly [string, string])[];

  constructor(readonly name: string, readonly path: string, node: TreeNode, box: SecretBox) {
    this.cls = node.$class;
    const props: Record<string, unknown> = {};
    for (const p of propsOf(node)) {
      const v = node[p.name];
      if (v === undefined || typeof v === 'object') continue;
      if (isSecret(p.type)) props[p.name] = p.type.secret === 'encrypted' ? box.decrypt(String(v)) : v;
      else props[p.name] = v === '' ? '' : p.type.native(v);
    }
    this.props = props;
    const children = new Map<string, ConfigObject>();
    for (const n of childNames(node)) children.set(n, new ConfigObject(n, `${path}/${n}`, node.$children![n], box));
    this.children = children;
    this.byLower = new Map([...children].map(([n, c]) => [n.toLowerCase(), c]));
    const list = classDef(node.$class).list;
    this.list = list ? (node.$list ?? []).map((v) => list.item.native(v)) : [];
    this.pairs = node.$attrs ?? [];
  }

  readonly cls: string;

  str(prop: string): string {
    const v = this.props[prop];
    return v === undefined ? '' : String(v);
  }

  num(prop: string): number {
    return Number(this.props[prop] ?? 0);
  }

  bool(prop: string): boolean {
    return this.props[prop] === true;
  }

  child(name: string): ConfigObject | undefined {
    return this.children.get(name) ?? this.byLower.get(name.toLowerCase());
  }

  /** Follows a path of child names; undefined when any step is missing. */
  at(...names: string[]): ConfigObject | undefined {
    let o: ConfigObject | undefined = this;
    for (const n of names) o = o?.child(n);
    return o;
  }
}
