// RADIUS dictionaries in the tree. An imported FreeRADIUS file is stored attribute by attribute under
// /Radius/Advanced/"Attribute Dictionary" and "Vendor Attributes" (objects an administrator can list and
// edit), and read back as the codec's DictionaryData layer that the engine puts on top of the built-in
// dictionaries. The mapping is lossless for what DictionaryData holds.
import type { TreeNode } from '../schema/model.js';
import { newNode } from '../schema/registry.js';
import { childrenChanged } from '../tree/tree.js';
import { commonDictionary, DictionaryBuilder, type AttributeData, type AttributeFlagsData, type Dictionary, type DictionaryData, type VendorData } from '../radius/index.js';

const CONTAINERS = { attributes: 'Attribute Dictionary', vendors: 'Vendor Attributes' } as const;

function sizedType(type: string): { type: string; size?: number } {
  const m = /^([a-z0-9-]+)\[(\d+)\]$/i.exec(type);
  return m ? { type: m[1], size: Number(m[2]) } : { type };
}

function flagsText(f: AttributeFlagsData | undefined): string {
  if (!f) return '';
  const parts: string[] = [];
  if (f.encrypt) parts.push(`encrypt=${f.encrypt}`);
  for (const k of ['array', 'concat', 'virtual', 'secret'] as const) if (f[k]) parts.push(k);
  return parts.join(',');
}

function parseFlags(text: string, hasTag: boolean): AttributeFlagsData | undefined {
  const f: AttributeFlagsData = {};
  if (hasTag) f.hasTag = true;
  for (const part of text.split(',').filter(Boolean)) {
    const [k, v] = part.split('=');
    if (k === 'encrypt') f.encrypt = Number(v) as 1 | 2 | 3;
    else if (k === 'has_tag') f.hasTag = true;
    else f[k as 'array' | 'concat' | 'virtual' | 'secret'] = true;
  }
  return Object.keys(f).length ? f : undefined;
}

function child(container: TreeNode, name: string, cls: string): TreeNode {
  container.$children ??= {};
  let node = container.$children[name];
  if (!node || node.$class !== cls) {
    node = newNode(cls);
    container.$children[name] = node;
    childrenChanged(container, name);
  }
  return node;
}

export interface ImportCounts {
  vendors: number;
  attributes: number;
  values: number;
}

/** Writes a parsed dictionary layer into /Radius/Advanced; objects of the same name are replaced. */
export function importDictionaryData(advanced: TreeNode, data: DictionaryData): ImportCounts {
  const attrs = advanced.$children![CONTAINERS.attributes];
  const vendors = advanced.$children![CONTAINERS.vendors];
  const vendorName = new Map<number, string>(data.vendors.map((v) => [v.id, v.name]));
  const nameOfVendor = (id: number) => vendorName.get(id) ?? commonDictionary().vendor(id)?.name ?? `Vendor-${id}`;
  const vendorNode = (id: number) => {
    const v = child(vendors, nameOfVendor(id), 'AttributeVendor');
    v.VendorID = id;
    return v;
  };
  for (const v of data.vendors) {
    const node = vendorNode(v.id);
    node.Format = v.format ? `${v.format.type},${v.format.length}${v.format.continuation ? ',c' : ''}` : '';
  }
  const objects = new Map<string, TreeNode>();
  for (const a of data.attributes) {
    const node = a.vendor !== undefined ? child(vendorNode(a.vendor), a.name, 'VendorAttribute') : child(attrs, a.name, 'RadiusAttribute');
    const { type, size } = sizedType(a.type);
    if (a.vendor !== undefined) {
      node.VendorID = a.vendor;
      node.SubAttributeType = a.number;
    } else {
      node.Attribute = a.number;
    }
    node.Type = type.toUpperCase();
    if (size !== undefined) node.Min = node.Max = size;
    node.HasTag = a.flags?.hasTag === true;
    node.Flags = flagsText(a.flags);
    node.Parent = a.parent ?? '';
    objects.set(a.name.toLowerCase(), node);
  }
  for (const v of data.values) {
    let node = objects.get(v.attribute.toLowerCase());
    if (!node) {
      // VALUEs for an attribute of the built-in dictionary: an object without Type carries them.
      const def = commonDictionary().attribute(v.attribute);
      node = def?.vendor ? child(vendorNode(def.vendor), def.name, 'VendorAttribute') : child(attrs, def?.name ?? v.attribute, 'RadiusAttribute');
      objects.set(v.attribute.toLowerCase(), node);
    }
    const enums = node.$children!.Enumerations;
    enums.$attrs = [...(enums.$attrs ?? []).filter(([k]) => k !== v.name), [v.name, String(v.value)]];
  }
  return { vendors: data.vendors.length, attributes: data.attributes.length, values: data.values.length };
}

