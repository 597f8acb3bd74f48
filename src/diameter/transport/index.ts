// Registers the Diameter TCP listener with the engine (imported by src/engine/process/protocols.ts).
import { registerListenerFactory } from '../../engine/process/listeners.js';
import { DiameterTcpListener, diameterCoreOf } from './tcp.js';

registerListenerFactory('diameter', (endpoint, ctx) => new DiameterTcpListener(endpoint, diameterCoreOf(ctx)));
