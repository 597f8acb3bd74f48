// Builds one immutable Dictionary layer on top of an optional base. The layer starts from shallow copies of
// the base's maps (definitions, child maps and value tables are shared), and copies an inner map only when
// this layer changes it, so several dialect dictionaries cost little more than their own additions.
import {
  Dictionary,
  dictionaryTables,
  type AttributeDef,
  type AttributeFlags,
  type AttributeType,
  type ValueTable,
  type VendorDef,
} from './dictionary.js';
import type { AttributeData, DictionaryData, ValueData, VendorData } from './dictionary-data.js';
import { DictionaryError } from './errors.js';

const typeAliases: Record<string, AttributeType> = {
  string: 'string',
  text: 'string',
  octets: 'octets',
  ipaddr: 'ipaddr',
  ipv4addr: 'ipaddr',
  ipv4prefix: 'ipv4prefix',
  ipv6addr: 'ipv6addr',
  ipv6prefix: 'ipv6prefix',
  ifid: 'ifid',
  integer: 'integer',
  uint32: 'integer',
  byte: 'byte',
  uint8: 'byte',
  short: 'short',
  uint16: 'short',
  signed: 'signed',
  int32: 'signed',
  integer64: 'integer64',
  uint64: 'integer64',
  date: 'date',
  time: 'date',
  ether: 'ether',
  'combo-ip': 'combo-ip',
  abinary: 'abinary',
  tlv: 'tlv',
  vsa: 'vsa',
  extended: 'extended',
  'long-extended': 'long-extended',
  evs: 'evs',
};

const containers = new Set<AttributeType>(['tlv', 'vsa', 'extended', 'long-extended', 'evs', 'vendor']);
const taggable = new Set<AttributeType>(['string', 'octets', 'integer']);
const fixedSize: Partial<Record<AttributeType, number>> = {
  ipaddr: 4,
  ipv6addr: 16,
  ifid: 8,
  integer: 4,
  byte: 1,
  short: 2,
  signed: 4,
  integer64: 8,
  date: 4,
  ether: 6,
  ipv4prefix: 6,
};

export function parseTypeName(text: string): { type: AttributeType; size: number | undefined } {
  const m = /^([a-z0-9-]+)(?:\[(\d+)\])?$/.exec(text.toLowerCase());
  const type = m && typeAliases[m[1]!];
  if (!m || !type) throw new DictionaryError(`unknown attribute type '${text}'`);
  const size = m[2] === undefined ? undefined : Number(m[2]);
  if (size !== undefined && (type !== 'octets' || size < 1 || size > 253)) {
    throw new DictionaryError(`a size is only allowed as octets[1..253], not '${text}'`);
  }
  return { type, size };
}

/** Size of one item of a fixed-size type (used for `array` and wire validation). */
export function itemSize(def: AttributeDef): number | undefined {
  return def.size ?? fixedSize[def.type];
}

function maxNumberIn(container: AttributeDef | undefined, vendors: ReadonlyMap<number, VendorDef>): number {
  if (!container) return 0xffffffff;
  if (container.type === 'vsa' || container.type === 'evs') return 0xffffffff;
  if (container.type === 'vendor' && container.parent?.type === 'vsa') {
    const bytes = vendors.get(container.number)?.typeLength ?? 1;
    return bytes === 4 ? 0xffffffff : 256 ** bytes - 1;
  }
  return 255;
}

function toFlags(data: AttributeData['flags']): AttributeFlags {
  return {
    hasTag: data?.hasTag ?? false,
    encrypt: data?.encrypt ?? 0,
    array: data?.array ?? false,
    concat: data?.concat ?? false,
    virtual: data?.virtual ?? false,
    secret: data?.secret ?? false,
  };
}

interface MutableValueTable extends ValueTable {
  readonly byName: Map<string, number>;
  readonly byNumber: Map<number, string>;
}

