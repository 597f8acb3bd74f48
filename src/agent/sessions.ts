// Registry of open aregcmd sessions: one file `run/sessions/<pid>` per session holding its command line.
// `arserver stop` refuses while live sessions exist (aregcmd.md §12); entries of dead pids are ignored and
// removed.
import fs from 'node:fs';
import path from 'node:path';
import type { AregHome } from '../home.js';
import { isAlive } from './pidfile.js';

export interface ShellSession {
  pid: number;
  /** e.g. `aregcmd -s`. */
  commandLine: string;
  /** ISO time the session registered. */
  since: string;
}

/** `aregcmd -s …` from this process's argv (the script's base name, then its arguments). */
export function currentCommandLine(argv: readonly string[] = process.argv): string {
  const script = argv[1] ? path.basename(argv[1]).replace(/\.(c|m)?js$/, '') : 'aregcmd';
  return [script, ...argv.slice(2)].join(' ');
}

/** Registers a shell session; returns the function that unregisters it. The entry is also removed when the
 * process exits normally. */
export function registerShellSession(
  home: AregHome,
  opts: { pid?: number; commandLine?: string } = {},
): () => void {
  const pid = opts.pid ?? process.pid;
  fs.mkdirSync(home.sessions, { recursive: true });
  fs.writeFileSync(path.join(home.sessions, String(pid)), `${opts.commandLine ?? currentCommandLine()}\n`);
  const unregister = (): void => {
    process.removeListener('exit', unregister);
    unregisterShellSession(home, pid);
  };
  if (pid === process.pid) process.on('exit', unregister);
  return unregister;
}

export function unregisterShellSession(home: AregHome, pid: number = process.pid): void {
  fs.rmSync(path.join(home.sessions, String(pid)), { force: true });
}

/** Live sessions, oldest first. Entries whose process is gone are removed. */
export function listShellSessions(home: AregHome): ShellSession[] {
  let names: string[];
  try {
    names = fs.readdirSync(home.sessions);
  } catch {
    return [];
  }
  const out: ShellSession[] = [];
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    const file = path.join(home.sessions, name);
    const pid = Number(name);
    if (!isAlive(pid)) {
      fs.rmSync(file, { force: true });
      continue;
    }
    try {
      const st = fs.statSync(file);
      out.push({ pid, commandLine: fs.readFileSync(file, 'utf8').trim(), since: st.mtime.toISOString() });
    } catch {
      // removed meanwhile
    }
  }
  return out.sort((a, b) => a.since.localeCompare(b.since) || a.pid - b.pid);
}
