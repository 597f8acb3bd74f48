// The servers the benchmark drives, each in a throw-away directory on free 127.0.0.1 ports, started and
// stopped by this process: areg (bin/arserver in a temporary AREG_HOME, configured by a generated aregcmd
// script) and FreeRADIUS 3.2 configured per peers.md §2. Both are stopped by the pids recorded at start.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { statusServer, checkReply, allowedReplies } from './radius-wire.js';
import { loopbackPortsScript } from './loopback.js';

/** The repository (this file runs as dist/src/bench/servers.js). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export const SECRET = 'testing123';
export const PASSWORD = 'password';

export interface BenchServer {
  name: string;
  auth: number;
  acct: number;
  /** areg's Diameter TCP port (0 for FreeRADIUS). */
  diameter: number;
  /** Processes to kill at the end, whatever happened. */
  pids: number[];
  /** The process that serves RADIUS, whose CPU time is measured. */
  servingPid: number | undefined;
  stop(): Promise<void>;
}

export async function freePort(type: 'udp' | 'tcp'): Promise<number> {
  if (type === 'tcp') {
    const srv = net.createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
    const port = (srv.address() as net.AddressInfo).port;
    await new Promise<void>((r) => srv.close(() => r()));
    return port;
  }
  const s = dgram.createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  const port = s.address().port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

interface Exec {
  code: number;
  stdout: string;
  stderr: string;
}

export function exec(file: string, args: string[], opts: { env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number } = {}): Promise<Exec> {
  return new Promise((resolve) => {
    const child = execFile(file, args, { env: opts.env ?? process.env, timeout: opts.timeoutMs ?? 60_000, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
    // The child may exit without reading its input; its exit status tells what happened.
    child.stdin?.on('error', () => {});
    child.stdin?.end(opts.input ?? '');
  });
}

function killPid(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}

/** CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat; undefined when unreadable. */
export function processCpuSec(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of stat(5), i.e. 12 and 13 after the command name; USER_HZ = 100.
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/** SIGTERM, then SIGKILL after `graceMs` for whatever is still alive. */
export async function killPids(pids: readonly number[], graceMs = 5000): Promise<void> {
  const alive = pids.filter((p) => killPid(p, 'SIGTERM'));
  const deadline = Date.now() + graceMs;
  while (alive.some((p) => killPid(p, 0)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  for (const p of alive) killPid(p, 'SIGKILL');
}

/** Waits until the server answers a Status-Server on `port` (our own packet, its reply checked). */
export async function waitForStatus(port: number, timeoutMs: number): Promise<void> {
  const secret = Buffer.from(SECRET);
  const s = dgram.createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  try {
    const deadline = Date.now() + timeoutMs;
    for (let id = 0; Date.now() < deadline; id = (id + 1) & 255) {
      const req = statusServer(id, secret);
      const ok = await new Promise<boolean>((resolve) => {
        const t = setTimeout(() => {
          s.off('message', on);
          resolve(false);
        }, 300);
        const on = (msg: Buffer): void => {
          if (checkReply(msg, req, secret, allowedReplies(req, 'auth')) !== 'ok') return;
          clearTimeout(t);
          s.off('message', on);
          resolve(true);
        };
        s.on('message', on);
        s.send(req, port, '127.0.0.1');
      });
      if (ok) return;
    }
    throw new Error(`no answer to Status-Server on 127.0.0.1:${port} within ${timeoutMs} ms`);
  } finally {
    s.close();
  }
}

export const benchUser = (i: number): string => `user${String(i).padStart(4, '0')}`;

/**
 * The aregcmd lines of the bench configuration, ports aside: the bench client's secret, trace 0, `users` PAP
 * users, when given the file accounting writer's extra wait (factory 0: an idle writer writes at once), then the
 * `extra` lines. Unsaved.
 */
export function benchSetupLines(users: number, syncIntervalMs?: number, extra: readonly string[] = []): string[] {
  const lines = [
    'set /Radius/Advanced/TraceLevel 0',
    ...(syncIntervalMs === undefined ? [] : [`set /Radius/Advanced/AAAFileServiceSyncInterval ${syncIntervalMs}`]),
    `set /Radius/Clients/localhost/SharedSecret ${SECRET}`,
    'cd /Radius/UserLists/Default',
  ];
  for (let i = 1; i <= users; i++) lines.push(`add ${benchUser(i)} "" ${PASSWORD} FALSE`);
  return [...lines, ...extra];
}

/** The whole aregcmd script: ports on 127.0.0.1, the bench configuration, save. */
function aregSetup(auth: number, acct: number, diameter: number, users: number, syncIntervalMs?: number, extra: readonly string[] = []): string {
  return [...loopbackPortsScript(auth, acct, diameter), ...benchSetupLines(users, syncIntervalMs, extra), 'save'].join('\n') + '\n';
}

export interface AregOptions {
  /** AAAFileServiceSyncInterval for the accounting writer (the name then says so). */
  syncIntervalMs?: number;
  /** More aregcmd lines (e.g. the Diameter identity and client). */
  extra?: readonly string[];
}

/** areg: bin/arserver in a temporary AREG_HOME; accounting goes to the factory file service (local-file). */
export async function startAreg(users: number, { syncIntervalMs, extra = [] }: AregOptions = {}): Promise<BenchServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'areg-bench-'));
  const env: NodeJS.ProcessEnv = { ...process.env, AREG_HOME: path.join(dir, 'areg'), HOME: path.join(dir, 'home'), NO_COLOR: '1' };
  delete env.AREG_USER;
  delete env.AREG_PASSWORD;
  fs.mkdirSync(env.AREG_HOME!);
  fs.mkdirSync(env.HOME!);
  const auth = await freePort('udp');
  const acct = await freePort('udp');
  const diameter = await freePort('tcp');
  const node = process.execPath;
  const arserver = (...args: string[]): Promise<Exec> => exec(node, [path.join(repoRoot, 'bin', 'arserver'), ...args], { env, timeoutMs: 90_000 });
  const pids: number[] = [];
  const server: BenchServer = {
    name: syncIntervalMs === undefined ? 'areg' : `areg (sync ${syncIntervalMs} ms)`,
    auth,
    acct,
    diameter,
    pids,
    servingPid: undefined,
    async stop() {
      await arserver('stop', '--force');
      await killPids(pids);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    const setup = await exec(node, [path.join(repoRoot, 'bin', 'aregcmd'), '-f', '-'], { env, input: aregSetup(auth, acct, diameter, users, syncIntervalMs, extra), timeoutMs: 120_000 });
    if (setup.code !== 0) throw new Error(`aregcmd setup failed (${setup.code}): ${setup.stdout.slice(-2000)}${setup.stderr}`);
    const started = await arserver('start');
    if (started.code !== 0) throw new Error(`arserver start failed: ${started.stdout}${started.stderr}`);
    const status = await arserver('status', '--json');
    const s = JSON.parse(status.stdout) as { agent?: { pid?: number }; engine?: { pid?: number } };
    for (const pid of [s.engine?.pid, s.agent?.pid]) if (typeof pid === 'number') pids.push(pid);
    server.servingPid = s.engine?.pid;
    await waitForStatus(auth, 20_000);
    return server;
  } catch (e) {
    await server.stop();
    throw e;
  }
}

export function freeradiusBinary(): string {
  for (const f of ['/usr/sbin/freeradius', '/usr/sbin/radiusd']) if (fs.existsSync(f)) return f;
  throw new Error('FreeRADIUS is not installed: apt-get install -y --no-install-recommends freeradius');
}

/** FreeRADIUS 3.2 per peers.md §2: own raddb copy, 127.0.0.1 listeners, 1,000 users in files, detail accounting. */
export async function startFreeradius(users: number): Promise<BenchServer> {
  const bin = freeradiusBinary();
  const D = fs.mkdtempSync(path.join(os.tmpdir(), 'freeradius-bench-'));
  const R = path.join(D, 'raddb');
  fs.cpSync('/etc/freeradius/3.0', R, { recursive: true, verbatimSymlinks: true });
  fs.mkdirSync(path.join(D, 'log'));
  fs.mkdirSync(path.join(D, 'run'));
  const auth = await freePort('udp');
  const acct = await freePort('udp');
  const edit = (file: string, f: (text: string) => string): void => {
    const p = path.join(R, file);
    fs.writeFileSync(p, f(fs.readFileSync(p, 'utf8')));
  };
  edit('radiusd.conf', (t) =>
    t
      .replace(/^logdir = .*$/m, `logdir = ${D}/log`)
      .replace(/^raddbdir = .*$/m, `raddbdir = ${R}`)
      .replace(/^run_dir = .*$/m, `run_dir = ${D}/run`)
      .replace(/^(\s*)user = freerad/m, '$1#user = freerad')
      .replace(/^(\s*)group = freerad/m, '$1#group = freerad')
      .replace(/^max_requests = .*$/m, 'max_requests = 262144')
      .replace(/^(\s*)max_servers = .*$/m, '$1max_servers = 32')
      .replace(/^proxy_requests *= *yes/m, 'proxy_requests = no'),
  );
  const dropListen = (t: string): string => t.replace(/^listen \{[\s\S]*?^\}\n/gm, '');
  edit('sites-available/inner-tunnel', dropListen);
  const listen = (type: string, port: number): string => `listen {\n\ttype = ${type}\n\tipaddr = 127.0.0.1\n\tport = ${port}\n\trecv_buff = 4194304\n}\n`;
  edit('sites-available/default', (t) => {
    const out = dropListen(t).replace(/^server default \{\n/m, (m) => m + listen('auth', auth) + listen('acct', acct));
    // Accounting to the detail file only, as areg writes one detail file (no utmp-style `unix` module).
    return out.replace(/^(accounting \{[\s\S]*?^)(\s*)unix$/m, '$1$2#unix');
  });
  fs.writeFileSync(
    path.join(R, 'clients.conf'),
    `client localhost {\n\tipaddr = 127.0.0.1\n\tsecret = ${SECRET}\n\trequire_message_authenticator = no\n\tnas_type = other\n}\n`,
  );
  const userLines = ['test\tAuth-Type := Digest, Cleartext-Password := "test"', '\tReply-Message := "digest ok"'];
  for (let i = 1; i <= users; i++) userLines.push(`${benchUser(i)}\tCleartext-Password := "${PASSWORD}"`);
  const authorize = path.join(R, 'mods-config', 'files', 'authorize');
  fs.rmSync(authorize, { force: true });
  fs.writeFileSync(authorize, userLines.join('\n') + '\n');

  const check = await exec(bin, ['-C', '-d', R], { timeoutMs: 30_000 });
  if (check.code !== 0) throw new Error(`freeradius -C failed: ${check.stdout.slice(-3000)}${check.stderr}`);
  const child: ChildProcess = spawn('timeout', ['3600', bin, '-f', '-d', R, '-l', path.join(D, 'log', 'radius.log')], { stdio: 'ignore', detached: false });
  const pids = child.pid ? [child.pid] : [];
  const server: BenchServer = {
    name: 'FreeRADIUS',
    auth,
    acct,
    diameter: 0,
    pids,
    servingPid: undefined,
    async stop() {
      // `timeout` forwards SIGTERM to FreeRADIUS; the FreeRADIUS pid itself is killed as well when known.
      if (server.servingPid) pids.push(server.servingPid);
      await killPids(pids.filter((p) => p > 0));
      fs.rmSync(D, { recursive: true, force: true });
    },
  };
  try {
    await waitForStatus(auth, 30_000);
    // FreeRADIUS runs under `timeout` (a safety net should this process die): its pid is timeout's only child.
    try {
      server.servingPid = Number(fs.readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim().split(' ')[0]) || undefined;
    } catch {
      server.servingPid = undefined;
    }
    return server;
  } catch (e) {
    const log = path.join(D, 'log', 'radius.log');
    const tail = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').slice(-3000) : '';
    await server.stop();
    throw new Error(`${e instanceof Error ? e.message : String(e)}\n${tail}`);
  }
}
