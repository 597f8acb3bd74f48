// Messages on the IPC channel between the agent and the engine child (child_process.fork).
//
// agent → engine   { type: 'request', id, verb, args }
// engine → agent   { type: 'reply', id, ok: true, result } | { type: 'reply', id, ok: false, error }
// engine → agent   { type: 'event', event: 'started', pid, revision, endpoints }
//                  { type: 'event', event: 'config-error', message, problems }
//                  { type: 'event', event: 'stopping', reason }
import type { ConfigProblem } from './config.js';
import type { EndpointStatus } from './listeners.js';

export interface IpcRequest {
  type: 'request';
  id: number;
  verb: string;
  args?: Record<string, unknown>;
}

export type IpcReply =
  | { type: 'reply'; id: number; ok: true; result: unknown }
  | { type: 'reply'; id: number; ok: false; error: string };

export type IpcEvent =
  | { type: 'event'; event: 'started'; pid: number; revision: number; savedAt: string; endpoints: EndpointStatus[] }
  | { type: 'event'; event: 'config-error'; message: string; problems: ConfigProblem[] }
  | { type: 'event'; event: 'stopping'; reason: string };

export type EngineMessage = IpcReply | IpcEvent;

/** Engine exit codes: the agent tells them apart in its log and in status. */
export const ENGINE_EXIT = {
  ok: 0,
  /** Unexpected internal error (uncaught exception). */
  crash: 70,
  /** The saved configuration could not be loaded at start (EX_CONFIG). */
  configInvalid: 78,
} as const;

/** Verbs every engine answers (plus those components register). */
export const ENGINE_VERBS = [
  'status',
  'stats',
  'reset-stats',
  'dia-stats',
  'dia-stats-reset',
  'reload',
  'trace',
  'trace-file-count',
  'stop',
] as const;

/** Reply of the engine's `status` verb. */
export interface EngineStatus {
  pid: number;
  startedAt: string;
  uptimeSec: number;
  revision: number;
  savedAt: string;
  health: number;
  traceLevel: number;
  traceFileCount: number;
  endpoints: EndpointStatus[];
  reloads: { count: number; lastError: string | null; lastAt: string | null };
  inFlight: number;
  /** The global RADIUS counters. */
  counters: Record<string, unknown>;
  logDrops: number;
}

export function isEngineMessage(m: unknown): m is EngineMessage {
  return typeof m === 'object' && m !== null && ((m as { type?: unknown }).type === 'reply' || (m as { type?: unknown }).type === 'event');
}
