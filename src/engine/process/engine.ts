// The AAA engine's lifecycle: load the saved configuration, open logs, start the protocol listeners,
// answer control verbs (status, stats, reload, trace, stop …), drain and stop. Everything here runs in the
// engine child process (main.ts wires it to the IPC channel); the class itself has no process-level side
// effects so that it can be tested in-process with an injected loader and listener registry.
import type { AregHome } from '../../home.js';
import { Logger, openLogger, LOG_FILES, nullLog, type Log } from '../../log/logger.js';
import { RotatingFileWriter } from '../../log/rotating-writer.js';
import { Tracer } from '../../log/tracer.js';
import { formatTimestamp } from '../../log/timestamp.js';
import { CounterRegistry } from '../../counters/registry.js';
import { SECTIONS } from '../../counters/names.js';
import { configProblems, describeLoadError, type ConfigProblem, type LoadedConfig, type LoadedConfigView } from './config.js';
import { computeHealth, HealthSources } from './health.js';
import {
  describeEndpoint,
  isIPv6,
  listenerRegistry,
  plannedEndpoints,
  type EndpointStatus,
  type Listener,
  type ListenerRegistry,
} from './listeners.js';
import { InFlight, type EngineContext, type ReloadApplied, type ReloadPrepare, type VerbHandler } from './context.js';
import type { EngineStatus } from './ipc.js';
import path from 'node:path';

export const DEFAULT_DRAIN_MS = 5000;

export interface EngineOptions<L extends LoadedConfigView = LoadedConfig> {
  home: AregHome;
  /** Normally loadSavedConfig of src/config/load.ts; tests inject their own. */
  loader: (home: AregHome) => Promise<L>;
  registry?: ListenerRegistry;
  /** In-flight drain budget at stop (default 5 s). */
  drainMs?: number;
  /** Also hand every log line to this function. */
  logTee?: (line: string) => void;
  pid?: number;
}

export type StartResult =
  | { ok: true; revision: number; savedAt: string; endpoints: EndpointStatus[] }
  | { ok: false; message: string; problems: ConfigProblem[] };

interface Running {
  endpoint: EndpointStatus;
  listener: Listener | undefined;
}

export class Engine<L extends LoadedConfigView = LoadedConfig> implements EngineContext<L> {
  readonly home: AregHome;
  readonly tracer = new Tracer();
  readonly counters = new CounterRegistry();
  readonly health = new HealthSources();
  readonly inFlight = new InFlight();
  private logger: Logger | undefined;
  private traceWriter: RotatingFileWriter | undefined;
  private loaded: L | undefined;
  private readonly loader: (home: AregHome) => Promise<L>;
  private readonly registry: ListenerRegistry;
  private readonly drainMs: number;
  private readonly logTee: ((line: string) => void) | undefined;
  private readonly pid: number;
  private running: Running[] = [];
  private readonly prepareHooks: ReloadPrepare<L>[] = [];
  private readonly appliedHooks: ReloadApplied<L>[] = [];
  private readonly stopHooks: (() => void | Promise<void>)[] = [];
  private readonly verbs = new Map<string, VerbHandler>();
  private startedAt = 0;
  private state: 'new' | 'running' | 'stopping' | 'stopped' = 'new';
  private reloadChain: Promise<unknown> = Promise.resolve();
  private reloads = { count: 0, lastError: null as string | null, lastAt: null as string | null };
  private stopping: Promise<void> | undefined;

  constructor(opts: EngineOptions<L>) {
    this.home = opts.home;
    this.loader = opts.loader;
    this.registry = opts.registry ?? listenerRegistry;
    this.drainMs = opts.drainMs ?? DEFAULT_DRAIN_MS;
    this.logTee = opts.logTee;
    this.pid = opts.pid ?? process.pid;
    this.counters.globalGauge('serverState', () => (this.state === 'running' ? 'Running' : 'Stopped'));
  }

  // ---- EngineContext ----

  get current(): L {
    if (!this.loaded) throw new Error('engine has no configuration loaded');
    return this.loaded;
  }

  get log(): Log {
    return this.logger ?? nullLog;
  }

