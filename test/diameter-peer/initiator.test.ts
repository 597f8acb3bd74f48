// The initiator side (RemotePeers → PeerConnection in the initiator role) and the election of RFC 6733
// §5.6.4, over in-memory sockets: the test's Dial hands out one end of a socket pair per connection attempt
// and keeps a FakePeer on the other. Tw and Tc are a few tens of milliseconds.
import { strict as assert } from 'node:assert';
import { CounterRegistry, SECTIONS } from '../../src/counters/index.js';
import { MessageFlags, findAvps, makeAvp, type Avp, type DiameterMessage } from '../../src/diameter/index.js';
import { PeerConnection, winsElection } from '../../src/diameter/peer/connection.js';
import { DiameterCore } from '../../src/diameter/peer/core.js';
import { RemotePeers, type Dial } from '../../src/diameter/peer/initiator.js';
import type { DiameterRemoteServer, DiameterSettings } from '../../src/diameter/peer/settings.js';
import { FakePeer, Lines, cerAvps, dict, num, origin, settings, socketPair } from './support.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const HSS: DiameterRemoteServer = { name: 'hss1', hostName: 'Peer.Test', address: '10.0.0.9', port: 3868, tls: undefined };

/** The CEA (or any answer) `peer` sends back to request `req`. */
function answer(peer: FakePeer, req: DiameterMessage, resultCode: number, host = 'peer.test', extra: Avp[] = []): void {
  peer.send(req.commandCode, [makeAvp(dict, 'Result-Code', resultCode), ...origin(host), ...extra], req.applicationId, 0);
  void req;
}