export class DictionaryBuilder {
  readonly #base: Dictionary | undefined;
  readonly #root: Map<number, AttributeDef>;
  readonly #children: Map<AttributeDef, ReadonlyMap<number, AttributeDef>>;
  readonly #byName: Map<string, AttributeDef>;
  readonly #vendorsById: Map<number, VendorDef>;
  readonly #vendorsByName: Map<string, VendorDef>;
  readonly #values: Map<AttributeDef, ValueTable>;
  /** Inner maps created by this layer, which it may change in place. */
  readonly #owned = new WeakSet<object>();
  readonly #ownNames = new Set<string>();
  readonly #pendingValues: { value: ValueData; where: string | undefined }[] = [];
  readonly #data: DictionaryData = { vendors: [], attributes: [], values: [] };
  #built = false;

  constructor(base?: Dictionary) {
    this.#base = base;
    const t = base && dictionaryTables(base);
    this.#root = new Map(t?.root);
    this.#children = new Map(t?.children);
    this.#byName = new Map(t?.byName);
    this.#vendorsById = new Map(t?.vendorsById);
    this.#vendorsByName = new Map(t?.vendorsByName);
    this.#values = new Map(t?.values);
  }

  attribute(name: string): AttributeDef | undefined {
    return this.#byName.get(name.toLowerCase());
  }

  vendor(idOrName: number | string): VendorDef | undefined {
    return typeof idOrName === 'number'
      ? this.#vendorsById.get(idOrName)
      : this.#vendorsByName.get(idOrName.toLowerCase());
  }

  /** The definition at `number` inside `container` (top level when undefined). */
  lookup(container: AttributeDef | undefined, number: number): AttributeDef | undefined {
    return container ? this.#children.get(container)?.get(number) : this.#root.get(number);
  }

  addVendor(v: VendorData, where?: string): VendorDef {
    this.#assertOpen();
    const def: VendorDef = {
      name: v.name,
      id: v.id,
      typeLength: v.format?.type ?? 1,
      lengthLength: v.format?.length ?? 1,
      continuation: v.format?.continuation ?? false,
    };
    if (!Number.isInteger(v.id) || v.id < 0 || v.id > 0xffffff) {
      throw new DictionaryError(`vendor ${v.name}: id ${v.id} outside 0..16777215`, where);
    }
    if (![1, 2, 4].includes(def.typeLength) || ![0, 1, 2].includes(def.lengthLength)) {
      throw new DictionaryError(`vendor ${v.name}: unsupported format ${def.typeLength},${def.lengthLength}`, where);
    }
    if (def.continuation && (def.typeLength !== 1 || def.lengthLength !== 1)) {
      throw new DictionaryError(`vendor ${v.name}: continuation needs format=1,1,c`, where);
    }
    const named = this.#vendorsByName.get(v.name.toLowerCase());
    if (named && named.id !== v.id) {
      throw new DictionaryError(`vendor ${v.name} is already defined with id ${named.id}`, where);
    }
    const same = this.#vendorsById.get(v.id);
    if (same && (same.typeLength !== def.typeLength || same.lengthLength !== def.lengthLength || same.continuation !== def.continuation)) {
      throw new DictionaryError(`vendor ${v.name} (${v.id}) is already defined with another format`, where);
    }
    const result = same ?? def;
    if (!same) this.#vendorsById.set(v.id, def);
    this.#vendorsByName.set(v.name.toLowerCase(), result);
    this.#data.vendors.push(structuredClone(v));
    return result;
  }

