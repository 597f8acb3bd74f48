// Health of the engine (aregcmd.md §12, areg's choice): 10 minus penalties — stopped = 0; −3 per listener
// that failed to bind; −2 if any referenced script failed to load; −1 per inactive remote server (max −3);
// −1 while the packet pool is above 75 %; never below 1 while running.

export interface HealthInputs {
  running: boolean;
  failedListeners: number;
  scriptLoadFailed: boolean;
  inactiveRemoteServers: number;
  /** Packets in the pool / pool size, 0–1. */
  packetPoolFill: number;
}

export function computeHealth(h: HealthInputs): number {
  if (!h.running) return 0;
  let score = 10;
  score -= 3 * h.failedListeners;
  if (h.scriptLoadFailed) score -= 2;
  score -= Math.min(3, Math.max(0, h.inactiveRemoteServers));
  if (h.packetPoolFill > 0.75) score -= 1;
  return Math.max(1, score);
}

/** Where engine components report what health depends on. Components set the flag or install a function;
 * the engine reads them when `status` is asked. */
export class HealthSources {
  scriptLoadFailed = false;
  inactiveRemoteServers: () => number = () => 0;
  packetPoolFill: () => number = () => 0;
}

/** The status line shared by aregcmd and arserver. */
export function serverStatusLine(running: boolean, health: number, server = 'Radius'): string {
  return running
    ? `Server '${server}' is Running, its health is ${health} out of 10`
    : `Server '${server}' is Stopped`;
}