describe('Diameter initiator (RemoteServers, in-memory sockets)', () => {
  let log: Lines;
  let counters: CounterRegistry;
  let dialed: FakePeer[];
  let remotes: RemotePeers[];
  let conns: PeerConnection[];

  function setup(over: Partial<DiameterSettings> = {}, watchdogMs = 1000): { core: DiameterCore; remote: RemotePeers } {
    const s = settings({ remoteServers: [HSS], ...over });
    const core = new DiameterCore({ dict, log, counters, settings: () => s, watchdogMs, watchdogJitterMs: 0, dpaWaitMs: 500 });
    const dial: Dial = () => {
      const [ours, theirs] = socketPair();
      dialed.push(new FakePeer(theirs));
      return { socket: ours, ready: Promise.resolve({ remote: '10.0.0.9', local: '10.0.0.1' }) };
    };
    const remote = new RemotePeers(core, { dial, reconnectMs: 30 });
    remotes.push(remote);
    return { core, remote };
  }

  /** dia-stats of the peer (keyed by the HostName first seen: the client's when there is one). */
  const stats = (): Record<string, unknown> => {
    const peers = counters.snapshot().sections[SECTIONS.diameterPeers]!;
    return (peers['peer.test'] ?? peers['Peer.Test'])! as Record<string, unknown>;
  };

  async function until(cond: () => boolean, what: string, ms = 2000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!cond()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await sleep(5);
    }
  }

  /** The next dialed connection's CER. */
  async function nextCer(n: number): Promise<{ peer: FakePeer; cer: DiameterMessage }> {
    await until(() => dialed.length >= n, `dial #${n}`);
    const peer = dialed[n - 1]!;
    const cer = await peer.next();
    assert.equal(cer.commandCode, 257);
    assert.ok(cer.flags & MessageFlags.Request);
    return { peer, cer };
  }

  beforeEach(() => {
    log = new Lines();
    counters = new CounterRegistry();
    dialed = [];
    remotes = [];
    conns = [];
  });
  afterEach(async () => {
    for (const r of remotes) await r.stop(0);
    for (const c of conns) c.close('test over', true);
  });

  it('CER with our capabilities, CEA 2001 from HostName → I-Open, OKAY; the §11.2 log lines', async () => {
    const { remote } = setup();
    remote.start();
    assert.equal(stats().state, 'Wait-Conn-Ack');
    const { peer, cer } = await nextCer(1);
    assert.equal(num(cer, 'Origin-Host'), 'server.test');
    assert.equal(num(cer, 'Host-IP-Address'), '10.0.0.1');
    assert.equal(num(cer, 'Product-Name'), 'areg');
    assert.deepEqual(findAvps(cer.avps, dict.avpByName('Auth-Application-Id')!).map((a) => a.value), [1, 5]);
    assert.deepEqual(findAvps(cer.avps, dict.avpByName('Acct-Application-Id')!).map((a) => a.value), [3]);
    assert.equal(stats().state, 'Wait-I-CEA');
    answer(peer, cer, 2001, 'PEER.test', [makeAvp(dict, 'Auth-Application-Id', 0xffffffff)]);
    await until(() => stats().state === 'I-Open', 'I-Open');
    assert.equal(stats().watchdog, 'OKAY');
    assert.equal(stats().CERSent, 1);
    assert.equal(stats().CEAReceived, 1);
    for (const line of [
      'Info Server Connecting to 10.0.0.9:3868...',
      'Info Server Connected to RemoteServer hss1',
      'Info Server Initiating CER to 10.0.0.9...',
      'Info Server Received CEA from the peer(PEER.test), IP: 10.0.0.9',
      'Info Server Capabilities are successfully exchanged with Peer.Test',
    ]) assert.ok(log.lines.includes(line), `${line}\n${log.lines.join('\n')}`);
    // DWR from the peer is answered on the initiated connection too.
    peer.send(280, origin('peer.test'));
    const dwa = await peer.next();
    assert.equal(num(dwa, 'Result-Code'), 2001);
  });

  it('a CEA from another Origin-Host, an error CEA, or one demanding in-band TLS closes; it reconnects every Tc', async () => {
    const { remote } = setup();
    remote.start();
    const first = await nextCer(1);
    answer(first.peer, first.cer, 2001, 'impostor.test');
    await first.peer.waitClosed();
    assert.ok(log.lines.some((l) => l.includes('the CEA comes from impostor.test, RemoteServer hss1 expects HostName Peer.Test')), log.lines.join('\n'));
    assert.equal(stats().state, 'Closed');
    const second = await nextCer(2);
    answer(second.peer, second.cer, 3010, 'peer.test');
    await second.peer.waitClosed();
    assert.ok(log.lines.some((l) => l.includes('failed: Result-Code 3010')));
    // A CEA that asks for the RFC 3588 in-band TLS handshake next: we do TLS on its own port only.
    const third = await nextCer(3);
    assert.equal(num(third.cer, 'Inband-Security-Id'), undefined, 'our CER offers no in-band security');
    answer(third.peer, third.cer, 2001, 'peer.test', [makeAvp(dict, 'Inband-Security-Id', 1)]);
    await third.peer.waitClosed();
    assert.ok(log.lines.some((l) => l.includes('asks for in-band TLS')), log.lines.join('\n'));
    const fourth = await nextCer(4);
    answer(fourth.peer, fourth.cer, 2001);
    await until(() => stats().state === 'I-Open', 'I-Open');
    assert.equal(stats().watchdog, 'OKAY', 'never open before: no REOPEN');
  });

  it('no CEA within Tw closes the connection', async () => {
    const { remote } = setup({}, 40);
    remote.start();
    const { peer } = await nextCer(1);
    await peer.waitClosed();
    assert.ok(log.lines.some((l) => l.includes('No CEA from Peer.Test')));
  });

  it('REOPEN: after a lost connection, DWR at once; three DWAs → OKAY; a silent peer goes SUSPECT → DOWN first', async () => {
    const { remote } = setup({}, 40);
    remote.start();
    const first = await nextCer(1);
    answer(first.peer, first.cer, 2001);
    await until(() => stats().state === 'I-Open', 'I-Open');
    // Silent peer: DWR on idle, SUSPECT, DOWN and close.
    const dwr = await first.peer.next();
    assert.equal(dwr.commandCode, 280);
    await until(() => stats().watchdog === 'SUSPECT', 'SUSPECT');
    await first.peer.waitClosed();
    assert.equal(stats().watchdog, 'DOWN');
    // Reconnect after Tc: REOPEN, DWR right after the CEA.
    const second = await nextCer(2);
    answer(second.peer, second.cer, 2001);
    for (let i = 1; i <= 3; i++) {
      const r = await second.peer.next();
      assert.equal(r.commandCode, 280, `DWR #${i}`);
      if (i < 3) assert.equal(stats().watchdog, 'REOPEN');
      answer(second.peer, r, 2001);
    }
    await until(() => stats().watchdog === 'OKAY', 'OKAY');
    assert.equal(stats().state, 'I-Open');
    assert.ok(log.lines.some((l) => l.includes('answered 3 Device-Watchdog-Requests after the reconnect')));
  });

  it('a reload without the remote server sends DPR (DO_NOT_WANT_TO_TALK_TO_YOU); stop sends DPR (REBOOTING)', async () => {
    const { remote } = setup();
    remote.start();
    const first = await nextCer(1);
    answer(first.peer, first.cer, 2001);
    await until(() => stats().state === 'I-Open', 'I-Open');
    const removing = remote.sync([]);
    const dpr = await first.peer.next();
    assert.equal(dpr.commandCode, 282);
    assert.equal(num(dpr, 'Disconnect-Cause'), 2);
    answer(first.peer, dpr, 2001);
    await removing;
    await first.peer.waitClosed();
    await sleep(60);
    assert.equal(dialed.length, 1, 'no reconnect to a removed server');

    await remote.sync([{ ...HSS, name: 'hss2' }]);
    const second = await nextCer(2);
    answer(second.peer, second.cer, 2001);
    await until(() => stats().state === 'I-Open', 'I-Open');
    const stopping = remote.stop();
    const dpr2 = await second.peer.next();
    assert.equal(num(dpr2, 'Disconnect-Cause'), 0);
    answer(second.peer, dpr2, 2001);
    await stopping;
    assert.equal(stats().state, 'Closed');
  });

  it('MaxReconnections failed attempts in a row: given up until the next reload', async () => {
    const { remote } = setup({ maxReconnections: 2 }, 30);
    remote.start();
    for (let n = 1; n <= 2; n++) {
      const { peer } = await nextCer(n);
      await peer.waitClosed();
    }
    await sleep(100);
    assert.equal(dialed.length, 2);
    assert.ok(log.lines.some((l) => l.includes('RemoteServer hss1 (Peer.Test): no connection after 2 attempts (MaxReconnections); given up until the next reload')));
    await remote.sync([HSS]);
    const third = await nextCer(3);
    answer(third.peer, third.cer, 2001);
    await until(() => stats().state === 'I-Open', 'I-Open after the reload');
  });

  describe('election (RFC 6733 §5.6.4)', () => {
    const client = { name: 'peer', hostName: 'peer.test', address: undefined, peerPort: 3868, profile: 'rfc' as const };

    it('compares Origin-Hosts as octet strings, ASCII letters case-insensitive', () => {
      assert.equal(winsElection('server.test', 'peer.test'), true);
      assert.equal(winsElection('aaa.test', 'peer.test'), false);
      assert.equal(winsElection('PEER.test', 'peer.TEST'), false);
      assert.equal(winsElection('peer.test2', 'PEER.TEST'), true);
    });

    /** Our connection to the peer waits for its CEA; the peer's own connection arrives with a CER. */
    async function crossed(identity: string): Promise<{ initiated: FakePeer; initiatedCer: DiameterMessage; incoming: FakePeer }> {
      const { core, remote } = setup({ identity, clients: [client] });
      remote.start();
      const { peer: initiated, cer: initiatedCer } = await nextCer(1);
      assert.equal(stats().state, 'Wait-I-CEA');
      const [ours, theirs] = socketPair();
      conns.push(new PeerConnection(core, ours, { remote: '10.0.0.9', local: '10.0.0.1' }));
      const incoming = new FakePeer(theirs);
      incoming.send(257, cerAvps('peer.test'));
      return { initiated, initiatedCer, incoming };
    }

    it('we win (server.test > peer.test): our initiated connection closes, the peer\'s CER gets 2001 → R-Open', async () => {
      const { initiated, incoming } = await crossed('server.test');
      const cea = await incoming.next();
      assert.equal(num(cea, 'Result-Code'), 2001);
      await initiated.waitClosed();
      assert.equal(stats().state, 'R-Open');
      assert.ok(log.lines.some((l) => l.includes('Election with peer.test won')));
      await sleep(60);
      assert.equal(dialed.length, 1, 'no new dial while the peer\'s connection is open');
    });

    it('we lose (aaa.test < peer.test): the CER waits; our CEA arrives → I-Open, the peer\'s connection is closed', async () => {
      const { initiated, initiatedCer, incoming } = await crossed('aaa.test');
      await sleep(30);
      assert.equal(stats().state, 'Wait-I-CEA');
      assert.ok(log.lines.some((l) => l.includes('Election with peer.test lost')));
      answer(initiated, initiatedCer, 2001);
      await incoming.waitClosed();
      await assert.rejects(incoming.next(), /closed without a message/, 'no CEA on the losing connection');
      assert.equal(stats().state, 'I-Open');
      assert.equal(initiated.closed, false);
    });

    it('we lose, then our connection fails before its CEA: the held CER is answered 2001 after all', async () => {
      const { initiated, incoming } = await crossed('aaa.test');
      await sleep(20);
      initiated.end.end();
      const cea = await incoming.next();
      assert.equal(num(cea, 'Result-Code'), 2001);
      assert.equal(stats().state, 'R-Open');
    });
  });
});