  addAttribute(a: AttributeData, where?: string): AttributeDef {
    this.#assertOpen();
    let parsed: ReturnType<typeof parseTypeName>;
    try {
      parsed = parseTypeName(a.type);
    } catch (e) {
      throw new DictionaryError(`attribute ${a.name}: ${(e as Error).message}`, where);
    }
    const container = this.#containerFor(a, where);
    let type = parsed.type;
    // Attribute 26 is Vendor-Specific whatever a dictionary calls its type (radcli writes `string`).
    if (!container && a.number === 26) type = 'vsa';
    const flags = toFlags(a.flags);
    this.#checkAttribute(a, type, flags, container, where);

    const key = a.name.toLowerCase();
    const existing = this.#byName.get(key);
    if (existing) {
      if (existing.parent === container && existing.number === a.number && existing.type === type) return existing;
      if (this.#ownNames.has(key)) {
        throw new DictionaryError(`attribute ${a.name} is already defined as ${existing.oid}`, where);
      }
    }
    const previous = this.lookup(container, a.number);
    if (previous && this.#base?.attribute(previous.name) === previous) this.#unname(previous);

    const onWire = !flags.virtual && (container ? container.onWire : a.number <= 255);
    const def: AttributeDef = Object.freeze({
      name: a.name,
      number: a.number,
      type,
      parent: container,
      vendor: container?.vendor ?? 0,
      flags: Object.freeze(flags),
      size: parsed.size,
      oid: container ? `${container.oid}.${a.number}` : String(a.number),
      onWire,
    });
    this.#place(container, def);
    this.#byName.set(key, def);
    this.#ownNames.add(key);
    this.#data.attributes.push(structuredClone(a));
    return def;
  }

  addValue(v: ValueData, where?: string): void {
    this.#assertOpen();
    if (!Number.isSafeInteger(v.value) || v.value < -0x80000000 || v.value > 0xffffffff) {
      throw new DictionaryError(`VALUE ${v.attribute} ${v.name}: ${v.value} is not a 32-bit number`, where);
    }
    this.#data.values.push({ ...v });
    const def = this.attribute(v.attribute);
    if (def) this.#applyValue(def, v);
    else this.#pendingValues.push({ value: v, where });
  }

  /** Adds every statement of a data layer (as produced by a parser or stored in the configuration). */
  addData(data: DictionaryData, where?: string): this {
    for (const v of data.vendors) this.addVendor(v, where);
    for (const a of data.attributes) this.addAttribute(a, where);
    for (const v of data.values) this.addValue(v, where);
    return this;
  }

  build(): Dictionary {
    this.#assertOpen();
    for (const { value, where } of this.#pendingValues) {
      const def = this.attribute(value.attribute);
      if (!def) throw new DictionaryError(`VALUE ${value.name} for unknown attribute ${value.attribute}`, where);
      this.#applyValue(def, value);
    }
    this.#built = true;
    return new Dictionary(
      {
        root: this.#root,
        children: this.#children,
        byName: this.#byName,
        vendorsById: this.#vendorsById,
        vendorsByName: this.#vendorsByName,
        values: this.#values,
      },
      this.#data,
      this.#base,
    );
  }

  #assertOpen(): void {
    if (this.#built) throw new Error('DictionaryBuilder: already built');
  }

  #containerFor(a: AttributeData, where: string | undefined): AttributeDef | undefined {
    if (a.parent !== undefined) {
      const parent = this.attribute(a.parent);
      if (!parent) throw new DictionaryError(`attribute ${a.name}: unknown parent ${a.parent}`, where);
      if (parent.type === 'evs') {
        if (a.vendor === undefined) throw new DictionaryError(`attribute ${a.name}: ${parent.name} needs a vendor`, where);
        return this.#vendorNode(parent, a.vendor, where);
      }
      if (!containers.has(parent.type) || parent.type === 'vsa') {
        throw new DictionaryError(`attribute ${a.name}: parent ${parent.name} (${parent.type}) cannot hold attributes`, where);
      }
      return parent;
    }
    return a.vendor === undefined ? undefined : this.vendorContainer(a.vendor, undefined, where);
  }

  /** The node holding a vendor's attributes: under Vendor-Specific (26), or under an evs attribute. */
  vendorContainer(vendorId: number, evs: AttributeDef | undefined, where?: string): AttributeDef {
    const container = evs ?? this.#root.get(26) ?? this.addAttribute({ name: 'Vendor-Specific', number: 26, type: 'vsa' });
    return this.#vendorNode(container, vendorId, where);
  }

