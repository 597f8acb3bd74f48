// The RADIUS server: registers the `radius` ListenerFactory with the engine process. Layers, kept apart as
// in FreeRADIUS v4: codec (src/radius) ≠ transport (udp.ts) ≠ state machine (handler.ts, dup-cache.ts,
// client-index.ts) ≠ policy and services (src/engine/pipeline, src/services).
import type { EngineContext } from '../../engine/process/context.js';
import type { EngineConfig } from '../../config/view.js';
import { registerListenerFactory } from '../../engine/process/listeners.js';
import { RadiusShared } from './handler.js';
import { revisionState } from './revision.js';
import { RadiusUdpListener } from './udp.js';

export { ClientIndex, type RadiusClient } from './client-index.js';
export { DuplicateCache } from './dup-cache.js';
export { RadiusHandler, RadiusShared } from './handler.js';
export { RadiusUdpListener } from './udp.js';

const sharedByEngine = new WeakMap<EngineContext, RadiusShared>();

/** Tree dictionary entries a dialect could not take: logged once per revision, never fatal. */
function logDictionaryProblems(ctx: EngineContext, config: EngineConfig): void {
  for (const p of config.radiusDictionaryProblems) ctx.log.warning('Configuration', `RADIUS dictionary entry left out for dialect ${p}`);
}

function sharedFor(ctx: EngineContext): RadiusShared {
  let s = sharedByEngine.get(ctx);
  if (!s) {
    const shared = (s = new RadiusShared(ctx));
    sharedByEngine.set(ctx, shared);
    // Build the client table of a new revision before it is swapped in, so that no packet pays for it.
    ctx.onReload({ prepare: (next) => void revisionState(next.config, ctx.counters), applied: (cur) => logDictionaryProblems(ctx, cur.config) });
    logDictionaryProblems(ctx, ctx.current.config);
    ctx.onStop(async () => {
      shared.flushLogs();
      await shared.files.closeAll();
    });
  }
  return s;
}

registerListenerFactory('radius', (endpoint, ctx) => {
  const shared = sharedFor(ctx);
  revisionState(ctx.current.config, ctx.counters);
  return new RadiusUdpListener(endpoint, ctx, shared);
});
