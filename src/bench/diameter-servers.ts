// The Diameter servers `npm run bench -- diameter` drives, one at a time, each on free 127.0.0.1 ports in a
// throw-away directory: areg (bin/arserver in a temporary AREG_HOME: the RADIUS bench's setup — local users,
// accounting to the factory file service `local-file`, TraceLevel 0 — plus Identity server.test, realm test and a
// Diameter client bench.test), and freeDiameter 1.2.1 per peers.md §8.4 (4 server and 4 application threads,
// test_app in server benchmark mode, test_acct, acl_wl letting *.test in). Each says which exchange serves
// which workload: freeDiameter has no NASREQ server, so test_app's Test-Request stands in for the AA-Request.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FreeDiameterServer, requireFdExtension, requireFreeDiameter } from './diameter-freediameter.js';
import type { Mode } from './diameter-wire.js';
import { aregSetup, exec, freePort, killPids, repoRoot, waitForStatus } from './servers.js';

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

/** areg's engine serving Diameter, configured by aregcmd scripts like the RADIUS bench's. */
export async function startAregDiameter(users: number): Promise<DiameterBenchServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'areg-diameter-bench-'));
  const env: NodeJS.ProcessEnv = { ...process.env, AREG_HOME: path.join(dir, 'areg'), HOME: path.join(dir, 'home'), NO_COLOR: '1' };
  delete env.AREG_USER;
  delete env.AREG_PASSWORD;
  for (const d of [env.AREG_HOME!, env.HOME!]) fs.mkdirSync(d);
  const bin = (name: string, args: string[], input?: string) =>
    exec(process.execPath, [path.join(repoRoot, 'bin', name), ...args], { env, input, timeoutMs: 120_000 });
  const [auth, acct, port] = [await freePort('udp'), await freePort('udp'), await freePort('tcp')];
  const pids: number[] = [];
  const server: DiameterBenchServer = {
    name: 'areg',
    port,
    exchange: { aar: 'aar', acr: 'acr', dwr: 'dwr' },
    originHost: () => AREG_CLIENT,
    servingPid: undefined,
    async stop() {
      await bin('arserver', ['stop', '--force']);
      await killPids(pids);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    const diameter = [
      'cd /Radius/Advanced/Diameter/TransportManagement', `set Identity ${SERVER_IDENTITY}`, `set Realm ${REALM}`,
      'cd /Radius/Clients', 'add bench', 'cd bench', 'set Protocol diameter', `set HostName ${AREG_CLIENT}`, 'set IPAddress 127.0.0.1', 'save',
    ].join('\n') + '\n';
    for (const script of [aregSetup(auth, acct, port, users), diameter]) {
      const r = await bin('aregcmd', ['-f', '-'], script);
      if (r.code !== 0) throw new Error(`aregcmd setup failed (${r.code}): ${r.stdout.slice(-2000)}${r.stderr}`);
    }
    const started = await bin('arserver', ['start']);
    if (started.code !== 0) throw new Error(`arserver start failed: ${started.stdout}${started.stderr}`);
    const status = JSON.parse((await bin('arserver', ['status', '--json'])).stdout) as { agent?: { pid?: number }; engine?: { pid?: number } };
    pids.push(...[status.engine?.pid, status.agent?.pid].filter((p): p is number => typeof p === 'number'));
    server.servingPid = status.engine?.pid;
    await waitForStatus(auth, 20_000);
    return server;
  } catch (e) {
    await server.stop();
    throw e;
  }
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
