// Supervises the engine child: fork with an IPC channel, run/engine.pid, requests with timeouts, restart
// after an unexpected exit with back-off (1, 2, 4 … 60 s; back to 1 s after a run that lasted stableMs),
// orderly stop (the engine drains up to 5 s) with SIGKILL as the last resort.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import fs from 'node:fs';
import readline from 'node:readline';
import type { AregHome } from '../home.js';
import type { Log } from '../log/logger.js';
import { ENGINE_EXIT, isEngineMessage, type EngineMessage } from '../engine/process/ipc.js';
import type { EndpointStatus } from '../engine/process/listeners.js';
import { removePidFile, writePidFile } from './pidfile.js';
import type { AgentErrorCode, EngineState, ExitInfo } from './protocol.js';

export class AgentError extends Error {
  constructor(
    readonly code: AgentErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export const ENGINE_NOT_RUNNING = "Server 'Radius' is not running";

export interface SupervisorOptions {
  home: AregHome;
  log: Log;
  /** Engine entry module; default: engine/process/main.(js|ts) next to this file. */
  enginePath?: string;
  /** Node options of the child; default: those needed to run .ts sources under tsx when enginePath is .ts. */
  execArgv?: string[];
  env?: NodeJS.ProcessEnv;
  backoffInitialMs?: number;
  backoffMaxMs?: number;
  /** A run at least this long resets the back-off (default 2 min). */
  stableMs?: number;
  /** How long start() waits for the engine's `started` event (default 30 s). */
  startTimeoutMs?: number;
  /** How long stop() waits for the engine to exit before SIGKILL (default 12 s: 5 s drain + margin). */
  stopTimeoutMs?: number;
  /** Default timeout of request() (default 15 s). */
  requestTimeoutMs?: number;
}

export type StartOutcome = { ok: true; pid: number; revision: number } | { ok: false; reason: string };

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

function defaultEnginePath(): string {
  const here = fileURLToPath(import.meta.url);
  const ext = here.endsWith('.ts') ? '.ts' : '.js';
  return fileURLToPath(new URL(`../engine/process/main${ext}`, import.meta.url));
}

export function describeExit(code: number | null, signal: string | null, configError?: string): string {
  if (signal) return `killed by signal ${signal}`;
  if (code === ENGINE_EXIT.configInvalid) return `configuration invalid${configError ? `: ${configError}` : ''}`;
  if (code === ENGINE_EXIT.crash) return `exited with code ${code} (internal error)`;
  return `exited with code ${code}`;
}

export class EngineSupervisor {
  private readonly o: Required<Omit<SupervisorOptions, 'env' | 'execArgv'>> & Pick<SupervisorOptions, 'env' | 'execArgv'>;
  private child: ChildProcess | undefined;
  private _state: EngineState = 'stopped';
  private wanted = false;
  private spawnedAt = 0;
  private startedAt: number | null = null;
  private revision: number | null = null;
  private savedAt: string | null = null;
  private endpoints: EndpointStatus[] = [];
  private delayMs: number;
  private timer: NodeJS.Timeout | undefined;
  private nextRestartAt: number | null = null;
  private lastConfigError: string | undefined;
  private lastError: string | null = null;
  private startWaiters: ((r: StartOutcome) => void)[] = [];
  private exitWaiters: (() => void)[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  restarts = 0;
  lastExit: ExitInfo | null = null;

  constructor(opts: SupervisorOptions) {
    this.o = {
      enginePath: defaultEnginePath(),
      backoffInitialMs: 1000,
      backoffMaxMs: 60_000,
      stableMs: 120_000,
      startTimeoutMs: 30_000,
      stopTimeoutMs: 12_000,
      requestTimeoutMs: 15_000,
      ...opts,
    };
    this.delayMs = this.o.backoffInitialMs;
  }

  get state(): EngineState {
    return this._state;
  }

  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  info(): {
    state: EngineState;
    pid: number | null;
    startedAt: string | null;
    revision: number | null;
    savedAt: string | null;
    endpoints: EndpointStatus[];
    restarts: number;
    lastExit: ExitInfo | null;
    nextRestartAt: string | null;
    lastError: string | null;
  } {
    return {
      state: this._state,
      pid: this._state === 'waiting' || this._state === 'stopped' ? null : this.pid,
      startedAt: this.startedAt === null ? null : new Date(this.startedAt).toISOString(),
      revision: this.revision,
      savedAt: this.savedAt,
      endpoints: this.endpoints,
      restarts: this.restarts,
      lastExit: this.lastExit,
      nextRestartAt: this.nextRestartAt === null ? null : new Date(this.nextRestartAt).toISOString(),
      lastError: this.lastError,
    };
  }

  /** Wants the engine running: forks it (at once, cancelling a pending back-off) unless it already runs.
   * Resolves when it reports `started`, or with the reason it failed. */
  start(): Promise<StartOutcome> {
    this.wanted = true;
    if (this._state === 'running' && this.child?.pid) {
      return Promise.resolve({ ok: true, pid: this.child.pid, revision: this.revision ?? 0 });
    }
    const outcome = new Promise<StartOutcome>((resolve) => {
      const t = setTimeout(() => {
        this.startWaiters = this.startWaiters.filter((w) => w !== done);
        resolve({ ok: false, reason: `the RADIUS server did not report started within ${this.o.startTimeoutMs / 1000} s` });
      }, this.o.startTimeoutMs);
      const done = (r: StartOutcome): void => {
        clearTimeout(t);
        resolve(r);
      };
      this.startWaiters.push(done);
    });
    if (this._state === 'stopped' || this._state === 'waiting') this.spawn();
    return outcome;
  }

  /** Stops the engine and keeps it stopped: it drains (≤ 5 s), flushes its logs and exits; after
   * stopTimeoutMs it is killed. */
  async stop(): Promise<void> {
    this.wanted = false;
    this.cancelRestart();
    const child = this.child;
    if (!child || this._state === 'stopped') {
      this._state = 'stopped';
      return;
    }
    this._state = 'stopping';
    const exited = new Promise<void>((resolve) => this.exitWaiters.push(resolve));
    if (child.connected) {
      child.send({ type: 'request', id: this.nextId++, verb: 'stop' }, (err) => {
        if (err) child.kill('SIGTERM');
      });
    } else {
      child.kill('SIGTERM');
    }
    const killer = setTimeout(() => {
      this.o.log.error('Server', `RADIUS server (pid ${child.pid}) did not stop within ${this.o.stopTimeoutMs / 1000} s; killing it`);
      child.kill('SIGKILL');
    }, this.o.stopTimeoutMs);
    await exited;
    clearTimeout(killer);
  }

  /** Sends a verb to the engine and awaits its answer. */
  request(verb: string, args: Record<string, unknown> = {}, timeoutMs = this.o.requestTimeoutMs): Promise<unknown> {
    const child = this.child;
    if (!child || this._state !== 'running' || !child.connected) {
      return Promise.reject(new AgentError('ENGINE_STOPPED', ENGINE_NOT_RUNNING));
    }
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new AgentError('TIMEOUT', `the RADIUS server did not answer '${verb}' within ${timeoutMs / 1000} s`));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      child.send({ type: 'request', id, verb, args }, (err) => {
        if (!err) return;
        clearTimeout(timer);
        this.pending.delete(id);
        reject(new AgentError('ENGINE_STOPPED', ENGINE_NOT_RUNNING));
      });
    });
  }

