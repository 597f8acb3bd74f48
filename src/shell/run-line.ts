// One command line: tokenize, find the command, enforce the session's rights, run it,
// and record it in the command log.
import type { ShellCommand } from './command.js';
import { findCommand } from './registry.js';
import { ShellError, type ShellSession } from './session.js';
import { tokenize, TokenizeError } from './tokenize.js';
import type { CommandLog } from './command-log.js';

const ALLOWED_LOGGED_OUT = new Set(['login', 'help', 'exit', 'quit']);

export async function runLine(sh: ShellSession, line: string, log?: CommandLog): Promise<void> {
  let words: string[];
  try {
    words = tokenize(line);
  } catch (e) {
    if (e instanceof TokenizeError) throw new ShellError(e.message);
    throw e;
  }
  if (words.length === 0 || words[0].startsWith('#')) return;
  const cmd: ShellCommand = findCommand(words[0]);
  if (words[1] === '?') return void (await findCommand('help').run(sh, [cmd.name]));
  if (!sh.admin && !ALLOWED_LOGGED_OUT.has(cmd.name)) throw new ShellError(`Not logged in; only ${[...ALLOWED_LOGGED_OUT].join(', ')} are accepted`);
  if (cmd.writes) sh.requireWrite(cmd.name);
  log?.record(sh, cmd, words.slice(1));
  await cmd.run(sh, words.slice(1));
}