/** The dictionary layer the tree defines, for the engine and for validation. */
export function treeDictionaryData(advanced: TreeNode): DictionaryData {
  const vendors: VendorData[] = [];
  const attributes: AttributeData[] = [];
  const values: DictionaryData['values'] = [];
  const attribute = (name: string, node: TreeNode, number: number, vendor?: number) => {
    if (node.Type !== undefined && node.Type !== '') {
      const type = String(node.Type) === 'ENUM' ? 'integer' : String(node.Type).toLowerCase();
      const size = node.Min !== undefined && node.Min === node.Max && (type === 'octets' || type === 'string') ? `[${String(node.Min)}]` : '';
      const flags = parseFlags(String(node.Flags ?? ''), node.HasTag === true);
      attributes.push({
        name, number, type: type + size,
        ...(vendor !== undefined ? { vendor } : {}),
        ...(node.Parent ? { parent: String(node.Parent) } : {}),
        ...(flags ? { flags } : {}),
      });
    }
    for (const [k, v] of node.$children?.Enumerations?.$attrs ?? []) values.push({ attribute: name, name: k, value: Number(v) });
  };
  for (const [name, v] of Object.entries(advanced.$children?.[CONTAINERS.vendors]?.$children ?? {})) {
    const id = Number(v.VendorID);
    const fmt = /^([124]),([012])(,c)?$/.exec(String(v.Format ?? ''));
    vendors.push({ name, id, ...(fmt ? { format: { type: Number(fmt[1]) as 1 | 2 | 4, length: Number(fmt[2]) as 0 | 1 | 2, ...(fmt[3] ? { continuation: true } : {}) } } : {}) });
    for (const [attr, node] of Object.entries(v.$children ?? {})) attribute(attr, node, Number(node.SubAttributeType), Number(node.VendorID ?? id));
  }
  for (const [name, node] of Object.entries(advanced.$children?.[CONTAINERS.attributes]?.$children ?? {})) attribute(name, node, Number(node.Attribute));
  return { vendors, attributes: orderParentsFirst(attributes), values };
}

/** A TLV's or extended attribute's parent must be defined before its children. */
function orderParentsFirst(list: AttributeData[]): AttributeData[] {
  const byName = new Map(list.map((a) => [a.name.toLowerCase(), a]));
  const out: AttributeData[] = [];
  const placed = new Set<AttributeData>();
  const place = (a: AttributeData, depth = 0) => {
    if (placed.has(a) || depth > 8) return;
    const parent = a.parent ? byName.get(a.parent.toLowerCase()) : undefined;
    if (parent) place(parent, depth + 1);
    placed.add(a);
    out.push(a);
  };
  for (const a of list) place(a);
  return out;
}

export interface LayeredDictionary {
  dictionary: Dictionary;
  /** Entries of the tree's layer that do not fit this base (reported, never fatal). */
  problems: string[];
}

/** The tree's layer on top of one built-in dialect dictionary; entries that do not fit it are left out. */
export function layerDictionary(base: Dictionary, data: DictionaryData): LayeredDictionary {
  const builder = new DictionaryBuilder(base);
  const problems: string[] = [];
  const attempt = (what: string, add: () => void) => {
    try {
      add();
    } catch (e) {
      problems.push(`${what}: ${(e as Error).message}`);
    }
  };
  for (const v of data.vendors) attempt(`vendor ${v.name}`, () => builder.addVendor(v));
  for (const a of data.attributes) attempt(`attribute ${a.name}`, () => builder.addAttribute(a));
  // Attributes are all in by now, so a VALUE whose attribute is unknown here never fits (the builder would only
  // refuse it in build(), for the whole layer).
  for (const v of data.values) {
    attempt(`value ${v.attribute} ${v.name}`, () => {
      if (!builder.attribute(v.attribute)) throw new Error(`no attribute ${v.attribute} in this dialect`);
      builder.addValue(v);
    });
  }
  return { dictionary: builder.build(), problems };
}