  private spawn(): void {
    this.cancelRestart();
    const { home, log } = this.o;
    const execArgv = this.o.execArgv ?? (this.o.enginePath.endsWith('.ts') ? ['--import', 'tsx'] : []);
    log.info('Server', 'Starting RADIUS server');
    this._state = 'starting';
    this.spawnedAt = Date.now();
    this.startedAt = null;
    this.lastConfigError = undefined;
    let child: ChildProcess;
    try {
      child = fork(this.o.enginePath, [], {
        env: { ...(this.o.env ?? process.env), AREG_HOME: home.root },
        execArgv,
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
        serialization: 'json',
      });
    } catch (e) {
      this.onExit(undefined, null, null, e as Error);
      return;
    }
    this.child = child;
    child.once('spawn', () => {
      if (child.pid) {
        try {
          fs.mkdirSync(home.run, { recursive: true });
          writePidFile(home.enginePid, child.pid);
        } catch (e) {
          log.error('System', `Cannot write ${home.enginePid}: ${(e as Error).message}`);
        }
      }
    });
    if (child.stderr) {
      readline.createInterface({ input: child.stderr }).on('line', (line) => {
        if (line.trim()) log.warning('System', `RADIUS server stderr: ${line}`);
      });
    }
    child.on('message', (m: unknown) => {
      if (isEngineMessage(m)) this.onMessage(m);
    });
    child.once('error', (err) => {
      // A fork that failed to spawn emits 'error' and then (usually) no 'exit'.
      if (child.pid === undefined) this.onExit(child, null, null, err);
      else log.error('System', `RADIUS server process error: ${err.message}`);
    });
    child.once('exit', (code, signal) => this.onExit(child, code, signal));
  }

