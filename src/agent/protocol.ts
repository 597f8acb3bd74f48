// The Server Agent's control socket `run/agent.sock`: newline-delimited JSON, any number of requests per
// connection, answered in any order (match by id).
//
// request  {"id": 1, "verb": "reload", "args": {}}
// reply    {"id": 1, "ok": true, "result": {...}}
//          {"id": 1, "ok": false, "error": "reload failed: …; still running revision 4", "code": "ENGINE_ERROR"}
import type { EndpointStatus } from '../engine/process/listeners.js';

export interface AgentRequest {
  id?: number | string;
  verb: string;
  args?: Record<string, unknown>;
}

export type AgentErrorCode =
  /** The line was not JSON or had no verb. */
  | 'BAD_REQUEST'
  | 'UNKNOWN_VERB'
  /** The verb needs a running engine and there is none. */
  | 'ENGINE_STOPPED'
  /** The engine answered with an error (its message is the error text). */
  | 'ENGINE_ERROR'
  /** The engine did not answer in time. */
  | 'TIMEOUT'
  /** The engine failed to start (start verb). */
  | 'START_FAILED'
  | 'SHUTTING_DOWN';

export type AgentReply =
  | { id: number | string | null; ok: true; result: unknown }
  | { id: number | string | null; ok: false; error: string; code: AgentErrorCode };

/** Verbs of the agent itself. */
export const AGENT_VERBS = ['status', 'start', 'stop', 'shutdown'] as const;
/** Verbs the agent forwards to the engine unchanged (plus any `sessions.*`). */
export const FORWARDED_VERBS = [
  'reload',
  'stats',
  'reset-stats',
  'dia-stats',
  'dia-stats-reset',
  'trace',
  'trace-file-count',
] as const;

export type EngineState =
  /** Not running, and not wanted (never started or stopped by an administrator). */
  | 'stopped'
  /** Forked, loading its configuration. */
  | 'starting'
  | 'running'
  /** Draining after a stop request. */
  | 'stopping'
  /** Died unexpectedly (or failed to start); restarts when the back-off delay ends. */
  | 'waiting';

export interface ExitInfo {
  pid: number;
  code: number | null;
  signal: string | null;
  /** `killed by signal SIGKILL`, `exited with code 70 (internal error)`, `configuration invalid: …`. */
  reason: string;
  at: string;
  /** False when the engine died on its own; true after an administrator's stop. */
  expected: boolean;
}

/** Result of the `status` verb (and of `start`/`stop`). */
export interface AgentStatus {
  agent: {
    pid: number;
    startedAt: string;
    uptimeSec: number;
    home: string;
    foreground: boolean;
    version: string;
  };
  engine: {
    state: EngineState;
    running: boolean;
    pid: number | null;
    startedAt: string | null;
    uptimeSec: number | null;
    revision: number | null;
    savedAt: string | null;
    /** 0 when not running, else 1–10 (aregcmd.md §12). */
    health: number;
    endpoints: EndpointStatus[];
    traceLevel: number | null;
    restarts: number;
    lastExit: ExitInfo | null;
    nextRestartAt: string | null;
    /** Why the last start failed (configuration problems), until a start succeeds. */
    lastError: string | null;
    /** Global RADIUS counters (null when the engine did not answer). */
    counters: Record<string, unknown> | null;
  };
  /** `Server 'Radius' is Running, its health is 10 out of 10` / `Server 'Radius' is Stopped`. */
  statusLine: string;
}
