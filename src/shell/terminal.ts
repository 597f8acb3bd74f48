// Terminal I/O of the shell. Per dependencies.md §5a a readline interface exists only
// while one command line is read, and inquirer prompts run only while none exists:
// otherwise both read the same keystrokes.
import readline from 'node:readline';
import fs from 'node:fs';
import { Chalk } from 'chalk';
import { input, password } from '@inquirer/prompts';
import type { ShellIO } from './session.js';

const HISTORY_SIZE = 500;
const plainTheme = { prefix: '' };

function colourFor(stream: NodeJS.WriteStream) {
  return new Chalk({ level: stream.isTTY && !process.env.NO_COLOR ? 1 : 0 });
}

/** Plain line output; ERROR and WARNING lines are coloured on a terminal. */
export function consoleIO(interactive: boolean): ShellIO {
  const errColour = colourFor(process.stderr);
  return {
    interactive,
    out: (line) => void process.stdout.write(line + '\n'),
    err: (line) => {
      const text = line.startsWith('ERROR:') ? errColour.red(line) : line.startsWith('WARNING:') ? errColour.yellow(line) : line;
      process.stderr.write(text + '\n');
    },
    ask: (question) => input({ message: question.trim(), theme: plainTheme }),
  };
}

/** The login dialogue; the cluster is asked only when `askCluster` (a retry asks from User: on). */
export function askLogin(defaults: { cluster: string; askCluster: boolean; user?: string }): Promise<{ cluster: string; user: string; password: string }> {
  return (async () => {
    const cluster = defaults.askCluster ? await input({ message: 'Cluster:', default: defaults.cluster, theme: plainTheme }) : defaults.cluster;
    const user = defaults.user ?? (await input({ message: 'User:', theme: plainTheme }));
    const pw = await password({ message: 'Passphrase:', theme: plainTheme });
    return { cluster, user, password: pw };
  })();
}

export class History {
  lines: string[];

  constructor(private readonly file: string) {
    try {
      this.lines = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).reverse().slice(0, HISTORY_SIZE);
    } catch {
      this.lines = [];
    }
  }

  save(): void {
    try {
      fs.writeFileSync(this.file, [...this.lines].reverse().join('\n') + '\n', { mode: 0o600 });
    } catch {
      // History is a convenience; an unwritable home directory must not end the session badly.
    }
  }
}

/** Reads one command line with completion and history; null at end of input (Ctrl-D). */
export function readCommandLine(prompt: string, history: History, completer: (line: string) => [string[], string]): Promise<string | null> {
  return new Promise((resolve) => {
    const rl = readline.createInterface({
      input: process.stdin,
      output: process.stdout,
      terminal: true,
      completer,
      history: history.lines,
      historySize: HISTORY_SIZE,
      removeHistoryDuplicates: true,
    });
    let answered = false;
    rl.on('history', (h: string[]) => {
      history.lines = h;
    });
    rl.on('SIGINT', () => {
      answered = true;
      process.stdout.write('^C\n');
      rl.close();
      resolve('');
    });
    rl.on('close', () => {
      if (!answered) {
        process.stdout.write('\n');
        resolve(null);
      }
    });
    rl.question(prompt, (line) => {
      answered = true;
      rl.close();
      resolve(line);
    });
  });
}
