// What the engine commands share: reaching the agent, the `<server>` argument, and
// the status line every engine command ends with.
import { AgentUnavailableError, type AgentReply } from './engine-control.js';
import { Exit, ShellError, type ShellSession } from './session.js';

export async function callAgent(sh: ShellSession, verb: string, args: Record<string, unknown> = {}): Promise<AgentReply> {
  let reply: AgentReply;
  try {
    reply = await sh.control.send(verb, args);
  } catch (e) {
    if (e instanceof AgentUnavailableError) throw new ShellError(e.message, Exit.agentDown);
    throw e;
  }
  if (!reply.ok) throw new ShellError(reply.error ?? `${verb} failed`);
  return reply;
}

/** Splits off an optional leading `<server>` argument, which must name /Radius. */
export function serverArgs(sh: ShellSession, args: string[]): string[] {
  if (args.length && !/^\d+$/.test(args[0])) {
    const r = sh.resolveObject(args[0]);
    if (r.path.join('/') !== 'Radius') throw new ShellError(`${args[0]} is not a server; the server is /Radius`);
    return args.slice(1);
  }
  return args;
}

export interface EngineState {
  running: boolean;
  health: number;
}

export function statusLine(state: EngineState): string {
  return state.running ? `Server 'Radius' is Running, its health is ${state.health} out of 10` : "Server 'Radius' is Stopped";
}

/** The engine part of an agent status result (the reply of status, start and stop). */
export function engineOf(reply: AgentReply): { running?: boolean; health?: number; revision?: number | null } | undefined {
  return (reply.result as { engine?: { running?: boolean; health?: number; revision?: number | null } } | undefined)?.engine;
}

export function engineState(reply: AgentReply): EngineState {
  const engine = engineOf(reply);
  return { running: engine?.running === true, health: engine?.health ?? 0 };
}
