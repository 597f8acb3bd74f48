// Entry of the Server Agent process.
//   node dist/src/agent/main.js [--foreground]      (AREG_HOME from the environment)
// `arserver start` spawns it detached; `arserver start --foreground` calls runAgent() in its own process.
// Exit status: 0 after a clean shutdown, 1 already running, 2 could not start, 70 internal error.
import { fileURLToPath } from 'node:url';
import { realpathSync } from 'node:fs';
import { resolveHome, type AregHome } from '../home.js';
import { Agent, AgentAlreadyRunningError, type AgentOptions } from './agent.js';

export interface RunAgentOptions {
  home?: AregHome;
  foreground?: boolean;
  supervisor?: AgentOptions['supervisor'];
  /** Called once the pid file and socket are in place (foreground mode prints the status then). */
  onReady?: (agent: Agent) => void;
}

/** Runs the agent until it shuts down (SIGTERM, SIGINT, the `shutdown` verb); resolves to the exit
 * status. Signal handlers are installed for the agent's lifetime. */
export async function runAgent(opts: RunAgentOptions = {}): Promise<number> {
  const home = opts.home ?? resolveHome();
  const agent = new Agent({ home, foreground: opts.foreground ?? false, supervisor: opts.supervisor });
  try {
    await agent.start();
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    agent.log.error('Server', `Server Agent not started: ${msg}`);
    await agent.log.close();
    process.stderr.write(`ERROR: ${msg}\n`);
    return e instanceof AgentAlreadyRunningError ? 1 : 2;
  }
  const onSignal = (sig: NodeJS.Signals): void => void agent.shutdown(sig);
  const onHup = (): void => {
    agent.log.info('Server', 'SIGHUP: reloading the configuration');
    agent.handle('reload').then(
      () => {},
      (e: Error) => agent.log.error('Configuration', e.message),
    );
  };
  const onFatal = (err: unknown): void => {
    agent.log.error('System', `Server Agent internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    agent.log.writer.flushSync();
    void agent.shutdown('internal error').finally(() => process.exit(70));
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  process.on('SIGHUP', onHup);
  process.on('uncaughtException', onFatal);
  opts.onReady?.(agent);
  await agent.finished;
  process.off('SIGTERM', onSignal);
  process.off('SIGINT', onSignal);
  process.off('SIGHUP', onHup);
  process.off('uncaughtException', onFatal);
  return 0;
}

function isMain(): boolean {
  try {
    return !!process.argv[1] && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMain()) {
  const code = await runAgent({ foreground: process.argv.includes('--foreground') });
  process.exit(code);
}
