import assert from 'node:assert/strict';
import {
  builtinDictionary, decodeMessage, encodeMessage, makeAvp, validateMessage, MessageFlags, ResultCode,
  type Avp, type DecodeResult, type DiameterMessage,
} from '../../src/diameter/index.js';
import { ascii, avpHex, hexU32, messageHex } from './wire.js';

const dict = builtinDictionary();
const M = 0x40;

function failureOf(result: DecodeResult) {
  assert.equal(result.ok, false, 'decode should fail');
  return result as Extract<DecodeResult, { ok: false }>;
}

describe('diameter codec: byte-exact messages', () => {
  it('encodes and decodes the DWR/DWA pair of protocols.md §6.1', () => {
    const dwr = '01000034800001180000000011223344556677880000010840000013636c69656e742e7465737400000001284000000c74657374';
    const dwa = '0100004c000001180000000011223344556677880000010c4000000c000007d100000108400000137365727665722e74657374'
      + '00000001284000000c74657374000001164000000c6553f100';
    const ids = { hopByHopId: 0x11223344, endToEndId: 0x55667788, commandCode: 280, applicationId: 0 };
    const request: DiameterMessage = { ...ids, flags: MessageFlags.Request,
      avps: [makeAvp(dict, 'Origin-Host', 'client.test'), makeAvp(dict, 'Origin-Realm', 'test')] };
    const answer: DiameterMessage = { ...ids, flags: 0, avps: [
      makeAvp(dict, 'Result-Code', 2001), makeAvp(dict, 'Origin-Host', 'server.test'), makeAvp(dict, 'Origin-Realm', 'test'),
      makeAvp(dict, 'Origin-State-Id', 1700000000)] };
    assert.equal(encodeMessage(request).toString('hex'), dwr);
    assert.equal(encodeMessage(answer).toString('hex'), dwa);
    const decoded = decodeMessage(Buffer.from(dwa, 'hex'), dict);
    assert.ok(decoded.ok);
    assert.deepEqual(decoded.message.avps.map((a) => [a.def?.name, a.value]),
      [['Result-Code', 2001], ['Origin-Host', 'server.test'], ['Origin-Realm', 'test'], ['Origin-State-Id', 1700000000]]);
    assert.equal(validateMessage(decoded.message, dict), undefined);
  });

  it('encodes the OpenSIPS MAR of protocols.md §3.4 byte for byte, and it validates', () => {
    const callId = 'a84b4c76e66710@pc33';
    const s: [string, string][] = [
      ['Session-Id', 'client.diameter.test;1724140000;17'], ['Origin-Host', 'client.diameter.test'],
      ['Origin-Realm', 'diameter.test'], ['Destination-Realm', 'diameter.test'], ['SIP-AOR', 'alice@diameter.test'],
      ['SIP-Method', 'opensips-auth'], ['Route-Record', 'server'], ['User-Name', 'alice@diameter.test'],
      ['Digest-Username', 'alice'], ['Digest-Realm', 'diameter.test'], ['Digest-Nonce', '5f1a2b3c'],
      ['Digest-URI', 'sip:diameter.test'], ['Digest-Method', 'REGISTER'], ['Digest-QoP', 'auth'],
      ['Digest-Nonce-Count', '00000001'], ['Digest-CNonce', '0a4f113b'], ['Digest-Response', '6629fae49393a05397450978507c4ef1'],
    ];
    const str = (name: string): Avp => makeAvp(dict, name, s.find(([n]) => n === name)![1]);
    const avps: Avp[] = [
      str('Session-Id'), makeAvp(dict, 'Auth-Application-Id', 6), makeAvp(dict, 'Auth-Session-State', 1),
      str('Origin-Host'), str('Origin-Realm'), str('Destination-Realm'), str('SIP-AOR'), str('SIP-Method'), str('Route-Record'),
      str('User-Name'), str('Digest-Username'), str('Digest-Realm'), str('Digest-Nonce'), str('Digest-URI'), str('Digest-Method'),
      str('Digest-QoP'), str('Digest-Nonce-Count'), str('Digest-CNonce'), str('Digest-Response'),
      { ...makeAvp(dict, 'Service-Type', 15), flags: 0 },
      makeAvp(dict, 'Sip-Uri-User', 'alice'),
      makeAvp(dict, 'Acct-Session-Id', Buffer.from(callId)),
      makeAvp(dict, 'Cisco-AVPair', `call-id=${callId}`, 9),
    ];
    const codes: Record<string, number> = {
      'Session-Id': 263, 'Origin-Host': 264, 'Origin-Realm': 296, 'Destination-Realm': 283, 'SIP-AOR': 122, 'SIP-Method': 393,
      'Route-Record': 282, 'User-Name': 1, 'Digest-Username': 115, 'Digest-Realm': 104, 'Digest-Nonce': 105, 'Digest-URI': 109,
      'Digest-Method': 108, 'Digest-QoP': 110, 'Digest-Nonce-Count': 114, 'Digest-CNonce': 113, 'Digest-Response': 103,
    };
    const text = (name: string): string => avpHex(codes[name]!, M, ascii(s.find(([n]) => n === name)![1]));
    const expected = messageHex(0xc0, 286, 6, 0x0000002a, 0x6d1a0001, [
      text('Session-Id'), avpHex(258, M, hexU32(6)), avpHex(277, M, hexU32(1)),
      text('Origin-Host'), text('Origin-Realm'), text('Destination-Realm'), text('SIP-AOR'), text('SIP-Method'), text('Route-Record'),
      text('User-Name'), text('Digest-Username'), text('Digest-Realm'), text('Digest-Nonce'), text('Digest-URI'), text('Digest-Method'),
      text('Digest-QoP'), text('Digest-Nonce-Count'), text('Digest-CNonce'), text('Digest-Response'),
      '00000006' + '00' + '00000c' + '0000000f',
      avpHex(208, M, ascii('alice')),
      avpHex(44, M, ascii(callId)),
      '00000001' + '80' + '000027' + '00000009' + ascii(`call-id=${callId}`) + '00',
    ]);
    const mar: DiameterMessage = { flags: MessageFlags.Request | MessageFlags.Proxiable, commandCode: 286, applicationId: 6,
      hopByHopId: 0x2a, endToEndId: 0x6d1a0001, avps };
    const wire = encodeMessage(mar);
    assert.equal(wire.toString('hex'), expected);
    const decoded = decodeMessage(wire, dict);
    assert.ok(decoded.ok);
    assert.equal(validateMessage(decoded.message, dict), undefined);
    assert.equal(decoded.message.avps.find((a) => a.code === 1 && a.vendorId === 9)?.value, `call-id=${callId}`);
  });

  it('encodes a CER and its CEA byte for byte', () => {
    const cer: DiameterMessage = { flags: MessageFlags.Request, commandCode: 257, applicationId: 0, hopByHopId: 7, endToEndId: 0x12300007,
      avps: [
        makeAvp(dict, 'Origin-Host', 'client.diameter.test'), makeAvp(dict, 'Origin-Realm', 'diameter.test'),
        makeAvp(dict, 'Host-IP-Address', '127.0.0.1'), makeAvp(dict, 'Host-IP-Address', '::1'),
        makeAvp(dict, 'Vendor-Id', 0), makeAvp(dict, 'Product-Name', 'freeDiameter'), makeAvp(dict, 'Origin-State-Id', 1724140000),
        makeAvp(dict, 'Acct-Application-Id', 3), makeAvp(dict, 'Acct-Application-Id', 6), makeAvp(dict, 'Firmware-Revision', 10201),
      ] };
    const cerHex = messageHex(0x80, 257, 0, 7, 0x12300007, [
      avpHex(264, M, ascii('client.diameter.test')), avpHex(296, M, ascii('diameter.test')),
      '00000101' + '40' + '00000e' + '0001' + '7f000001' + '0000',
      '00000101' + '40' + '00001a' + '0002' + '00000000000000000000000000000001' + '0000',
      avpHex(266, M, '00000000'), '0000010d' + '00' + '000014' + ascii('freeDiameter'),
      avpHex(278, M, hexU32(1724140000)), avpHex(259, M, '00000003'), avpHex(259, M, '00000006'),
      '0000010b' + '00' + '00000c' + '000027d9',
    ]);
    assert.equal(encodeMessage(cer).toString('hex'), cerHex);
    const cea: DiameterMessage = { flags: 0, commandCode: 257, applicationId: 0, hopByHopId: 7, endToEndId: 0x12300007,
      avps: [
        makeAvp(dict, 'Result-Code', 2001), makeAvp(dict, 'Origin-Host', 'server.diameter.test'),
        makeAvp(dict, 'Origin-Realm', 'diameter.test'), makeAvp(dict, 'Host-IP-Address', '127.0.0.1'),
        makeAvp(dict, 'Vendor-Id', 0), makeAvp(dict, 'Product-Name', 'areg'), makeAvp(dict, 'Inband-Security-Id', 0),
        makeAvp(dict, 'Acct-Application-Id', 3), makeAvp(dict, 'Acct-Application-Id', 6), makeAvp(dict, 'Auth-Application-Id', 6),
      ] };
    const ceaHex = messageHex(0x00, 257, 0, 7, 0x12300007, [
      avpHex(268, M, hexU32(2001)), avpHex(264, M, ascii('server.diameter.test')), avpHex(296, M, ascii('diameter.test')),
      avpHex(257, M, '00017f000001'), avpHex(266, M, '00000000'), avpHex(269, 0, ascii('areg')), avpHex(299, M, '00000000'),
      avpHex(259, M, '00000003'), avpHex(259, M, '00000006'), avpHex(258, M, '00000006'),
    ]);
    assert.equal(encodeMessage(cea).toString('hex'), ceaHex);
    for (const hex of [cerHex, ceaHex]) {
      const r = decodeMessage(Buffer.from(hex, 'hex'), dict);
      assert.ok(r.ok);
      assert.equal(validateMessage(r.message, dict), undefined);
      assert.equal(encodeMessage(r.message).toString('hex'), hex);
    }
  });
});

