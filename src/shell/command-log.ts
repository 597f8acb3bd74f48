// logs/aregcmd_log: every command with timestamp, administrator and pid, secret values hidden.
import fs from 'node:fs';
import path from 'node:path';
import type { ShellCommand } from './command.js';
import type { ShellSession } from './session.js';
import { classDef } from '../schema/registry.js';
import { isSecret } from '../schema/types.js';
import { findTarget } from './targets.js';
import { quoteArg } from './tokenize.js';

const HIDDEN = '<hidden>';

function stamp(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getMonth() + 1)}/${p(d.getDate())}/${d.getFullYear()} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** Replaces the values that would land in a secret property. */
function masked(sh: ShellSession, cmd: ShellCommand, args: string[]): string[] {
  try {
    if (cmd.name === 'set' && args.length > 1) {
      const t = findTarget(sh, args[0]);
      if (t.kind === 'property' && isSecret(t.prop.type)) return [args[0], ...args.slice(1).map(() => HIDDEN)];
    }
    if (cmd.name === 'add' && args.length > 1) {
      // As add does: `add /path/to/name ...` creates in /path/to, not in the current object.
      const name = args[0].replace(/\/+$/, '');
      const slash = name.lastIndexOf('/');
      const container = slash >= 0 ? sh.resolveObject(name.slice(0, slash) || '/').node : sh.current;
      const coll = classDef(container.$class).collection;
      if (coll) {
        const cls = classDef(coll.cls);
        const order = cls.positional ?? [];
        const all = [...cls.props, ...Object.values(cls.variants ?? {}).flatMap((v) => v.props ?? [])];
        return args.map((a, i) => (i > 0 && all.some((p) => p.name === order[i - 1] && isSecret(p.type)) ? HIDDEN : a));
      }
    }
    if (cmd.name === 'login') return args.slice(0, 2);
  } catch {
    // The command will report the bad target itself; its values might still be secrets.
    if (cmd.name === 'set' || cmd.name === 'add') return [args[0], ...args.slice(1).map(() => HIDDEN)];
  }
  return args;
}

export class CommandLog {
  constructor(private readonly file: string) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
  }

  record(sh: ShellSession, cmd: ShellCommand, args: string[]): void {
    const line = `${stamp(new Date())} ${sh.admin?.name ?? '-'} ${process.pid} ${[cmd.name, ...masked(sh, cmd, args).map(quoteArg)].join(' ')}\n`;
    try {
      fs.appendFileSync(this.file, line, { mode: 0o600 });
    } catch {
      // The command log is an audit aid; a full disk must not stop administration.
    }
  }
}