  onReload(hooks: { prepare?: ReloadPrepare<L>; applied?: ReloadApplied<L> }): void {
    if (hooks.prepare) this.prepareHooks.push(hooks.prepare);
    if (hooks.applied) this.appliedHooks.push(hooks.applied);
  }

  registerVerb(verb: string, handler: VerbHandler): void {
    this.verbs.set(verb, handler);
  }

  onStop(fn: () => void | Promise<void>): void {
    this.stopHooks.push(fn);
  }

  // ---- lifecycle ----

  async start(): Promise<StartResult> {
    this.startedAt = Date.now();
    let loaded: L | undefined;
    let failure: unknown;
    try {
      loaded = await this.loader(this.home);
    } catch (e) {
      failure = e;
    }
    const adv = loaded?.config.advanced;
    const logDir = adv?.logDirectory ?? this.home.logs;
    this.logger = openLogger(logDir, LOG_FILES.engineLog, {
      maxBytes: adv?.logFileSize,
      maxFiles: adv?.logFileCount,
      tee: this.logTee,
    });
    this.traceWriter = new RotatingFileWriter(path.join(logDir, LOG_FILES.engineTrace), {
      maxBytes: adv?.traceFileSize,
      maxFiles: adv?.traceFileCount,
      dropNotice: (n) => `${formatTimestamp()}: P0: ${n} trace lines dropped (trace queue full)`,
    });
    this.tracer.sink = this.traceWriter;
    const log = this.logger;
    log.info('Server', 'Starting Server');

    if (!loaded) {
      const problems = configProblems(failure) ?? [];
      const message = describeLoadError(failure);
      if (problems.length > 0) {
        log.error('Configuration', `The saved configuration is invalid (${problems.length} problem${problems.length === 1 ? '' : 's'}):`);
        for (const p of problems) log.error('Configuration', p.path ? `${p.path}: ${p.message}` : p.message);
      } else {
        log.error('Configuration', `Cannot load the saved configuration: ${message}`);
      }
      log.error('Server', 'Server not started: fix the configuration with aregcmd, save, then start the server');
      this.state = 'stopped';
      await this.closeLogs();
      return { ok: false, message, problems };
    }

    this.loaded = loaded;
    this.tracer.setLevel(loaded.config.advanced.traceLevel);
    log.info('Configuration', `Loaded configuration revision ${loaded.revision} (saved ${loaded.savedAt})`);
    await this.startListeners();
    log.info('Server', 'Replication Disabled');
    log.info('Server', 'SNMP is disabled');
    this.state = 'running';
    log.info('Server', `Server Started Successfully (pid: ${this.pid})`);
    return { ok: true, revision: loaded.revision, savedAt: loaded.savedAt, endpoints: this.endpoints() };
  }

  private async startListeners(): Promise<void> {
    const log = this.log;
    const missing = new Set<string>();
    for (const endpoint of plannedEndpoints(this.current.config)) {
      const status: EndpointStatus = { ...endpoint, state: 'unserved' };
      const factory = this.registry.get(endpoint.protocol);
      if (!factory) {
        this.running.push({ endpoint: status, listener: undefined });
        if (!missing.has(endpoint.protocol)) {
          missing.add(endpoint.protocol);
          log.warning('Server', `No ${endpoint.protocol === 'radius' ? 'RADIUS' : 'Diameter'} listener is available in this build; ${endpoint.protocol} endpoints are not served`);
        }
        continue;
      }
      log.info('Server', `Starting Interface ${describeEndpoint(endpoint)}`);
      let listener: Listener | undefined;
      try {
        // Factories are typed for the real configuration; an Engine built with a test loader only ever
        // meets test factories.
        listener = factory(endpoint, this as unknown as EngineContext);
        status.bound = await listener.start();
        status.state = 'listening';
      } catch (e) {
        status.state = 'failed';
        status.error = e instanceof Error ? e.message : String(e);
        const what = `${isIPv6(endpoint.address) ? 'IPv6 ' : ''}Interface ${describeEndpoint(endpoint)}`;
        if (endpoint.optional) log.warning('Server', `Failed to start ${what}: ${status.error}`);
        else log.error('Server', `Failed to start ${what}: ${status.error}`);
        listener = undefined;
      }
      this.running.push({ endpoint: status, listener });
    }
  }

