// Tab completion of command names, paths, property names and enumerated values.
import { classDef, propsOf } from '../schema/registry.js';
import { childNames, resolvePath } from '../tree/tree.js';
import type { ArgKind } from './command.js';
import { commandTable } from './registry.js';
import type { ShellSession } from './session.js';

const startsWithCI = (word: string) => (c: string) => c.toLowerCase().startsWith(word.toLowerCase());

function quoteIfNeeded(name: string): string {
  return /\s/.test(name) ? `"${name}` : name;
}

function completePath(sh: ShellSession, word: string, withProps: boolean): string[] {
  const slash = word.lastIndexOf('/');
  const dir = slash >= 0 ? word.slice(0, slash + 1) : '';
  const leaf = slash >= 0 ? word.slice(slash + 1) : word.replace(/^"/, '');
  const r = resolvePath(sh.root, sh.cwd, dir || '.');
  if (r.kind !== 'object') return [];
  const children = childNames(r.node).filter(startsWithCI(leaf)).map((n) => quoteIfNeeded(dir + n) + '/');
  const props = withProps ? propsOf(r.node).map((p) => p.name).filter(startsWithCI(leaf)).map((n) => dir + n) : [];
  return [...props, ...children];
}

function completeValue(sh: ShellSession, words: string[], word: string): string[] {
  if (words[0] !== 'set' || words.length < 2) return [];
  const target = words[1];
  const slash = target.lastIndexOf('/');
  const r = resolvePath(sh.root, sh.cwd, slash >= 0 ? target.slice(0, slash) || '/' : '.');
  if (r.kind !== 'object') return [];
  const name = (slash >= 0 ? target.slice(slash + 1) : target).toLowerCase();
  const prop = propsOf(r.node).find((p) => p.name.toLowerCase().startsWith(name));
  return (prop?.type.completions ?? []).filter(startsWithCI(word));
}

export function completeLine(sh: ShellSession, line: string): [string[], string] {
  const words = line.split(/\s+/).filter((w, i, all) => w !== '' || i === all.length - 1);
  const word = words[words.length - 1] ?? '';
  if (words.length <= 1) return [commandTable().map((c) => c.name).filter(startsWithCI(word)).map((n) => n + ' '), word];
  let cmd;
  try {
    cmd = commandTable().find((c) => c.name === words[0].toLowerCase()) ?? commandTable().find((c) => c.name.startsWith(words[0].toLowerCase()));
  } catch {
    return [[], word];
  }
  const kinds: ArgKind[] = cmd?.args ?? ['object'];
  const kind = kinds[Math.min(words.length - 2, kinds.length - 1)];
  const inList = classDef(sh.current.$class).list !== undefined;
  switch (kind) {
    case 'command':
      return [commandTable().map((c) => c.name).filter(startsWithCI(word)), word];
    case 'object':
    case 'child':
      return [completePath(sh, word, false), word];
    case 'property':
      return [inList ? [] : completePath(sh, word, true), word];
    case 'value':
      return [completeValue(sh, words, word), word];
    default:
      return [[], word];
  }
}
