// Entry of the engine child process, forked by the Server Agent with an IPC channel:
//   child_process.fork('dist/src/engine/process/main.js', [], { env: { AREG_HOME } })
// Exit codes: 0 stopped, 78 configuration invalid at start, 70 internal error (ENGINE_EXIT).
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { resolveHome, type AregHome } from '../../home.js';
import { Engine } from './engine.js';
import { savedConfigLoader, type LoadedConfig } from './config.js';
import { loadProtocolModules } from './protocols.js';
import { ENGINE_EXIT, type IpcEvent, type IpcReply, type IpcRequest } from './ipc.js';

/** For tests only: a module exporting `loadSavedConfig` to use instead of src/config/load.ts. */
async function pickLoader(): Promise<(home: AregHome) => Promise<LoadedConfig>> {
  const override = process.env.AREG_ENGINE_CONFIG_MODULE;
  if (override) {
    const mod = (await import(pathToFileURL(path.resolve(override)).href)) as { loadSavedConfig: (home: AregHome) => Promise<LoadedConfig> };
    return mod.loadSavedConfig;
  }
  return savedConfigLoader();
}

/** Sends one message; resolves once it is handed to the channel (so that a following exit does not lose
 * it). */
function send(msg: IpcReply | IpcEvent): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send || !process.connected) return resolve();
    process.send(msg, undefined, {}, () => resolve());
  });
}

async function main(): Promise<void> {
  const home = resolveHome();
  const engine = new Engine({ home, loader: await pickLoader() });
  let exiting = false;

  const shutdown = async (reason: string, code: number = ENGINE_EXIT.ok): Promise<void> => {
    if (exiting) return;
    exiting = true;
    await send({ type: 'event', event: 'stopping', reason });
    await engine.stop(reason);
    process.exit(code);
  };

  process.on('uncaughtException', (err) => {
    try {
      engine.log.error('System', `Internal error: ${err.stack ?? err.message}`);
      engine.flushSync();
    } finally {
      process.exit(ENGINE_EXIT.crash);
    }
  });
  process.on('unhandledRejection', (err) => {
    engine.log.error('System', `Unhandled rejection: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  });
  // The agent owns the engine's lifecycle: Ctrl-C on a foreground agent reaches the whole process group,
  // and the agent then stops the engine itself.
  if (process.send) process.on('SIGINT', () => {});
  else process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  // The agent is gone: nobody supervises or controls this engine any more.
  process.on('disconnect', () => void shutdown('Server Agent disconnected'));

  process.on('message', (raw: unknown) => {
    const req = raw as IpcRequest;
    if (!req || req.type !== 'request' || typeof req.id !== 'number') return;
    void (async () => {
      try {
        const result = await engine.handle(req.verb, req.args ?? {});
        await send({ type: 'reply', id: req.id, ok: true, result });
        if (req.verb === 'stop') void shutdown('stop requested');
      } catch (e) {
        void send({ type: 'reply', id: req.id, ok: false, error: e instanceof Error ? e.message : String(e) });
      }
    })();
  });

  await loadProtocolModules();
  const r = await engine.start();
  if (!r.ok) {
    await send({ type: 'event', event: 'config-error', message: r.message, problems: r.problems });
    process.exit(ENGINE_EXIT.configInvalid);
  }
  void send({ type: 'event', event: 'started', pid: process.pid, revision: r.revision, savedAt: r.savedAt, endpoints: r.endpoints });
}

void main();
