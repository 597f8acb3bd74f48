// The Server Agent: owns run/agent.pid and run/agent.sock, supervises the engine, answers control verbs.
import net from 'node:net';
import fs from 'node:fs';
import type { AregHome } from '../home.js';
import { AREG_VERSION } from '../version.js';
import { openLogger, LOG_FILES, AGENT_LOG_NAME, type Logger } from '../log/logger.js';
import { serverStatusLine } from '../engine/process/health.js';
import type { EngineStatus } from '../engine/process/ipc.js';
import { EngineSupervisor, AgentError, type SupervisorOptions } from './supervisor.js';
import { isAlive, readPidFile, removePidFile, socketAnswers, writePidFileExclusive } from './pidfile.js';
import { FORWARDED_VERBS, type AgentReply, type AgentRequest, type AgentStatus } from './protocol.js';

export interface AgentOptions {
  home: AregHome;
  /** Attached to a terminal/systemd: log lines also go to stderr. */
  foreground?: boolean;
  supervisor?: Partial<Omit<SupervisorOptions, 'home' | 'log'>>;
  /** Start the engine as soon as the agent is up (default true). */
  startEngine?: boolean;
}

export class AgentAlreadyRunningError extends Error {
  constructor(readonly pid: number) {
    super(`areg Server Agent is already running (pid: ${pid})`);
  }
}

/** Timeouts of forwarded verbs (reload validates the whole tree). */
const VERB_TIMEOUT_MS: Record<string, number> = { reload: 60_000 };

export class Agent {
  readonly home: AregHome;
  readonly log: Logger;
  readonly supervisor: EngineSupervisor;
  private readonly foreground: boolean;
  private readonly startEngine: boolean;
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();
  private readonly startedAt = Date.now();
  private shuttingDown: Promise<void> | undefined;
  private done!: () => void;
  /** Resolves once the agent has shut down and removed its files. */
  readonly finished = new Promise<void>((resolve) => (this.done = resolve));

  constructor(opts: AgentOptions) {
    this.home = opts.home;
    this.foreground = opts.foreground ?? false;
    this.startEngine = opts.startEngine ?? true;
    this.log = openLogger(opts.home.logs, LOG_FILES.agentLog, {
      name: AGENT_LOG_NAME,
      tee: this.foreground ? (line) => process.stderr.write(line + '\n') : undefined,
    });
    this.supervisor = new EngineSupervisor({ ...opts.supervisor, home: opts.home, log: this.log });
  }

  /** Takes the pid file and the socket (cleaning stale ones), then starts the engine. Throws
   * AgentAlreadyRunningError when a live agent owns them. */
  async start(): Promise<void> {
    const { home } = this;
    fs.mkdirSync(home.run, { recursive: true, mode: 0o700 });
    fs.mkdirSync(home.sessions, { recursive: true });
    this.takePidFile();
    try {
      await this.listen();
    } catch (e) {
      removePidFile(home.agentPid);
      throw e;
    }
    this.log.info('Server', `Server Agent started (pid: ${process.pid}, home ${home.root}${this.foreground ? ', foreground' : ''})`);
    if (this.startEngine) {
      void this.supervisor.start().then((r) => {
        if (!r.ok) this.log.error('Server', `RADIUS server failed to start: ${r.reason}`);
      });
    }
  }

