// EngineControl over the Server Agent's control socket.
import type { AregHome } from '../home.js';
import { agentRequest, AgentNotRunningError, AgentRequestError, AgentTimeoutError } from '../agent/client.js';
import { AgentUnavailableError, type EngineControl } from './engine-control.js';

export function agentControl(home: AregHome): EngineControl {
  return {
    async send(verb, args = {}) {
      try {
        return { ok: true, result: await agentRequest(home, verb, args) };
      } catch (e) {
        if (e instanceof AgentNotRunningError) throw new AgentUnavailableError();
        if (e instanceof AgentRequestError || e instanceof AgentTimeoutError) return { ok: false, error: e.message };
        throw e;
      }
    },
  };
}
