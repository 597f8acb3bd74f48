import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { resolveHome, type AregHome } from '../../src/home.js';
import { Engine } from '../../src/engine/process/engine.js';
import { ListenerRegistry, plannedEndpoints, type Endpoint, type Listener } from '../../src/engine/process/listeners.js';
import type { EngineConfigView, LoadedConfigView } from '../../src/engine/process/config.js';
import { computeHealth } from '../../src/engine/process/health.js';
import { LOG_LINE_RE } from '../../src/log/logger.js';

class FakeLoadError extends Error {
  problems: { path: string; message: string }[];
  constructor(problems: { path: string; message: string }[]) {
    super('invalid');
    this.problems = problems;
  }
}

function config(home: AregHome, over: Partial<EngineConfigView> = {}): EngineConfigView {
  return {
    advanced: {
      traceLevel: 0,
      logDirectory: home.logs,
      logFileSize: 1024 * 1024,
      logFileCount: 2,
      traceFileSize: 1024 * 1024,
      traceFileCount: 2,
      logServerActivity: false,
    },
    ports: [
      { port: 1812, type: 'auth' },
      { port: 1813, type: 'acct' },
    ],
    interfaces: ['127.0.0.1'],
    diameter: { transport: { identity: 'aaa.example.com', realm: 'example.com', tcpListenPort: 3868 } },
    ...over,
  };
}

function logLines(home: AregHome): string[] {
  return readFileSync(path.join(home.logs, 'name_radius_1_log'), 'utf8').trimEnd().split('\n');
}

