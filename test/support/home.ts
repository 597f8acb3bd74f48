// A fresh temporary AREG_HOME (and HOME, for ~/.aregcmd_history) per test, removed after
// it, and runAregcmd(): bin/aregcmd as a script runs it, stdin not a terminal.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureBuilt, repoRoot } from './build.js';

export const AREGCMD = path.join(repoRoot, 'bin', 'aregcmd');
const RUN_TIMEOUT_MS = 15_000;

export interface TempHome {
  /** AREG_HOME: data/db/store.json, logs/, run/ ... */
  readonly root: string;
  /** HOME of the administrator running aregcmd (history file). */
  readonly userHome: string;
  readonly store: string;
  readonly commandLog: string;
  /** Environment for a child: AREG_HOME and HOME set, no inherited credentials, no colour. */
  env(extra?: Record<string, string | undefined>): Record<string, string | undefined>;
  /** runAregcmd() with this home's environment (plus opts.env). */
  run(args: string[], opts?: RunOptions): Promise<RunResult>;
  remove(): void;
}

export function makeTempHome(): TempHome {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'areg-shell-'));
  const root = path.join(dir, 'areg');
  const userHome = path.join(dir, 'home');
  fs.mkdirSync(root);
  fs.mkdirSync(userHome);
  return {
    root,
    userHome,
    store: path.join(root, 'data', 'db', 'store.json'),
    commandLog: path.join(root, 'logs', 'aregcmd_log'),
    env(extra = {}) {
      const env: Record<string, string | undefined> = { ...process.env, AREG_HOME: root, HOME: userHome, NO_COLOR: '1', TERM: 'xterm' };
      delete env.AREG_USER;
      delete env.AREG_PASSWORD;
      // node-pty would pass an undefined value on as the text "undefined".
      return Object.fromEntries(Object.entries({ ...env, ...extra }).filter(([, v]) => v !== undefined));
    },
    run(args, opts = {}) {
      return runAregcmd(args, { ...opts, env: this.env(opts.env) });
    },
    remove() {
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A new temporary home before each test of the calling describe block, removed after it.
 * The returned object always refers to the current test's home.
 */
export function useTempHome(): TempHome {
  let current: TempHome | undefined;
  beforeEach(() => {
    current = makeTempHome();
  });
  afterEach(() => {
    current?.remove();
    current = undefined;
  });
  const get = (): TempHome => {
    if (!current) throw new Error('useTempHome(): no test is running');
    return current;
  };
  return {
    get root() {
      return get().root;
    },
    get userHome() {
      return get().userHome;
    },
    get store() {
      return get().store;
    },
    get commandLog() {
      return get().commandLog;
    },
    env: (extra) => get().env(extra),
    run: (args, opts) => get().run(args, opts),
    remove: () => get().remove(),
  };
}

/** A describe block of shell tests: bin/aregcmd built first, a fresh home for each test. */
export function useAregcmd(): TempHome {
  before(async function () {
    this.timeout(200_000);
    await ensureBuilt();
  });
  return useTempHome();
}

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Written to stdin, which is then closed; stdin is a pipe (not a TTY) either way. */
  input?: string;
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
}

/** Runs bin/aregcmd with `args`; the child is killed if it outlives the timeout. */
export function runAregcmd(args: string[], opts: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [AREGCMD, ...args], { cwd: repoRoot, env: opts.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timeoutMs = opts.timeoutMs ?? RUN_TIMEOUT_MS;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`aregcmd ${args.join(' ')} did not finish within ${timeoutMs} ms\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
    child.stdin.on('error', () => {
      // aregcmd may exit without reading its input (one-shot mode).
    });
    child.stdin.end(opts.input ?? '');
  });
}
