// The Diameter servers `npm run bench -- diameter` drives, one at a time, each on free 127.0.0.1 ports in a
// throw-away directory: areg (bin/arserver in a temporary AREG_HOME: the RADIUS bench's setup — local users,
// accounting to the factory file service `local-file`, TraceLevel 0 — plus Identity server.test, realm test and a
// Diameter client bench.test), and freeDiameter 1.2.1 per peers.md §8.4 (4 server and 4 application threads,
// test_app in server benchmark mode, test_acct, acl_wl letting *.test in). Each says which exchange serves
// which workload: freeDiameter has no NASREQ server, so test_app's Test-Request stands in for the AA-Request.
import fs from 'node:fs';
import path from 'node:path';
import { FreeDiameterServer, requireFdExtension, requireFreeDiameter } from './diameter-freediameter.js';
import type { Mode } from './diameter-wire.js';
import { startAreg } from './servers.js';

export type DiameterWorkload = 'aar' | 'acr' | 'dwr';

export const SERVER_IDENTITY = 'server.test';
export const REALM = 'test';

export interface DiameterBenchServer {
  name: string;
  port: number;
  /** The exchange that serves each workload on this server. */
  exchange: Record<DiameterWorkload, Mode>;
  /** Origin-Host of the generator's n-th connection (areg knows one client; freeDiameter takes any *.test). */
  originHost(n: number): string;
  /** The process whose CPU time is measured. */
  servingPid: number | undefined;
  stop(): Promise<void>;
}

const AREG_CLIENT = 'bench.test';

/** areg's engine serving Diameter: the RADIUS bench's areg with a Diameter identity and the generator as its client. */
export async function startAregDiameter(users: number): Promise<DiameterBenchServer> {
  const areg = await startAreg(users, {
    extra: [
      'cd /Radius/Advanced/Diameter/TransportManagement', `set Identity ${SERVER_IDENTITY}`, `set Realm ${REALM}`,
      'cd /Radius/Clients', 'add bench', 'cd bench', 'set Protocol diameter', `set HostName ${AREG_CLIENT}`, 'set IPAddress 127.0.0.1',
    ],
  });
  return {
    name: 'areg',
    port: areg.diameter,
    exchange: { aar: 'aar', acr: 'acr', dwr: 'dwr' },
    originHost: () => AREG_CLIENT,
    servingPid: areg.servingPid,
    stop: () => areg.stop(),
  };
}

/** freeDiameter 1.2.1 as the baseline server (peers.md §8.4). */
export async function startFreeDiameter(): Promise<DiameterBenchServer> {
  requireFreeDiameter();
  const [testApp, testAcct] = [requireFdExtension('test_app.fdx'), requireFdExtension('test_acct.fdx')];
  const fd = new FreeDiameterServer({
    identity: SERVER_IDENTITY, realm: REALM, allow: `*.${REALM}`, threads: 4,
    extra: (dir) => [`LoadExtension = "${testApp}" : "${dir}/test_app.conf";`, `LoadExtension = "${testAcct}";`],
  });
  // Server mode; `benchmark` keeps it from printing a line per Test-Request.
  fs.writeFileSync(path.join(fd.dir, 'test_app.conf'), 'mode = server;\nbenchmark;\n');
  try {
    await fd.start();
  } catch (e) {
    await fd.stop();
    throw e;
  }
  return {
    name: 'freeDiameter',
    port: fd.port,
    exchange: { aar: 'test', acr: 'acr', dwr: 'dwr' },
    // A new Origin-Host per connection: freeDiameter drops a reconnect of the same identity right after its DPR.
    originHost: (n) => `bench${n}.${REALM}`,
    servingPid: fd.pid,
    stop: () => fd.stop(),
  };
}