describe('diameter codec: malformed messages', () => {
  const dwrWith = (...avps: string[]): Buffer => Buffer.from(messageHex(0x80, 280, 0, 1, 2, avps), 'hex');
  const host = avpHex(264, M, ascii('client.test'));

  it('answers the 28-octet DWR with a zero-Length AVP (dependencies.md §3) with 5014, without looping', () => {
    const dos = Buffer.from('0100001c800001180000000000000000000000000000010840000000', 'hex');
    const f = failureOf(decodeMessage(dos, dict));
    assert.equal(f.error.resultCode, ResultCode.INVALID_AVP_LENGTH);
    assert.equal(f.fatal, false);
    assert.equal(f.error.failedAvp!.toString('hex'), '0000010840000008');
    assert.equal(f.partial?.commandCode, 280);
  });

  it('5014 for an AVP Length that overruns the message: its header, Length reset, plus a zero payload of the minimum size', () => {
    const overrun = '00000108' + '40' + '0000ff' + ascii('client.test') + '00';
    const f = failureOf(decodeMessage(dwrWith(overrun), dict));
    assert.equal(f.error.resultCode, ResultCode.INVALID_AVP_LENGTH);
    assert.equal(f.error.failedAvp!.toString('hex'), '0000010840000008');
    const u32 = '00000116' + '40' + 'ffffff' + '00000001';
    const g = failureOf(decodeMessage(dwrWith(host, u32), dict));
    assert.equal(g.error.failedAvp!.toString('hex'), '000001164000000c' + '00000000');
    assert.equal(g.partial?.avps.length, 1);
  });

  it('5014 for an AVP header cut short: the partial header zero-padded to the minimum header size', () => {
    const f = failureOf(decodeMessage(dwrWith(host, '00000116'), dict));
    assert.equal(f.error.resultCode, ResultCode.INVALID_AVP_LENGTH);
    assert.equal(f.error.failedAvp!.toString('hex'), '0000011600000008');
    const v = failureOf(decodeMessage(dwrWith(host, '00000001' + '80000010'), dict));
    assert.equal(v.error.failedAvp!.toString('hex'), '000000018000000c' + '00000000');
  });

  it('5014 for a fixed-size type with the wrong data length: its header with a zero payload of the right length (§7.1.5)', () => {
    const five = '00000116' + '40' + '00000d' + '0102030405' + '000000';
    const f = failureOf(decodeMessage(dwrWith(host, five), dict));
    assert.equal(f.error.resultCode, ResultCode.INVALID_AVP_LENGTH);
    assert.equal(f.error.failedAvp!.toString('hex'), '00000116' + '40' + '00000c' + '00000000', 'Origin-State-Id (Unsigned32), Length 12');
  });

  it('5014 inside a Grouped AVP reports the member wrapped in its parent header', () => {
    const inner = '00000118' + '40' + '000004';
    const group = '0000011c' + '40' + '000014' + inner + '00000000' + '00000000';
    const f = failureOf(decodeMessage(dwrWith(host, group), dict));
    assert.equal(f.error.resultCode, ResultCode.INVALID_AVP_LENGTH);
    assert.equal(f.error.failedAvp!.toString('hex'), '0000011c' + '40' + '000010' + '0000011840000008');
  });

  it('5011 for another version, 5015 (fatal) for a Length that does not frame the buffer', () => {
    const bad = dwrWith(host);
    bad[0] = 2;
    const f = failureOf(decodeMessage(bad, dict));
    assert.equal(f.error.resultCode, ResultCode.UNSUPPORTED_VERSION);
    assert.equal(f.fatal, false);
    const g = failureOf(decodeMessage(dwrWith(host).subarray(0, 24), dict));
    assert.equal(g.error.resultCode, ResultCode.INVALID_MESSAGE_LENGTH);
    assert.equal(g.fatal, true);
    const h = failureOf(decodeMessage(Buffer.alloc(12), dict));
    assert.equal(h.fatal, true);
  });

  it('3008 for a request with the E bit', () => {
    const msg = Buffer.from(messageHex(0xa0, 280, 0, 1, 2, [host]), 'hex');
    const f = failureOf(decodeMessage(msg, dict));
    assert.equal(f.error.resultCode, ResultCode.INVALID_HDR_BITS);
    assert.equal(f.error.failedAvp, undefined);
  });

  it('3009 for an AVP with reserved flag bits set: a copy with them cleared, the bits named in the message', () => {
    const odd = avpHex(264, M | 0x01, ascii('client.test'));
    const input = dwrWith(odd);
    const f = failureOf(decodeMessage(input, dict));
    assert.equal(f.error.resultCode, ResultCode.INVALID_AVP_BITS);
    assert.equal(f.error.failedAvp!.toString('hex'), avpHex(264, M, ascii('client.test')));
    assert.match(f.error.message, /reserved flag bits 0x01 set/);
    assert.ok(input.toString('hex').includes(odd), 'the received message is left as it was');
  });

  it('accepts a final AVP whose padding is missing inside a Grouped AVP', () => {
    const member = '00000118' + '40' + '00000b' + ascii('abc');
    const group = '0000011c' + '40' + '000013' + member + '00';
    const r = decodeMessage(dwrWith(host, group), dict);
    assert.ok(r.ok);
    assert.deepEqual(((r.message.avps[1]!.value as Avp[])[0]!).value, 'abc');
  });
});
