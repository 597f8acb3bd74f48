// The Diameter applications (NASREQ AA, base accounting, STR, SIP MAR) behind DiameterCore's application
// handler. installApplications() is called once per engine when its Diameter listener is created: the
// handlers read the configuration in force at each request and write accounting through the engine's
// `file` services (flushed and closed at stop).
import type { EngineContext } from '../../engine/process/context.js';
import type { PipelineContext } from '../../engine/pipeline/pipeline.js';
import { FileServices } from '../../radius/server/revision.js';
import type { DiameterCore } from '../peer/core.js';
import { DiameterApplications } from './handlers.js';

export { DiameterApplications, digestFields, APP, CMD, SIP_SUCCESS_SERVER_NAME_NOT_STORED } from './handlers.js';
export { DiameterDuplicates, DUPLICATE_MEMORY_MS } from './duplicates.js';
export { profileAvp, profileToAvps } from './translate.js';
export { avpLine, attributesOf, resultName, type AppDeps } from './common.js';

const installed = new WeakSet<DiameterCore>();

/** Makes `core` answer application requests with the tree's services (idempotent). */
export function installApplications(core: DiameterCore, ctx: EngineContext): void {
  if (installed.has(core)) return;
  installed.add(core);
  const files = new FileServices(ctx.counters);
  const apps = new DiameterApplications({
    dict: core.dict,
    log: ctx.log,
    tracer: ctx.tracer,
    counters: ctx.counters,
    pipeline: (): PipelineContext => {
      const config = ctx.current.config;
      return { radius: config.radius, advanced: config.advanced, counters: ctx.counters, fileService: (svc) => files.get(config, svc) };
    },
  });
  core.applicationHandler = apps.handler;
  ctx.onStop(() => files.closeAll());
}
