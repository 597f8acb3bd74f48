// Reader for FreeRADIUS-format dictionary files (also radcli's older variant: `ipv4addr`, vendor name as the
// last ATTRIBUTE field). Statements go straight into a DictionaryBuilder, which resolves names against the
// base dictionary; the builder's data is the plain form of what was read.
import { readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { DictionaryBuilder } from './dictionary-builder.js';
import type { Dictionary, AttributeDef, VendorDef } from './dictionary.js';
import type { AttributeData, AttributeFlagsData, DictionaryData, VendorData } from './dictionary-data.js';
import { DictionaryError } from './errors.js';

export interface TextSource {
  text: string;
  /** Shown in errors as the file name. */
  name?: string;
  /** Directory for relative `$INCLUDE`s (default: the current directory). */
  dir?: string;
}

interface Block {
  kind: 'vendor' | 'tlv';
  name: string;
  /** Where numbers of ATTRIBUTE lines inside the block start. */
  container: AttributeDef;
  where: string;
}

const flagWords = new Set(['has_tag', 'array', 'concat', 'virtual', 'secret']);

function parseInteger(text: string): number {
  if (/^0x[0-9a-f]+$/i.test(text)) return parseInt(text.slice(2), 16);
  if (/^-?\d+$/.test(text)) return parseInt(text, 10);
  return NaN;
}

function isFlagList(text: string): boolean {
  return text.split(',').every((f) => flagWords.has(f) || f.includes('='));
}

function parseFlags(text: string): AttributeFlagsData {
  const flags: AttributeFlagsData = {};
  for (const word of text.split(',')) {
    const [key, value] = word.split('=', 2) as [string, string | undefined];
    if (key === 'encrypt' && (value === '1' || value === '2' || value === '3')) flags.encrypt = Number(value) as 1 | 2 | 3;
    else if (value !== undefined) throw new DictionaryError(`unknown flag '${word}'`);
    else if (key === 'has_tag') flags.hasTag = true;
    else if (key === 'array' || key === 'concat' || key === 'virtual' || key === 'secret') flags[key] = true;
    else throw new DictionaryError(`unknown flag '${word}'`);
  }
  return flags;
}

function parseVendorFormat(text: string): VendorData['format'] {
  const m = /^format=([124]),([012])(,c)?$/.exec(text);
  if (!m) throw new DictionaryError(`bad vendor format '${text}' (expected format=t,l[,c])`);
  return {
    type: Number(m[1]) as 1 | 2 | 4,
    length: Number(m[2]) as 0 | 1 | 2,
    ...(m[3] ? { continuation: true } : {}),
  };
}

class DictionaryParser {
  readonly #seen = new Set<string>();

  constructor(readonly builder: DictionaryBuilder) {}

  file(file: string, optional = false, includedFrom?: string): void {
    let real: string;
    let text: string;
    try {
      real = realpathSync(file);
      text = readFileSync(real, 'utf8');
    } catch (e) {
      if (optional) return;
      throw new DictionaryError(`cannot read dictionary ${file}: ${(e as NodeJS.ErrnoException).code ?? e}`, includedFrom);
    }
    // Each file is read once: this also makes include cycles harmless.
    if (this.#seen.has(real)) return;
    this.#seen.add(real);
    this.text(text, file, path.dirname(real));
  }

  text(text: string, name: string, dir: string): void {
    const blocks: Block[] = [];
    const lines = text.split(/\r?\n/);
    for (let i = 0; i < lines.length; i++) {
      const where = `${name}:${i + 1}`;
      const hash = lines[i]!.indexOf('#');
      const fields = (hash < 0 ? lines[i]! : lines[i]!.slice(0, hash)).trim().split(/\s+/);
      if (fields[0] === '') continue;
      try {
        this.#statement(fields, blocks, dir, where);
      } catch (e) {
        if (e instanceof DictionaryError && e.where === undefined) throw new DictionaryError(e.message, where);
        throw e;
      }
    }
    const open = blocks.at(-1);
    if (open) throw new DictionaryError(`BEGIN-${open.kind.toUpperCase()} ${open.name} is never ended`, open.where);
  }

  #statement(f: string[], blocks: Block[], dir: string, where: string): void {
    const keyword = f[0]!.toUpperCase();
    const arity = (min: number, max: number): void => {
      if (f.length - 1 < min || f.length - 1 > max) throw new DictionaryError(`${keyword} takes ${min}..${max} fields`);
    };
    switch (keyword) {
      case '$INCLUDE':
      case '$INCLUDE-':
        arity(1, 1);
        this.file(path.resolve(dir, f[1]!), keyword === '$INCLUDE-', where);
        return;
      case 'VENDOR': {
        arity(2, 3);
        const id = parseInteger(f[2]!);
        // radcli repeats the vendor name where FreeRADIUS has the format.
        const format = f[3] === undefined || f[3] === f[1] ? undefined : parseVendorFormat(f[3]);
        this.builder.addVendor({ name: f[1]!, id, ...(format ? { format } : {}) });
        return;
      }
      case 'BEGIN-VENDOR':
        arity(1, 2);
        blocks.push({ kind: 'vendor', name: f[1]!, container: this.#vendorBlock(f[1]!, f[2]), where });
        return;
      case 'BEGIN-TLV': {
        arity(1, 1);
        const tlv = this.builder.attribute(f[1]!);
        if (tlv?.type !== 'tlv') throw new DictionaryError(`BEGIN-TLV ${f[1]}: not a tlv attribute`);
        blocks.push({ kind: 'tlv', name: f[1]!, container: tlv, where });
        return;
      }
      case 'END-VENDOR':
      case 'END-TLV': {
        arity(1, 1);
        const kind = keyword === 'END-VENDOR' ? 'vendor' : 'tlv';
        const top = blocks.at(-1);
        if (top?.kind !== kind || top.name.toLowerCase() !== f[1]!.toLowerCase()) {
          throw new DictionaryError(`${keyword} ${f[1]} does not match ${top ? `BEGIN-${top.kind.toUpperCase()} ${top.name}` : 'any BEGIN'}`);
        }
        blocks.pop();
        return;
      }
      case 'ATTRIBUTE':
        arity(3, 5);
        this.builder.addAttribute(this.#attribute(f, blocks.at(-1)?.container));
        return;
      case 'VALUE': {
        arity(3, 3);
        const value = parseInteger(f[3]!);
        if (Number.isNaN(value)) throw new DictionaryError(`VALUE ${f[1]} ${f[2]}: bad number '${f[3]}'`);
        this.builder.addValue({ attribute: f[1]!, name: f[2]!, value }, where);
        return;
      }
      default:
        throw new DictionaryError(`unknown keyword '${f[0]}'`);
    }
  }

  #vendorBlock(name: string, format: string | undefined): AttributeDef {
    const vendor = this.builder.vendor(name);
    if (!vendor) throw new DictionaryError(`BEGIN-VENDOR ${name}: unknown vendor`);
    if (format === undefined) return this.builder.vendorContainer(vendor.id, undefined);
    const m = /^format=Extended-Vendor-Specific-([1-6])$/.exec(format);
    const evs = m ? this.builder.lookup(this.builder.lookup(undefined, 240 + Number(m[1])), 26) : undefined;
    if (evs?.type !== 'evs') throw new DictionaryError(`BEGIN-VENDOR ${name}: bad or undefined '${format}'`);
    return this.builder.vendorContainer(vendor.id, evs);
  }

  #attribute(f: string[], block: AttributeDef | undefined): AttributeData {
    const [, name, number, type] = f as [string, string, string, string];
    let flags: AttributeFlagsData | undefined;
    let vendor: VendorDef | undefined;
    for (const extra of f.slice(4)) {
      if (isFlagList(extra)) flags = parseFlags(extra);
      else if (!(vendor = this.builder.vendor(extra))) throw new DictionaryError(`unknown vendor or flags '${extra}'`);
    }
    let container = vendor ? this.builder.vendorContainer(vendor.id, undefined) : block;
    const path = number.split('.').map(parseInteger);
    if (path.some((n) => Number.isNaN(n))) throw new DictionaryError(`attribute ${name}: bad number '${number}'`);
    for (const n of path.slice(0, -1)) {
      const next: AttributeDef | undefined =
        container?.type === 'vsa' || container?.type === 'evs'
          ? this.builder.vendorContainer(n, container)
          : this.builder.lookup(container, n);
      if (!next) throw new DictionaryError(`attribute ${name}: no parent attribute at ${number}`);
      container = next;
    }
    return { name, number: path.at(-1)!, type, ...placement(container), ...(flags ? { flags } : {}) };
  }
}

/** How a container is named in AttributeData. */
function placement(container: AttributeDef | undefined): Pick<AttributeData, 'vendor' | 'parent'> {
  if (!container) return {};
  if (container.type !== 'vendor') return { parent: container.name };
  const above = container.parent!;
  return above.type === 'vsa' ? { vendor: container.number } : { parent: above.name, vendor: container.number };
}

function parseInto(builder: DictionaryBuilder, source: string | TextSource): DictionaryBuilder {
  const parser = new DictionaryParser(builder);
  if (typeof source === 'string') parser.file(path.resolve(source));
  else parser.text(source.text, source.name ?? '<text>', path.resolve(source.dir ?? '.'));
  return builder;
}

/** Reads a dictionary file (or text) into a new dictionary layered on `base`. */
export function loadDictionary(source: string | TextSource, base?: Dictionary): Dictionary {
  return parseInto(new DictionaryBuilder(base), source).build();
}

/** Reads a dictionary file (or text) into its plain serializable form, resolved against `base`. */
export function parseDictionary(source: string | TextSource, base?: Dictionary): DictionaryData {
  return loadDictionary(source, base).data;
}
