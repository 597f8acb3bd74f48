// The immutable attribute dictionary. Every lookup the codec does per attribute is one Map.get: by number in a
// "space" (the top level, or the children of a container definition) and by lower-cased name. Vendors and the
// RFC 6929 Extended-Vendor-Specific vendors are container nodes of type 'vendor' in the same tree, so VSAs,
// TLVs and extended attributes are all found the same way.
import type { DictionaryData } from './dictionary-data.js';

export type LeafType =
  | 'string'
  | 'octets'
  | 'ipaddr'
  | 'ipv4prefix'
  | 'ipv6addr'
  | 'ipv6prefix'
  | 'ifid'
  | 'integer'
  | 'byte'
  | 'short'
  | 'signed'
  | 'integer64'
  | 'date'
  | 'ether'
  | 'combo-ip'
  | 'abinary';

export type ContainerType = 'tlv' | 'vsa' | 'extended' | 'long-extended' | 'evs' | 'vendor';

export type AttributeType = LeafType | ContainerType;

export interface AttributeFlags {
  readonly hasTag: boolean;
  /** 1 User-Password (RFC 2865 §5.2), 2 salted (RFC 2868 §3.5, RFC 2548), 3 Ascend-Send-Secret. */
  readonly encrypt: 0 | 1 | 2 | 3;
  /** The value is a run of fixed-size items; decoded as one attribute per item. */
  readonly array: boolean;
  /** A long value is split over several consecutive attributes of this type (EAP-Message style). */
  readonly concat: boolean;
  /** Server-side only: never on the wire. */
  readonly virtual: boolean;
  readonly secret: boolean;
}

export interface VendorDef {
  readonly name: string;
  readonly id: number;
  readonly typeLength: 1 | 2 | 4;
  readonly lengthLength: 0 | 1 | 2;
  /** WiMAX-style continuation octet after the vendor length. */
  readonly continuation: boolean;
}

export interface AttributeDef {
  readonly name: string;
  /** Number within the parent's space (vendor id for a 'vendor' node). */
  readonly number: number;
  readonly type: AttributeType;
  readonly parent: AttributeDef | undefined;
  /** Vendor id of the nearest vendor node above (or this node), 0 for standard attributes. */
  readonly vendor: number;
  readonly flags: AttributeFlags;
  /** Exact value size for `octets[N]`. */
  readonly size: number | undefined;
  /** Dotted wire path from the top level, e.g. "26.311.16", "241.26.11344.1", "207.1". */
  readonly oid: string;
  /** False for internal (number > 255 at the top level) and virtual attributes. */
  readonly onWire: boolean;
}

export interface ValueTable {
  readonly byName: ReadonlyMap<string, number>;
  readonly byNumber: ReadonlyMap<number, string>;
}

export interface DictionaryTables {
  readonly root: ReadonlyMap<number, AttributeDef>;
  readonly children: ReadonlyMap<AttributeDef, ReadonlyMap<number, AttributeDef>>;
  readonly byName: ReadonlyMap<string, AttributeDef>;
  readonly vendorsById: ReadonlyMap<number, VendorDef>;
  readonly vendorsByName: ReadonlyMap<string, VendorDef>;
  readonly values: ReadonlyMap<AttributeDef, ValueTable>;
}

const noChildren: ReadonlyMap<number, AttributeDef> = new Map();
const tablesOf = new WeakMap<Dictionary, DictionaryTables>();

/** For DictionaryBuilder: the tables a derived dictionary starts from. */
export function dictionaryTables(dictionary: Dictionary): DictionaryTables {
  return tablesOf.get(dictionary)!;
}

export class Dictionary {
  readonly #t: DictionaryTables;
  /** The statements this dictionary added to its base, for storing an imported dictionary as data. */
  readonly data: DictionaryData;
  readonly base: Dictionary | undefined;

  constructor(tables: DictionaryTables, data: DictionaryData, base: Dictionary | undefined) {
    this.#t = tables;
    tablesOf.set(this, tables);
    this.data = data;
    this.base = base;
    Object.freeze(this);
  }

  /** Case-insensitive lookup of an attribute name. */
  attribute(name: string): AttributeDef | undefined {
    return this.#t.byName.get(name.toLowerCase());
  }

  /** A top-level attribute (1..255 on the wire, larger numbers are internal). */
  top(type: number): AttributeDef | undefined {
    return this.#t.root.get(type);
  }

  /** A child of a container: TLV member, extended type, vendor node under 26 or an evs, vendor attribute. */
  child(parent: AttributeDef, number: number): AttributeDef | undefined {
    return this.#t.children.get(parent)?.get(number);
  }

  children(parent: AttributeDef): ReadonlyMap<number, AttributeDef> {
    return this.#t.children.get(parent) ?? noChildren;
  }

  /** A classic VSA (inside attribute 26). */
  vendorAttribute(vendor: number, type: number): AttributeDef | undefined {
    const vsa = this.#t.root.get(26);
    if (!vsa) return undefined;
    const node = this.#t.children.get(vsa)?.get(vendor);
    return node && this.#t.children.get(node)?.get(type);
  }

  vendor(idOrName: number | string): VendorDef | undefined {
    return typeof idOrName === 'number'
      ? this.#t.vendorsById.get(idOrName)
      : this.#t.vendorsByName.get(idOrName.toLowerCase());
  }

  vendors(): IterableIterator<VendorDef> {
    return this.#t.vendorsById.values();
  }

  /** Every name-visible attribute (aliases included once per name). */
  attributes(): IterableIterator<AttributeDef> {
    return this.#t.byName.values();
  }

  valueName(def: AttributeDef, value: number): string | undefined {
    return this.#t.values.get(def)?.byNumber.get(value);
  }

  valueNumber(def: AttributeDef, name: string): number | undefined {
    return this.#t.values.get(def)?.byName.get(name.toLowerCase());
  }

  valueTable(def: AttributeDef): ValueTable | undefined {
    return this.#t.values.get(def);
  }
}
