import assert from 'node:assert/strict';
import {
  builtinDictionary, checkCommandSupported, decodeMessage, encodeMessage, makeAvp, rawAvp, validateMessage,
  MessageFlags, ResultCode, type Avp, type DiameterMessage,
} from '../../src/diameter/index.js';
import { avpHex, ascii } from './wire.js';

const dict = builtinDictionary();
const M = 0x40;

/** Through the wire, so that Failed-AVP reports the AVPs as received. */
function received(msg: DiameterMessage): DiameterMessage {
  const r = decodeMessage(encodeMessage(msg), dict);
  assert.ok(r.ok);
  return r.message;
}

function aar(avps: Avp[]): DiameterMessage {
  return { flags: MessageFlags.Request | MessageFlags.Proxiable, commandCode: 265, applicationId: 1, hopByHopId: 1, endToEndId: 2, avps };
}

const good = (): Avp[] => [
  makeAvp(dict, 'Session-Id', 'nas.example;1;2'), makeAvp(dict, 'Auth-Application-Id', 1), makeAvp(dict, 'Origin-Host', 'nas.example'),
  makeAvp(dict, 'Origin-Realm', 'example'), makeAvp(dict, 'Destination-Realm', 'example'), makeAvp(dict, 'Auth-Request-Type', 3),
  makeAvp(dict, 'User-Name', 'bob'), makeAvp(dict, 'User-Password', Buffer.from('bob')),
];

