import assert from 'node:assert/strict';
import {
  Dictionary, builtinDictionary, decodeMessage, encodeAvp, encodeMessage, makeAvp, DiameterEncodeError, MessageFlags,
  type Avp, type DiameterMessage,
} from '../../src/diameter/index.js';
import { avpHex } from './wire.js';

const dict = builtinDictionary();

function roundTrip(avps: Avp[]): Avp[] {
  const msg: DiameterMessage = { flags: MessageFlags.Request, commandCode: 271, applicationId: 3, hopByHopId: 1, endToEndId: 2, avps };
  const result = decodeMessage(encodeMessage(msg), dict);
  assert.ok(result.ok, result.ok ? '' : result.error.message);
  return result.message.avps;
}

function one(name: string, value: Avp['value']): Avp['value'] {
  return roundTrip([makeAvp(dict, name, value)])[0]!.value;
}

/** Each [sent, expected back] pair through encode and decode. */
function expectRoundTrips(name: string, pairs: [Avp['value'], Avp['value']][]): void {
  for (const [sent, back] of pairs) assert.deepEqual(one(name, sent), back, `${name} ${String(sent)}`);
}

describe('diameter data types', () => {
  it('round-trips OctetString, including binary and empty data', () => {
    assert.deepEqual(one('Class', Buffer.from([0, 1, 0xff, 0x80])), Buffer.from([0, 1, 0xff, 0x80]));
    assert.deepEqual(one('Class', Buffer.alloc(0)), Buffer.alloc(0));
  });

  it('round-trips Integer32/Unsigned32/Enumerated at their edges', () => {
    const custom = dict.avpByName('Session-Timeout')!;
    assert.equal(custom.type, 'Unsigned32');
    for (const v of [0, 1, 0x7fffffff, 0x80000000, 0xffffffff]) assert.equal(one('Session-Timeout', v), v);
    for (const v of [0, 1, 2]) assert.equal(one('Disconnect-Cause', v), v);
    assert.equal(one('Disconnect-Cause', -5), -5);
    assert.throws(() => encodeAvp(makeAvp(dict, 'Session-Timeout', -1)), DiameterEncodeError);
    assert.throws(() => encodeAvp(makeAvp(dict, 'Session-Timeout', 2 ** 32)), DiameterEncodeError);
    assert.throws(() => encodeAvp(makeAvp(dict, 'Session-Timeout', 1.5)), DiameterEncodeError);
  });

  it('round-trips Unsigned64 and Integer64 as bigint, including 2^63 and 2^64-1', () => {
    for (const v of [0n, 1n, 2n ** 32n, 2n ** 63n - 1n, 2n ** 63n, 2n ** 64n - 1n]) {
      assert.equal(one('Accounting-Input-Octets', v), v);
    }
    assert.equal(one('Accounting-Input-Octets', 5), 5n);
    assert.throws(() => encodeAvp(makeAvp(dict, 'Accounting-Input-Octets', 2n ** 64n)), DiameterEncodeError);
    assert.throws(() => encodeAvp(makeAvp(dict, 'Accounting-Input-Octets', -1n)), DiameterEncodeError);
    const bytes = encodeAvp(makeAvp(dict, 'Accounting-Input-Octets', 2n ** 64n - 1n));
    assert.equal(bytes.toString('hex'), avpHex(363, 0x40, 'ffffffffffffffff'));
  });

  it('round-trips Integer64/Float32/Float64 through custom definitions', () => {
    const d = Dictionary.build([...dict.sources, {
      avps: [
        { code: 9001, name: 'Test-I64', type: 'Integer64' },
        { code: 9002, name: 'Test-F32', type: 'Float32' },
        { code: 9003, name: 'Test-F64', type: 'Float64' },
      ],
    }]);
    const msg: DiameterMessage = {
      flags: 0, commandCode: 280, applicationId: 0, hopByHopId: 0, endToEndId: 0,
      avps: [
        makeAvp(d, 'Test-I64', -(2n ** 63n)), makeAvp(d, 'Test-I64', 2n ** 63n - 1n),
        makeAvp(d, 'Test-F32', 1.5), makeAvp(d, 'Test-F64', -1e300), makeAvp(d, 'Test-F64', Infinity),
      ],
    };
    const r = decodeMessage(encodeMessage(msg), d);
    assert.ok(r.ok);
    assert.deepEqual(r.message.avps.map((a) => a.value), [-(2n ** 63n), 2n ** 63n - 1n, 1.5, -1e300, Infinity]);
    assert.throws(() => encodeAvp(makeAvp(d, 'Test-I64', 2n ** 63n)), DiameterEncodeError);
  });

  it('round-trips Address as IPv4/IPv6 text and other families as bytes', () => {
    expectRoundTrips('Host-IP-Address', [
      ['192.0.2.1', '192.0.2.1'], ['2001:DB8:0:0:0:0:0:1', '2001:db8::1'], ['::ffff:192.0.2.1', '::ffff:c000:201'],
      ['::', '::'], ['1:0:0:2:0:0:0:3', '1:0:0:2::3'],
    ]);
    const e164 = { family: 8, bytes: Buffer.from('4915112345678', 'ascii') };
    assert.deepEqual(one('Host-IP-Address', e164), e164);
    assert.equal(encodeAvp(makeAvp(dict, 'Host-IP-Address', '127.0.0.1')).toString('hex'), avpHex(257, 0x40, '00017f000001'));
    assert.throws(() => encodeAvp(makeAvp(dict, 'Host-IP-Address', 'not-an-ip')), DiameterEncodeError);
  });

  it('round-trips Time around the 2036 NTP wrap (RFC 5905 era rule)', () => {
    const wrap = Date.UTC(2036, 1, 7, 6, 28, 16);
    for (const ms of [Date.UTC(1970, 0, 1), Date.UTC(2024, 7, 20), wrap - 1000, wrap, wrap + 1000, Date.UTC(2100, 0, 1)]) {
      assert.equal((one('Event-Timestamp', new Date(ms)) as Date).getTime(), ms);
    }
    const atWrap = encodeAvp(makeAvp(dict, 'Event-Timestamp', new Date(wrap)));
    assert.equal(atWrap.toString('hex'), avpHex(55, 0x40, '00000000'));
    const before = encodeAvp(makeAvp(dict, 'Event-Timestamp', new Date(wrap - 1000)));
    assert.equal(before.toString('hex'), avpHex(55, 0x40, 'ffffffff'));
    const unix2024 = encodeAvp(makeAvp(dict, 'Event-Timestamp', new Date(1724140000 * 1000)));
    assert.equal(unix2024.readUInt32BE(8), 1724140000 + 2208988800);
    assert.throws(() => encodeAvp(makeAvp(dict, 'Event-Timestamp', new Date(Date.UTC(1960, 0, 1)))), DiameterEncodeError);
  });

  it('round-trips the string types and rejects invalid UTF-8 as a raw value', () => {
    for (const [name, text] of [['User-Name', 'bjørn@example.com'], ['Origin-Host', 'aaa.example.com'],
      ['Redirect-Host', 'aaa://host.example.com:3868;transport=tcp'], ['NAS-Filter-Rule', 'permit in ip from any to any'],
      ['QoS-Filter-Rule', 'tag 1 in ip from any to any']]) {
      expectRoundTrips(name!, [[text!, text!]]);
    }
    const bad = roundTrip([{ ...makeAvp(dict, 'User-Name', 'x'), value: Buffer.from([0xc3, 0x28]) }])[0]!;
    assert.deepEqual(bad.value, Buffer.from([0xc3, 0x28]));
  });

  it('round-trips nested Grouped AVPs and vendor-specific AVPs', () => {
    const vsai = makeAvp(dict, 'Vendor-Specific-Application-Id', [makeAvp(dict, 'Vendor-Id', 10415), makeAvp(dict, 'Auth-Application-Id', 16777216)]);
    const failed = makeAvp(dict, 'Failed-AVP', [makeAvp(dict, 'Proxy-Info', [makeAvp(dict, 'Proxy-Host', 'p.example'), makeAvp(dict, 'Proxy-State', Buffer.from('st'))])]);
    const cisco = makeAvp(dict, 'Cisco-AVPair', 'call-id=abc', 9);
    const [a, b, c] = roundTrip([vsai, failed, cisco]);
    assert.deepEqual((a!.value as Avp[]).map((m) => m.value), [10415, 16777216]);
    const proxy = (b!.value as Avp[])[0]!;
    assert.equal(proxy.def?.name, 'Proxy-Info');
    assert.deepEqual((proxy.value as Avp[]).map((m) => m.value), ['p.example', Buffer.from('st')]);
    assert.equal(c!.vendorId, 9);
    assert.equal(c!.flags, 0x80);
    assert.equal(c!.def?.name, 'Cisco-AVPair');
    assert.equal(encodeAvp(cisco).toString('hex'), avpHex(1, 0x80, Buffer.from('call-id=abc').toString('hex'), 9));
  });

  it('keeps unknown AVPs raw and re-encodes them byte for byte', () => {
    const unknown = avpHex(99999, 0x80, '0102030405', 12345) + avpHex(4242, 0x00, 'aabb');
    const hex = '01' + (20 + unknown.length / 2).toString(16).padStart(6, '0') + '00000118' + '00000000' + '00000001' + '00000002' + unknown;
    const r = decodeMessage(Buffer.from(hex, 'hex'), dict);
    assert.ok(r.ok);
    assert.equal(r.message.avps[0]!.def, undefined);
    assert.deepEqual(r.message.avps[0]!.value, Buffer.from('0102030405', 'hex'));
    assert.equal(r.message.avps[0]!.vendorId, 12345);
    assert.equal(encodeMessage(r.message).toString('hex'), hex);
  });
});
