import assert from 'node:assert/strict';
import {
  attribute,
  commonDictionary,
  decodePacket,
  dictionaryForDialect,
  encodePacket,
  formatAttribute,
  loadDictionary,
  PacketCode,
  parseAttribute,
  RadiusDecodeError,
  RadiusEncodeError,
  saltDecrypt,
  type AttributeInput,
  type Dictionary,
  type RadiusPacket,
} from '../../src/radius/index.js';
import { typesDictionary } from './fixtures.js';

const secret = 'testing123';
const ra = Buffer.from('000102030405060708090a0b0c0d0e0f', 'hex');


function roundTrip(d: Dictionary, attributes: AttributeInput[], code: number = PacketCode.AccessRequest): RadiusPacket {
  const wire = encodePacket({ code, identifier: 9, authenticator: ra, attributes }, d, { secret });
  const p = decodePacket(wire, d, { secret });
  const again = encodePacket({ code, identifier: 9, authenticator: ra, attributes: p.attributes }, d, { secret });
  if (!p.attributes.some((a) => a.def?.flags.encrypt === 2)) assert.deepEqual(again, wire, 're-encoding the decoded list gives the same octets');
  return p;
}

function withLength(b: Buffer): Buffer {
  b.writeUInt16BE(b.length, 2);
  return b;
}

const simple = (p: RadiusPacket): unknown[] => p.attributes.map((a) => [a.def?.name ?? `${a.vendor ?? ''}/${a.type}`, a.tag, a.value]);

