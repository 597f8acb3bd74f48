// The shape of a schema declaration: classes of objects, their properties and
// children. Declarations live in ./classes/; everything else reads them through
// the registry in ./registry.ts.
import type { PropType, Stored } from './types.js';

export interface PropDef {
  name: string;
  type: PropType;
  /** Stored default, applied when an object is created and restored by `unset`. */
  default?: Stored;
  required?: boolean;
  readOnly?: boolean;
  /** Kept in the tree and validated, but the engine does not act on it (documented as such). */
  storedOnly?: boolean;
  help: string;
}

/** A child that always exists (created with its parent, cannot be deleted). */
export interface FixedChild {
  name: string;
  cls: string;
}

/** Type-specific part of a class selected by the value of its discriminator property. */
export interface Variant {
  props?: PropDef[];
  fixed?: FixedChild[];
  /** The engine does not execute objects of this variant; validation warns when one is selected. */
  storedOnly?: boolean;
}

export interface ClassDef {
  name: string;
  help: string;
  /** Scalar properties in display order (Name and Description are added by the registry). */
  props: PropDef[];
  fixed?: FixedChild[];
  /** Property whose value selects a variant (Service `Type`, Client `Protocol`). */
  discriminator?: string;
  variants?: Record<string, Variant>;
  /** User-added children, all of one class (a collection: Clients, a UserList's users). */
  collection?: { cls: string };
  /** Ordered list of values (`1. rs-primary`): stored in `$list`. */
  list?: { item: PropType };
  /** `Name = value` pairs, order kept, names may repeat: stored in `$attrs`. */
  pairs?: {
    kind: 'attributes' | 'map';
    /** For attribute lists: which dictionary names the keys. */
    dictionary?: 'radius' | 'diameter' | 'any';
    key?: PropType;
    value?: PropType;
  };
  /** Order of `add` positional arguments after the name. */
  positional?: string[];
  /** Constraint on the names of objects of this class (Ports are named by their number). */
  namePattern?: { pattern: RegExp; help: string };
}

/** A node of the saved tree, exactly as stored in the JSON file. */
export interface TreeNode {
  $class: string;
  $children?: Record<string, TreeNode>;
  $list?: Stored[];
  $attrs?: [string, string][];
  [prop: string]: Stored | TreeNode | Record<string, TreeNode> | Stored[] | [string, string][] | undefined;
}
