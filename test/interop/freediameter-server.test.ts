// Interop: the engine as the Diameter initiator towards a real freeDiameter 1.2.1 daemon acting as a server
// (peers.md §8.4; acl_wl lets *.test in). areg connects to its RemoteServer entry, CER/CEA 2001 both ways
// (freeDiameter's log and dia-stats: I-Open, watchdog OKAY); then freeDiameter is frozen with SIGSTOP (a
// silent peer): dia-stats goes SUSPECT, then DOWN; after SIGCONT areg reconnects, the watchdog passes
// through REOPEN and is OKAY again after three DWAs; a reload without the entry sends DPR
// (DO_NOT_WANT_TO_TALK_TO_YOU), one with it back dials again; at stop areg sends DPR (REBOOTING). Tw = 6 s (the tree's minimum),
// Tc = 1 s. tshark decodes what areg sent, over TLS with the keys the engine logged. Needs `apt-get install
// freediameterd freediameter-extensions`; without them the test fails saying so (it never skips).
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { startEngine, type RunningEngine } from '../support/engine.js';
import { FreeDiameterServer, requireFreeDiameter } from '../support/freediameter.js';
import { EngineWire, matches } from '../support/wire.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

type Peer = Record<string, number | string>;

describe('interop: the engine connects to a freeDiameter 1.2.1 server', function () {
  this.timeout(150_000);
  let fd: FreeDiameterServer | undefined;
  let engine: RunningEngine | undefined;
  const wire = new EngineWire();

  afterEach(async () => {
    await engine?.stop();
    engine = undefined;
    await fd?.stop();
    fd = undefined;
    await wire.stop();
  });

  it('CER/CEA 2001, I-Open/OKAY; SIGSTOP → SUSPECT → DOWN; SIGCONT → reconnect, REOPEN → OKAY; DPR at reload and stop', async () => {
    requireFreeDiameter();
    fd = new FreeDiameterServer({ identity: 'server.test', realm: 'test', allow: '*.test', twTimer: 30,
      extra: ['LoadExtension = "/usr/lib/freeDiameter/dbg_msg_dumps.fdx" : "0x0022";'] });
    await fd.start();
    // The engine dials at once: capture what it sends to freeDiameter's port before it starts.
    await wire.start({ diameterPeers: [fd.port] });
    engine = await startEngine([
      'cd /Radius/Advanced/Diameter/TransportManagement',
      'set Identity areg.test', 'set Realm test', 'set WatchdogTimeout 6000', 'set ReconnectInterval 1000',
      'cd /Radius/RemoteServers', 'add fd-server', 'cd fd-server',
      'set Protocol diameter', 'set HostName server.test', 'set IPAddress 127.0.0.1', `set DestinationPort ${fd.port}`,
      'set DestinationRealm test',
    ]);
    const e = engine;
    const diaStats = async (): Promise<Peer | undefined> => {
      const r = await e.home.run(['--json', 'dia-stats', 'server.test']);
      assert.equal(r.status, 0, r.stderr);
      return (JSON.parse(r.stdout) as { peers: Record<string, Peer> }).peers['server.test'];
    };
    const seen: string[] = [];
    const waitFor = async (what: string, ok: (p: Peer) => boolean, ms: number): Promise<Peer> => {
      const deadline = Date.now() + ms;
      for (;;) {
        const p = await diaStats();
        if (p) {
          const s = `${p.state}/${p.watchdog}`;
          if (seen[seen.length - 1] !== s) seen.push(s);
          if (ok(p)) return p;
        }
        if (Date.now() > deadline) throw new Error(`dia-stats never showed ${what}; seen ${seen.join(' → ')}\n${fd!.log().slice(-3000)}`);
        await sleep(400);
      }
    };

    // CER/CEA: freeDiameter accepts areg.test and answers 2001.
    await fd.waitForLog(/'STATE_CLOSED'\s+-> 'STATE_OPEN'\s+'areg\.test'/, 20_000);
    assert.match(fd.log(), /Capabilities-Exchange-Request\(257\)[^\n]*Origin-Host\(264\)\[-M\]="areg\.test"/);
    assert.match(fd.log(), /SND to 'areg\.test': 'Capabilities-Exchange-Answer'0\/257 f:---- /, 'a CEA without the E bit');
    const open = await waitFor('I-Open/OKAY', (p) => p.state === 'I-Open' && p.watchdog === 'OKAY', 10_000);
    assert.equal(open.CERSent, 1);
    assert.equal(open.CEAReceived, 1);
    assert.equal((open.results as unknown as Record<string, number>)['app 0 cmd 257 answer 2001'], 1, JSON.stringify(open));
    const engineLog = (): string => fs.readFileSync(path.join(e.home.root, 'logs', 'name_radius_1_log'), 'utf8');
    for (const re of [
      new RegExp(`Info Server 0 Connecting to 127\\.0\\.0\\.1:${fd.port}\\.\\.\\.`),
      /Info Server 0 Connected to RemoteServer fd-server/,
      /Info Server 0 Initiating CER to 127\.0\.0\.1\.\.\./,
      /Info Server 0 Received CEA from the peer\(server\.test\), IP: 127\.0\.0\.1/,
      /Info Server 0 Capabilities are successfully exchanged with server\.test/,
    ]) assert.match(engineLog(), re);

    // A silent peer: areg's DWR goes unanswered → SUSPECT, another Tw → DOWN (connection closed).
    fd.signal('SIGSTOP');
    await waitFor('SUSPECT', (p) => p.watchdog === 'SUSPECT', 20_000);
    await waitFor('DOWN', (p) => p.watchdog === 'DOWN', 12_000);

    // Back: reconnect within Tc (plus at most one CEA wait), REOPEN, three DWAs → OKAY.
    const mark = fd.log().length;
    fd.signal('SIGCONT');
    await waitFor('REOPEN', (p) => p.state === 'I-Open' && p.watchdog === 'REOPEN', 20_000);
    const back = await waitFor('I-Open/OKAY again', (p) => p.state === 'I-Open' && p.watchdog === 'OKAY', 25_000);
    assert.ok(Number(back.DWAReceived) >= 3, JSON.stringify(back));
    // freeDiameter runs the same algorithm on its side: the new connection goes REOPEN → OPEN there too.
    await fd.waitForLog(/'STATE_REOPEN'\s+-> 'STATE_OPEN'\s+'areg\.test'/, 1000, mark);
    assert.match(engineLog(), /Peer server\.test answered 3 Device-Watchdog-Requests after the reconnect \(watchdog OKAY\)/);

    // A reload without the remote server: DPR (DO_NOT_WANT_TO_TALK_TO_YOU), closed, no reconnect.
    const removed = await e.home.run(['-f', '-'], { input: 'delete /Radius/RemoteServers/fd-server\nsave\nreload\n' });
    assert.equal(removed.status, 0, removed.stdout + removed.stderr);
    await fd.waitForLog(/Peer 'areg\.test' sent a DPR with cause: DO_NOT_WANT_TO_TALK_TO_YOU/, 10_000, mark);
    await waitFor('Closed after the reload', (p) => p.state === 'Closed', 5000);
    assert.match(engineLog(), /RemoteServer fd-server removed: disconnecting from server\.test/);

    // Back in the tree: dialed again at once; stop sends DPR (REBOOTING).
    const mark2 = fd.log().length;
    const added = await e.home.run(['-f', '-'], { input: [
      'cd /Radius/RemoteServers', 'add fd-server', 'cd fd-server', 'set Protocol diameter', 'set HostName server.test',
      'set IPAddress 127.0.0.1', `set DestinationPort ${fd.port}`, 'set DestinationRealm test', 'save', 'reload', ''].join('\n') });
    assert.equal(added.status, 0, added.stdout + added.stderr);
    await waitFor('I-Open after the reload', (p) => p.state === 'I-Open', 10_000);
    const stop = await e.arserver('stop');
    assert.equal(stop.code, 0, stop.stderr);
    await fd.waitForLog(/Peer 'areg\.test' sent a DPR with cause: REBOOTING/, 10_000, mark2);
    if (process.env.AREG_SHOW_FD_LOG) process.stdout.write(`${seen.join(' → ')}\n${fd.log()}`);

    // tshark decodes every CER, DWR, DWA and DPR freeDiameter received over the three connections.
    wire.saw(matches(fd.log(), /RCV from 'areg\.test'/g));
    await wire.check();
  });

  it('TLS (RFC 6733 §13): areg dials freeDiameter\'s SecPort with TransportProtocol tls, certificates of a test CA verified both ways', async () => {
    requireFreeDiameter();
    fd = new FreeDiameterServer({ identity: 'server.test', realm: 'test', allow: '*.test' });
    const d = fd.dir;
    const ssl = (...args: string[]): void => void execFileSync('openssl', args, { cwd: d, stdio: 'pipe', timeout: 30_000 });
    ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=areg test CA', '-keyout', 'ca.key', '-out', 'ca.crt');
    for (const cn of ['server.test', 'areg.test']) {
      ssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${cn}`, '-keyout', `${cn}.key`, '-out', `${cn}.csr`);
      fs.writeFileSync(path.join(d, `${cn}.ext`), `subjectAltName=DNS:${cn}\n`);
      ssl('x509', '-req', '-in', `${cn}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2',
        '-extfile', `${cn}.ext`, '-out', `${cn}.crt`);
    }
    // freeDiameter: its certificate followed by the CA (TLS_Cred chain and TLS_CA in one file).
    fs.writeFileSync(path.join(d, 'cert.pem'), fs.readFileSync(path.join(d, 'server.test.crt'), 'utf8') + fs.readFileSync(path.join(d, 'ca.crt'), 'utf8'));
    fs.copyFileSync(path.join(d, 'server.test.key'), path.join(d, 'key.pem'));
    await fd.start();
    const keylog = path.join(d, 'tls-keys.log');
    await wire.start({ diameterPeers: [fd.secPort], tlsKeylog: keylog });
    // The engine logs its TLS keys for tshark (node --tls-keylog). It is the child of the agent that arserver
    // starts, both inheriting the environment: NODE_OPTIONS is the one way in.
    const nodeOptions = process.env.NODE_OPTIONS;
    process.env.NODE_OPTIONS = `${nodeOptions ?? ''} --tls-keylog=${keylog}`;
    engine = await startEngine([
      'cd /Radius/Advanced/Diameter/TransportManagement', 'set Identity areg.test', 'set Realm test', 'set WatchdogTimeout 6000',
      'set ReconnectInterval 1000',
      'cd /Radius/RemoteServers', 'add fd-tls', 'cd fd-tls',
      'set Protocol diameter', 'set HostName server.test', 'set IPAddress 127.0.0.1', `set DestinationPort ${fd.secPort}`,
      'set DestinationRealm test', 'set TransportProtocol tls', `set ServerCertificateFile ${d}/areg.test.crt`,
      `set ServerKeyFile ${d}/areg.test.key`, `set CACertificateFile ${d}/ca.crt`, 'set PeerVerificationMode RequireCertificate',
    ]).finally(() => {
      if (nodeOptions === undefined) delete process.env.NODE_OPTIONS;
      else process.env.NODE_OPTIONS = nodeOptions;
    });
    await fd.waitForLog(/'STATE_CLOSED'\s+-> 'STATE_OPEN'\s+'areg\.test'/, 20_000);
    assert.doesNotMatch(fd.log(), /No TLS protection negotiated with peer 'areg\.test'/);
    const e = engine;
    let peer: Peer | undefined;
    for (let i = 0; i < 20 && peer?.state !== 'I-Open'; i++) {
      if (i) await sleep(300);
      const r = await e.home.run(['--json', 'dia-stats', 'server.test']);
      peer = (JSON.parse(r.stdout) as { peers: Record<string, Peer> }).peers['server.test'];
    }
    assert.equal(peer?.state, 'I-Open', JSON.stringify(peer));
    const log = fs.readFileSync(path.join(e.home.root, 'logs', 'name_radius_1_log'), 'utf8');
    assert.match(log, new RegExp(`Connecting to 127\\.0\\.0\\.1:${fd.secPort}\\.\\.\\. \\(TLS\\)`));
    assert.match(log, /Peer : Host = 127\.0\.0\.1, Port = \d+, AdvertiseHostName =, AdvertisedRealm =, TLS = 1/);
    if (process.env.AREG_SHOW_FD_LOG) process.stdout.write(fd.log());
    // freeDiameter opened the connection: it got areg's CER through TLS.
    wire.saw();
    await wire.check();
  });
});
