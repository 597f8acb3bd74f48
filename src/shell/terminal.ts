// Terminal I/O of the shell. Per dependencies.md §5a inquirer prompts run only while no
// readline interface exists: otherwise both read the same keystrokes.
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
    ask: (question) => {
      activeReader?.close();
      return input({ message: question.trim(), theme: plainTheme });
    },
    askSecret: (question) => {
      activeReader?.close();
      return password({ message: question.trim(), theme: plainTheme });
    },
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

/**
 * Reads command lines with completion and history. One readline interface stays open from
 * line to line, so that lines typed or pasted ahead while a command runs are kept, in order;
 * it is closed whenever an inquirer prompt reads the terminal (close() from ShellIO.ask),
 * since both must never read the same keystrokes, and opened again for the next line.
 */
export class LineReader {
  private rl: readline.Interface | undefined;
  private readonly queue: string[] = [];
  private waiting: ((line: string | null) => void) | undefined;
  private eof = false;

  constructor(private readonly history: History, private readonly completer: (line: string) => [string[], string]) {
    activeReader = this;
  }

  /** The next line; null at end of input (Ctrl-D). */
  read(prompt: string): Promise<string | null> {
    const queued = this.queue.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    if (this.eof) return Promise.resolve(null);
    const rl = this.open();
    rl.setPrompt(prompt);
    rl.prompt();
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  /** Closes the interface (lines already read stay queued); the next read() opens a new one. */
  close(): void {
    const rl = this.rl;
    this.rl = undefined;
    rl?.close();
  }

  private open(): readline.Interface {
    if (this.rl) return this.rl;
    const rl = readline.createInterface({
      input: process.stdin,
      output: process.stdout,
      terminal: true,
      completer: this.completer,
      history: this.history.lines,
      historySize: HISTORY_SIZE,
      removeHistoryDuplicates: true,
    });
    rl.on('history', (h: string[]) => {
      this.history.lines = h;
    });
    rl.on('line', (line) => this.deliver(line));
    rl.on('SIGINT', () => {
      process.stdout.write('^C\n');
      this.close(); // drops the half-typed line
      this.deliver('');
    });
    rl.on('close', () => {
      if (this.rl !== rl) return; // closed by close(), not by end of input
      this.rl = undefined;
      this.eof = true;
      process.stdout.write('\n');
      this.deliver(null);
    });
    this.rl = rl;
    return rl;
  }

  private deliver(line: string | null): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    if (waiting) waiting(line);
    else if (line !== null) this.queue.push(line);
  }
}

let activeReader: LineReader | undefined;