describe('diameter validation (CCF, RFC 6733 §7.1.5)', () => {
  it('accepts a conforming AAR and an OpenSIPS-style ACR', () => {
    assert.equal(validateMessage(received(aar(good())), dict), undefined);
    const acr: DiameterMessage = { flags: MessageFlags.Request, commandCode: 271, applicationId: 3, hopByHopId: 1, endToEndId: 2, avps: [
      makeAvp(dict, 'Session-Id', 's;1;2'), makeAvp(dict, 'Origin-Host', 'h'), makeAvp(dict, 'Origin-Realm', 'r'),
      makeAvp(dict, 'Destination-Realm', 'r'), makeAvp(dict, 'Accounting-Record-Type', 1), makeAvp(dict, 'Accounting-Record-Number', 0),
      makeAvp(dict, 'Event-Timestamp', new Date(1724140000000)), makeAvp(dict, 'Acct-Status-Type', 2), makeAvp(dict, 'Sip-Method', 1)] };
    assert.equal(validateMessage(received(acr), dict), undefined);
  });

  it('5001 for an unknown AVP with the M bit, ignores one without it', () => {
    const unknownM = rawAvp(99999, Buffer.from('zz'), M);
    const e = validateMessage(received(aar([...good(), unknownM])), dict)!;
    assert.equal(e.resultCode, ResultCode.AVP_UNSUPPORTED);
    assert.equal(e.failedAvp!.toString('hex'), avpHex(99999, M, ascii('zz')));
    assert.equal(validateMessage(received(aar([...good(), rawAvp(99999, Buffer.from('zz'))])), dict), undefined);
  });

  it('5004 for an invalid value (bad UTF-8, bad Address family length)', () => {
    const bad = { ...makeAvp(dict, 'User-Name', 'x'), value: Buffer.from([0xff, 0xfe]) };
    const avps = good().filter((a) => a.code !== 1);
    const e = validateMessage(received(aar([...avps, bad])), dict)!;
    assert.equal(e.resultCode, ResultCode.INVALID_AVP_VALUE);
    assert.equal(e.failedAvp!.toString('hex'), avpHex(1, M, 'fffe'));
    const cer: DiameterMessage = { flags: MessageFlags.Request, commandCode: 257, applicationId: 0, hopByHopId: 1, endToEndId: 2, avps: [
      makeAvp(dict, 'Origin-Host', 'h'), makeAvp(dict, 'Origin-Realm', 'r'),
      { ...makeAvp(dict, 'Host-IP-Address', '1.2.3.4'), value: Buffer.from('000101', 'hex') },
      makeAvp(dict, 'Vendor-Id', 0), makeAvp(dict, 'Product-Name', 'p')] };
    assert.equal(validateMessage(received(cer), dict)!.resultCode, ResultCode.INVALID_AVP_VALUE);
  });

  it('5004 for a value outside the enumeration only when asked to be strict', () => {
    const avps = good().map((a) => (a.code === 274 ? makeAvp(dict, 'Auth-Request-Type', 9) : a));
    assert.equal(validateMessage(received(aar(avps)), dict), undefined);
    const e = validateMessage(received(aar(avps)), dict, { strictEnumerations: true })!;
    assert.equal(e.resultCode, ResultCode.INVALID_AVP_VALUE);
    assert.equal(e.failedAvp!.toString('hex'), avpHex(274, M, '00000009'));
  });

  it('3009 for M/P bits against the definition only when asked to be strict', () => {
    const avps = [...good(), { ...makeAvp(dict, 'Reply-Message', 'x'), flags: 0 }, { ...makeAvp(dict, 'Error-Message', 'e'), flags: M }];
    const answerAvps = avps.filter((a) => ![263, 2, 1, 283].includes(a.code));
    const aaa: DiameterMessage = { ...aar([makeAvp(dict, 'Session-Id', 's'), makeAvp(dict, 'Result-Code', 2001), ...answerAvps]), flags: 0 };
    assert.equal(validateMessage(received(aaa), dict), undefined);
    const e = validateMessage(received(aaa), dict, { strictFlags: true })!;
    assert.equal(e.resultCode, ResultCode.INVALID_AVP_BITS);
    assert.equal(e.failedAvp!.toString('hex'), avpHex(18, 0, ascii('x')));
  });

  it('5005 with a zero-filled example of the missing AVP', () => {
    const e = validateMessage(received(aar(good().filter((a) => a.code !== 283))), dict)!;
    assert.equal(e.resultCode, ResultCode.MISSING_AVP);
    assert.equal(e.failedAvp!.toString('hex'), '0000011b40000008');
    const noType = validateMessage(received(aar(good().filter((a) => a.code !== 274))), dict)!;
    assert.equal(noType.failedAvp!.toString('hex'), '000001124000000c00000000');
    const noSession = validateMessage(received(aar(good().filter((a) => a.code !== 263))), dict)!;
    assert.equal(noSession.resultCode, ResultCode.MISSING_AVP);
    assert.equal(noSession.failedAvp!.toString('hex'), '0000010740000008');
  });

  it('5005 inside a Grouped AVP reports the example wrapped in the parent header', () => {
    const proxy = makeAvp(dict, 'Proxy-Info', [makeAvp(dict, 'Proxy-Host', 'p')]);
    const e = validateMessage(received(aar([...good(), proxy])), dict)!;
    assert.equal(e.resultCode, ResultCode.MISSING_AVP);
    assert.equal(e.failedAvp!.toString('hex'), '0000011c' + '40' + '000010' + '0000002140000008');
  });

  it('5008 for a misplaced fixed AVP and for an AVP the command does not allow', () => {
    const [session, ...rest] = good();
    const e = validateMessage(received(aar([...rest, session!])), dict)!;
    assert.equal(e.resultCode, ResultCode.AVP_NOT_ALLOWED);
    assert.equal(e.failedAvp!.toString('hex'), avpHex(263, M, ascii('nas.example;1;2')));
    const dwr: DiameterMessage = { flags: MessageFlags.Request, commandCode: 280, applicationId: 0, hopByHopId: 1, endToEndId: 2, avps: [
      makeAvp(dict, 'Origin-Host', 'h'), makeAvp(dict, 'Origin-Realm', 'r')] };
    assert.equal(validateMessage(received(dwr), dict), undefined);
    const tunnel = makeAvp(dict, 'Tunneling', [makeAvp(dict, 'Tunnel-Type', 3), makeAvp(dict, 'Tunnel-Medium-Type', 1),
      makeAvp(dict, 'Tunnel-Client-Endpoint', 'a'), makeAvp(dict, 'Tunnel-Server-Endpoint', 'b'), makeAvp(dict, 'User-Name', 'x')]);
    const t = validateMessage(received(aar([...good(), tunnel])), dict)!;
    assert.equal(t.resultCode, ResultCode.AVP_NOT_ALLOWED);
    assert.equal(t.failedAvp!.toString('hex'), '00000191' + '40' + '000014' + avpHex(1, M, ascii('x')));
  });

  it('5009 with the first instance above the maximum', () => {
    const e = validateMessage(received(aar([...good(), makeAvp(dict, 'User-Name', 'second')])), dict)!;
    assert.equal(e.resultCode, ResultCode.AVP_OCCURS_TOO_MANY_TIMES);
    assert.equal(e.failedAvp!.toString('hex'), avpHex(1, M, ascii('second')));
  });

  it('3001 for an unknown command, 3007 for an unknown application', () => {
    const unknownCommand = { ...aar(good()), commandCode: 9999 };
    assert.equal(checkCommandSupported(unknownCommand, dict)!.resultCode, ResultCode.COMMAND_UNSUPPORTED);
    assert.equal(validateMessage(unknownCommand, dict)!.resultCode, ResultCode.COMMAND_UNSUPPORTED);
    const unknownApp = { ...aar(good()), applicationId: 16777251 };
    assert.equal(checkCommandSupported(unknownApp, dict)!.resultCode, ResultCode.APPLICATION_UNSUPPORTED);
    assert.equal(checkCommandSupported({ ...aar(good()), flags: 0, applicationId: 16777251 }, dict), undefined);
  });

  it('checks answers with the E bit against the generic answer-message', () => {
    const err: DiameterMessage = { flags: MessageFlags.Error, commandCode: 265, applicationId: 1, hopByHopId: 1, endToEndId: 2, avps: [
      makeAvp(dict, 'Session-Id', 's'), makeAvp(dict, 'Origin-Host', 'h'), makeAvp(dict, 'Origin-Realm', 'r'),
      makeAvp(dict, 'Result-Code', 3004)] };
    assert.equal(validateMessage(received(err), dict), undefined);
    const noResult = { ...err, avps: err.avps.slice(0, 3) };
    assert.equal(validateMessage(received(noResult), dict)!.resultCode, ResultCode.MISSING_AVP);
  });
});
