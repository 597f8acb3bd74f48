// Seeded mutation fuzzing of framer + decoder + validator + error answers: every outcome must be a
// typed result, never an exception, and the whole run must stay well inside its time budget.
import assert from 'node:assert/strict';
import {
  builtinDictionary, createErrorAnswer, decodeMessage, encodeMessage, formatAvps, makeAvp, validateMessage,
  DiameterFramer, MessageFlags, type Avp, type DiameterMessage,
} from '../../src/diameter/index.js';

const dict = builtinDictionary();
const identity = { originHost: 'server.test', originRealm: 'test' };
const ITERATIONS = 50_000;
const SEED = 0x5eed2026;

/** mulberry32: small, fast, and the same sequence on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function corpus(): Buffer[] {
  const msg = (flags: number, commandCode: number, applicationId: number, avps: Avp[]): Buffer =>
    encodeMessage({ flags, commandCode, applicationId, hopByHopId: 1, endToEndId: 2, avps });
  const a = (name: string, value: Avp['value'], vendor?: number): Avp => makeAvp(dict, name, value, vendor);
  const session = a('Session-Id', 'client.test;1724140000;1');
  const origin = [a('Origin-Host', 'client.test'), a('Origin-Realm', 'test')];
  return [
    msg(MessageFlags.Request, 280, 0, [...origin, a('Origin-State-Id', 7)]),
    msg(MessageFlags.Request, 257, 0, [...origin, a('Host-IP-Address', '127.0.0.1'), a('Host-IP-Address', '::1'),
      a('Vendor-Id', 0), a('Product-Name', 'fuzz'), a('Acct-Application-Id', 3),
      a('Vendor-Specific-Application-Id', [a('Vendor-Id', 10415), a('Auth-Application-Id', 4)])]),
    msg(MessageFlags.Request | MessageFlags.Proxiable, 265, 1, [session, a('Auth-Application-Id', 1), ...origin,
      a('Destination-Realm', 'test'), a('Auth-Request-Type', 3), a('User-Name', 'bob'),
      a('CHAP-Auth', [a('CHAP-Algorithm', 5), a('CHAP-Ident', Buffer.from([1])), a('CHAP-Response', Buffer.alloc(16, 7))]),
      a('CHAP-Challenge', Buffer.alloc(16, 3)),
      a('Proxy-Info', [a('Proxy-Host', 'p.test'), a('Proxy-State', Buffer.from('s'))])]),
    msg(MessageFlags.Request | MessageFlags.Proxiable, 271, 3, [session, ...origin, a('Destination-Realm', 'test'),
      a('Accounting-Record-Type', 2), a('Accounting-Record-Number', 0), a('Event-Timestamp', new Date(1724140000000)),
      a('Accounting-Input-Octets', 2n ** 64n - 1n), a('Cisco-AVPair', 'call-id=x', 9),
      a('OC-OLR', [a('OC-Sequence-Number', 5n), a('OC-Report-Type', 0), a('OC-Reduction-Percentage', 50)])]),
    msg(MessageFlags.Proxiable | MessageFlags.Error, 286, 6, [session, ...origin, a('Result-Code', 5014),
      a('Failed-AVP', [a('Failed-AVP', [a('User-Name', 'x')])])]),
  ];
}

/** Offsets of the AVP headers of a (possibly already mutated) message, nested ones included. */
function avpOffsets(buf: Buffer, start = 20, end = buf.length, out: number[] = []): number[] {
  const stop = Math.min(end, buf.length);
  for (let at = start; at + 12 <= stop; ) {
    const length = buf.readUIntBE(at + 5, 3);
    if (length < 8) break;
    out.push(at);
    const header = buf[at + 4]! & 0x80 ? 12 : 8;
    if (dict.avp(buf.readUInt32BE(at), header === 12 ? buf.readUInt32BE(at + 8) : 0)?.type === 'Grouped') {
      avpOffsets(buf, at + header, at + length, out);
    }
    at += (length + 3) & ~3;
  }
  return out;
}

const AVP_LENGTHS = [0, 1, 7, 8, 9, 12, 0xffffff];

