// The wire check of the interop tests (test/support/wire.ts) can fail: a stand-in "engine" socket sends
// hand-made packets from the port the check watches, and tshark must pass the good ones, flag the bad ones and
// notice fewer packets than replies counted.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import dgram from 'node:dgram';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { builtinDictionary, encodeMessage, makeAvp } from '../../src/diameter/index.js';
import { attribute, dictionaryForDialect, encodePacket, PacketCode } from '../../src/radius/index.js';
import { EngineWire } from '../support/wire.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A UDP socket on 127.0.0.1 (an ephemeral port). */
async function udp(): Promise<dgram.Socket> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  return s;
}

/** Sends `packets` from a stand-in engine's RADIUS port to a peer, capturing that port. */
async function radiusWire(packets: Buffer[]): Promise<EngineWire> {
  const [engine, peer] = [await udp(), await udp()];
  const wire = new EngineWire();
  try {
    await wire.start({ radius: [engine.address().port] });
    for (const p of packets) await new Promise<void>((r) => engine.send(p, peer.address().port, '127.0.0.1', () => r()));
  } finally {
    engine.close();
    peer.close();
  }
  return wire;
}

const dict = builtinDictionary();
const DWA = encodeMessage({ flags: 0, commandCode: 280, applicationId: 0, hopByHopId: 1, endToEndId: 2,
  avps: [makeAvp(dict, 'Result-Code', 2001), makeAvp(dict, 'Origin-Host', 'server.test'), makeAvp(dict, 'Origin-Realm', 'test')] });

/** Writes `segments` (100 ms apart, so each is its own TCP segment) from a stand-in engine's Diameter port. */
async function diameterWire(segments: Buffer[]): Promise<EngineWire> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as net.AddressInfo).port;
  const wire = new EngineWire();
  try {
    await wire.start({ diameter: [port] });
    const sent = new Promise<void>((resolve) => server.once('connection', (c) => void (async () => {
      c.setNoDelay(true);
      for (const s of segments) {
        c.write(s);
        await sleep(100);
      }
      c.end(() => resolve());
    })()));
    const client = net.connect(port, '127.0.0.1');
    client.resume();
    await sent;
    await new Promise((r) => client.once('close', r));
  } finally {
    server.close();
  }
  return wire;
}

const ACCEPT = Buffer.from('0201001a' + '00'.repeat(16) + '1206' + Buffer.from('ok!!').toString('hex'), 'hex');
// Reply-Message claiming 16 octets where 6 remain: "Not enough room in packet for AVP".
const OVERRUN = Buffer.from('0201001a' + '00'.repeat(16) + '1210' + Buffer.from('ok!!').toString('hex'), 'hex');

describe('the tshark wire check of the interop tests', function () {
  this.timeout(60_000);

  it('passes a well-formed RADIUS reply and returns what tshark decoded', async () => {
    const wire = await radiusWire([ACCEPT]);
    try {
      wire.saw();
      const frames = await wire.check();
      assert.deepEqual(frames.map((f) => f.radiusCode), [2]);
    } finally {
      await wire.stop(true);
    }
  });

  it('fails on a malformed RADIUS reply, naming the frame', async () => {
    const wire = await radiusWire([ACCEPT, OVERRUN]);
    try {
      wire.saw(2);
      await assert.rejects(wire.check(), /tshark flags 1 packet\(s\) the engine sent: frame 2: Not enough room in packet for AVP \(error, malformed\)/);
    } finally {
      await wire.stop(true);
    }
  });

  it('with the secret: fails on a reply whose Response Authenticator does not match its request', async () => {
    const rdict = dictionaryForDialect('default');
    const [engine, peer] = [await udp(), await udp()];
    const wire = new EngineWire();
    try {
      await wire.start({ radius: [engine.address().port], secret: 'testing123' });
      const request = encodePacket({ code: PacketCode.AccessRequest, identifier: 1, attributes: [attribute(rdict, 'User-Name', 'bob')] },
        rdict, { secret: 'testing123' });
      const got = new Promise<void>((r) => engine.once('message', () => r()));
      peer.send(request, engine.address().port, '127.0.0.1');
      await got;
      const reply = encodePacket({ code: PacketCode.AccessAccept, identifier: 1, attributes: [] }, rdict,
        { secret: 'not-the-secret', requestAuthenticator: request.subarray(4, 20) });
      await new Promise<void>((r) => engine.send(reply, peer.address().port, '127.0.0.1', () => r()));
      wire.saw();
      await assert.rejects(wire.check(), /frame \d+: invalid Response Authenticator/);
    } finally {
      engine.close();
      peer.close();
      await wire.stop(true);
    }
  });

  it('fails when tshark decodes fewer packets than the test saw replies, or the test counted none', async () => {
    const wire = await radiusWire([ACCEPT]);
    try {
      wire.saw(2);
      await assert.rejects(wire.check(), /tshark decoded 1 packet\(s\) from the engine, the test saw 2 replies/);
    } finally {
      await wire.stop(true);
    }
    const none = await radiusWire([ACCEPT]);
    try {
      await assert.rejects(none.check(), /the test counted no reply from the engine/);
    } finally {
      await none.stop(true);
    }
  });

  it('Diameter over TCP: a message in two segments passes, one whose AVP overruns the message fails', async () => {
    const bad = Buffer.from(DWA);
    bad.writeUIntBE(100, 20 + 5, 3); // the Result-Code AVP claims 100 octets
    const wire = await diameterWire([DWA.subarray(0, 30), DWA.subarray(30), bad]);
    try {
      wire.saw(2);
      await assert.rejects(wire.check(), /tshark flags 1 packet\(s\) the engine sent: frame \d+: Wrong AVP\(268\) length 100 \(error, malformed\)/);
    } finally {
      await wire.stop(true);
    }
  });

  it('Diameter over TLS: decrypted with the keys the sender logged it passes, with no keys it fails', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'areg-wire-tls-'));
    try {
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=server.test',
        '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')], { stdio: 'pipe', timeout: 30_000 });
      const keys = path.join(dir, 'keys.log');
      for (const [keylog, ok] of [[keys, true], [path.join(dir, 'none.log'), false]] as const) {
        fs.writeFileSync(keylog, '');
        const server = tls.createServer({ key: fs.readFileSync(path.join(dir, 'key.pem')), cert: fs.readFileSync(path.join(dir, 'cert.pem')) },
          (c) => c.end(DWA));
        server.on('keylog', (line: Buffer) => fs.appendFileSync(keys, line));
        await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
        const wire = new EngineWire();
        try {
          await wire.start({ diameter: [(server.address() as net.AddressInfo).port], tlsKeylog: keylog });
          const client = tls.connect({ port: (server.address() as net.AddressInfo).port, host: '127.0.0.1', rejectUnauthorized: false });
          client.resume();
          await new Promise((r) => client.once('close', r));
          wire.saw();
          if (ok) await wire.check();
          else await assert.rejects(wire.check(), /frame \d+: TLS record not decrypted/);
        } finally {
          await wire.stop(true);
          server.close();
        }
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
