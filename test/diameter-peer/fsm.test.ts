// The responder-side peer state machine and watchdog over an in-memory socket pair: no ports, no timers
// longer than a few tens of milliseconds.
import { strict as assert } from 'node:assert';
import { CounterRegistry, SECTIONS } from '../../src/counters/index.js';
import { MessageFlags, encodeMessage, findAvps, makeAvp } from '../../src/diameter/index.js';
import type { DiameterSettings } from '../../src/diameter/peer/settings.js';
import { DiameterCore } from '../../src/diameter/peer/core.js';
import { PeerConnection } from '../../src/diameter/peer/connection.js';
import { FakePeer, Lines, cerAvps, dict, num, origin, settings, socketPair } from './support.js';

describe('Diameter peer state machine (responder, in-memory socket)', () => {
  let log: Lines;
  let counters: CounterRegistry;
  let conns: PeerConnection[];

  function setup(over: Partial<DiameterSettings> = {}, watchdogMs?: number): { core: DiameterCore; connect: () => FakePeer } {
    const core = new DiameterCore({ dict, log, counters, settings: () => settings(over), watchdogMs, watchdogJitterMs: 0 });
    return {
      core,
      connect: () => {
        const [ours, theirs] = socketPair();
        conns.push(new PeerConnection(core, ours, { remote: '::ffff:127.0.0.1', local: '127.0.0.1' }));
        return new FakePeer(theirs);
      },
    };
  }

  const stats = (): Record<string, unknown> => counters.snapshot().sections[SECTIONS.diameterPeers]!['Client.Test']! as Record<string, unknown>;

  beforeEach(() => {
    log = new Lines();
    counters = new CounterRegistry();
    conns = [];
  });
  afterEach(() => {
    for (const c of conns) c.close('test over', true);
  });

  it('unknown Origin-Host: CEA 3010 with the E bit, then close', async () => {
    const peer = setup().connect();
    const hbh = peer.send(257, cerAvps('stranger.test'));
    const cea = await peer.next();
    assert.equal(cea.commandCode, 257);
    assert.equal(cea.hopByHopId, hbh);
    assert.equal(num(cea, 'Result-Code'), 3010);
    assert.ok(cea.flags & MessageFlags.Error);
    await peer.waitClosed();
    assert.ok(log.lines.some((l) => l.includes('DIAMETER_UNKNOWN_PEER')));
  });

  it('a client whose IPAddress does not hold the source address is unknown', async () => {
    const { parseAddressRange } = await import('../../src/schema/types.js');
    const range = parseAddressRange('10.0.0.0/8');
    assert.ok(typeof range !== 'string');
    const peer = setup({ clients: [{ name: 'fd', hostName: 'client.test', address: range, peerPort: 3868, profile: 'rfc' }] }).connect();
    peer.send(257, cerAvps());
    assert.equal(num(await peer.next(), 'Result-Code'), 3010);
    await peer.waitClosed();
  });

  it('no common application: CEA 5010 without the E bit, then close', async () => {
    const peer = setup().connect();
    peer.send(257, cerAvps('client.test', [makeAvp(dict, 'Auth-Application-Id', 16777215)]));
    const cea = await peer.next();
    assert.equal(num(cea, 'Result-Code'), 5010);
    assert.equal(cea.flags & MessageFlags.Error, 0);
    assert.ok(num(cea, 'Error-Message'));
    await peer.waitClosed();
    assert.equal(stats().state, 'Closed');
  });

  it('only in-band TLS offered (Inband-Security-Id TLS) over TCP: CEA 5017 DIAMETER_NO_COMMON_SECURITY, then close; offering NO_INBAND_SECURITY too is accepted', async () => {
    const { connect } = setup();
    const tlsOnly = connect();
    tlsOnly.send(257, cerAvps('client.test', [makeAvp(dict, 'Auth-Application-Id', 1), makeAvp(dict, 'Inband-Security-Id', 1)]));
    const refused = await tlsOnly.next();
    assert.equal(num(refused, 'Result-Code'), 5017);
    assert.match(String(num(refused, 'Error-Message')), /in-band TLS/);
    await tlsOnly.waitClosed();
    assert.ok(log.lines.some((l) => l.includes('DIAMETER_NO_COMMON_SECURITY')));
    const either = connect();
    either.send(257, cerAvps('client.test', [makeAvp(dict, 'Auth-Application-Id', 1), makeAvp(dict, 'Inband-Security-Id', 1), makeAvp(dict, 'Inband-Security-Id', 0)]));
    assert.equal(num(await either.next(), 'Result-Code'), 2001);
  });

  it('CER accepted: CEA 2001 with capabilities and the common applications, state R-Open; DWR → DWA', async () => {
    const peer = setup().connect();
    peer.send(257, cerAvps('CLIENT.test', [
      makeAvp(dict, 'Acct-Application-Id', 3),
      makeAvp(dict, 'Vendor-Specific-Application-Id', [makeAvp(dict, 'Vendor-Id', 10415), makeAvp(dict, 'Auth-Application-Id', 5)]),
    ]));
    const cea = await peer.next();
    assert.equal(num(cea, 'Result-Code'), 2001);
    assert.equal(cea.flags & MessageFlags.Error, 0);
    assert.deepEqual(cea.avps.slice(0, 3).map((a) => a.def?.name), ['Result-Code', 'Origin-Host', 'Origin-Realm']);
    assert.equal(num(cea, 'Origin-Host'), 'server.test');
    assert.equal(num(cea, 'Host-IP-Address'), '127.0.0.1');
    assert.equal(num(cea, 'Vendor-Id'), 9);
    assert.equal(num(cea, 'Product-Name'), 'areg');
    assert.equal(num(cea, 'Firmware-Revision'), 10203);
    assert.deepEqual(findAvps(cea.avps, dict.avpByName('Auth-Application-Id')!).map((a) => a.value), [5]);
    assert.deepEqual(findAvps(cea.avps, dict.avpByName('Acct-Application-Id')!).map((a) => a.value), [3]);
    assert.equal(stats().state, 'R-Open');
    assert.equal(stats().watchdog, 'OKAY');
    assert.ok(log.lines.includes('Info Server Capabilities are successfully exchanged with Client.Test'));

    const hbh = peer.send(280, origin());
    const dwa = await peer.next();
    assert.equal(dwa.commandCode, 280);
    assert.equal(dwa.hopByHopId, hbh);
    assert.equal(num(dwa, 'Result-Code'), 2001);
    assert.equal(typeof num(dwa, 'Origin-State-Id'), 'number');
    const s = stats();
    assert.equal(s.CERReceived, 1);
    assert.equal(s.CEASent, 1);
    assert.equal(s.DWRReceived, 1);
    assert.equal(s.DWASent, 1);
    assert.equal((s.results as Record<string, number>)['app 0 cmd 280 answer 2001'], 1);
  });

  it('a relay peer shares every application; a second connection of an open peer gets 5012', async () => {
    const { connect } = setup();
    const first = connect();
    first.send(257, cerAvps('client.test', [makeAvp(dict, 'Auth-Application-Id', 0xffffffff)]));
    const cea = await first.next();
    assert.equal(num(cea, 'Result-Code'), 2001);
    assert.deepEqual(findAvps(cea.avps, dict.avpByName('Auth-Application-Id')!).map((a) => a.value), [1, 5]);
    const second = connect();
    second.send(257, cerAvps());
    assert.equal(num(await second.next(), 'Result-Code'), 5012);
    await second.waitClosed();
    assert.equal(stats().state, 'R-Open', 'the first connection stays open');
  });

  it('DPR → DPA 2001, then the connection closes', async () => {
    const peer = setup().connect();
    peer.send(257, cerAvps());
    await peer.next();
    const hbh = peer.send(282, [...origin(), makeAvp(dict, 'Disconnect-Cause', 0)]);
    const dpa = await peer.next();
    assert.equal(dpa.commandCode, 282);
    assert.equal(dpa.hopByHopId, hbh);
    assert.equal(num(dpa, 'Result-Code'), 2001);
    await peer.waitClosed();
    assert.equal(stats().state, 'Closed');
    assert.equal(stats().DPASent, 1);
  });

  it('unknown command → 3001 with the E bit; application not negotiated → 3007; Session-Id first', async () => {
    const peer = setup().connect();
    peer.send(257, cerAvps());
    await peer.next();
    peer.send(9999, [makeAvp(dict, 'Session-Id', 'client.test;1;2'), ...origin()]);
    const a = await peer.next();
    assert.equal(a.commandCode, 9999);
    assert.equal(num(a, 'Result-Code'), 3001);
    assert.ok(a.flags & MessageFlags.Error);
    assert.equal(a.avps[0]!.def?.name, 'Session-Id');
    peer.send(265, [makeAvp(dict, 'Session-Id', 'client.test;1;3'), ...origin()], 5);
    const b = await peer.next();
    assert.equal(num(b, 'Result-Code'), 3007, 'EAP (5) was not advertised by the peer');
    assert.equal(b.avps[0]!.def?.name, 'Session-Id');
    assert.equal(stats().protocolErrors, 2);
  });

  it('ValidateIncomingMessages: a request missing a required AVP gets 5005', async () => {
    const peer = setup({ validateIncoming: true }).connect();
    peer.send(257, cerAvps());
    await peer.next();
    peer.send(265, [makeAvp(dict, 'Session-Id', 'client.test;1;4'), ...origin(), makeAvp(dict, 'Auth-Application-Id', 1)], 1);
    const a = await peer.next();
    assert.equal(num(a, 'Result-Code'), 5005);
  });

  it('garbage, or a request before the CER, closes the connection', async () => {
    const { connect } = setup();
    const garbage = connect();
    garbage.end.write(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
    await garbage.waitClosed();
    const early = connect();
    early.send(280, origin());
    await early.waitClosed();
    assert.equal(counters.snapshot().sections[SECTIONS.diameterPeers]!['Client.Test']!.CERReceived, 0);
  });

  it('silent peer: DWR after Tw, SUSPECT after another Tw, then DOWN and close', async () => {
    const peer = setup({}, 60).connect();
    peer.send(257, cerAvps());
    await peer.next();
    const dwr = await peer.next();
    assert.equal(dwr.commandCode, 280);
    assert.ok(dwr.flags & MessageFlags.Request);
    assert.equal(num(dwr, 'Origin-Host'), 'server.test');
    await new Promise((r) => setTimeout(r, 80));
    assert.equal(stats().watchdog, 'SUSPECT');
    await peer.waitClosed();
    assert.equal(stats().watchdog, 'DOWN');
    assert.equal(stats().state, 'Closed');
    assert.equal(stats().DWRSent, 1);
  });

  it('an answered DWR keeps the peer OKAY; local stop sends DPR REBOOTING and closes on the DPA', async () => {
    const peer = setup({}, 60).connect();
    peer.send(257, cerAvps());
    await peer.next();
    const dwr = await peer.next();
    peer.send(280, [makeAvp(dict, 'Result-Code', 2001), ...origin()], 0, 0);
    void dwr;
    await new Promise((r) => setTimeout(r, 90));
    assert.equal(stats().watchdog, 'OKAY');
    const stopping = conns[0]!.disconnect(0, 1000);
    let dpr = await peer.next();
    while (dpr.commandCode === 280) dpr = await peer.next();
    assert.equal(dpr.commandCode, 282);
    assert.equal(num(dpr, 'Disconnect-Cause'), 0);
    assert.equal(stats().state, 'Closing');
    peer.end.write(encodeMessage({ ...dpr, flags: 0, avps: [makeAvp(dict, 'Result-Code', 2001), ...origin()] }));
    await stopping;
    assert.equal(stats().state, 'Closed');
    assert.equal(stats().DPAReceived, 1);
  });
});
