// Fuzz: the real engine (bin/arserver in a temporary AREG_HOME, free ports) gets ≥ 100,000 mutated RADIUS
// packets (test/support/fuzz.ts, seeded) on its auth and accounting ports. Pacing is windowed: a batch of
// packets, then a Status-Server probe to each port whose answer says the engine has read the batch, so the
// socket buffer is not what is tested. Every reply the engine sends is captured and must be a well-formed
// response whose Response Authenticator (and Message-Authenticator) verifies against a request it answers.
// Afterwards: same engine pid, no restart, the drop counters moved, and a valid PAP request is accepted.
// tshark decodes every reply as RADIUS, none malformed (test/support/wire.ts).
import { strict as assert } from 'node:assert';
import dgram from 'node:dgram';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { startEngine, type RunningEngine } from '../support/engine.js';
import { fuzzPacket, Prng, type Mutation } from '../support/fuzz.js';
import { allowedReplies, checkReply, papRequest, statusServer } from '../../src/bench/radius-wire.js';
import { benchSetupLines } from '../../src/bench/servers.js';
import { PacketCode } from '../../src/radius/index.js';
import { checkEngineWire } from '../support/wire.js';

const SECRET = Buffer.from('testing123');
const SEED = 0x5eed2026;
const PACKETS = 100_000;
const BATCH = 256;
const SOCKETS = 4;
const SEND_BUDGET_MS = 45_000;

