// Tab completion of command names, paths, property names and enumerated values.
import { classDef, propsOf } from '../schema/registry.js';
import { childNames, resolvePath } from '../tree/tree.js';
import type { ArgKind } from './command.js';
import { commandTable } from './registry.js';
import type { ShellSession } from './session.js';
import { quoteArg } from './tokenize.js';

const startsWithCI = (word: string) => (c: string) => c.toLowerCase().startsWith(word.toLowerCase());

interface Word {
  /** As typed, quotes included. */
  raw: string;
  /** As the tokenizer reads it. */
  text: string;
}

/** Words of a partly typed line by the tokenizer's rules; the last may be an open quote, or '' after a space. */
function wordsOf(line: string): Word[] {
  const words: Word[] = [];
  let i = 0;
  for (;;) {
    while (i < line.length && /\s/.test(line[i])) i++;
    const start = i;
    let text = '';
    while (i < line.length && !/\s/.test(line[i])) {
      const q = line[i];
      if (q !== '"' && q !== "'") {
        text += line[i++];
        continue;
      }
      for (i++; i < line.length && line[i] !== q; i++) {
        if (q === '"' && line[i] === '\\' && (line[i + 1] === '"' || line[i + 1] === '\\')) i++;
        text += line[i];
      }
      i++;
    }
    words.push({ raw: line.slice(start, i), text });
    if (i >= line.length) return words;
  }
}

/** Quotes each path element that would not survive the tokenizer as is: /Radius/Advanced/"Attribute Dictionary"/. */
function quotePath(path: string): string {
  return path
    .split('/')
    .map((e) => (e === '' ? e : quoteArg(e)))
    .join('/');
}

function completePath(sh: ShellSession, word: string, withProps: boolean): string[] {
  const slash = word.lastIndexOf('/');
  const dir = slash >= 0 ? word.slice(0, slash + 1) : '';
  const leaf = slash >= 0 ? word.slice(slash + 1) : word;
  const r = resolvePath(sh.root, sh.cwd, dir || '.');
  if (r.kind !== 'object') return [];
  const children = childNames(r.node).filter(startsWithCI(leaf)).map((n) => dir + n + '/');
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

/** Completions of the last word of `line`, quoted as the tokenizer needs them, and that word as typed (which they replace). */
export function completeLine(sh: ShellSession, line: string): [string[], string] {
  const typed = wordsOf(line);
  const last = typed[typed.length - 1];
  const [candidates, kind] = candidatesFor(sh, typed.map((w) => w.text));
  return [kind === 'command' ? candidates : candidates.map(quotePath), last.raw];
}

function candidatesFor(sh: ShellSession, words: string[]): [string[], ArgKind] {
  const word = words[words.length - 1];
  if (words.length <= 1) return [commandTable().map((c) => c.name).filter(startsWithCI(word)).map((n) => n + ' '), 'command'];
  const cmd = commandTable().find((c) => c.name === words[0].toLowerCase()) ?? commandTable().find((c) => c.name.startsWith(words[0].toLowerCase()));
  const kinds: ArgKind[] = cmd?.args ?? ['object'];
  const kind = kinds[Math.min(words.length - 2, kinds.length - 1)];
  const inList = classDef(sh.current.$class).list !== undefined;
  switch (kind) {
    case 'command':
      return [commandTable().map((c) => c.name).filter(startsWithCI(word)), kind];
    case 'object':
    case 'child':
      return [completePath(sh, word, false), kind];
    case 'property':
      return [inList ? [] : completePath(sh, word, true), kind];
    case 'value':
      return [completeValue(sh, words, word), kind];
    default:
      return [[], kind];
  }
}
