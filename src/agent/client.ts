// Client of the Server Agent's control socket, for aregcmd and arserver.
//
//   const status = await agentRequest<AgentStatus>(home, 'status');
//   await agentRequest(home, 'trace', { level: 5 });
//
// Errors: AgentNotRunningError (no socket / nobody listening), AgentRequestError (the agent answered with
// an error: `.code` and the agent's message), AgentTimeoutError.
import net from 'node:net';
import type { AregHome } from '../home.js';
import type { AgentErrorCode, AgentReply, AgentRequest } from './protocol.js';

export const AGENT_NOT_RUNNING = "Server Agent is not running; start it with 'arserver start'";

export class AgentNotRunningError extends Error {
  constructor() {
    super(AGENT_NOT_RUNNING);
  }
}

export class AgentRequestError extends Error {
  constructor(
    readonly code: AgentErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export class AgentTimeoutError extends Error {
  constructor(verb: string, ms: number) {
    super(`the Server Agent did not answer '${verb}' within ${Math.round(ms / 1000)} s`);
  }
}

/** Default timeouts: start/stop wait for the engine (start loads and validates the tree; stop drains). */
export const DEFAULT_TIMEOUTS_MS: Record<string, number> = {
  start: 45_000,
  stop: 20_000,
  reload: 65_000,
  default: 15_000,
};

export class AgentClient {
  private buf = '';
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (r: AgentReply) => void; reject: (e: Error) => void }>();
  private closedError: Error | undefined;

  private constructor(private readonly socket: net.Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.buf += chunk;
      for (let nl = this.buf.indexOf('\n'); nl >= 0; nl = this.buf.indexOf('\n')) {
        const line = this.buf.slice(0, nl);
        this.buf = this.buf.slice(nl + 1);
        let reply: AgentReply;
        try {
          reply = JSON.parse(line) as AgentReply;
        } catch {
          continue;
        }
        const w = typeof reply.id === 'number' ? this.waiting.get(reply.id) : undefined;
        if (w) {
          this.waiting.delete(reply.id as number);
          w.resolve(reply);
        }
      }
    });
    const fail = (e: Error): void => {
      this.closedError ??= e;
      for (const w of this.waiting.values()) w.reject(e);
      this.waiting.clear();
    };
    socket.on('error', (e) => fail(e));
    socket.on('close', () => fail(new Error('the Server Agent closed the connection')));
  }

  /** Connects to `run/agent.sock`. */
  static connect(home: AregHome, timeoutMs = 3000): Promise<AgentClient> {
    return new Promise((resolve, reject) => {
      const s = net.createConnection(home.agentSock);
      const t = setTimeout(() => {
        s.destroy();
        reject(new AgentNotRunningError());
      }, timeoutMs);
      s.once('connect', () => {
        clearTimeout(t);
        s.removeAllListeners('error');
        resolve(new AgentClient(s));
      });
      s.once('error', (e: NodeJS.ErrnoException) => {
        clearTimeout(t);
        reject(e.code === 'ENOENT' || e.code === 'ECONNREFUSED' || e.code === 'ENOTSOCK' ? new AgentNotRunningError() : e);
      });
    });
  }

  /** Sends a verb and resolves with its result; rejects with AgentRequestError on an error reply. */
  async request<T = unknown>(verb: string, args: Record<string, unknown> = {}, timeoutMs?: number): Promise<T> {
    if (this.closedError) throw this.closedError;
    const ms = timeoutMs ?? DEFAULT_TIMEOUTS_MS[verb] ?? DEFAULT_TIMEOUTS_MS.default!;
    const id = this.nextId++;
    const req: AgentRequest = { id, verb, args };
    const reply = await new Promise<AgentReply>((resolve, reject) => {
      const t = setTimeout(() => {
        this.waiting.delete(id);
        reject(new AgentTimeoutError(verb, ms));
      }, ms);
      this.waiting.set(id, {
        resolve: (r) => {
          clearTimeout(t);
          resolve(r);
        },
        reject: (e) => {
          clearTimeout(t);
          reject(e);
        },
      });
      this.socket.write(JSON.stringify(req) + '\n');
    });
    if (!reply.ok) throw new AgentRequestError(reply.code, reply.error);
    return reply.result as T;
  }

  close(): void {
    this.socket.end();
    this.socket.destroy();
  }
}

/** One request on a fresh connection. */
export async function agentRequest<T = unknown>(
  home: AregHome,
  verb: string,
  args: Record<string, unknown> = {},
  opts: { timeoutMs?: number } = {},
): Promise<T> {
  const c = await AgentClient.connect(home);
  try {
    return await c.request<T>(verb, args, opts.timeoutMs);
  } finally {
    c.close();
  }
}