describe('RADIUS packet codec', () => {
  const d = loadDictionary({ text: typesDictionary, name: 'types' });
  const a = (name: string, value: AttributeInput['value'], tag?: number): AttributeInput => attribute(d, name, value, tag);

  it('round-trips every data type', () => {
    const values: [string, AttributeInput['value']][] = [
      ['T-String', 'héllo'],
      ['T-String', Buffer.from([0xff, 0xfe])],
      ['T-Octets', Buffer.from('0001ff', 'hex')],
      ['T-Ipaddr', '192.0.2.1'],
      ['T-V4Prefix', '10.1.0.0/16'],
      ['T-V6Addr', '2001:db8::1'],
      ['T-V6Prefix', '2001:db8:1::/48'],
      ['T-V6Prefix', '::/0'],
      ['T-Ifid', '0011:2233:4455:6677'],
      ['T-Integer', 4294967295],
      ['T-Byte', 255],
      ['T-Short', 65535],
      ['T-Signed', -2147483648],
      ['T-Int64', 18446744073709551615n],
      ['T-Date', new Date('2024-01-05T13:04:05Z')],
      ['T-Ether', '00:11:22:aa:bb:cc'],
      ['T-Combo', '198.51.100.7'],
      ['T-Combo', 'fe80::1'],
      ['T-Abinary', Buffer.from('abcdef', 'hex')],
      ['T-Fixed', Buffer.from('01020304', 'hex')],
      ['T-String', ''],
    ];
    const p = roundTrip(d, values.map(([n, v]) => a(n, v)));
    assert.deepEqual(simple(p), values.map(([n, v]) => [n, undefined, v]));
  });

  it('decodes array attributes into one attribute per item', () => {
    const wire = encodePacket({ code: 1, identifier: 1, authenticator: ra, attributes: [] }, d, { secret });
    const withArray = Buffer.concat([wire, Buffer.from('120a0a0000010a000002', 'hex')]);
    withArray.writeUInt16BE(withArray.length, 2);
    assert.deepEqual(simple(decodePacket(withArray, d)), [['T-Array', undefined, '10.0.0.1'], ['T-Array', undefined, '10.0.0.2']]);
  });

  it('encodes tags as RFC 2868 says and decodes them back', () => {
    const wire = encodePacket(
      { code: 1, identifier: 1, authenticator: ra, attributes: [a('T-Tag-Int', 3, 1), a('T-Tag-Str', 'vlan', 2), a('T-Tag-Str', 'untagged'), a('T-Tunnel-Password', 'secretpw', 1)] },
      d,
      { secret },
    );
    assert.equal(wire.subarray(20, 26).toString('hex'), '400601000003');
    assert.equal(wire.subarray(26, 33).toString('hex'), '4207' + '02' + Buffer.from('vlan').toString('hex'));
    const tp = wire.subarray(33 + 10);
    assert.equal(tp[0], 69);
    assert.equal(tp[2], 1, 'Tunnel-Password tag');
    assert.ok(tp[3]! & 0x80, 'salt has its high bit set');
    assert.equal(saltDecrypt(tp.subarray(3, tp[1]), secret, ra)!.toString(), 'secretpw');
    const p = decodePacket(wire, d, { secret });
    assert.deepEqual(simple(p), [['T-Tag-Int', 1, 3], ['T-Tag-Str', 2, 'vlan'], ['T-Tag-Str', undefined, 'untagged'], ['T-Tunnel-Password', 1, 'secretpw']]);
    const hidden = decodePacket(wire, d);
    assert.equal(hidden.attributes[3]!.hidden, true);
    const relayed = encodePacket({ code: 1, identifier: 1, authenticator: ra, attributes: hidden.attributes }, d, { secret });
    assert.deepEqual(relayed, wire, 'a hidden value is relayed unchanged');
    assert.throws(() => encodePacket({ code: 1, identifier: 1, attributes: [a('T-Tag-Int', 0x1000000, 1)] }, d, { secret }), RadiusEncodeError);
  });

  it('handles VSAs of several vendor formats, TLVs inside them and unknown vendors', () => {
    const p = roundTrip(d, [
      a('C-Str', 'cisco-like'),
      a('W-Int', 77),
      a('H-Str', 'four-octet type'),
      a('C-Member', '192.0.2.9'),
      a('C-Secret', Buffer.from('k3y')),
      { type: 5, vendor: 9999, value: Buffer.from('opaque') },
    ]);
    assert.deepEqual(simple(p), [
      ['C-Str', undefined, 'cisco-like'],
      ['W-Int', undefined, 77],
      ['H-Str', undefined, 'four-octet type'],
      ['C-Member', undefined, '192.0.2.9'],
      ['C-Secret', undefined, Buffer.from('k3y')],
      ['9999/5', undefined, Buffer.from('opaque')],
    ]);
    const wire = p.raw;
    // W-Int: vendor 1002 (0x3ea), format 2,2: type 0x012c, length 8, value 77.
    assert.equal(wire.subarray(20 + 18, 20 + 18 + 14).toString('hex'), '1a0e000003ea012c00080000004d');
    // A vendor without a definition whose content is not type/length records is kept whole.
    const odd = Buffer.from('1a0800002710ff09', 'hex');
    const raw = Buffer.concat([wire.subarray(0, 20), odd]);
    raw.writeUInt16BE(raw.length, 2);
    const q = decodePacket(raw, d);
    assert.equal(q.attributes[0]!.def?.name, 'Vendor-Specific');
    const back = encodePacket({ code: 1, identifier: 9, authenticator: ra, attributes: q.attributes }, d, { secret });
    assert.deepEqual(back, raw);
  });

  it('splits and joins WiMAX-style continued VSAs', () => {
    const long = Buffer.alloc(600, 7);
    const p = roundTrip(d, [a('Co-Long', long)]);
    assert.equal(p.attributes.length, 1);
    assert.deepEqual(p.attributes[0]!.value, long);
    assert.ok(p.raw.length > 600 + 3 * 9);
  });

  it('encodes RFC 6929 extended, long-extended (fragmented), TLV and EVS attributes', () => {
    const big = Buffer.alloc(700, 0x5a);
    const p = roundTrip(d, [a('X-Int', 5), a('X-Tlv-A', 'in a tlv'), a('X-Tlv-B-C', 513), a('L-Octets', big), a('E-Str', 'evs'), a('E-Long', big)]);
    assert.deepEqual(simple(p), [
      ['X-Int', undefined, 5],
      ['X-Tlv-A', undefined, 'in a tlv'],
      ['X-Tlv-B-C', undefined, 513],
      ['L-Octets', undefined, big],
      ['E-Str', undefined, 'evs'],
      ['E-Long', undefined, big],
    ]);
    const wire = p.raw;
    assert.equal(wire.subarray(20, 27).toString('hex'), 'f10701' + '00000005');
    assert.equal(wire.subarray(27, 30).toString('hex'), 'f10d02', 'X-Tlv framed in 241.2');
    // 700 octets in fragments of 251 with the More flag on all but the last.
    let o = 20 + 7 + 13 + 9;
    const flags: number[] = [];
    while (wire[o] === 245 && wire[o + 2] === 1) {
      flags.push(wire[o + 3]!);
      o += wire[o + 1]!;
    }
    assert.deepEqual(flags, [0x80, 0x80, 0]);
  });

  it('keeps unknown extended types and unknown TLV members as octets that re-encode exactly', () => {
    const attrs = Buffer.from('f105630102' + 'f105020902', 'hex');
    const raw = Buffer.concat([Buffer.from('0101000000000000000000000000000000000000', 'hex'), attrs]);
    raw.writeUInt16BE(raw.length, 2);
    const p = decodePacket(raw, d);
    assert.equal(p.attributes.length, 2);
    assert.equal(p.attributes[0]!.def?.name, 'Ext-1');
    assert.equal(p.attributes[1]!.def?.name, 'X-Tlv');
    assert.deepEqual(encodePacket({ code: 1, identifier: 1, authenticator: raw.subarray(4, 20), attributes: p.attributes }, d, { secret }), raw);
  });

  it('splits EAP-Message at 253 octets and adds a Message-Authenticator', () => {
    const eap = Buffer.alloc(600, 1);
    const p = roundTrip(d, [a('EAP-Message', eap)]);
    assert.deepEqual(p.attributes.map((x) => [x.def?.name, (x.value as Buffer).length]), [
      ['Message-Authenticator', 16],
      ['EAP-Message', 253],
      ['EAP-Message', 253],
      ['EAP-Message', 94],
    ]);
    assert.deepEqual(Buffer.concat(p.attributes.slice(1).map((x) => x.value as Buffer)), eap);
  });

  it('refuses to encode more than 4096 octets and over-long single attributes', () => {
    const many = Array.from({ length: 17 }, () => a('T-Octets', Buffer.alloc(250)));
    assert.throws(() => encodePacket({ code: 1, identifier: 1, attributes: many }, d, { secret }), /exceed 4096/);
    assert.throws(() => encodePacket({ code: 1, identifier: 1, attributes: [a('T-Octets', Buffer.alloc(254))] }, d, { secret }), /exceed 253/);
    assert.throws(() => encodePacket({ code: 2, identifier: 1, attributes: [] }, d, { secret }), /request authenticator/);
    const fits = [...Array.from({ length: 16 }, () => a('T-Octets', Buffer.alloc(252))), a('T-Octets', Buffer.alloc(10))];
    assert.equal(encodePacket({ code: 1, identifier: 1, attributes: fits }, d, { secret }).length, 4096);
  });

  it('rejects malformed packets with a reason code', () => {
    const ok = encodePacket({ code: 1, identifier: 1, authenticator: ra, attributes: [a('T-String', 'x'), a('T-Integer', 1)] }, d, { secret });
    const mutate = (f: (b: Buffer) => Buffer): Buffer => f(Buffer.from(ok));
    const cases: [Buffer, string][] = [
      [ok.subarray(0, 19), 'short-datagram'],
      [mutate((b) => (b.writeUInt16BE(19, 2), b)), 'bad-length'],
      [mutate((b) => (b.writeUInt16BE(4097, 2), b)), 'bad-length'],
      [ok.subarray(0, ok.length - 1), 'short-datagram'],
      [mutate((b) => ((b[21] = 1), b)), 'attribute-length'],
      [mutate((b) => ((b[21] = 200), b)), 'attribute-overflow'],
      [mutate((b) => (b.writeUInt16BE(ok.length - 5, 2), b)), 'attribute-overflow'],
      [mutate((b) => ((b[23] = 3), b.writeUInt16BE(ok.length - 1, 2), b)), 'attribute-overflow'],
      [withLength(Buffer.concat([ok.subarray(0, 23), Buffer.from('0805000001', 'hex')])), 'value-size'],
    ];
    for (const [buf, reason] of cases) {
      assert.throws(() => decodePacket(buf, d), (e: unknown) => e instanceof RadiusDecodeError && e.reason === reason, reason);
    }
    const padded = Buffer.concat([ok, Buffer.from('deadbeef', 'hex')]);
    assert.equal(decodePacket(padded, d).raw.length, ok.length, 'octets after Length are ignored');
    const twoMa = encodePacket({ code: 1, identifier: 1, authenticator: ra, attributes: [a('T-Octets', Buffer.alloc(1))] }, d, { secret });
    const bad = Buffer.concat([twoMa, Buffer.from('5012' + '00'.repeat(16) + '5012' + '00'.repeat(16), 'hex')]);
    bad.writeUInt16BE(bad.length, 2);
    assert.throws(() => decodePacket(bad, d), /duplicate-message-authenticator/);
  });

  it('reads and writes attribute text', () => {
    const c = commonDictionary();
    const lines = [
      'Framed-IP-Address = 10.0.0.1',
      'Service-Type = Framed-User',
      'Tunnel-Type:1 = L2TP',
      'Tunnel-Private-Group-Id:2 = "vlan\\"10"',
      'Cisco-AVPair = "a=b"',
      'Event-Timestamp = Jan  5 2024 13:04:05 UTC',
      'Class = 0x0102ff',
      'Framed-IPv6-Prefix = 2001:db8::/64',
      'Attr-26.9999.5 = 0xabcd',
      'Attr-200 = 0x00',
    ];
    for (const line of lines) assert.equal(formatAttribute(c, parseAttribute(c, line)), line);
    assert.equal(parseAttribute(c, 'Service-Type = 2').value, 2);
    assert.equal(parseAttribute(c, "User-Name = 'bob'").value, 'bob');
    assert.equal(parseAttribute(c, 'Event-Timestamp = 1704459845').value instanceof Date, true);
    assert.throws(() => parseAttribute(c, 'Framed-IP-Address = 10.0.0.300'), RadiusEncodeError);
    assert.throws(() => parseAttribute(c, 'Service-Type = Nonsense'), RadiusEncodeError);
    assert.throws(() => parseAttribute(c, 'No-Such-Thing = 1'), /unknown attribute/);
    assert.throws(() => parseAttribute(c, 'User-Name:1 = x'), /bad tag/);
  });
});

