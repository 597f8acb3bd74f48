// All shell commands, one module each under commands/, and their lookup by unique prefix.
import type { ShellCommand } from './command.js';
import { matchName } from '../tree/tree.js';
import { ShellError } from './session.js';
import add from '../../commands/add.js';
import cd from '../../commands/cd.js';
import del from '../../commands/delete.js';
import exit from '../../commands/exit.js';
import filter from '../../commands/filter.js';
import find from '../../commands/find.js';
import flush from '../../commands/flush.js';
import help from '../../commands/help.js';
import importDictionary from '../../commands/import-dictionary.js';
import insert from '../../commands/insert.js';
import login from '../../commands/login.js';
import logout from '../../commands/logout.js';
import ls from '../../commands/ls.js';
import next from '../../commands/next.js';
import prev from '../../commands/prev.js';
import pwd from '../../commands/pwd.js';
import quit from '../../commands/quit.js';
import save from '../../commands/save.js';
import set from '../../commands/set.js';
import unset from '../../commands/unset.js';
import validate from '../../commands/validate.js';
import diaStats from '../../commands/dia-stats.js';
import diaStatsReset from '../../commands/dia-stats-reset.js';
import radtest from '../../commands/radtest.js';
import reload from '../../commands/reload.js';
import resetStats from '../../commands/reset-stats.js';
import start from '../../commands/start.js';
import stats from '../../commands/stats.js';
import status from '../../commands/status.js';
import stop from '../../commands/stop.js';
import tacacsResetStats from '../../commands/tacacs-reset-stats.js';
import tacacsStats from '../../commands/tacacs-stats.js';
import trace from '../../commands/trace.js';
import traceFileCount from '../../commands/trace-file-count.js';

const COMMANDS: ShellCommand[] = [add, cd, del, exit, filter, find, flush, help, importDictionary, insert, login, logout, ls, next, prev, pwd, quit, save, set, unset, validate,
  diaStats, diaStatsReset, radtest, reload, resetStats, start, stats, status, stop, tacacsResetStats, tacacsStats, trace, traceFileCount]
  .sort((a, b) => a.name.localeCompare(b.name));
const NAMES = COMMANDS.map((c) => c.name);

export function commandTable(): readonly ShellCommand[] {
  return COMMANDS;
}

/** Exact name wins, else a unique prefix (`statu` is status, `st` is ambiguous). */
export function findCommand(word: string): ShellCommand {
  const m = matchName(NAMES, word, 'command');
  if (!m.ok) throw new ShellError(m.error.startsWith('No such') ? `Unknown command: ${word} (try help)` : m.error);
  return COMMANDS.find((c) => c.name === m.name)!;
}
