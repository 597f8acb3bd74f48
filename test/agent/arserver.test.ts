// End-to-end: the built bin/arserver, a detached agent, the forked engine and the real configuration
// loader on the factory tree, each test in its own temporary AREG_HOME.
import { strict as assert } from 'node:assert';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ensureBuilt, repoRoot } from '../support/build.js';
import { resolveHome, type AregHome } from '../../src/home.js';
import { agentRequest, AgentNotRunningError, AgentRequestError, AGENT_NOT_RUNNING } from '../../src/agent/client.js';
import { registerShellSession, listShellSessions } from '../../src/agent/sessions.js';
import { isAlive, readPidFile } from '../../src/agent/pidfile.js';
import type { AgentStatus } from '../../src/agent/protocol.js';
import { LOG_LINE_RE } from '../../src/log/logger.js';

const BIN = path.join(repoRoot, 'bin', 'arserver');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function arserver(home: AregHome, ...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env: { ...process.env, AREG_HOME: home.root }, timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? ((err as { code?: number }).code ?? 1) : 0;
      resolve({ code: typeof code === 'number' ? code : 1, stdout, stderr });
    });
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function waitFor<T>(what: string, fn: () => Promise<T | undefined> | T | undefined, ms = 8000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

function storeJson(home: AregHome): { meta: { revision: number }; root: Record<string, any> } {
  return JSON.parse(fs.readFileSync(home.store, 'utf8'));
}

/** Writes a new saved revision directly (as if an administrator had saved), optionally breaking it. */
function saveRevision(home: AregHome, broken: boolean): number {
  const data = storeJson(home);
  data.meta.revision++;
  const svc = data.root.$children.Radius.$children.Services.$children['local-users'];
  svc.UserList = broken ? 'NoSuchUserList' : 'Default';
  fs.writeFileSync(home.store, JSON.stringify(data, null, 2));
  return data.meta.revision;
}

function deadPid(): Promise<number> {
  return new Promise((resolve) => {
    const c = spawn(process.execPath, ['-e', '0']);
    c.on('exit', () => resolve(c.pid!));
  });
}

describe('arserver and the Server Agent (built JS, real loader)', function () {
  this.timeout(60_000);
  let home: AregHome;
  const children: ChildProcess[] = [];

  before(async function () {
    this.timeout(180_000);
    await ensureBuilt();
  });

  beforeEach(() => {
    home = resolveHome(fs.mkdtempSync(path.join(tmpdir(), 'areg-agent-')));
  });

  afterEach(async () => {
    // Never leave an agent or engine behind, whatever the test did.
    const agentPid = readPidFile(home.agentPid);
    if (agentPid && isAlive(agentPid)) await arserver(home, 'stop', '--force');
    for (const f of [home.agentPid, home.enginePid]) {
      const pid = readPidFile(f);
      if (pid && isAlive(pid)) process.kill(pid, 'SIGKILL');
    }
    for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
    fs.rmSync(home.root, { recursive: true, force: true });
  });

  it('start, status (text and --json), start again, stop: texts, exit statuses and files', async () => {
    const s = await arserver(home, 'start');
    assert.equal(s.code, 0, s.stderr);
    const lines = s.stdout.trimEnd().split('\n');
    assert.equal(lines[0], 'Starting areg Server Agent...');
    assert.match(lines[1]!, /^areg Server Agent running \(pid: \d+\)$/);
    assert.match(lines[2]!, /^areg RADIUS server running \(pid: \d+\)$/);
    assert.equal(lines[3], "Server 'Radius' is Running, its health is 10 out of 10");
    const agentPid = readPidFile(home.agentPid)!;
    const enginePid = readPidFile(home.enginePid)!;
    assert.ok(isAlive(agentPid) && isAlive(enginePid));
    assert.ok(fs.statSync(home.agentSock).isSocket());

    const st = await arserver(home, 'status');
    assert.equal(st.code, 0);
    assert.ok(st.stdout.startsWith(`areg Server Agent running (pid: ${agentPid})\nareg RADIUS server running (pid: ${enginePid})\n`));
    assert.match(st.stdout, /configuration revision 1 /);
    assert.match(st.stdout, /0\.0\.0\.0:1812\/udp RADIUS Access/);
    assert.match(st.stdout, /Restarts: 0/);
    assert.match(st.stdout, /totalRequests = 0/);

    const js = await arserver(home, 'status', '--json');
    assert.equal(js.code, 0);
    const obj = JSON.parse(js.stdout) as AgentStatus;
    assert.equal(obj.agent.pid, agentPid);
    assert.equal(obj.engine.pid, enginePid);
    assert.equal(obj.engine.revision, 1);
    assert.equal(obj.engine.health, 10);
    assert.deepEqual(
      obj.engine.endpoints.filter((e) => e.address === '0.0.0.0').map((e) => `${e.port}/${e.transport}`),
      ['1812/udp', '1813/udp', '3799/udp', '3868/tcp'],
    );

    const again = await arserver(home, 'start');
    assert.equal(again.code, 1);
    assert.match(again.stderr, /already running \(pid: \d+\)/);

    const stop = await arserver(home, 'stop');
    assert.equal(stop.code, 0, stop.stderr);
    assert.equal(stop.stdout, 'areg Server Agent shutdown complete.\n');
    assert.ok(!isAlive(agentPid) && !isAlive(enginePid));
    for (const f of [home.agentPid, home.enginePid, home.agentSock]) assert.ok(!fs.existsSync(f), `${f} removed`);

    const down = await arserver(home, 'status');
    assert.equal(down.code, 3);
    assert.equal(down.stdout, "areg Server Agent is not running\nareg RADIUS server is not running\nServer 'Radius' is Stopped\n");
    await assert.rejects(agentRequest(home, 'status'), (e: Error) => e instanceof AgentNotRunningError && e.message === AGENT_NOT_RUNNING);

    const engineLog = fs.readFileSync(path.join(home.logs, 'name_radius_1_log'), 'utf8').trimEnd().split('\n');
    for (const l of engineLog) assert.match(l, LOG_LINE_RE);
    assert.match(engineLog[0]!, / name\/radius\/1 Info Server 0 Starting Server$/);
    assert.ok(engineLog.some((l) => l.endsWith(`Server Started Successfully (pid: ${enginePid})`)));
    assert.ok(engineLog.at(-1)!.endsWith('Server Stopped'));
    const agentLog = fs.readFileSync(path.join(home.logs, 'agent_server_1_log'), 'utf8');
    assert.match(agentLog, /name\/agent\/1 Info Server 0 areg Server Agent shutdown complete\./);
  });

  it('restarts an engine killed with SIGKILL and reports the restart', async () => {
    assert.equal((await arserver(home, 'start')).code, 0);
    const first = readPidFile(home.enginePid)!;
    process.kill(first, 'SIGKILL');
    const t0 = Date.now();
    const st = await waitFor('the restarted engine', async () => {
      const s = await agentRequest<AgentStatus>(home, 'status');
      return s.engine.running && s.engine.pid !== first ? s : undefined;
    });
    assert.ok(Date.now() - t0 < 5000, 'restarted within a few seconds');
    assert.equal(st.engine.restarts, 1);
    assert.equal(st.engine.lastExit?.signal, 'SIGKILL');
    assert.equal(st.engine.lastExit?.reason, 'killed by signal SIGKILL');
    assert.equal(st.engine.lastExit?.expected, false);
    assert.equal(readPidFile(home.enginePid), st.engine.pid);
    const text = await arserver(home, 'status');
    assert.match(text.stdout, new RegExp(`Restarts: 1; last exit: pid ${first} killed by signal SIGKILL`));
    const agentLog = fs.readFileSync(path.join(home.logs, 'agent_server_1_log'), 'utf8');
    assert.match(agentLog, new RegExp(`Error Server 0 RADIUS server \\(pid ${first}\\) exited unexpectedly: killed by signal SIGKILL; restarting in 1 s`));
  });

  it('answers engine verbs over the socket: trace, trace-file-count, stats, reset-stats, reload, unknown verb', async () => {
    assert.equal((await arserver(home, 'start')).code, 0);
    assert.deepEqual(await agentRequest(home, 'trace'), { level: 0 });
    assert.deepEqual(await agentRequest(home, 'trace', { level: 4 }), { level: 4 });
    assert.deepEqual(await agentRequest(home, 'trace-file-count', { count: 3 }), { count: 3 });
    const stats = await agentRequest<{ radius: Record<string, number>; serverState: string }>(home, 'stats');
    assert.equal(stats.serverState, 'Running');
    assert.equal(stats.radius.totalRequests, 0);
    const reset = await agentRequest<{ serverResetTime: string }>(home, 'reset-stats');
    assert.ok(Date.parse(reset.serverResetTime) > 0);
    assert.deepEqual(await agentRequest(home, 'dia-stats'), { peers: {} });
    await assert.rejects(agentRequest(home, 'frobnicate'), (e: Error) => e instanceof AgentRequestError && e.code === 'UNKNOWN_VERB');

    const rev2 = saveRevision(home, false);
    const reloaded = await agentRequest<{ revision: number; previousRevision: number }>(home, 'reload');
    assert.equal(reloaded.revision, rev2);
    assert.equal(reloaded.previousRevision, 1);
    assert.equal(saveRevision(home, true), 3);
    await assert.rejects(agentRequest(home, 'reload'), (e: Error) => {
      assert.ok(e instanceof AgentRequestError);
      assert.match(e.message, /^reload failed: .*NoSuchUserList.*; still running revision 2$/);
      return true;
    });
    const st = await agentRequest<AgentStatus>(home, 'status');
    assert.equal(st.engine.revision, 2);
    assert.equal(st.engine.running, true);
    assert.equal(st.engine.traceLevel, 4);

    // Engine control from aregcmd: stop keeps the agent, start brings the engine back.
    const stopped = await agentRequest<AgentStatus>(home, 'stop');
    assert.equal(stopped.engine.state, 'stopped');
    assert.equal(stopped.statusLine, "Server 'Radius' is Stopped");
    assert.equal(stopped.engine.lastExit?.expected, true);
    assert.ok(!fs.existsSync(home.enginePid));
    await assert.rejects(agentRequest(home, 'stats'), (e: Error) => e instanceof AgentRequestError && e.code === 'ENGINE_STOPPED');
    await assert.rejects(agentRequest(home, 'start'), (e: Error) => e instanceof AgentRequestError && e.code === 'START_FAILED' && /NoSuchUserList/.test(e.message));
    saveRevision(home, false);
    const started = await agentRequest<AgentStatus>(home, 'start');
    assert.equal(started.engine.running, true);
    assert.equal(started.engine.revision, 4);
  });

  it('an invalid saved tree: start fails with status 2, the engine is retried with back-off, and a fix is picked up', async () => {
    fs.mkdirSync(home.dbDir, { recursive: true });
    // Create the factory store, then break it.
    const { ConfigStore } = await import('../../src/store/store.js');
    await ConfigStore.open(home);
    saveRevision(home, true);
    const s = await arserver(home, 'start');
    assert.equal(s.code, 2, s.stdout + s.stderr);
    assert.match(s.stderr, /^ERROR: the RADIUS server failed to start: configuration invalid: .*NoSuchUserList/m);
    assert.match(s.stdout, /areg Server Agent running/);
    assert.match(s.stdout, /Server 'Radius' is Stopped/);
    const log = fs.readFileSync(path.join(home.logs, 'name_radius_1_log'), 'utf8');
    assert.match(log, /Error Configuration 0 The saved configuration is invalid \(1 problem\):/);
    assert.match(log, /Error Configuration 0 \/Radius\/Services\/local-users.*NoSuchUserList/);
    await sleep(3500);
    const st = await agentRequest<AgentStatus>(home, 'status');
    assert.ok(st.engine.restarts >= 1 && st.engine.restarts <= 3, `back-off, not a fast loop (restarts ${st.engine.restarts})`);
    assert.equal(st.engine.lastExit?.code, 78);
    assert.match(st.engine.lastError ?? '', /configuration invalid/);
    assert.ok(st.engine.nextRestartAt === null || Date.parse(st.engine.nextRestartAt) > Date.now() - 1000);
    saveRevision(home, false);
    const started = await agentRequest<AgentStatus>(home, 'start');
    assert.equal(started.engine.running, true);
    assert.equal(started.engine.lastError, null);
  });

  it('cleans a stale pid file and socket left by a dead agent', async () => {
    fs.mkdirSync(home.run, { recursive: true });
    const dead = await deadPid();
    fs.writeFileSync(home.agentPid, `${dead}\n`);
    fs.writeFileSync(home.enginePid, `${dead}\n`);
    fs.writeFileSync(home.agentSock, '');
    const st = await arserver(home, 'status');
    assert.equal(st.code, 3);
    assert.ok(!fs.existsSync(home.agentPid) && !fs.existsSync(home.agentSock) && !fs.existsSync(home.enginePid));
    fs.writeFileSync(home.agentPid, `${dead}\n`);
    fs.writeFileSync(home.agentSock, '');
    const s = await arserver(home, 'start');
    assert.equal(s.code, 0, s.stderr);
    assert.notEqual(readPidFile(home.agentPid), dead);
  });

  it('an engine whose agent was killed stops by itself; the next start cleans up and works', async () => {
    assert.equal((await arserver(home, 'start')).code, 0);
    const agentPid = readPidFile(home.agentPid)!;
    const enginePid = readPidFile(home.enginePid)!;
    process.kill(agentPid, 'SIGKILL');
    await waitFor('the orphaned engine to exit', () => !isAlive(enginePid) || undefined);
    assert.ok(fs.readFileSync(path.join(home.logs, 'name_radius_1_log'), 'utf8').includes('Stopping Server (Server Agent disconnected)'));
    const st = await arserver(home, 'status');
    assert.equal(st.code, 3);
    const s = await arserver(home, 'start');
    assert.equal(s.code, 0, s.stderr);
  });

  it('stop is refused while a live aregcmd session is registered, and --force overrides', async () => {
    assert.equal((await arserver(home, 'start')).code, 0);
    const shell = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    children.push(shell);
    registerShellSession(home, { pid: shell.pid!, commandLine: 'aregcmd -s' });
    const dead = await deadPid();
    registerShellSession(home, { pid: dead, commandLine: 'aregcmd -N gone' });
    assert.deepEqual(listShellSessions(home).map((x) => x.pid), [shell.pid]);
    const refused = await arserver(home, 'stop');
    assert.equal(refused.code, 1);
    const err = refused.stderr.split('\n');
    assert.match(err[0]!, /^ERROR: The server cannot be shut down while the CLI \(aregcmd\) is in use/);
    assert.equal(err[1], `${shell.pid} aregcmd -s`);
    assert.ok(!refused.stderr.includes('gone'));
    assert.ok(isAlive(readPidFile(home.agentPid)!));
    const forced = await arserver(home, 'stop', '--force');
    assert.equal(forced.code, 0);
    assert.equal(forced.stdout, 'areg Server Agent shutdown complete.\n');
    assert.ok(!fs.existsSync(home.agentPid));
  });

  it('prints usage for --help (status 0) and rejects a bad action with status 2', async () => {
    const help = await arserver(home, '--help');
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^Usage: arserver start \[--foreground\] \| stop \[--force\] \| restart \[--force\] \| status \[--json\]/);
    const bad = await arserver(home, 'bogus');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^ERROR: Expected bogus to be one of: start, stop, restart, status/);
  });

  it('restart stops and starts again (new pids)', async () => {
    assert.equal((await arserver(home, 'start')).code, 0);
    const before = readPidFile(home.agentPid);
    const r = await arserver(home, 'restart');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^areg Server Agent shutdown complete\.\nStarting areg Server Agent\.\.\.\nareg Server Agent running/);
    assert.notEqual(readPidFile(home.agentPid), before);
  });

  it('--foreground runs attached, logs to stderr, and exits 0 on SIGTERM after a clean stop', async () => {
    const fg = spawn(process.execPath, [BIN, 'start', '--foreground'], { env: { ...process.env, AREG_HOME: home.root } });
    children.push(fg);
    let stderr = '';
    fg.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => fg.on('exit', (code) => resolve(code)));
    const st = await waitFor('the foreground agent', async () => {
      try {
        const s = await agentRequest<AgentStatus>(home, 'status');
        return s.engine.running ? s : undefined;
      } catch {
        return undefined;
      }
    });
    assert.equal(st.agent.pid, fg.pid);
    assert.equal(st.agent.foreground, true);
    fg.kill('SIGTERM');
    assert.equal(await exited, 0);
    assert.match(stderr, /name\/agent\/1 Info Server 0 Server Agent shutting down \(SIGTERM\)/);
    assert.match(stderr, /RADIUS server stopped \(pid \d+, exited with code 0\)/);
    assert.ok(!fs.existsSync(home.agentPid) && !fs.existsSync(home.agentSock) && !fs.existsSync(home.enginePid));
  });
});