function mutate(seed: Buffer, rnd: () => number): Buffer {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
  let buf = Buffer.from(seed);
  const rounds = 1 + Math.floor(rnd() * 3);
  for (let r = 0; r < rounds; r++) {
    const kind = Math.floor(rnd() * 7);
    if (kind === 0) {
      for (let i = 1 + Math.floor(rnd() * 8); i > 0; i--) buf[Math.floor(rnd() * buf.length)]! ^= 1 << Math.floor(rnd() * 8);
    } else if (kind === 1) {
      const offsets = avpOffsets(buf);
      if (offsets.length) buf.writeUIntBE(rnd() < 0.8 ? pick(AVP_LENGTHS) : Math.floor(rnd() * 64), pick(offsets) + 5, 3);
    } else if (kind === 2 && buf.length >= 20) {
      buf.writeUIntBE(pick([0, 4, 19, 20, 24, buf.length - 4, buf.length + 4, 0xfffffc, Math.floor(rnd() * 0x1000000)]), 1, 3);
    } else if (kind === 3 && buf.length >= 20) {
      buf[4] = Math.floor(rnd() * 256);
    } else if (kind === 4) {
      const offsets = avpOffsets(buf);
      if (offsets.length) buf[pick(offsets) + 4] = Math.floor(rnd() * 256);
    } else if (kind === 5) {
      buf = buf.subarray(0, Math.floor(rnd() * buf.length));
      if (rnd() < 0.5 && buf.length >= 4) buf.writeUIntBE(buf.length, 1, 3);
    } else if (kind === 6 && buf.length >= 24) {
      buf[0] = rnd() < 0.5 ? 1 : Math.floor(rnd() * 256);
      buf.writeUInt32BE(Math.floor(rnd() * 2 ** 32), 20 + 4 * Math.floor(rnd() * Math.floor((buf.length - 20) / 4)));
    }
  }
  return buf;
}

/** Everything the server would do with one framed message; returns what happened. */
function handle(frame: Buffer): string {
  const decoded = decodeMessage(frame, dict);
  if (!decoded.ok) {
    if (decoded.partial && (decoded.partial.flags & MessageFlags.Request)) {
      encodeMessage(createErrorAnswer(dict, decoded.partial, identity, decoded.error));
    }
    return `decode ${decoded.error.resultCode}`;
  }
  const message: DiameterMessage = decoded.message;
  formatAvps(message.avps);
  const again = decodeMessage(encodeMessage(message), dict);
  assert.ok(again.ok, 're-encoding a decoded message must decode again');
  const error = validateMessage(message, dict, { strictEnumerations: true, strictFlags: true });
  if (error && (message.flags & MessageFlags.Request)) encodeMessage(createErrorAnswer(dict, message, identity, error));
  return error ? `validate ${error.resultCode}` : 'ok';
}

describe('diameter fuzzing', () => {
  it(`survives ${ITERATIONS} seeded mutations through framer, decoder and validator in bounded time`, function () {
    this.timeout(20_000);
    const rnd = prng(SEED);
    const seeds = corpus();
    const outcomes = new Map<string, number>();
    const started = Date.now();
    let stream = new DiameterFramer({ maxMessageSize: 4096 });
    for (let i = 0; i < ITERATIONS; i++) {
      const input = mutate(seeds[i % seeds.length]!, rnd);
      try {
        const cut = Math.floor(rnd() * (input.length + 1));
        const single = new DiameterFramer({ maxMessageSize: 4096 });
        const first = single.push(input.subarray(0, cut));
        const second = single.push(input.subarray(cut));
        for (const frame of [...first.messages, ...second.messages]) {
          const outcome = handle(frame);
          outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
        }
        const error = first.error ?? second.error;
        if (error) outcomes.set(`framer ${error.resultCode}`, (outcomes.get(`framer ${error.resultCode}`) ?? 0) + 1);
        const continued = stream.push(input);
        for (const frame of continued.messages) handle(frame);
        if (continued.error) stream = new DiameterFramer({ maxMessageSize: 4096 });
      } catch (e) {
        assert.fail(`iteration ${i} (seed ${SEED}) input ${input.toString('hex')}: ${(e as Error).stack}`);
      }
    }
    const elapsed = Date.now() - started;
    assert.ok(elapsed < 10_000, `took ${elapsed} ms`);
    for (const expected of ['ok', 'decode 5014', 'framer 5015', 'validate 5005']) {
      assert.ok(outcomes.has(expected), `the mutations never produced "${expected}": ${JSON.stringify([...outcomes])}`);
    }
  });
});
