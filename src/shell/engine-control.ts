// The shell's line to the Server Agent. Engine commands go through this interface so
// that the shell does not depend on how the agent is reached.
export interface AgentReply {
  ok: boolean;
  error?: string;
  [key: string]: unknown;
}

export interface EngineControl {
  /** Sends one control verb; rejects with AgentUnavailableError when no agent answers. */
  send(verb: string, args?: Record<string, unknown>): Promise<AgentReply>;
}

export class AgentUnavailableError extends Error {
  constructor() {
    super("Server Agent is not running; start it with 'arserver start'");
  }
}
