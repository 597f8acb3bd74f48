// The three ways aregcmd runs commands (aregcmd.md §2.2): interactive, batch, one-shot.
import { completeLine } from './complete.js';
import type { CommandLog } from './command-log.js';
import { runLine } from './run-line.js';
import { Exit, ShellError, type ShellSession } from './session.js';
import { History, LineReader } from './terminal.js';
import findExit from '../../commands/exit.js';

function report(sh: ShellSession, e: unknown, where = ''): number {
  if (e instanceof ShellError) {
    if (e.message) sh.io.err(`ERROR: ${where}${e.message}`);
    return e.status;
  }
  sh.io.err(`ERROR: ${where}internal error: ${(e as Error).stack ?? String(e)}`);
  return Exit.failed;
}

export async function runInteractive(sh: ShellSession, log: CommandLog, historyFile: string): Promise<number> {
  const history = new History(historyFile);
  const reader = new LineReader(history, (l) => completeLine(sh, l));
  while (!sh.ended) {
    const line = await reader.read('--> ');
    try {
      if (line === null) await findExit.run(sh, []);
      else await runLine(sh, line, log);
    } catch (e) {
      report(sh, e);
    }
  }
  reader.close();
  history.save();
  return Exit.ok;
}

export interface BatchOptions {
  verbose: boolean;
  continueOnError: boolean;
}

/** Runs script lines; stops at the first error naming its line unless continueOnError. */
export async function runBatch(sh: ShellSession, log: CommandLog, lines: string[], opts: BatchOptions): Promise<number> {
  let status: number = Exit.ok;
  for (let i = 0; i < lines.length && !sh.ended; i++) {
    const line = lines[i].trim();
    if (line === '' || line.startsWith('#')) continue;
    if (opts.verbose) sh.io.out(`--> ${line}`);
    try {
      await runLine(sh, line, log);
    } catch (e) {
      status = report(sh, e, `line ${i + 1}: `);
      if (!opts.continueOnError) return status;
    }
  }
  return unsavedAtEnd(sh, status);
}

export async function runOneShot(sh: ShellSession, log: CommandLog, line: string): Promise<number> {
  try {
    await runLine(sh, line, log);
  } catch (e) {
    return report(sh, e);
  }
  return unsavedAtEnd(sh, Exit.ok);
}

function unsavedAtEnd(sh: ShellSession, status: number): number {
  if (!sh.dirty) return status;
  sh.io.err('WARNING: unsaved changes were discarded (end the commands with save)');
  return status === Exit.ok ? Exit.unsaved : status;
}