interface EngineStatus {
  engine: { pid: number; restarts: number; running: boolean; counters: Record<string, number> };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function bound(): Promise<dgram.Socket> {
  const s = dgram.createSocket({ type: 'udp4', recvBufferSize: 4 << 20 });
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  return s;
}

describe('interop: fuzzing the real engine with 100,000 mutated RADIUS packets', function () {
  this.timeout(120_000);
  let engine: RunningEngine;
  let auth: number;
  let acct: number;
  const status = async (): Promise<EngineStatus> => JSON.parse((await engine.arserver('status', '--json')).stdout) as EngineStatus;

  before(async function () {
    this.timeout(300_000);
    engine = await startEngine(benchSetupLines(5));
    ({ auth, acct } = engine);
  });

  after(async function () {
    this.timeout(60_000);
    await engine?.stop();
  });

  it('stays up, answers nothing invalid, counts the garbage and still accepts a valid PAP request', async function () {
    this.timeout(60_000);
    const before = await status();
    assert.equal(before.engine.running, true);
    const pid = before.engine.pid;
    const portOf = (p: number): 'auth' | 'acct' | undefined => (p === auth ? 'auth' : p === acct ? 'acct' : undefined);

    const rng = new Prng(SEED);
    const users: [string, string][] = [['user0001', 'password'], ['user0002', 'password'], ['bob', 'bob'], ['user0003', 'wrong'], ['nobody', 'x']];
    const sockets = await Promise.all(Array.from({ length: SOCKETS }, bound));
    // Requests sent, by socket, port and Identifier: a reply must verify against one of them.
    const sent = sockets.map(() => new Map<string, Buffer[]>());
    let valid = 0;
    const invalid: string[] = [];
    const replyCodes = new Map<number, number>();
    sockets.forEach((s, i) =>
      s.on('message', (msg, rinfo) => {
        const port = portOf(rinfo.port);
        const candidates = port && msg.length >= 2 ? (sent[i]!.get(`${port}:${msg[1]}`) ?? []) : [];
        if (port && candidates.some((req) => checkReply(msg, req, SECRET, allowedReplies(req, port)) === 'ok')) {
          valid++;
          wire.saw();
          replyCodes.set(msg[0]!, (replyCodes.get(msg[0]!) ?? 0) + 1);
        } else invalid.push(`${rinfo.port}: ${msg.toString('hex')}`);
      }),
    );
    const probe = await bound();
    let probeId = 0;
    const probeOnce = (port: number): Promise<void> => {
      const req = statusServer(probeId++ & 255, SECRET);
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`the engine did not answer a Status-Server on ${port} within 5 s`)), 5000);
        const on = (msg: Buffer): void => {
          if (msg[1] !== req[1]) return;
          clearTimeout(t);
          probe.off('message', on);
          assert.equal(checkReply(msg, req, SECRET, allowedReplies(req, port === auth ? 'auth' : 'acct')), 'ok');
          resolve();
        };
        probe.on('message', on);
        probe.send(req, port, '127.0.0.1');
      });
    };

    const byMutation = new Map<Mutation, number>();
    const started = performance.now();
    let n = 0;
    try {
      while (n < PACKETS && performance.now() - started < SEND_BUDGET_MS) {
        for (let k = 0; k < BATCH && n < PACKETS; k++, n++) {
          const f = fuzzPacket(rng, SECRET, users);
          byMutation.set(f.mutation, (byMutation.get(f.mutation) ?? 0) + 1);
          const i = n % SOCKETS;
          if (f.data.length >= 20) {
            const key = `${f.port}:${f.data[1]}`;
            const list = sent[i]!.get(key);
            if (list) list.push(f.data);
            else sent[i]!.set(key, [f.data]);
          }
          sockets[i]!.send(f.data, f.port === 'auth' ? auth : acct, '127.0.0.1');
        }
        await Promise.all([probeOnce(auth), probeOnce(acct)]);
      }
      // Accounting answers wait for the file service's group commit.
      await sleep(1000);
    } finally {
      for (const s of [...sockets, probe]) s.close();
    }
    const seconds = (performance.now() - started) / 1000;
    const mix = [...byMutation].map(([m, c]) => `${m} ${c}`).join(', ');
    const codes = [...replyCodes].map(([c, k]) => `${c}:${k}`).join(' ');
    process.stdout.write(`      fuzz: ${n} packets in ${seconds.toFixed(1)} s (${mix}); ${valid} valid replies (codes ${codes}), ${invalid.length} invalid\n`);

    assert.ok(n >= PACKETS, `only ${n} packets sent within ${SEND_BUDGET_MS} ms`);
    assert.deepEqual(invalid.slice(0, 5), [], `${invalid.length} replies verify against no request`);
    assert.ok(valid > 1000, `only ${valid} replies: the re-signed packets should mostly be answered`);
    for (const c of [PacketCode.AccessAccept, PacketCode.AccessReject, PacketCode.AccountingResponse]) assert.ok(replyCodes.get(c), `no reply with code ${c}`);

    const after = await status();
    assert.equal(after.engine.running, true);
    assert.equal(after.engine.pid, pid, 'the engine process was replaced');
    assert.equal(after.engine.restarts, 0);
    const c = after.engine.counters;
    assert.ok(c.totalPacketsReceived! >= PACKETS, JSON.stringify(c));
    assert.ok(c.totalMalformedPackets! > 1000, JSON.stringify(c));
    assert.ok(c.totalPacketsDropped! > 10_000, JSON.stringify(c));
    assert.ok(c.totalBadMessageAuthenticators! > 1000, JSON.stringify(c));
    assert.ok(c.totalPayloadDecryptionFailures! > 100, JSON.stringify(c));
    const log = fs.readFileSync(path.join(engine.home.root, 'logs', 'name_radius_1_log'), 'utf8');
    assert.ok(!/Internal error/.test(log), log.split('\n').filter((l) => /Internal error/.test(l)).slice(0, 3).join('\n'));

    // A valid PAP request still gets a verified Access-Accept.
    const s = await bound();
    try {
      const req = papRequest(42, 'user0001', 'password', SECRET);
      const reply = new Promise<Buffer>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error('no answer to a valid PAP request after the fuzz')), 5000);
        s.once('message', (m) => {
          clearTimeout(t);
          resolve(m);
        });
      });
      s.send(req, auth, '127.0.0.1');
      const m = await reply;
      assert.equal(checkReply(m, req, SECRET, allowedReplies(req, 'auth')), 'ok');
      assert.equal(m[0], PacketCode.AccessAccept);
    } finally {
      s.close();
    }
  });

  // All of the engine's replies (about 21,000; decoded in about 2 s), none of the 100,000 requests: their
  // Identifiers repeat on each socket, so tshark could not pair a reply with its request to check the
  // Response Authenticator anyway; the test verifies each one against the requests it may answer.
  const wire = checkEngineWire(() => ({ radius: [auth, acct], engineOnly: true }));
});
