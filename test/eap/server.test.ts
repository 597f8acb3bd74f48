// The EAP server state machine (src/services/eap) on its own: packets, EAP-MD5 (RFC 3748 §5.4: MD5 over
// Identifier + password + challenge), EAP-MSCHAPv2 (draft-kamath-pppext-eap-mschapv2: Challenge, Response,
// Success request and response, then EAP-Success with the MPPE keys), Nak, and the session table (State bound
// to its peer, single use, expiring, bounded).
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import type { Credentials } from '../../src/engine/pipeline/request.js';
import { authenticatorResponse, generateNtResponse, mppeKeys, ntPasswordHash } from '../../src/radius/index.js';
import {
  decodeEap, EapCode, EapServer, EapType, eapFailure, encodeEap, MsChapV2Op, type EapInput, type EapOutcome, type EapVerify,
} from '../../src/services/eap/index.js';
import { checkMsChap } from '../../src/services/mschap.js';

const PASSWORDS: Record<string, string> = { bob: 'bob', jane: 'jane' };

/** As a local service would check: CHAP-style verify for MD5, checkMsChap for MSCHAPv2. */
const verify: EapVerify = (userName: string, c: Credentials) => {
  const pw = PASSWORDS[userName];
  if (pw === undefined) return { ok: false, reason: `no user ${userName}`, reply: [] };
  if (c.kind === 'chap') return c.verify(pw) ? { ok: true, reply: [], recordName: userName } : { ok: false, reason: 'MD5 mismatch', reply: [] };
  if (c.kind === 'mschap') {
    const d = checkMsChap(pw, c);
    return d.ok ? { ok: true, reply: d.reply, recordName: userName } : { ok: false, reason: d.reason, reply: d.reply };
  }
  return { ok: false, reason: 'unexpected credentials', reply: [] };
};

const identity = (name: string, id = 0): Buffer => encodeEap({ code: EapCode.Response, identifier: id, type: EapType.Identity, data: Buffer.from(name) });

function challengeOf(o: EapOutcome): Extract<EapOutcome, { kind: 'challenge' }> {
  assert.equal(o.kind, 'challenge', JSON.stringify(o));
  return o as Extract<EapOutcome, { kind: 'challenge' }>;
}

function md5Response(request: Buffer, password: string): Buffer {
  const p = decodeEap(request);
  assert.equal(p.type, EapType.Md5Challenge);
  assert.equal(p.data[0], 16);
  const challenge = p.data.subarray(1, 17);
  const value = createHash('md5').update(Buffer.of(p.identifier)).update(password).update(challenge).digest();
  return encodeEap({ code: EapCode.Response, identifier: p.identifier, type: EapType.Md5Challenge, data: Buffer.concat([Buffer.of(16), value]) });
}

/** The peer side of EAP-MSCHAPv2: the Response to a Challenge request, and what it expects back. */
function msChapV2Response(request: Buffer, name: string, password: string): { response: Buffer; expectS: string; keys: { sendKey: Buffer; recvKey: Buffer } } {
  const p = decodeEap(request);
  assert.equal(p.type, EapType.MsChapV2);
  assert.equal(p.data[0], MsChapV2Op.Challenge);
  assert.equal(p.data.readUInt16BE(2), p.data.length, 'MS-Length = EAP Length - 5');
  assert.equal(p.data[4], 16);
  const authChallenge = p.data.subarray(5, 21);
  const peerChallenge = Buffer.alloc(16, 0x21);
  const hash = ntPasswordHash(password);
  const nt = generateNtResponse(authChallenge, peerChallenge, name, hash);
  const body = Buffer.concat([Buffer.of(49), peerChallenge, Buffer.alloc(8), nt, Buffer.of(0), Buffer.from(name)]);
  const head = Buffer.of(MsChapV2Op.Response, p.data[1]!, 0, 0);
  head.writeUInt16BE(4 + body.length, 2);
  return {
    response: encodeEap({ code: EapCode.Response, identifier: p.identifier, type: EapType.MsChapV2, data: Buffer.concat([head, body]) }),
    expectS: authenticatorResponse(hash, nt, peerChallenge, authChallenge, name),
    keys: mppeKeys(hash, nt),
  };
}