  private onMessage(m: EngineMessage): void {
    if (m.type === 'reply') {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      clearTimeout(p.timer);
      if (m.ok) p.resolve(m.result);
      else p.reject(new AgentError('ENGINE_ERROR', m.error));
      return;
    }
    switch (m.event) {
      case 'started': {
        this._state = this.wanted ? 'running' : this._state;
        this.startedAt = Date.now();
        this.revision = m.revision;
        this.savedAt = m.savedAt;
        this.endpoints = m.endpoints;
        this.lastError = null;
        this.o.log.info('Server', `RADIUS server started (pid ${m.pid}, configuration revision ${m.revision})`);
        const waiters = this.startWaiters;
        this.startWaiters = [];
        for (const w of waiters) w({ ok: true, pid: m.pid, revision: m.revision });
        break;
      }
      case 'config-error':
        this.lastConfigError = m.message;
        this.lastError = `configuration invalid: ${m.message}`;
        break;
      case 'stopping':
        if (this._state === 'running') this._state = 'stopping';
        break;
    }
  }

  private onExit(child: ChildProcess | undefined, code: number | null, signal: NodeJS.Signals | null, spawnError?: Error): void {
    if (child && this.child !== child) return;
    const pid = child?.pid ?? 0;
    this.child = undefined;
    if (pid) removePidFile(this.o.home.enginePid, pid);
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new AgentError('ENGINE_STOPPED', `${ENGINE_NOT_RUNNING} (it exited while answering)`));
      this.pending.delete(id);
    }
    const expected = !this.wanted;
    const reason = spawnError ? `failed to start: ${spawnError.message}` : describeExit(code, signal, this.lastConfigError);
    this.lastExit = { pid, code, signal, reason, at: new Date().toISOString(), expected };
    const wasStarting = this.startedAt === null;
    this.startedAt = null;
    this.endpoints = [];
    if (wasStarting) {
      this.lastError ??= reason;
      const waiters = this.startWaiters;
      this.startWaiters = [];
      for (const w of waiters) w({ ok: false, reason: this.lastError });
    }
    const exitWaiters = this.exitWaiters;
    this.exitWaiters = [];
    for (const w of exitWaiters) w();

    if (expected) {
      this._state = 'stopped';
      this.o.log.info('Server', `RADIUS server stopped (pid ${pid}, ${reason})`);
      return;
    }
    // Unexpected: restart after the back-off delay.
    if (Date.now() - this.spawnedAt >= this.o.stableMs) this.delayMs = this.o.backoffInitialMs;
    const delay = this.delayMs;
    this.delayMs = Math.min(this.delayMs * 2, this.o.backoffMaxMs);
    this.restarts++;
    this._state = 'waiting';
    this.nextRestartAt = Date.now() + delay;
    this.o.log.error(
      'Server',
      `RADIUS server (pid ${pid}) ${wasStarting && code === ENGINE_EXIT.configInvalid ? 'could not start' : 'exited unexpectedly'}: ${reason}; restarting in ${delay / 1000} s (restart ${this.restarts})`,
    );
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.nextRestartAt = null;
      if (this.wanted) this.spawn();
    }, delay);
  }

  private cancelRestart(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.nextRestartAt = null;
  }
}