  endpoints(): EndpointStatus[] {
    return this.running.map((r) => ({ ...r.endpoint }));
  }

  healthScore(): number {
    return computeHealth({
      running: this.state === 'running',
      failedListeners: this.running.filter((r) => r.endpoint.state === 'failed' && !r.endpoint.optional).length,
      scriptLoadFailed: this.health.scriptLoadFailed,
      inactiveRemoteServers: safe(this.health.inactiveRemoteServers),
      packetPoolFill: safe(this.health.packetPoolFill),
    });
  }

  status(): EngineStatus {
    const loaded = this.current;
    return {
      pid: this.pid,
      startedAt: new Date(this.startedAt).toISOString(),
      uptimeSec: Math.floor((Date.now() - this.startedAt) / 1000),
      revision: loaded.revision,
      savedAt: loaded.savedAt,
      health: this.healthScore(),
      traceLevel: this.tracer.level,
      traceFileCount: this.traceWriter?.limits.maxFiles ?? 0,
      endpoints: this.endpoints(),
      reloads: { ...this.reloads },
      inFlight: this.inFlight.count,
      counters: { ...this.counters.snapshot().radius },
      logDrops: (this.logger?.writer.stats.dropped ?? 0) + (this.traceWriter?.stats.dropped ?? 0),
    };
  }

  /** Loads the newest saved revision and swaps it in, or keeps the current one and throws
   * `reload failed: <reason>; still running revision N`. Reloads run one at a time. */
  reload(): Promise<{ revision: number; previousRevision: number; savedAt: string }> {
    const run = this.reloadChain.then(() => this.reloadNow());
    this.reloadChain = run.catch(() => {});
    return run;
  }

