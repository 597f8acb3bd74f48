// Per-client MaxIncomingRequestRate and the Access-Reject delay, against the real engine.
import { strict as assert } from 'node:assert';
import dgram from 'node:dgram';
import { startEngine, type RunningEngine } from '../support/engine.js';
import { checkEngineWire, type EngineWire } from '../support/wire.js';
import { attribute, decodePacket, dictionaryForDialect, encodePacket, PacketCode, randomBytes } from '../../src/radius/index.js';

const dict = dictionaryForDialect('default');

function accessRequest(id: number, password: string): Buffer {
  return encodePacket({
    code: PacketCode.AccessRequest, identifier: id, authenticator: randomBytes(16),
    attributes: [attribute(dict, 'User-Name', 'bob'), attribute(dict, 'User-Password', password), attribute(dict, 'NAS-IP-Address', '127.0.0.1')],
  }, dict, { secret: 'secret', messageAuthenticator: true });
}

/** Sends the packets at once; collects answers (code and arrival time) for `waitMs`, counted as seen by `wire`. */
async function burst(wire: EngineWire, port: number, packets: Buffer[], waitMs: number): Promise<{ code: number; ms: number }[]> {
  const sock = dgram.createSocket('udp4');
  const got: { code: number; ms: number }[] = [];
  const t0 = Date.now();
  sock.on('message', (m) => got.push({ code: decodePacket(m, dict).code, ms: Date.now() - t0 }));
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
  for (const p of packets) sock.send(p, port, '127.0.0.1');
  await new Promise((r) => setTimeout(r, waitMs));
  sock.close();
  wire.saw(got.length);
  return got;
}

describe('RADIUS client rate limit and reject delay (real engine)', function () {
  this.timeout(120_000);
  let engine: RunningEngine;

  before(async function () {
    this.timeout(120_000);
    engine = await startEngine(['set /Radius/Clients/localhost/MaxIncomingRequestRate 5', 'set /Radius/Advanced/AccessRejectDelay 700']);
  });
  after(async () => engine?.stop());

  it('answers at most MaxIncomingRequestRate requests of a burst within one second and counts the rest', async () => {
    await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000) + 50)); // start of a second: one window
    const answers = await burst(wire, engine.auth, Array.from({ length: 20 }, (_, i) => accessRequest(i, 'bob')), 600);
    assert.equal(answers.filter((a) => a.code === PacketCode.AccessAccept).length, 5);
    const stats = await engine.home.run(['stats']);
    assert.match(stats.stdout, /localhost:\n(?: {4}\w+ = \d+\n)*? {4}rateLimited = 15\n/);
  });

  it('holds an Access-Reject back by AccessRejectDelay; an Access-Accept is not delayed', async () => {
    await new Promise((r) => setTimeout(r, 1100));
    const [reject] = await burst(wire, engine.auth, [accessRequest(100, 'wrong')], 1500);
    assert.equal(reject?.code, PacketCode.AccessReject);
    assert.ok(reject.ms >= 650, `reject after ${reject.ms} ms`);
    const [accept] = await burst(wire, engine.auth, [accessRequest(101, 'bob')], 500);
    assert.equal(accept?.code, PacketCode.AccessAccept);
    assert.ok(accept.ms < 650, `accept after ${accept.ms} ms`);
  });

  const wire = checkEngineWire(() => ({ radius: [engine.auth], secret: 'secret' }));
});
