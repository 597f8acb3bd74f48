// A real engine for integration tests: a temporary AREG_HOME whose factory tree is moved to free loopback
// ports (plus any extra aregcmd lines), started with bin/arserver and stopped after the tests.
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import dgram from 'node:dgram';
import net from 'node:net';
import path from 'node:path';
import { ensureBuilt, repoRoot } from './build.js';
import { makeTempHome, type TempHome } from './home.js';
import { loopbackPortsScript } from '../../src/bench/loopback.js';

const ARSERVER = path.join(repoRoot, 'bin', 'arserver');

export async function freeUdpPort(): Promise<number> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  const port = s.address().port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

export async function freeTcpPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

export interface RunningEngine {
  home: TempHome;
  auth: number;
  acct: number;
  diameter: number;
  arserver(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  stop(): Promise<void>;
}

/** Starts an engine; `setup` lines run in aregcmd after the ports are moved, before the save. */
export async function startEngine(setup: string[] = []): Promise<RunningEngine> {
  await ensureBuilt();
  const home = makeTempHome();
  const [auth, acct, diameter] = [await freeUdpPort(), await freeUdpPort(), await freeTcpPort()];
  const script = [...loopbackPortsScript(auth, acct, diameter), ...setup, 'save'];
  const r = await home.run(['-f', '-'], { input: script.join('\n') + '\n' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  const arserver = (...args: string[]) => new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, [ARSERVER, ...args], { env: home.env() as NodeJS.ProcessEnv, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
  const started = await arserver('start');
  assert.equal(started.code, 0, started.stdout + started.stderr);
  return {
    home, auth, acct, diameter, arserver,
    async stop() {
      await arserver('stop', '--force');
      home.remove();
    },
  };
}
