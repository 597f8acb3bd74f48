// Diameter over TLS (RFC 6733 §13) on loopback: areg's initiator (TransportProtocol tls) against areg's TLS
// listener (TLSListenPort), with self-signed pairs made by openssl for this test. PeerVerificationMode
// RequireCertificate on both sides: the pair that verifies opens (R-Open / I-Open); a client without a
// certificate never gets past the handshake.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CounterRegistry, SECTIONS } from '../../src/counters/index.js';
import { DiameterCore } from '../../src/diameter/peer/core.js';
import { RemotePeers } from '../../src/diameter/peer/initiator.js';
import type { DiameterRemoteServer, DiameterSettings, DiameterTls } from '../../src/diameter/peer/settings.js';
import { dialerFor } from '../../src/diameter/transport/dial.js';
import { DiameterTcpListener } from '../../src/diameter/transport/tcp.js';
import { freeTcpPort } from '../support/engine.js';
import { Lines, dict, settings } from './support.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function selfSigned(dir: string, cn: string): { cert: string; key: string } {
  const cert = path.join(dir, `${cn}.crt`);
  const key = path.join(dir, `${cn}.key`);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2',
    '-subj', `/CN=${cn}`, '-addext', `subjectAltName=DNS:${cn}`, '-keyout', key, '-out', cert], { stdio: 'pipe', timeout: 20_000 });
  return { cert, key };
}

describe('Diameter over TLS (our initiator against our TLS listener)', function () {
  this.timeout(20_000);
  let dir: string;
  let server: { cert: string; key: string };
  let client: { cert: string; key: string };
  const stops: (() => Promise<void>)[] = [];

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'areg-dtls-'));
    server = selfSigned(dir, 'server.test');
    client = selfSigned(dir, 'client.test');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  afterEach(async () => {
    for (const s of stops.splice(0).reverse()) await s();
  });

  async function listen(): Promise<{ port: number; counters: CounterRegistry; log: Lines }> {
    const log = new Lines();
    const counters = new CounterRegistry();
    const tlsPort = await freeTcpPort();
    const listenerTls: DiameterTls = { certFile: server.cert, keyFile: server.key, passphrase: '', caFile: client.cert, caPath: '', verify: 'RequireCertificate' };
    const s: DiameterSettings = settings({ identity: 'server.test', tlsListenPort: tlsPort, listenerTls,
      clients: [{ name: 'c', hostName: 'client.test', address: undefined, peerPort: 3868, profile: 'rfc' }] });
    const core = new DiameterCore({ dict, log, counters, settings: () => s, dpaWaitMs: 200 });
    const listener = new DiameterTcpListener({ protocol: 'diameter', kind: 'diameter', transport: 'tcp', address: '127.0.0.1', port: 0,
      label: 'Diameter-TCP', optional: false }, core);
    await listener.start();
    stops.push(() => listener.stop(200));
    assert.equal(listener.tlsPort, tlsPort, log.lines.join('\n'));
    assert.ok(log.lines.includes(`Info Server Starting Interface 127.0.0.1, port ${tlsPort} (Diameter-TLS)`), log.lines.join('\n'));
    return { port: tlsPort, counters, log };
  }

  function connect(port: number, tls: DiameterTls): { counters: CounterRegistry; log: Lines } {
    const log = new Lines();
    const counters = new CounterRegistry();
    const remote: DiameterRemoteServer = { name: 'srv', hostName: 'server.test', address: '127.0.0.1', port, tls };
    const s = settings({ identity: 'client.test', clients: [], remoteServers: [remote] });
    const core = new DiameterCore({ dict, log, counters, settings: () => s, dpaWaitMs: 200 });
    const peers = new RemotePeers(core, { dial: dialerFor(log), reconnectMs: 5000 });
    peers.start();
    stops.push(() => peers.stop(200));
    return { counters, log };
  }

  const peerStats = (c: CounterRegistry, name: string): Record<string, unknown> | undefined =>
    c.snapshot().sections[SECTIONS.diameterPeers]?.[name] as Record<string, unknown> | undefined;

  async function until(cond: () => boolean, what: string, logs: Lines[]): Promise<void> {
    const deadline = Date.now() + 8000;
    while (!cond()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${logs.flatMap((l) => l.lines).join('\n')}`);
      await sleep(20);
    }
  }

  it('certificates that verify both ways: CER/CEA over TLS, I-Open on our side, R-Open on theirs', async () => {
    const srv = await listen();
    const cli = connect(srv.port, { certFile: client.cert, keyFile: client.key, passphrase: '', caFile: server.cert, caPath: '', verify: 'RequireCertificate' });
    await until(() => peerStats(cli.counters, 'server.test')?.state === 'I-Open' && peerStats(srv.counters, 'client.test')?.state === 'R-Open',
      'both sides open', [cli.log, srv.log]);
    assert.equal(peerStats(cli.counters, 'server.test')?.watchdog, 'OKAY');
    assert.ok(cli.log.lines.includes('Info Server Connecting to 127.0.0.1:' + srv.port + '... (TLS)'));
  });

  it('RequireCertificate on the listener: a client without a certificate does not get through the handshake', async () => {
    const srv = await listen();
    const cli = connect(srv.port, { certFile: '', keyFile: '', passphrase: '', caFile: server.cert, caPath: '', verify: 'RequireCertificate' });
    await until(() => cli.log.lines.some((l) => /Cannot connect to RemoteServer srv|disconnected/.test(l)), 'the refusal', [cli.log, srv.log]);
    assert.notEqual(peerStats(cli.counters, 'server.test')?.state, 'I-Open');
    assert.equal(peerStats(srv.counters, 'client.test')?.state, 'Closed');
  });

  it('RequireCertificate on the initiator: a server certificate from an unknown CA is refused', async () => {
    const srv = await listen();
    const cli = connect(srv.port, { certFile: client.cert, keyFile: client.key, passphrase: '', caFile: client.cert, caPath: '', verify: 'RequireCertificate' });
    await until(() => cli.log.lines.some((l) => l.includes('Cannot connect to RemoteServer srv')), 'the refusal', [cli.log, srv.log]);
    assert.ok(cli.log.lines.some((l) => /self[- ]signed|unable to verify|certificate/i.test(l)), cli.log.lines.join('\n'));
  });
});
