// 50,000+ mutated packets through decodePacket: only RadiusDecodeError may come out, and whatever decodes
// must re-encode or fail with RadiusEncodeError. Deterministic (seeded) and time-bounded.
import assert from 'node:assert/strict';
import { createCipheriv } from 'node:crypto';
import {
  attribute,
  decodePacket,
  dictionaryForDialect,
  encodePacket,
  loadDictionary,
  PacketCode,
  RadiusDecodeError,
  RadiusEncodeError,
  type AttributeInput,
  type Dictionary,
} from '../../src/radius/index.js';
import { typesDictionary } from './fixtures.js';

/** A deterministic stream of numbers in [0, 1): the AES-128-CTR keystream of a fixed seed. */
function prng(seed: number): () => number {
  const key = Buffer.alloc(16);
  key.writeUInt32BE(seed);
  const stream = createCipheriv('aes-128-ctr', key, Buffer.alloc(16)).update(Buffer.alloc(1 << 22));
  let at = 0;
  return () => {
    if (at + 4 > stream.length) at = 0;
    const n = stream.readUInt32BE(at);
    at += 4;
    return n / 4294967296;
  };
}

const secret = 'fuzz';

function seeds(types: Dictionary, kamailio: Dictionary): [Dictionary, Buffer][] {
  const a = (name: string, value: AttributeInput['value'], tag?: number): AttributeInput => attribute(types, name, value, tag);
  const k = (name: string, value: AttributeInput['value']): AttributeInput => attribute(kamailio, name, value);
  const request = (d: Dictionary, attributes: AttributeInput[], code: number = PacketCode.AccessRequest): [Dictionary, Buffer] => [
    d,
    encodePacket({ code, identifier: 1, attributes }, d, { secret, requestAuthenticator: Buffer.alloc(16, 1) }),
  ];
  return [
    request(types, [a('T-String', 'abc'), a('T-Ipaddr', '10.0.0.1'), a('T-V6Prefix', '2001:db8::/32'), a('T-Int64', 5n), a('T-Date', new Date(0))]),
    request(types, [a('T-Tag-Int', 3, 1), a('T-Tag-Str', 'x', 2), a('T-Tunnel-Password', 'pw', 3), a('C-Secret', Buffer.from('k'))], PacketCode.AccessAccept),
    request(types, [a('C-Str', 'c'), a('W-Int', 1), a('H-Str', 'h'), a('C-Member', '1.2.3.4'), a('Co-Long', Buffer.alloc(300, 3))]),
    request(types, [a('X-Int', 1), a('X-Tlv-B-C', 2), a('L-Octets', Buffer.alloc(400, 9)), a('E-Str', 'e'), a('E-Long', Buffer.alloc(260, 1))]),
    request(types, [a('EAP-Message', Buffer.alloc(500, 2)), a('T-Array', '1.1.1.1')]),
    request(kamailio, [k('User-Name', 'u'), k('Digest-Response', 'r'), k('Digest-Realm', 'x'), k('Sip-Method', 8), k('User-Password', 'secret')]),
    request(kamailio, [k('MS-MPPE-Send-Key', Buffer.alloc(16, 4)), k('MS-CHAP2-Success', Buffer.from('S=00')), k('Cisco-AVPair', 'a=b')], PacketCode.AccessAccept),
  ].map(([d, b]) => [d, b] as [Dictionary, Buffer]);

}

function mutate(rand: () => number, input: Buffer): Buffer {
  const int = (n: number): number => Math.floor(rand() * n);
  const b = Buffer.from(input);
  // Offsets of the top-level attributes, to aim length rewrites at real length octets.
  const starts: number[] = [];
  for (let o = 20; o + 1 < b.length && b[o + 1]! >= 2; o += b[o + 1]!) starts.push(o);
  switch (int(7)) {
    case 0: {
      for (let n = 1 + int(8); n > 0; n--) b[int(b.length)]! ^= 1 << int(8);
      return b;
    }
    case 1:
      return b.subarray(0, int(b.length + 1));
    case 2: {
      const at = starts.length ? starts[int(starts.length)]! + 1 : 21;
      if (at < b.length) b[at] = [0, 1, 2, 255, int(256)][int(5)]!;
      return b;
    }
    case 3:
      b.writeUInt16BE([0, 19, 20, 4096, 4097, 65535, b.length - 1, b.length + 1, int(5000)][int(9)]! & 0xffff, 2);
      return b;
    case 4: {
      const random = Buffer.alloc(int(300));
      for (let i = 0; i < random.length; i++) random[i] = int(256);
      if (random.length >= 4 && rand() < 0.7) random.writeUInt16BE(random.length, 2);
      return random;
    }
    case 5: {
      // Random octets spliced into the attribute area, Length kept consistent.
      const junk = Buffer.alloc(1 + int(40));
      for (let i = 0; i < junk.length; i++) junk[i] = int(256);
      const at = 20 + int(Math.max(1, b.length - 20));
      const out = Buffer.concat([b.subarray(0, at), junk, b.subarray(at)]);
      out.writeUInt16BE(Math.min(out.length, 65535), 2);
      return out;
    }
    default: {
      // Sub-attribute damage: flip a length octet inside a VSA, TLV or extended attribute.
      const at = starts.length ? starts[int(starts.length)]! + 2 + int(8) : 22;
      if (at < b.length) b[at] = [0, 1, 2, 3, 255, int(256)][int(6)]!;
      return b;
    }
  }
}

describe('RADIUS decode fuzzing', () => {
  it('survives 56,000 mutated packets with only RadiusDecodeError, in bounded time', function () {
    this.timeout(20000);
    const types = loadDictionary({ text: typesDictionary });
    const all = seeds(types, dictionaryForDialect('kamailio'));
    const rand = prng(0x5eed);
    const reasons = new Map<string, number>();
    let decoded = 0;
    const started = performance.now();
    const rounds = 56000;
    for (let i = 0; i < rounds; i++) {
      const [d, seed] = all[i % all.length]!;
      const input = mutate(rand, seed);
      const options = i % 3 === 0 ? {} : { secret, requestAuthenticator: Buffer.alloc(16, 1) };
      let packet;
      try {
        packet = decodePacket(input, d, options);
      } catch (e) {
        if (!(e instanceof RadiusDecodeError)) assert.fail(`input ${input.toString('hex')} threw ${String(e)}`);
        reasons.set(e.reason, (reasons.get(e.reason) ?? 0) + 1);
        continue;
      }
      decoded++;
      try {
        encodePacket({ code: packet.code, identifier: packet.identifier, authenticator: packet.authenticator, attributes: packet.attributes }, d, {
          secret,
          requestAuthenticator: packet.authenticator,
        });
      } catch (e) {
        if (!(e instanceof RadiusEncodeError)) assert.fail(`re-encoding ${input.toString('hex')} threw ${String(e)}`);
      }
    }
    const seconds = (performance.now() - started) / 1000;
    assert.ok(seconds < 10, `took ${seconds.toFixed(1)} s`);
    assert.ok(decoded > 1000 && reasons.size >= 8, `decoded ${decoded}, reasons ${[...reasons.keys()].join(',')}`);
  });
});