describe('EAP packets', () => {
  it('encode / decode Request, Response, Success, Failure; bad lengths and codes throw', () => {
    const r = encodeEap({ code: EapCode.Request, identifier: 7, type: EapType.Identity, data: Buffer.from('hi') });
    assert.equal(r.toString('hex'), '010700070168' + '69');
    assert.deepEqual(decodeEap(r), { code: 1, identifier: 7, type: 1, data: Buffer.from('hi') });
    assert.equal(encodeEap({ code: EapCode.Success, identifier: 9, data: Buffer.alloc(0) }).toString('hex'), '03090004');
    assert.equal(eapFailure(identity('x', 42)).toString('hex'), '042a0004');
    assert.equal(eapFailure(Buffer.alloc(0)).toString('hex'), '04000004');
    // Octets past Length are padding (RFC 3748 §4.1).
    assert.deepEqual(decodeEap(Buffer.concat([r, Buffer.of(0, 0)])).data, Buffer.from('hi'));
    assert.throws(() => decodeEap(Buffer.of(2, 0, 0)));
    assert.throws(() => decodeEap(Buffer.of(2, 0, 0, 9, 1)));
    assert.throws(() => decodeEap(Buffer.of(5, 0, 0, 4)));
    assert.throws(() => decodeEap(Buffer.of(2, 0, 0, 4)));
  });
});

