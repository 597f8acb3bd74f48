// aregcmd: the configuration shell. oclif parses the options; everything after them is
// one shell command line (one-shot mode), so shell options like `ls -R` reach the shell.
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { Command, Flags, Args } from '@oclif/core';
import { resolveHome } from '../home.js';
import { ConfigStore } from '../store/store.js';
import { registerShellSession } from '../agent/sessions.js';
import { SEED_ADMIN } from '../tree/seed.js';
import { CLUSTER } from '../tree/tree.js';
import { CommandLog } from '../shell/command-log.js';
import { checkLogin } from '../shell/login.js';
import { runBatch, runInteractive, runOneShot } from '../shell/modes.js';
import { Exit, ShellSession } from '../shell/session.js';
import { askLogin, consoleIO } from '../shell/terminal.js';
import { quoteArg } from '../shell/tokenize.js';
import { agentControl } from '../shell/agent-control.js';
import { listing } from '../shell/listing.js';
import { AREG_VERSION, PRODUCT_NAME } from '../version.js';
import { statusLine, engineState } from '../shell/engine-calls.js';

const LOGIN_TRIES = 3;

export default class Aregcmd extends Command {
  static override description = `Configuration shell of ${PRODUCT_NAME}: navigate, edit, validate and save the object tree, and control the engine.`;
  static override strict = false;
  static override usage = '[-N <admin>] [-P <password>] [-f <file>|-f -] [-s] [-v] [-q] [--json] [<command> [<arg>...]]';
  static override examples = [
    '<%= config.bin %>',
    '<%= config.bin %> -N admin -P aicuser ls /Radius/Clients',
    '<%= config.bin %> -f setup.areg',
    'echo "validate" | <%= config.bin %> -s',
  ];
  static override flags = {
    cluster: Flags.string({ char: 'C', description: 'cluster to log in to', default: CLUSTER }),
    name: Flags.string({ char: 'N', description: 'administrator name' }),
    password: Flags.string({ char: 'P', description: 'administrator password (visible in ps; prefer AREG_PASSWORD)' }),
    file: Flags.string({ char: 'f', description: 'run the commands of a file (- = standard input)' }),
    silent: Flags.boolean({ char: 's', description: 'no login dialogue: credentials from -N/-P, AREG_USER/AREG_PASSWORD, else the seed administrator' }),
    verbose: Flags.boolean({ char: 'v', description: 'in batch mode echo each command before its output' }),
    quiet: Flags.boolean({ char: 'q', description: 'no banner or status line; cd does not list' }),
    prompt: Flags.boolean({ char: 'p', description: 'prompt for missing arguments (interactive only)' }),
    'no-prompt': Flags.boolean({ char: 'n', description: 'never prompt' }),
    json: Flags.boolean({ description: 'JSON output for ls, status, validate and stats' }),
    continue: Flags.boolean({ description: 'in batch mode go on after a failed command' }),
    home: Flags.string({ description: 'data directory (default $AREG_HOME, else the install directory)' }),
  };
  static override args = { command: Args.string({ required: false, ignoreStdin: true, description: 'one-shot command and its arguments' }) };

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(Aregcmd);
    const words = (argv as string[]).map(String);
    process.exitCode = await main(flags, words);
  }
}

type ParsedFlags = { cluster: string; name?: string; password?: string; file?: string; silent: boolean; verbose: boolean; quiet: boolean; json: boolean; continue: boolean; home?: string };

async function main(flags: ParsedFlags, words: string[]): Promise<number> {
  const home = resolveHome(flags.home);
  const interactive = words.length === 0 && flags.file === undefined && process.stdin.isTTY === true;
  const io = consoleIO(interactive);
  let store: ConfigStore;
  try {
    store = await ConfigStore.open(home);
  } catch (e) {
    io.err(`ERROR: cannot open the configuration in ${home.root}: ${(e as Error).message}`);
    return Exit.failed;
  }
  const sh = new ShellSession(store, io, agentControl(home));
  sh.quiet = flags.quiet;
  sh.json = flags.json;
  await sh.loadSaved();

  if (interactive) {
    if (!flags.quiet) io.out(`${PRODUCT_NAME} Configuration Utility ${AREG_VERSION}`);
    if (!(await interactiveLogin(sh, flags))) return Exit.login;
  } else {
    const user = flags.name ?? process.env.AREG_USER ?? SEED_ADMIN.name;
    const pw = flags.password ?? process.env.AREG_PASSWORD ?? (user === SEED_ADMIN.name ? SEED_ADMIN.password : '');
    sh.admin = checkLogin(sh, flags.cluster, user, pw);
    if (!sh.admin) {
      io.err(`ERROR: Login failed for user '${user}'`);
      return Exit.login;
    }
  }

  const unregister = registerShellSession(home);
  const log = new CommandLog(path.join(home.logs, 'aregcmd_log'));
  try {
    if (words.length) return await runOneShot(sh, log, words.map(quoteArg).join(' '));
    if (interactive) {
      await greet(sh);
      return await runInteractive(sh, log, path.join(os.homedir(), '.aregcmd_history'));
    }
    const text = flags.file === undefined || flags.file === '-' ? fs.readFileSync(0, 'utf8') : readScript(flags.file, io);
    if (text === undefined) return Exit.usage;
    return await runBatch(sh, log, text.split(/\r?\n/), { verbose: flags.verbose, continueOnError: flags.continue });
  } finally {
    unregister();
  }
}

function readScript(file: string, io: { err(l: string): void }): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    io.err(`ERROR: cannot read ${file}: ${(e as Error).message}`);
    return undefined;
  }
}

async function interactiveLogin(sh: ShellSession, flags: ParsedFlags): Promise<boolean> {
  let cluster = flags.cluster;
  for (let i = 0; i < LOGIN_TRIES; i++) {
    const given = flags.silent || (flags.name && flags.password);
    const creds = given
      ? { cluster: flags.cluster, user: flags.name ?? process.env.AREG_USER ?? SEED_ADMIN.name, password: flags.password ?? process.env.AREG_PASSWORD ?? SEED_ADMIN.password }
      : await askLogin({ cluster, askCluster: i === 0 || cluster.toLowerCase() !== CLUSTER, user: flags.name });
    cluster = creds.cluster;
    sh.admin = checkLogin(sh, creds.cluster, creds.user, creds.password);
    if (sh.admin) return true;
    sh.io.err(`ERROR: Login failed for user '${creds.user}'`);
    if (given) return false;
  }
  return false;
}

async function greet(sh: ShellSession): Promise<void> {
  sh.io.out(`Logging in to ${CLUSTER}`);
  if (sh.quiet) return;
  for (const line of listing(sh, [], sh.root)) sh.io.out(line);
  sh.io.out('');
  try {
    sh.io.out(statusLine(engineState(await sh.control.send('status'))));
  } catch {
    sh.io.out('WARNING: Server Agent is not running');
  }
  sh.io.out('');
}
