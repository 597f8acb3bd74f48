// Registers the Diameter TCP listener with the engine (imported by src/engine/process/protocols.ts), with the
// applications (src/diameter/apps) installed as the core's request handler.
import { registerListenerFactory } from '../../engine/process/listeners.js';
import { installApplications } from '../apps/index.js';
import { DiameterTcpListener, diameterCoreOf } from './tcp.js';

registerListenerFactory('diameter', (endpoint, ctx) => {
  const core = diameterCoreOf(ctx);
  installApplications(core, ctx);
  return new DiameterTcpListener(endpoint, core);
});