describe('EAP server', () => {
  const md5Only: Pick<EapInput, 'peer' | 'methods' | 'verify'> = { peer: 'nas1', methods: ['md5'], verify };
  const local: Pick<EapInput, 'peer' | 'methods' | 'verify'> = { peer: 'nas1', methods: ['mschapv2', 'md5'], verify };

  it('EAP-MD5: Identity ⇒ MD5-Challenge with a State; right answer ⇒ EAP-Success (Identifier of the response)', () => {
    const eap = new EapServer();
    const c = challengeOf(eap.step({ ...md5Only, message: identity('bob', 5) }));
    assert.equal(c.method, 'md5');
    assert.equal(c.state.length, 16);
    const req = decodeEap(c.message);
    assert.equal(req.code, EapCode.Request);
    assert.equal(req.identifier, 6);
    assert.equal(req.data.subarray(17).toString(), 'areg', 'the server name follows the value');
    assert.equal(eap.size, 1);
    const done = eap.step({ ...md5Only, message: md5Response(c.message, 'bob'), state: c.state });
    assert.equal(done.kind, 'success');
    assert.equal(done.message.toString('hex'), '03060004');
    assert.equal(done.kind === 'success' && done.msk, undefined, 'EAP-MD5 derives no keys');
    assert.equal(done.kind === 'success' && done.identity, 'bob');
    assert.equal(eap.size, 0, 'a finished conversation is gone');
  });

  it('EAP-MD5: wrong password ⇒ EAP-Failure with the reason; the State cannot be replayed', () => {
    const eap = new EapServer();
    const c = challengeOf(eap.step({ ...md5Only, message: identity('bob') }));
    const bad = eap.step({ ...md5Only, message: md5Response(c.message, 'nope'), state: c.state });
    assert.equal(bad.kind, 'failure');
    assert.equal(bad.kind === 'failure' && bad.reason, 'MD5 mismatch');
    assert.equal(decodeEap(bad.message).code, EapCode.Failure);
    const again = eap.step({ ...md5Only, message: md5Response(c.message, 'bob'), state: c.state });
    assert.equal(again.kind, 'failure');
    assert.match(again.kind === 'failure' ? again.reason : '', /unknown or expired State/);
  });

  it('unknown State, State from another peer, wrong Identifier, a non-Identity first message ⇒ EAP-Failure', () => {
    const eap = new EapServer();
    assert.match(JSON.stringify(eap.step({ ...md5Only, message: identity('bob'), state: Buffer.alloc(16, 1) })), /unknown or expired State/);
    const c = challengeOf(eap.step({ ...md5Only, message: identity('bob') }));
    assert.match(JSON.stringify(eap.step({ ...md5Only, peer: 'nas2', message: md5Response(c.message, 'bob'), state: c.state })), /unknown or expired State/);
    const c2 = challengeOf(eap.step({ ...md5Only, message: identity('bob') }));
    const wrongId = Buffer.from(md5Response(c2.message, 'bob'));
    wrongId[1] = (wrongId[1]! + 1) & 0xff;
    assert.match(JSON.stringify(eap.step({ ...md5Only, message: wrongId, state: c2.state })), /Identifier/);
    const c3 = challengeOf(eap.step({ ...md5Only, message: identity('bob') }));
    assert.equal(eap.step({ ...md5Only, message: md5Response(c3.message, 'bob') }).kind, 'failure', 'no State: only Identity starts');
    assert.equal(eap.step({ ...md5Only, message: Buffer.of(1, 2) }).kind, 'failure', 'garbage');
    assert.equal(eap.step({ ...md5Only, methods: [], message: identity('bob') }).kind, 'failure', 'no method');
  });

  it('conversations expire after timeoutMs and are bounded by maxSessions (oldest dropped)', () => {
    let now = 1_000;
    const eap = new EapServer({ timeoutMs: 10_000, maxSessions: 2, now: () => now });
    const a = challengeOf(eap.step({ ...md5Only, message: identity('bob') }));
    now += 10_001;
    assert.equal(eap.size, 0);
    assert.match(JSON.stringify(eap.step({ ...md5Only, message: md5Response(a.message, 'bob'), state: a.state })), /expired/);
    const [x, y, z] = [0, 1, 2].map(() => challengeOf(eap.step({ ...md5Only, message: identity('bob') })));
    assert.equal(eap.size, 2);
    assert.equal(eap.step({ ...md5Only, message: md5Response(x!.message, 'bob'), state: x!.state }).kind, 'failure', 'the oldest was dropped');
    assert.equal(eap.step({ ...md5Only, message: md5Response(y!.message, 'bob'), state: y!.state }).kind, 'success');
    assert.equal(eap.step({ ...md5Only, message: md5Response(z!.message, 'bob'), state: z!.state }).kind, 'success');
  });

  it('EAP-MSCHAPv2: Challenge ⇒ Response ⇒ Success request (S= authenticator response) ⇒ Success response ⇒ EAP-Success with MPPE keys', () => {
    const eap = new EapServer();
    const c = challengeOf(eap.step({ ...local, message: identity('bob', 1) }));
    assert.equal(c.method, 'mschapv2');
    const peer = msChapV2Response(c.message, 'bob', 'bob');
    const s = challengeOf(eap.step({ ...local, message: peer.response, state: c.state }));
    assert.notDeepEqual(s.state, c.state, 'a new State each round');
    const req = decodeEap(s.message);
    assert.equal(req.type, EapType.MsChapV2);
    assert.equal(req.data[0], MsChapV2Op.Success);
    assert.equal(req.data[1], decodeEap(c.message).data[1], 'MS-CHAPv2-ID of the Challenge');
    assert.equal(req.data.readUInt16BE(2), req.data.length);
    assert.equal(req.data.subarray(4).toString(), `${peer.expectS} M=Authentication succeeded`);
    const ack = encodeEap({ code: EapCode.Response, identifier: req.identifier, type: EapType.MsChapV2, data: Buffer.of(MsChapV2Op.Success) });
    const done = eap.step({ ...local, message: ack, state: s.state });
    assert.equal(done.kind, 'success', JSON.stringify(done));
    if (done.kind !== 'success') return;
    assert.equal(decodeEap(done.message).code, EapCode.Success);
    const reply = new Map(done.reply.map(([n, v]) => [n, v]));
    assert.equal(reply.get('MS-MPPE-Send-Key'), `0x${peer.keys.sendKey.toString('hex')}`);
    assert.equal(reply.get('MS-MPPE-Recv-Key'), `0x${peer.keys.recvKey.toString('hex')}`);
    assert.ok(!reply.has('MS-CHAP2-Success'), 'the EAP Success request carried it');
    assert.deepEqual(done.msk, Buffer.concat([peer.keys.recvKey, peer.keys.sendKey, Buffer.alloc(32)]), 'MSK: Recv-Key, Send-Key, zeros');
  });

  it('EAP-MSCHAPv2: wrong password ⇒ Failure request (E=691 R=0 C= V=3 M=) ⇒ Failure response ⇒ EAP-Failure (no MS-CHAP-Error); an MD5 response in an MSCHAPv2 conversation fails', () => {
    const eap = new EapServer();
    const c = challengeOf(eap.step({ ...local, message: identity('bob') }));
    const f = challengeOf(eap.step({ ...local, message: msChapV2Response(c.message, 'bob', 'wrong').response, state: c.state }));
    assert.match(f.failed ?? '', /./, 'the reason of the failure');
    const req = decodeEap(f.message);
    assert.equal(req.type, EapType.MsChapV2);
    assert.equal(req.data[0], MsChapV2Op.Failure);
    assert.equal(req.data[1], decodeEap(c.message).data[1], 'the MS-CHAPv2-ID of the challenge');
    assert.equal(req.data.readUInt16BE(2), req.data.length);
    assert.match(req.data.subarray(4).toString(), /^E=691 R=0 C=[0-9A-F]{32} V=3 M=Authentication failed$/);
    const ack = encodeEap({ code: EapCode.Response, identifier: req.identifier, type: EapType.MsChapV2, data: Buffer.of(MsChapV2Op.Failure) });
    const bad = eap.step({ ...local, message: ack, state: f.state });
    assert.equal(bad.kind, 'failure');
    assert.equal(decodeEap(bad.message).identifier, req.identifier);
    assert.deepEqual(bad.kind === 'failure' && bad.reply, []);
    const c2 = challengeOf(eap.step({ ...local, message: identity('bob') }));
    const md5 = encodeEap({ code: EapCode.Response, identifier: decodeEap(c2.message).identifier, type: EapType.Md5Challenge, data: Buffer.alloc(17, 16) });
    assert.match(JSON.stringify(eap.step({ ...local, message: md5, state: c2.state })), /EAP type 4 in a mschapv2 conversation/);
  });

  it('EAP-Start (empty EAP-Message) ⇒ EAP-Request/Identity; the Identity then gets the method\'s challenge', () => {
    const eap = new EapServer();
    const start = challengeOf(eap.step({ ...md5Only, message: Buffer.alloc(0) }));
    const req = decodeEap(start.message);
    assert.equal(req.type, EapType.Identity);
    assert.equal(req.data.length, 0);
    const c = challengeOf(eap.step({ ...md5Only, message: identity('bob', req.identifier), state: start.state }));
    assert.equal(decodeEap(c.message).type, EapType.Md5Challenge);
    assert.equal(eap.step({ ...md5Only, message: md5Response(c.message, 'bob'), state: c.state }).kind, 'success');
  });

  it('Nak: a local service switches to MD5 when the peer asks; an eap-md5 service has nothing else to offer', () => {
    const eap = new EapServer();
    const c = challengeOf(eap.step({ ...local, message: identity('jane') }));
    const nak = (to: Buffer, types: number[]) => encodeEap({ code: EapCode.Response, identifier: decodeEap(to).identifier, type: EapType.Nak, data: Buffer.from(types) });
    const m = challengeOf(eap.step({ ...local, message: nak(c.message, [EapType.Md5Challenge]), state: c.state }));
    assert.equal(m.method, 'md5');
    assert.equal(eap.step({ ...local, message: md5Response(m.message, 'jane'), state: m.state }).kind, 'success');
    const d = challengeOf(eap.step({ ...md5Only, message: identity('jane') }));
    assert.match(JSON.stringify(eap.step({ ...md5Only, message: nak(d.message, [EapType.MsChapV2]), state: d.state })), /no other method/);
  });
});
