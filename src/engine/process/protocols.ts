// The protocol modules the engine process loads before it starts its listeners. Each module registers a
// ListenerFactory at import time (see listeners.ts). Add a module by adding its import here, e.g.
//   await import('../../radius/listener.js');
// Until one is registered for a protocol, the engine reports that protocol's endpoints as `unserved`.
export async function loadProtocolModules(): Promise<void> {
  await import('../../radius/server/index.js');
  await import('../../diameter/transport/index.js');
}
