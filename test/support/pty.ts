// A small driver for bin/aregcmd in a pseudo-terminal, the way a person uses it: wait
// for text on the screen, type, press keys. Screen text is kept with ANSI escapes
// stripped; every terminal spawned is killed when the test ends (usePty()).
import * as pty from 'node-pty';
import { repoRoot } from './build.js';
import { AREGCMD } from './home.js';

const DEFAULT_TIMEOUT_MS = 8000;

export const KEY = {
  enter: '\r',
  tab: '\t',
  up: '\x1b[A',
  down: '\x1b[B',
  ctrlC: '\x03',
  ctrlD: '\x04',
  ctrlU: '\x15',
} as const;

// CSI and OSC sequences, single-character escapes, and the carriage returns readline redraws with.
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]|\r/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

export interface PtyOptions {
  env: Record<string, string | undefined>;
  cols?: number;
  rows?: number;
  cwd?: string;
}

const live = new Set<PtySession>();

export class PtySession {
  private readonly term: pty.IPty;
  private raw = '';
  /** Screen text (escapes stripped) consumed by earlier expect() calls. */
  private mark = 0;
  readonly exited: Promise<{ exitCode: number; signal?: number }>;
  private done = false;

  constructor(args: string[], opts: PtyOptions) {
    this.term = pty.spawn(process.execPath, [AREGCMD, ...args], {
      name: 'xterm',
      cols: opts.cols ?? 200,
      rows: opts.rows ?? 50,
      cwd: opts.cwd ?? repoRoot,
      env: opts.env,
    });
    this.term.onData((d) => {
      this.raw += d;
    });
    this.exited = new Promise((resolve) => {
      this.term.onExit((e) => {
        this.done = true;
        live.delete(this);
        resolve(e);
      });
    });
    live.add(this);
  }

  /** Everything shown so far, escapes stripped. */
  get screen(): string {
    return stripAnsi(this.raw);
  }

  /** Screen text not yet consumed by expect(). */
  get unread(): string {
    return this.screen.slice(this.mark);
  }

  /** Waits until `re` matches the unread screen text; consumes up to the end of the match. */
  expect(re: RegExp, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<RegExpExecArray> {
    return new Promise((resolve, reject) => {
      let settled = false;
      const check = (): boolean => {
        if (settled) return true;
        const m = re.exec(this.unread);
        if (!m) return false;
        settled = true;
        this.mark += m.index + m[0].length;
        finish();
        resolve(m);
        return true;
      };
      const fail = (why: string) => {
        if (settled) return;
        settled = true;
        finish();
        reject(new Error(`${why}; unread screen text:\n${this.unread}`));
      };
      // onData listeners run in registration order: the constructor's has appended already.
      const sub = this.term.onData(() => void check());
      const timer = setTimeout(() => fail(`timed out after ${timeoutMs} ms waiting for ${re}`), timeoutMs);
      const finish = () => {
        clearTimeout(timer);
        sub.dispose();
      };
      void this.exited.then(() => check() || fail(`aregcmd exited before ${re} appeared`));
      check();
    });
  }

  /** Types text as keystrokes (no Enter). */
  type(text: string): void {
    this.term.write(text);
  }

  /** Types a line and presses Enter. */
  line(text: string): void {
    this.term.write(text + KEY.enter);
  }

  press(key: string): void {
    this.term.write(key);
  }

  /** Waits for the process to end and gives its exit status. */
  async waitExit(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<number> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`aregcmd did not exit within ${timeoutMs} ms; screen:\n${this.screen}`)), timeoutMs);
    });
    try {
      return (await Promise.race([this.exited, timeout])).exitCode;
    } finally {
      clearTimeout(timer);
    }
  }

  kill(): void {
    if (this.done) return;
    try {
      this.term.kill('SIGKILL');
    } catch {
      // already gone
    }
    live.delete(this);
  }
}

export function spawnAregcmd(args: string[], opts: PtyOptions): PtySession {
  return new PtySession(args, opts);
}

/** Kills every terminal still open; usePty() runs it after each test. */
export function killAllPtys(): void {
  for (const s of [...live]) s.kill();
}

// A run that ends early (an error outside any test) must not leave terminals behind either.
process.on('exit', killAllPtys);

/** Registers the after-each kill in the calling describe block. */
export function usePty(): void {
  afterEach(killAllPtys);
}