describe('RADIUS dialects on the wire', () => {
  it('decodes the draft-sterman digest request of protocols.md §5.2 and encodes its Realm vector', () => {
    const d = dictionaryForDialect('kamailio');
    const attrs = [
      'ce22' + Buffer.from('631d6d73147add2f9e437f59bbc3aeb7').toString('hex'),
      'cf080a0674657374',
      'cf0d010b746573747265616c6d',
      'cf0c020a3132333461626364',
      'cf0a0308494e56495445',
      'cf1e041c' + Buffer.from('sip:5555551212@example.com').toString('hex'),
      'cf0706054d4435',
    ].join('');
    const raw = Buffer.from('01010000' + '00'.repeat(16) + attrs, 'hex');
    raw.writeUInt16BE(raw.length, 2);
    const p = decodePacket(raw, d);
    assert.deepEqual(
      p.attributes.map((x) => [x.def?.name, x.value]),
      [
        ['Digest-Response', '631d6d73147add2f9e437f59bbc3aeb7'],
        ['Digest-User-Name', 'test'],
        ['Digest-Realm', 'testrealm'],
        ['Digest-Nonce', '1234abcd'],
        ['Digest-Method', 'INVITE'],
        ['Digest-URI', 'sip:5555551212@example.com'],
        ['Digest-Algorithm', 'MD5'],
      ],
    );
    const out = encodePacket({ code: 1, identifier: 1, authenticator: ra, attributes: [attribute(d, 'Digest-Realm', 'biloxi.com')] }, d, { secret });
    assert.equal(out.subarray(20).toString('hex'), 'cf0e010c62696c6f78692e636f6d');
    assert.deepEqual(encodePacket({ code: 1, identifier: 1, authenticator: raw.subarray(4, 20), attributes: p.attributes }, d, { secret }), raw);
  });

  it('reads 101 and 206 by dialect and packet code', () => {
    const raw = Buffer.from('04010000' + '00'.repeat(16) + '650600000008' + 'ce05616263', 'hex');
    raw.writeUInt16BE(raw.length, 2);
    const names = (d: Dictionary): unknown[] => decodePacket(raw, d).attributes.map((x) => `${x.def?.name}=${String(x.value)}`);
    assert.deepEqual(names(dictionaryForDialect('kamailio')), ['Sip-Method=8', 'Digest-Response=abc']);
    assert.deepEqual(names(dictionaryForDialect('default')), ['Error-Cause=8', 'Digest-Response=abc']);
    assert.deepEqual(names(dictionaryForDialect('opensips', PacketCode.AccountingRequest)), ['Error-Cause=8', 'Sip-From-Tag=abc']);
  });
});