  private takePidFile(): void {
    const { agentPid } = this.home;
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        writePidFileExclusive(agentPid);
        return;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      const pid = readPidFile(agentPid);
      if (pid !== undefined && pid !== process.pid && isAlive(pid)) throw new AgentAlreadyRunningError(pid);
      // Stale (dead pid, or empty file from a crash between create and write): remove and retry.
      fs.rmSync(agentPid, { force: true });
    }
    throw new Error(`cannot create ${agentPid}`);
  }

  private async listen(): Promise<void> {
    const sock = this.home.agentSock;
    if (fs.existsSync(sock)) {
      // We hold the pid file, so no live agent owns this socket; a listener here would be a foreign process.
      if (await socketAnswers(sock)) throw new Error(`${sock} is in use by another process`);
      fs.rmSync(sock, { force: true });
    }
    const server = net.createServer((s) => this.onConnection(s));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(sock, () => {
        server.off('error', reject);
        resolve();
      });
    });
    fs.chmodSync(sock, 0o600);
    server.on('error', (e) => this.log.error('System', `Control socket error: ${e.message}`));
    this.server = server;
  }

  private onConnection(s: net.Socket): void {
    this.sockets.add(s);
    s.setEncoding('utf8');
    let buf = '';
    s.on('data', (chunk: string) => {
      buf += chunk;
      if (buf.length > 1024 * 1024) {
        s.destroy();
        return;
      }
      for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
        const line = buf.slice(0, nl).trim();
        buf = buf.slice(nl + 1);
        if (line) void this.answer(s, line);
      }
    });
    s.on('error', () => {});
    s.on('close', () => this.sockets.delete(s));
  }

  private async answer(s: net.Socket, line: string): Promise<void> {
    let req: AgentRequest;
    try {
      req = JSON.parse(line) as AgentRequest;
      if (typeof req !== 'object' || req === null || typeof req.verb !== 'string') throw new Error('no verb');
    } catch {
      return write(s, { id: null, ok: false, error: 'bad request: expected one JSON object with a "verb" per line', code: 'BAD_REQUEST' });
    }
    const id = req.id ?? null;
    try {
      const result = await this.handle(req.verb, req.args ?? {});
      write(s, { id, ok: true, result });
      if (req.verb === 'shutdown') void this.shutdown('shutdown requested');
    } catch (e) {
      const code = e instanceof AgentError ? e.code : 'ENGINE_ERROR';
      write(s, { id, ok: false, error: e instanceof Error ? e.message : String(e), code });
    }
  }

  /** Answers one verb (the socket layer is a thin wrapper around this). */
  async handle(verb: string, args: Record<string, unknown> = {}): Promise<unknown> {
    if (this.shuttingDown && verb !== 'status') throw new AgentError('SHUTTING_DOWN', 'the Server Agent is shutting down');
    switch (verb) {
      case 'status':
        return this.status();
      case 'start': {
        this.log.info('Server', 'Control request: start');
        const r = await this.supervisor.start();
        if (!r.ok) throw new AgentError('START_FAILED', `the RADIUS server failed to start: ${r.reason}`);
        return this.status();
      }
      case 'stop':
        this.log.info('Server', 'Control request: stop');
        await this.supervisor.stop();
        return this.status();
      case 'shutdown':
        this.log.info('Server', 'Control request: shutdown');
        return { shuttingDown: true, pid: process.pid };
      default:
        if ((FORWARDED_VERBS as readonly string[]).includes(verb) || verb.startsWith('sessions.')) {
          if (verb !== 'stats' && verb !== 'dia-stats' && !(verb === 'trace' && args.level === undefined)) {
            this.log.info('Server', `Control request: ${verb}${Object.keys(args).length ? ' ' + JSON.stringify(args) : ''}`);
          }
          return this.supervisor.request(verb, args, VERB_TIMEOUT_MS[verb]);
        }
        throw new AgentError('UNKNOWN_VERB', `unknown verb '${verb}'`);
    }
  }

  async status(): Promise<AgentStatus> {
    const sup = this.supervisor.info();
    let eng: EngineStatus | undefined;
    if (sup.state === 'running') {
      try {
        eng = (await this.supervisor.request('status', {}, 3000)) as EngineStatus;
      } catch {
        eng = undefined;
      }
    }
    const running = sup.state === 'running';
    const health = running ? (eng?.health ?? 1) : 0;
    const now = Date.now();
    return {
      agent: {
        pid: process.pid,
        startedAt: new Date(this.startedAt).toISOString(),
        uptimeSec: Math.floor((now - this.startedAt) / 1000),
        home: this.home.root,
        foreground: this.foreground,
        version: AREG_VERSION,
      },
      engine: {
        state: sup.state,
        running,
        pid: sup.pid,
        startedAt: sup.startedAt,
        uptimeSec: sup.startedAt ? Math.floor((now - Date.parse(sup.startedAt)) / 1000) : null,
        revision: eng?.revision ?? sup.revision,
        savedAt: eng?.savedAt ?? sup.savedAt,
        health,
        endpoints: eng?.endpoints ?? sup.endpoints,
        traceLevel: eng?.traceLevel ?? null,
        restarts: sup.restarts,
        lastExit: sup.lastExit,
        nextRestartAt: sup.nextRestartAt,
        lastError: sup.lastError,
        counters: eng?.counters ?? null,
      },
      statusLine: serverStatusLine(running, health),
    };
  }

  /** Stops the engine (drain), closes the socket, removes pid file and socket, flushes the log. */
  shutdown(reason: string): Promise<void> {
    this.shuttingDown ??= this.shutdownNow(reason);
    return this.shuttingDown;
  }

  private async shutdownNow(reason: string): Promise<void> {
    this.log.info('Server', `Server Agent shutting down (${reason})`);
    try {
      await this.supervisor.stop();
    } catch (e) {
      this.log.error('Server', `Error stopping the RADIUS server: ${(e as Error).message}`);
    }
    await new Promise<void>((resolve) => {
      if (!this.server) return resolve();
      this.server.close(() => resolve());
      for (const s of this.sockets) s.end();
      setTimeout(() => {
        for (const s of this.sockets) s.destroy();
      }, 500).unref();
    });
    fs.rmSync(this.home.agentSock, { force: true });
    removePidFile(this.home.agentPid);
    this.log.info('Server', 'areg Server Agent shutdown complete.');
    await this.log.close();
    this.done();
  }
}

function write(s: net.Socket, reply: AgentReply): void {
  if (!s.destroyed && s.writable) s.write(JSON.stringify(reply) + '\n');
}
