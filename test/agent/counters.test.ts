import { strict as assert } from 'node:assert';
import {
  CounterRegistry,
  CLIENT_COUNTERS,
  DIAMETER_PEER_COUNTERS,
  REMOTE_SERVER_COUNTERS,
  SECTIONS,
  diameterResultKey,
  formatRadiusStats,
  formatDiameterPeers,
} from '../../src/counters/index.js';

describe('counters', () => {
  it('increments plain fields and snapshots them as plain objects', () => {
    let now = Date.UTC(2024, 0, 1);
    const reg = new CounterRegistry(() => now);
    reg.radius.totalRequests++;
    reg.radius.totalAccessRequests += 2;
    const nas1 = reg.block(SECTIONS.clients, 'NAS1', CLIENT_COUNTERS);
    nas1.requests++;
    nas1.accepts++;
    let inPool = 3;
    reg.globalGauge('totalPacketsInPool', () => inPool);
    const snap = reg.snapshot();
    assert.equal(snap.serverStartTime, '2024-01-01T00:00:00.000Z');
    assert.equal(snap.serverState, 'Running');
    assert.equal(snap.radius.totalRequests, 1);
    assert.equal(snap.radius.totalAccessRequests, 2);
    assert.equal(snap.radius.totalPacketsInPool, 3);
    assert.deepEqual(snap.sections.clients!.NAS1, {
      requests: 1, accepts: 1, rejects: 0, challenges: 0, accountingRequests: 0, dropped: 0, duplicates: 0, rateLimited: 0,
    });
    // The snapshot is a copy, JSON-safe.
    nas1.requests++;
    assert.equal(snap.sections.clients!.NAS1!.requests, 1);
    assert.deepEqual(JSON.parse(JSON.stringify(snap)), snap);
    // Declaring again (configuration reload) returns the same block.
    assert.equal(reg.block(SECTIONS.clients, 'NAS1', CLIENT_COUNTERS), nas1);
    inPool = 0;
    now += 5000;
    reg.reset();
    const after = reg.snapshot();
    assert.equal(after.serverResetTime, '2024-01-01T00:00:05.000Z');
    assert.equal(after.serverStartTime, '2024-01-01T00:00:00.000Z');
    assert.equal(after.radius.totalRequests, 0);
    assert.equal(after.sections.clients!.NAS1!.requests, 0);
    // Held references still count after a reset.
    nas1.requests++;
    reg.radius.totalRequests++;
    assert.equal(reg.snapshot().sections.clients!.NAS1!.requests, 1);
    assert.equal(reg.snapshot().radius.totalRequests, 1);
  });

  it('keeps per-peer gauges and result tallies, and resets one section alone', () => {
    const reg = new CounterRegistry();
    const peer = reg.block(SECTIONS.diameterPeers, 'hss1', DIAMETER_PEER_COUNTERS);
    let state = 'I-Open';
    reg.gauge(SECTIONS.diameterPeers, 'hss1', 'state', () => state);
    reg.gauge(SECTIONS.diameterPeers, 'hss1', 'watchdog', () => 'OKAY');
    const results = reg.tally(SECTIONS.diameterPeers, 'hss1');
    peer.CERReceived++;
    results.inc(diameterResultKey(1, 265, false, 2001));
    results.inc(diameterResultKey(1, 265, false, 2001));
    reg.radius.totalRequests = 7;
    const s = reg.snapshot().sections.diameterPeers!.hss1!;
    assert.equal(s.state, 'I-Open');
    assert.equal(s.CERReceived, 1);
    assert.deepEqual(s.results, { 'app 1 cmd 265 answer 2001': 2 });
    const lines = formatDiameterPeers(reg.snapshot().sections[SECTIONS.diameterPeers] ?? {}, 'HSS1');
    assert.ok(lines.includes('    app 1 cmd 265 answer 2001 = 2'), lines.join('\n'));
    assert.ok(lines.includes('    watchdog = OKAY'));
    const resetTime = reg.serverResetTime;
    reg.reset(SECTIONS.diameterPeers);
    state = 'Closed';
    const s2 = reg.snapshot();
    assert.equal(s2.sections.diameterPeers!.hss1!.CERReceived, 0);
    assert.deepEqual(s2.sections.diameterPeers!.hss1!.results, {});
    assert.equal(s2.sections.diameterPeers!.hss1!.state, 'Closed');
    assert.equal(s2.radius.totalRequests, 7);
    assert.equal(reg.serverResetTime, resetTime);
    reg.remove(SECTIONS.diameterPeers, 'hss1');
    assert.deepEqual(formatDiameterPeers(reg.snapshot().sections[SECTIONS.diameterPeers] ?? {}), ['No Diameter peers']);
  });

  it('formats stats as Name = value lines', () => {
    const reg = new CounterRegistry();
    reg.block(SECTIONS.remoteServers, 'rs1', REMOTE_SERVER_COUNTERS).timeouts = 2;
    reg.gauge(SECTIONS.remoteServers, 'rs1', 'active', () => true);
    reg.gauge(SECTIONS.remoteServers, 'rs1', 'RTTAverage', () => { throw new Error('x'); });
    const lines = formatRadiusStats(reg.snapshot());
    assert.equal(lines[0], 'Global Statistics for Radius:');
    assert.ok(lines.includes('    serverState = Running'));
    assert.ok(lines.includes('    totalPacketsInPool = 0'));
    assert.ok(lines.includes('    totalBadMessageAuthenticators = 0'));
    assert.ok(lines.includes('Remote Server Statistics:'));
    assert.ok(lines.includes('    active = TRUE'));
    assert.ok(lines.includes('    RTTAverage = '));
    assert.ok(lines.includes('    timeouts = 2'));
    assert.ok(!lines.includes('Client Statistics:'));
  });
});
