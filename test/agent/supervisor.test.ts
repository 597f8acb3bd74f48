// The supervisor with stand-in engines (tiny scripts speaking the IPC protocol), so that back-off timing
// can be checked with short delays.
import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { resolveHome, type AregHome } from '../../src/home.js';
import { EngineSupervisor, describeExit } from '../../src/agent/supervisor.js';
import { currentCommandLine, listShellSessions, registerShellSession } from '../../src/agent/sessions.js';
import type { Log } from '../../src/log/logger.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** An engine that starts, then crashes after `crashAfterMs` (never, if negative). */
function fakeEngine(dir: string, crashAfterMs: number): string {
  const file = path.join(dir, `engine-${crashAfterMs}.mjs`);
  fs.writeFileSync(
    file,
    `process.on('message', (m) => {
       if (m.type !== 'request') return;
       process.send({ type: 'reply', id: m.id, ok: true, result: { verb: m.verb } }, () => {
         if (m.verb === 'stop') process.exit(0);
       });
     });
     process.on('disconnect', () => process.exit(0));
     process.send({ type: 'event', event: 'started', pid: process.pid, revision: 7, savedAt: 'x', endpoints: [] });
     if (${crashAfterMs} >= 0) setTimeout(() => process.exit(70), ${crashAfterMs});
     else setInterval(() => {}, 1000);`,
  );
  return file;
}

function recordingLog(lines: string[]): Log {
  const push = (sev: string) => (cat: string, msg: string) => void lines.push(`${sev} ${cat} ${msg}`);
  return { log: (s, c, m) => void lines.push(`${s} ${c} ${m}`), info: push('Info'), warning: push('Warning'), error: push('Error'), debug: push('Debug') };
}

describe('engine supervisor', function () {
  this.timeout(20_000);
  let root: string;
  let home: AregHome;
  let sup: EngineSupervisor | undefined;

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(tmpdir(), 'areg-sup-'));
    home = resolveHome(root);
  });
  afterEach(async () => {
    await sup?.stop();
    sup = undefined;
    fs.rmSync(root, { recursive: true, force: true });
  });

  /** A supervisor of an engine crashing after `crashAfterMs`; returns the restart delays it logged. */
  const crashing = (crashAfterMs: number, o: { backoffMaxMs: number; stableMs: number }): (() => string[]) => {
    const lines: string[] = [];
    sup = new EngineSupervisor({ home, log: recordingLog(lines), enginePath: fakeEngine(root, crashAfterMs), backoffInitialMs: 100, ...o });
    return () => lines.filter((l) => l.includes('exited unexpectedly')).map((l) => /restarting in ([\d.]+) s/.exec(l)![1]!);
  };

  it('describes exits', () => {
    assert.equal(describeExit(null, 'SIGKILL'), 'killed by signal SIGKILL');
    assert.equal(describeExit(78, null, '1 configuration problem: x'), 'configuration invalid: 1 configuration problem: x');
    assert.equal(describeExit(70, null), 'exited with code 70 (internal error)');
    assert.equal(describeExit(1, null), 'exited with code 1');
  });

  it('backs off 1, 2, 4 … up to the maximum between restarts of a crashing engine', async () => {
    const delays = crashing(0, { backoffMaxMs: 400, stableMs: 60_000 });
    const r = await sup!.start();
    assert.equal(r.ok, true);
    for (let waited = 0; delays().length < 4 && waited < 10_000; waited += 50) await sleep(50);
    assert.deepEqual(delays().slice(0, 4), ['0.1', '0.2', '0.4', '0.4']);
    assert.ok(sup!.restarts >= 4);
    assert.equal(sup!.lastExit?.reason, 'exited with code 70 (internal error)');
    assert.equal(sup!.lastExit?.expected, false);
  });

  it('resets the back-off after a stable run', async () => {
    const delays = crashing(150, { backoffMaxMs: 1000, stableMs: 100 });
    await sup!.start();
    await sleep(1000);
    assert.ok(delays().length >= 2);
    assert.ok(delays().every((d) => d === '0.1'), delays().join(','));
  });

  it('forwards requests, writes engine.pid, and stops on request without restarting', async () => {
    const lines: string[] = [];
    sup = new EngineSupervisor({ home, log: recordingLog(lines), enginePath: fakeEngine(root, -1) });
    const r = await sup.start();
    assert.ok(r.ok);
    assert.equal(Number(fs.readFileSync(home.enginePid, 'utf8')), r.pid);
    assert.deepEqual(await sup.request('stats'), { verb: 'stats' });
    assert.equal(sup.info().revision, 7);
    await sup.stop();
    assert.equal(sup.state, 'stopped');
    assert.equal(sup.restarts, 0);
    assert.equal(sup.lastExit?.expected, true);
    assert.ok(!fs.existsSync(home.enginePid));
    await assert.rejects(sup.request('stats'), /Server 'Radius' is not running/);
  });

  it('registers shell sessions and ignores dead ones', () => {
    assert.equal(currentCommandLine(['/usr/bin/node', '/opt/areg/bin/aregcmd', '-s', 'ls']), 'aregcmd -s ls');
    const unregister = registerShellSession(home, { commandLine: 'aregcmd -N admin' });
    fs.writeFileSync(path.join(home.sessions, '999999999'), 'aregcmd stale\n');
    const list = listShellSessions(home);
    assert.deepEqual(list.map((s) => [s.pid, s.commandLine]), [[process.pid, 'aregcmd -N admin']]);
    assert.ok(!fs.existsSync(path.join(home.sessions, '999999999')));
    unregister();
    assert.deepEqual(listShellSessions(home), []);
  });
});