describe('engine process (in-process, injected loader)', () => {
  let root: string;
  let home: AregHome;
  let next: () => Promise<LoadedConfigView>;
  const loader = (): Promise<LoadedConfigView> => next();

  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'areg-engine-'));
    home = resolveHome(root);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('plans endpoints from ports, interfaces and the Diameter transport', () => {
    const eps = plannedEndpoints(config(home, { interfaces: [] }));
    assert.deepEqual(
      eps.map((e) => `${e.protocol} ${e.address} ${e.port} ${e.label}${e.optional ? ' (optional)' : ''}`),
      [
        'radius 0.0.0.0 1812 RADIUS Access',
        'radius 0.0.0.0 1813 RADIUS Accounting',
        'radius :: 1812 RADIUS Access (optional)',
        'radius :: 1813 RADIUS Accounting (optional)',
        'diameter 0.0.0.0 3868 Diameter-TCP',
        'diameter :: 3868 Diameter-TCP (optional)',
      ],
    );
    const noPorts = plannedEndpoints(config(home, { ports: [], diameter: { transport: undefined } }));
    assert.deepEqual(noPorts.map((e) => e.port), [1812, 1813]);
  });

  it('computes health by the §12 rule', () => {
    const base = { running: true, failedListeners: 0, scriptLoadFailed: false, inactiveRemoteServers: 0, packetPoolFill: 0 };
    assert.equal(computeHealth(base), 10);
    assert.equal(computeHealth({ ...base, running: false }), 0);
    assert.equal(computeHealth({ ...base, failedListeners: 1, scriptLoadFailed: true }), 5);
    assert.equal(computeHealth({ ...base, inactiveRemoteServers: 7, packetPoolFill: 0.8 }), 6);
    assert.equal(computeHealth({ ...base, failedListeners: 5 }), 1);
  });

  it('starts, logs the start lines, reports unserved/listening/failed endpoints, and stops', async () => {
    next = async () => ({ revision: 3, savedAt: '2024-01-01T00:00:00.000Z', config: config(home) });
    const registry = new ListenerRegistry();
    const stopped: string[] = [];
    registry.register('radius', (e: Endpoint): Listener => ({
      async start() {
        if (e.port === 1813) throw new Error('EADDRINUSE');
        return { address: e.address, port: e.port, transport: e.transport };
      },
      async stop() {
        stopped.push(`${e.port}`);
      },
    }));
    const engine = new Engine<LoadedConfigView>({ home, loader, registry, pid: 728 });
    const r = await engine.start();
    assert.equal(r.ok, true);
    const st = engine.status();
    assert.equal(st.revision, 3);
    assert.deepEqual(st.endpoints.map((e) => `${e.port} ${e.state}`), ['1812 listening', '1813 failed', '3868 unserved']);
    assert.equal(st.health, 7);
    await engine.stop();
    assert.deepEqual(stopped, ['1812']);
    const lines = logLines(home);
    for (const l of lines) assert.match(l, LOG_LINE_RE);
    const msgs = lines.map((l) => LOG_LINE_RE.exec(l)![6]);
    assert.equal(msgs[0], 'Starting Server');
    assert.ok(msgs.includes('Starting Interface 127.0.0.1, port 1812 (RADIUS Access)'));
    assert.ok(lines.some((l) => / Error Server 0 Failed to start Interface 127.0.0.1, port 1813 \(RADIUS Accounting\): EADDRINUSE$/.test(l)));
    assert.ok(msgs.includes('Server Started Successfully (pid: 728)'));
    assert.ok(msgs.includes('Server Stopped'));
  });

  it('refuses to start on an invalid tree and logs each problem', async () => {
    next = async () => {
      throw new FakeLoadError([
        { path: '/Radius/Clients/NAS1', message: 'IPAddress is required' },
        { path: '/Radius/Services/x', message: 'UserList~ names no UserList' },
      ]);
    };
    const engine = new Engine<LoadedConfigView>({ home, loader, registry: new ListenerRegistry() });
    const r = await engine.start();
    assert.equal(r.ok, false);
    assert.ok(!r.ok && r.problems.length === 2);
    const lines = logLines(home);
    assert.match(lines[0]!, /Info Server 0 Starting Server$/);
    assert.ok(lines.some((l) => l.endsWith('Error Configuration 0 /Radius/Clients/NAS1: IPAddress is required')));
    assert.ok(lines.some((l) => / Error Server 0 Server not started/.test(l)));
  });

  it('reloads between requests and keeps the old revision when the new one is invalid', async () => {
    let rev = 1;
    next = async () => ({ revision: rev, savedAt: 'x', config: config(home, { interfaces: ['127.0.0.1'] }) });
    const engine = new Engine<LoadedConfigView>({ home, loader, registry: new ListenerRegistry() });
    await engine.start();
    const held = engine.current; // a request in flight holds its reference
    rev = 2;
    assert.deepEqual(await engine.handle('reload'), { revision: 2, previousRevision: 1, savedAt: 'x' });
    assert.equal(held.revision, 1);
    assert.equal(engine.current.revision, 2);
    next = async () => {
      throw new FakeLoadError([{ path: '/Radius/Ports/1812', message: 'duplicate port' }]);
    };
    await assert.rejects(engine.handle('reload'), {
      message: 'reload failed: 1 configuration problem: /Radius/Ports/1812: duplicate port; still running revision 2',
    });
    assert.equal(engine.current.revision, 2);
    // A prepare hook that throws also fails the reload.
    rev = 3;
    next = async () => ({ revision: rev, savedAt: 'y', config: config(home) });
    let applied = 0;
    engine.onReload({ prepare: (n) => { if (n.revision === 3) throw new Error('client table: bad range'); }, applied: () => void applied++ });
    await assert.rejects(engine.handle('reload'), /reload failed: client table: bad range; still running revision 2/);
    rev = 4;
    await engine.handle('reload');
    assert.equal(applied, 1);
    assert.equal(engine.status().reloads.count, 2);
    await engine.stop();
  });

  it('answers trace, trace-file-count, stats, reset-stats and unknown verbs', async () => {
    next = async () => ({ revision: 1, savedAt: 'x', config: config(home) });
    const engine = new Engine<LoadedConfigView>({ home, loader, registry: new ListenerRegistry() });
    await engine.start();
    assert.deepEqual(await engine.handle('trace'), { level: 0 });
    assert.deepEqual(await engine.handle('trace', { level: 5 }), { level: 5 });
    assert.equal(engine.tracer.level, 5);
    await assert.rejects(engine.handle('trace', { level: 6 }), /invalid trace level/);
    assert.deepEqual(await engine.handle('trace-file-count', { count: 4 }), { count: 4 });
    assert.deepEqual(await engine.handle('trace-file-count'), { count: 4 });
    engine.counters.radius.totalRequests = 5;
    assert.equal(((await engine.handle('stats')) as { radius: { totalRequests: number } }).radius.totalRequests, 5);
    await engine.handle('reset-stats');
    assert.equal(engine.counters.radius.totalRequests, 0);
    engine.registerVerb('sessions.count', () => ({ total: 0 }));
    assert.deepEqual(await engine.handle('sessions.count'), { total: 0 });
    await assert.rejects(engine.handle('frobnicate'), /unknown engine verb 'frobnicate'/);
    await engine.stop();
    await assert.rejects(engine.handle('status'), /not running/);
  });

  it('drains in-flight requests at stop, up to the budget', async () => {
    next = async () => ({ revision: 1, savedAt: 'x', config: config(home) });
    const engine = new Engine<LoadedConfigView>({ home, loader, registry: new ListenerRegistry(), drainMs: 300 });
    await engine.start();
    engine.inFlight.begin();
    engine.inFlight.begin();
    setTimeout(() => engine.inFlight.end(), 50);
    setTimeout(() => engine.inFlight.end(), 100);
    let t0 = Date.now();
    await engine.stop();
    assert.ok(Date.now() - t0 >= 90, 'waited for in-flight work');

    const e2 = new Engine<LoadedConfigView>({ home, loader, registry: new ListenerRegistry(), drainMs: 200 });
    await e2.start();
    e2.inFlight.begin();
    t0 = Date.now();
    await e2.stop();
    assert.ok(Date.now() - t0 < 1000);
    assert.ok(logLines(home).some((l) => /1 requests still in progress after 200 ms; abandoned/.test(l)));
  });
});
