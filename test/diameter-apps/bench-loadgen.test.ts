// The Diameter benchmark's generator (src/bench/diameter-loadgen.ts), whose messages are written by hand rather
// than with areg's codec: every template decodes with areg's dictionary and passes its validation, the patched
// fields land where they belong, and a short run against the real engine gets 2001 for every AA-Request, ACR and
// DWR (a wrong password: 4001), answers matched by Hop-by-Hop id, the engine's counters agreeing.
import { strict as assert } from 'node:assert';
import { runDiameterLoad, type DiameterLoadOptions } from '../../src/bench/diameter-loadgen.js';
import { TEST_APP, cer, resultCode, templates, writeCounter, type Mode } from '../../src/bench/diameter-wire.js';
import { decodeMessage, findAvp, validateMessage, type DiameterMessage } from '../../src/diameter/index.js';
import { startEngine, type RunningEngine } from '../support/engine.js';
import { dict } from './client.js';

const identity = { originHost: 'bench.test', originRealm: 'test', destRealm: 'test' };

function decode(buf: Buffer): DiameterMessage {
  const d = decodeMessage(buf, dict);
  assert.ok(d.ok, d.ok ? '' : d.error.message);
  return d.message;
}

const value = (m: DiameterMessage, name: string): unknown => findAvp(m.avps, dict.avpByName(name)!)?.value;

describe('bench: the Diameter generator\'s hand-written messages', () => {
  it('CER, AAR, ACR and DWR templates decode and validate with areg\'s dictionary; Test-Request carries test_app\'s ids', () => {
    for (const mode of ['aar', 'acr', 'dwr', 'test'] as Mode[]) {
      const m = decode(cer(identity, mode, 7, 8));
      assert.equal(m.commandCode, 257);
      assert.equal(validateMessage(m, dict), undefined, mode);
    }
    for (const mode of ['aar', 'acr', 'dwr'] as Mode[]) {
      const [t] = templates(mode, identity, ['user0001'], 'password', '1700000000');
      const m = decode(t!.buf);
      assert.equal(validateMessage(m, dict), undefined, `${mode}: ${JSON.stringify(validateMessage(m, dict))}`);
    }
    const [test] = templates('test', identity, [], '', '1');
    const t = decode(test!.buf);
    assert.deepEqual([t.applicationId, t.commandCode], [TEST_APP.app, TEST_APP.cmd]);
    assert.ok(t.avps.some((a) => a.code === TEST_APP.avp && a.vendorId === TEST_APP.vendor));
  });

  it('the Session-Id counter, Accounting-Record-Type and -Number are patched in place', () => {
    const [t] = templates('acr', identity, ['user0042'], 'password', '1700000000');
    const buf = Buffer.from(t!.buf);
    writeCounter(buf, t!.counterAt, 123);
    buf.writeUInt32BE(4, t!.recordTypeAt!);
    buf.writeUInt32BE(77, t!.recordNumberAt!);
    const m = decode(buf);
    assert.equal(value(m, 'Session-Id'), 'bench.test;1700000000;0000000123');
    assert.equal(value(m, 'Accounting-Record-Type'), 4);
    assert.equal(value(m, 'Accounting-Record-Number'), 77);
    assert.equal(value(m, 'User-Name'), 'user0042');
    const [a] = templates('aar', identity, ['user0001'], 'password', '1');
    assert.equal(resultCode(a!.buf), undefined, 'a request has no Result-Code');
  });
});

describe('bench: the Diameter generator against the real engine', function () {
  this.timeout(120_000);
  let engine: RunningEngine;

  before(async function () {
    this.timeout(120_000);
    engine = await startEngine([
      'cd /Radius/Advanced/Diameter/TransportManagement', 'set Identity server.test', 'set Realm test',
      'cd /Radius/Clients', 'add bench', 'cd bench', 'set Protocol diameter', 'set HostName bench.test', 'set IPAddress 127.0.0.1',
      'cd /Radius/UserLists/Default', 'add user0001 "" password FALSE', 'add user0002 "" password FALSE',
    ]);
  });

  after(async () => {
    await engine?.stop();
  });

  const load = (mode: Mode, password = 'password'): Promise<Awaited<ReturnType<typeof runDiameterLoad>>> => {
    const o: DiameterLoadOptions = {
      port: engine.diameter, mode, requests: 300, window: 16, durationSec: 30, timeoutMs: 5000, warmup: 20,
      users: ['user0001', 'user0002'], password, identity,
    };
    return runDiameterLoad(o);
  };

  it('AAR, ACR and DWR: every answer 2001, none lost; a wrong password gets 4001 for every AAR', async () => {
    for (const mode of ['aar', 'acr', 'dwr'] as Mode[]) {
      const r = await load(mode);
      assert.deepEqual([r.requests, r.answered, r.success, r.errors, r.timeouts], [300, 300, 300, 0, 0], `${mode}: ${JSON.stringify(r)}`);
      assert.ok(r.answersPerSec > 0 && r.p50us > 0 && r.p99us >= r.p50us);
    }
    const bad = await load('aar', 'wrong');
    assert.deepEqual([bad.answered, bad.success, bad.rejects, bad.errors], [300, 0, 300, 0]);
    const stats = await engine.home.run(['--json', 'dia-stats', 'bench.test']);
    const peer = (JSON.parse(stats.stdout) as { peers: Record<string, Record<string, number | string>> }).peers['bench.test']!;
    // Four connections of 320 requests each, DWRs included; every one ended with the generator's DPR.
    assert.equal(peer.DPRReceived, 4, JSON.stringify(peer));
    assert.equal(peer.DWRReceived, 320);
    assert.equal(peer.state, 'Closed');
  });
});
