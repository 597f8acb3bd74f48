import assert from 'node:assert/strict';
import {
  builtinDictionary, createAnswer, createErrorAnswer, decodeMessage, encodeMessage, findAvp, formatAvps, makeAvp,
  validateMessage, EndToEndIdGenerator, HopByHopCounter, MessageFlags, ResultCode, SessionIdGenerator,
  type Avp, type DiameterMessage,
} from '../../src/diameter/index.js';

const dict = builtinDictionary();
const identity = { originHost: 'server.diameter.test', originRealm: 'diameter.test' };

const proxyInfo = (host: string): Avp => makeAvp(dict, 'Proxy-Info', [makeAvp(dict, 'Proxy-Host', host), makeAvp(dict, 'Proxy-State', Buffer.from(host))]);

const mar: DiameterMessage = {
  flags: MessageFlags.Request | MessageFlags.Proxiable | MessageFlags.Retransmit, commandCode: 286, applicationId: 6,
  hopByHopId: 0xdeadbeef, endToEndId: 0x12345678,
  avps: [makeAvp(dict, 'Session-Id', 'client;1;2'), makeAvp(dict, 'Origin-Host', 'client'), proxyInfo('p1'), proxyInfo('p2')],
};

describe('diameter answers', () => {
  it('builds an answer: ids kept, R clear, P copied, Session-Id first, Proxy-Info copied in order', () => {
    const a = createAnswer(dict, mar, identity, 2006);
    assert.equal(a.flags, MessageFlags.Proxiable);
    assert.deepEqual([a.commandCode, a.applicationId, a.hopByHopId, a.endToEndId], [286, 6, 0xdeadbeef, 0x12345678]);
    assert.deepEqual(formatAvps(a.avps), [
      'Session-Id = client;1;2', 'Result-Code = Diameter-Success-Server-Name-Not-Stored', 'Origin-Host = server.diameter.test',
      'Origin-Realm = diameter.test', 'Proxy-Info:', '  Proxy-Host = p1', '  Proxy-State = p1', 'Proxy-Info:', '  Proxy-Host = p2',
      '  Proxy-State = p2',
    ]);
  });

  it('builds a CEA-style answer when the request has no Session-Id', () => {
    const cer: DiameterMessage = { flags: MessageFlags.Request, commandCode: 257, applicationId: 0, hopByHopId: 5, endToEndId: 6,
      avps: [makeAvp(dict, 'Origin-Host', 'client')] };
    const a = createAnswer(dict, cer, identity, ResultCode.UNKNOWN_PEER);
    assert.equal(a.flags, 0);
    assert.deepEqual(formatAvps(a.avps), ['Result-Code = Diameter-Unknown-Peer', 'Origin-Host = server.diameter.test', 'Origin-Realm = diameter.test']);
  });

  it('builds an answer with Experimental-Result', () => {
    const a = createAnswer(dict, mar, identity, { vendorId: 10415, code: 5001 });
    const er = findAvp(a.avps, dict.avpByName('Experimental-Result')!)!;
    assert.deepEqual((er.value as Avp[]).map((m) => m.value), [10415, 5001]);
    assert.equal(findAvp(a.avps, 268), undefined);
  });

  it('builds a protocol error answer with the E bit, Error-Message and Failed-AVP from a failed decode', () => {
    const wire = encodeMessage({ ...mar, avps: [makeAvp(dict, 'Session-Id', 'client;1;3')] });
    const broken = Buffer.concat([wire, Buffer.from('0000011c40000000', 'hex')]);
    broken.writeUIntBE(broken.length, 1, 3);
    const r = decodeMessage(broken, dict);
    assert.ok(!r.ok);
    const bad = createErrorAnswer(dict, r.partial!, identity, { ...r.error, resultCode: ResultCode.INVALID_AVP_BITS });
    assert.equal(bad.flags, MessageFlags.Proxiable | MessageFlags.Error);
    const answer = createErrorAnswer(dict, r.partial!, identity, r.error);
    assert.equal(answer.flags, MessageFlags.Proxiable);
    const back = decodeMessage(encodeMessage(answer), dict);
    assert.ok(back.ok);
    const names = back.message.avps.map((a) => a.def?.name);
    assert.deepEqual(names, ['Session-Id', 'Origin-Host', 'Origin-Realm', 'Result-Code', 'Error-Message', 'Failed-AVP']);
    assert.equal(findAvp(back.message.avps, 268)!.value, 5014);
    const failed = findAvp(back.message.avps, 279)!.value as Avp[];
    assert.equal(failed[0]!.code, 284);
  });

  it('puts Error-Reporting-Host in when relaying an error, and validates as answer-message', () => {
    const answer = createErrorAnswer(dict, mar, identity, { resultCode: ResultCode.UNABLE_TO_DELIVER, message: 'no route' },
      { errorReportingHost: 'relay.diameter.test' });
    assert.equal(answer.flags & MessageFlags.Error, MessageFlags.Error);
    assert.equal(findAvp(answer.avps, 294)?.value, 'relay.diameter.test');
    assert.deepEqual(answer.avps.slice(-2).map((a) => a.code), [284, 284]);
    const back = decodeMessage(encodeMessage(answer), dict);
    assert.ok(back.ok);
    assert.equal(validateMessage(back.message, dict), undefined);
  });
});

describe('diameter identifiers', () => {
  it('End-to-End: high 12 bits from the clock, low 20 random, then incremented with wrap', () => {
    const now = 1724140000123;
    const gen = new EndToEndIdGenerator(now, 0xabcde);
    const first = gen.next();
    assert.equal(first >>> 20, Math.floor(now / 1000) & 0xfff);
    assert.equal(first & 0xfffff, 0xabcde);
    assert.equal(gen.next(), first + 1);
    const top = new EndToEndIdGenerator(0xfff * 1000, 0xfffff);
    assert.equal(top.next(), 0xffffffff);
    assert.equal(top.next(), 0);
  });

  it('Hop-by-Hop wraps at 2^32', () => {
    const c = new HopByHopCounter(0xfffffffe);
    assert.deepEqual([c.next(), c.next(), c.next()], [0xfffffffe, 0xffffffff, 0]);
    const r = new HopByHopCounter();
    const x = r.next();
    assert.ok(Number.isInteger(x) && x >= 0 && x <= 0xffffffff);
  });

  it('Session-Id: <identity>;<start seconds>;<counter>[;<optional>]', () => {
    const s = new SessionIdGenerator('client.diameter.test', 1724140000000);
    assert.equal(s.next(), 'client.diameter.test;1724140000;0');
    assert.equal(s.next('x'), 'client.diameter.test;1724140000;1;x');
  });
});