  #vendorNode(container: AttributeDef, vendorId: number, where: string | undefined): AttributeDef {
    const existing = this.#children.get(container)?.get(vendorId);
    if (existing) return existing;
    const vendor = this.#vendorsById.get(vendorId);
    if (!vendor) throw new DictionaryError(`unknown vendor ${vendorId}`, where);
    const node: AttributeDef = Object.freeze({
      name: vendor.name,
      number: vendorId,
      type: 'vendor',
      parent: container,
      vendor: vendorId,
      flags: Object.freeze(toFlags(undefined)),
      size: undefined,
      oid: `${container.oid}.${vendorId}`,
      onWire: container.onWire,
    });
    this.#place(container, node);
    return node;
  }

  #checkAttribute(
    a: AttributeData,
    type: AttributeType,
    flags: AttributeFlags,
    container: AttributeDef | undefined,
    where: string | undefined,
  ): void {
    const fail = (why: string): never => {
      throw new DictionaryError(`attribute ${a.name}: ${why}`, where);
    };
    if (!/^[^\s"'=#]+$/.test(a.name)) fail('bad name');
    const max = maxNumberIn(container, this.#vendorsById);
    if (!Number.isInteger(a.number) || a.number < 0 || a.number > max || (!container && a.number === 0)) {
      fail(`number ${a.number} out of range`);
    }
    if (type === 'vendor') fail('type vendor is internal');
    if ((type === 'extended' || type === 'long-extended') && (container || a.number > 255)) {
      fail(`${type} attributes live at the top level`);
    }
    if (type === 'evs' && container?.type !== 'extended' && container?.type !== 'long-extended') {
      fail('evs must be a child of an extended attribute');
    }
    if (flags.hasTag && !taggable.has(type)) fail(`has_tag is not allowed on ${type}`);
    if (flags.encrypt && containers.has(type)) fail(`encrypt is not allowed on ${type}`);
    if (flags.array && fixedSize[type] === undefined && type !== 'octets') fail(`array needs a fixed-size type`);
    if (flags.concat && (type !== 'octets' || container)) fail('concat is only for top-level octets');
  }

  #place(container: AttributeDef | undefined, def: AttributeDef): void {
    if (!container) {
      this.#root.set(def.number, def);
      return;
    }
    let map = this.#children.get(container) as Map<number, AttributeDef> | undefined;
    if (!map || !this.#owned.has(map)) {
      map = new Map(map);
      this.#owned.add(map);
      this.#children.set(container, map);
    }
    map.set(def.number, def);
  }

  /** A base definition shadowed by this layer stops answering to its names here. */
  #unname(def: AttributeDef): void {
    for (const [name, d] of this.#byName) if (d === def) this.#byName.delete(name);
  }

  #applyValue(def: AttributeDef, v: ValueData): void {
    let table = this.#values.get(def) as MutableValueTable | undefined;
    if (!table || !this.#owned.has(table)) {
      table = { byName: new Map(table?.byName), byNumber: new Map(table?.byNumber) };
      this.#owned.add(table);
      this.#values.set(def, table);
    }
    // A later VALUE re-points a name, as radcli does (Kamailio's dictionary renumbers radcli's Sip-Method
    // names); the number it left no longer prints as that name.
    const key = v.name.toLowerCase();
    const old = table.byName.get(key);
    if (old !== undefined && old !== v.value && table.byNumber.get(old) === v.name) table.byNumber.delete(old);
    table.byName.set(key, v.value);
    table.byNumber.set(v.value, v.name);
  }
}

/** Builds a dictionary from stored data, on top of `base`. */
export function buildDictionary(data: DictionaryData, base?: Dictionary): Dictionary {
  return new DictionaryBuilder(base).addData(data).build();
}