  private async reloadNow(): Promise<{ revision: number; previousRevision: number; savedAt: string }> {
    const previous = this.current;
    const log = this.log;
    this.reloads.lastAt = new Date().toISOString();
    let next: L;
    try {
      next = await this.loader(this.home);
      for (const prepare of this.prepareHooks) await prepare(next, previous);
    } catch (e) {
      const reason = describeLoadError(e);
      const msg = `reload failed: ${reason}; still running revision ${previous.revision}`;
      this.reloads.lastError = msg;
      for (const p of configProblems(e) ?? []) log.error('Configuration', `${p.path}: ${p.message}`);
      log.error('Configuration', `Reload failed; still running revision ${previous.revision}`);
      throw new Error(msg);
    }
    // The swap: requests that already hold `previous` finish with it; new ones see `next`.
    this.loaded = next;
    for (const applied of this.appliedHooks) {
      try {
        applied(next, previous);
      } catch (e) {
        log.error('Server', `Error while applying revision ${next.revision}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    this.applyAdvanced(next, previous);
    this.reloads.count++;
    this.reloads.lastError = null;
    log.info('Configuration', `Reloaded configuration revision ${next.revision} (was ${previous.revision})`);
    return { revision: next.revision, previousRevision: previous.revision, savedAt: next.savedAt };
  }

  private applyAdvanced(next: L, previous: L): void {
    const a = next.config.advanced;
    // A level set at run time (`trace`) stays unless the saved TraceLevel itself changed.
    if (a.traceLevel !== previous.config.advanced.traceLevel) this.tracer.setLevel(a.traceLevel);
    this.logger?.writer.configure({ maxBytes: a.logFileSize, maxFiles: a.logFileCount });
    this.traceWriter?.configure({ maxBytes: a.traceFileSize, maxFiles: a.traceFileCount });
    if (a.logDirectory !== previous.config.advanced.logDirectory) {
      this.log.warning('Configuration', 'LogDirectory changes take effect when the server is restarted');
    }
    const key = (l: LoadedConfigView): string =>
      JSON.stringify(plannedEndpoints(l.config).map((e) => [e.protocol, e.address, e.port, e.kind]));
    if (key(next) !== key(previous)) {
      this.log.warning('Configuration', 'Port, interface and Diameter transport changes take effect when the server is restarted');
    }
  }

  /** Stops accepting work, drains in-flight requests for at most the drain budget, runs the stop hooks,
   * flushes and closes the logs. Idempotent. */
  stop(reason = 'stop requested'): Promise<void> {
    this.stopping ??= this.stopNow(reason);
    return this.stopping;
  }

  private async stopNow(reason: string): Promise<void> {
    const wasRunning = this.state === 'running';
    this.state = 'stopping';
    const log = this.log;
    if (wasRunning) {
      log.info('Server', `Stopping Server (${reason})`);
      const deadline = Date.now() + this.drainMs;
      await Promise.all(
        this.running.map(async (r) => {
          if (!r.listener) return;
          try {
            await r.listener.stop(this.drainMs);
          } catch (e) {
            log.error('Server', `Error stopping Interface ${describeEndpoint(r.endpoint)}: ${e instanceof Error ? e.message : String(e)}`);
          }
          r.endpoint.state = 'stopped';
        }),
      );
      if (!(await this.inFlight.drain(deadline - Date.now()))) {
        log.warning('Server', `${this.inFlight.count} requests still in progress after ${this.drainMs} ms; abandoned`);
      }
      for (const fn of this.stopHooks) {
        try {
          await fn();
        } catch (e) {
          log.error('Server', `Error during stop: ${e instanceof Error ? e.message : String(e)}`);
        }
      }
      log.info('Server', 'Server Stopped');
    }
    this.state = 'stopped';
    await this.closeLogs();
  }

  private async closeLogs(): Promise<void> {
    await Promise.all([this.logger?.close(), this.traceWriter?.close()]);
  }

  /** Synchronous last-gasp flush (uncaught exception). */
  flushSync(): void {
    this.logger?.writer.flushSync();
    this.traceWriter?.flushSync();
  }

  // ---- control verbs ----

  /** Answers one control verb; throws an Error whose message is the reply's error text. */
  async handle(verb: string, args: Record<string, unknown> = {}): Promise<unknown> {
    if (this.state !== 'running' && verb !== 'stop') throw new Error(`Server 'Radius' is ${this.state === 'stopping' ? 'stopping' : 'not running'}`);
    switch (verb) {
      case 'status':
        return this.status();
      case 'stats':
        return this.counters.snapshot();
      case 'reset-stats':
        this.counters.reset();
        this.log.info('Server', 'Statistics reset');
        return { serverResetTime: this.counters.serverResetTime.toISOString() };
      case 'dia-stats': {
        const peers = this.counters.snapshot().sections[SECTIONS.diameterPeers] ?? {};
        const peer = typeof args.peer === 'string' ? args.peer : undefined;
        if (peer === undefined) return { peers };
        const name = Object.keys(peers).find((p) => p.toLowerCase() === peer.toLowerCase());
        if (!name) throw new Error(`No Diameter peer named ${peer}`);
        return { peers: { [name]: peers[name] } };
      }
      case 'dia-stats-reset':
        this.counters.reset(SECTIONS.diameterPeers);
        return { reset: true };
      case 'reload':
        return this.reload();
      case 'trace': {
        if (args.level === undefined || args.level === null) return { level: this.tracer.level };
        const level = Number(args.level);
        if (!Number.isInteger(level) || level < 0 || level > 5) throw new Error(`invalid trace level '${String(args.level)}' (0-5)`);
        this.tracer.setLevel(level);
        this.log.info('Server', `Trace level set to ${level}`);
        return { level };
      }
      case 'trace-file-count': {
        if (args.count === undefined || args.count === null) return { count: this.traceWriter?.limits.maxFiles ?? 0 };
        const count = Number(args.count);
        if (!Number.isInteger(count) || count < 1 || count > 99) throw new Error(`invalid trace file count '${String(args.count)}' (1-99)`);
        this.traceWriter?.configure({ maxFiles: count });
        this.log.info('Server', `Trace file count set to ${count}`);
        return { count };
      }
      case 'stop':
        return { stopping: true };
      default: {
        const h = this.verbs.get(verb);
        if (!h) throw new Error(`unknown engine verb '${verb}'`);
        return h(args);
      }
    }
  }
}

function safe(fn: () => number): number {
  try {
    const v = fn();
    return Number.isFinite(v) ? v : 0;
  } catch {
    return 0;
  }
}
