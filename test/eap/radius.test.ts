// EAP over RADIUS (RFC 3579) through the real handler and pipeline, without sockets: EAP-Message reassembled from
// 253-octet fragments, Access-Challenge with Message-Authenticator first, EAP-Message and State; Access-Accept
// with EAP-Success (and MS-MPPE keys for MSCHAPv2); Access-Reject with EAP-Failure for a wrong answer or an
// unknown State. EAP-MD5 through an `eap-md5` service (UserService local-users); MSCHAPv2 through `local`.
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { attribute, generateNtResponse, mppeKeys, ntPasswordHash, PacketCode, type Dictionary, type RadiusPacket } from '../../src/radius/index.js';
import { decodeEap, EapCode, EapType, encodeEap, MsChapV2Op } from '../../src/services/eap/index.js';
import { radiusFixture, valuesOf, type RadiusFixture } from '../support/kamailio-radius.js';

const identity = (name: string): Buffer => encodeEap({ code: EapCode.Response, identifier: 0, type: EapType.Identity, data: Buffer.from(name) });

function eapOf(r: RadiusPacket, d: Dictionary): Buffer {
  const parts = valuesOf(r, d, 'EAP-Message') as Buffer[];
  assert.ok(parts.length >= 1, 'an EAP-Message');
  return Buffer.concat(parts);
}

function stateOf(r: RadiusPacket, d: Dictionary): Buffer {
  const [s] = valuesOf(r, d, 'State') as Buffer[];
  assert.ok(s && s.length === 16, 'a State');
  return s;
}

function send(f: RadiusFixture, userName: string, eap: Buffer, state?: Buffer): Promise<RadiusPacket> {
  return f.request((d) => [attribute(d, 'User-Name', userName), attribute(d, 'EAP-Message', eap), ...(state ? [attribute(d, 'State', state)] : [])]);
}

function assertSigned(r: RadiusPacket): void {
  assert.equal(r.attributes[0]?.type, 80, 'Message-Authenticator is the first attribute');
}

describe('EAP over RADIUS: EAP-MD5 via an eap-md5 service', () => {
  let f: RadiusFixture;
  before(() => {
    f = radiusFixture('default', (t) => {
      t.add('Radius/Services', 'eap-md5', 'EAP-MD5 for the local users', 'eap-md5');
      t.set('Radius/Services/eap-md5', 'UserService', 'local-users');
      t.set('Radius', 'DefaultAuthenticationService', 'eap-md5');
    });
  });
  after(() => f.close());

  const md5Answer = (challenge: Buffer, password: string): Buffer => {
    const p = decodeEap(challenge);
    assert.equal(p.type, EapType.Md5Challenge);
    const value = createHash('md5').update(Buffer.of(p.identifier)).update(password).update(p.data.subarray(1, 17)).digest();
    return encodeEap({ code: EapCode.Response, identifier: p.identifier, type: EapType.Md5Challenge, data: Buffer.concat([Buffer.of(16), value]) });
  };

  it('Identity ⇒ Access-Challenge (Message-Authenticator first, MD5-Challenge, State) ⇒ right answer ⇒ Access-Accept with EAP-Success', async () => {
    const d = f.dictionary;
    const c = await send(f, 'bob', identity('bob'));
    assert.equal(c.code, PacketCode.AccessChallenge, f.trace.join('\n'));
    assertSigned(c);
    const a = await send(f, 'bob', md5Answer(eapOf(c, d), 'bob'), stateOf(c, d));
    assert.equal(a.code, PacketCode.AccessAccept, f.trace.join('\n'));
    assertSigned(a);
    assert.equal(decodeEap(eapOf(a, d)).code, EapCode.Success);
  });

  it('wrong password ⇒ Access-Reject with EAP-Failure; unknown State ⇒ Access-Reject with EAP-Failure', async () => {
    const d = f.dictionary;
    const c = await send(f, 'bob', identity('bob'));
    const r = await send(f, 'bob', md5Answer(eapOf(c, d), 'nope'), stateOf(c, d));
    assert.equal(r.code, PacketCode.AccessReject);
    assertSigned(r);
    assert.equal(decodeEap(eapOf(r, d)).code, EapCode.Failure);
    const u = await send(f, 'bob', md5Answer(eapOf(c, d), 'bob'), Buffer.alloc(16, 7));
    assert.equal(u.code, PacketCode.AccessReject);
    assert.equal(decodeEap(eapOf(u, d)).code, EapCode.Failure);
    assert.ok(f.trace.some((l) => /unknown or expired State/.test(l)), 'the reason is traced');
  });

  it('an EAP-Message over 253 octets goes out in fragments and is reassembled: an unknown 400-octet identity gets its challenge, then a reject', async () => {
    const d = f.dictionary;
    const name = 'x'.repeat(400);
    const c = await send(f, 'bob', identity(name));
    assert.equal(c.code, PacketCode.AccessChallenge, f.trace.join('\n'));
    const r = await send(f, 'bob', md5Answer(eapOf(c, d), 'bob'), stateOf(c, d));
    assert.equal(r.code, PacketCode.AccessReject);
  });
});

describe('EAP over RADIUS: EAP-MSCHAPv2 via the local service', () => {
  let f: RadiusFixture;
  before(() => {
    f = radiusFixture('default');
  });
  after(() => f.close());

  async function run(password: string): Promise<{ last: RadiusPacket; keys: { sendKey: Buffer; recvKey: Buffer } }> {
    const d = f.dictionary;
    const c = await send(f, 'bob', identity('bob'));
    assert.equal(c.code, PacketCode.AccessChallenge, f.trace.join('\n'));
    const p = decodeEap(eapOf(c, d));
    assert.equal(p.type, EapType.MsChapV2);
    const authChallenge = p.data.subarray(5, 21);
    const peerChallenge = Buffer.alloc(16, 3);
    const hash = ntPasswordHash(password);
    const nt = generateNtResponse(authChallenge, peerChallenge, 'bob', hash);
    const body = Buffer.concat([Buffer.of(49), peerChallenge, Buffer.alloc(8), nt, Buffer.of(0), Buffer.from('bob')]);
    const head = Buffer.of(MsChapV2Op.Response, p.data[1]!, 0, 4 + body.length);
    const resp = encodeEap({ code: EapCode.Response, identifier: p.identifier, type: EapType.MsChapV2, data: Buffer.concat([head, body]) });
    const s = await send(f, 'bob', resp, stateOf(c, d));
    assert.equal(s.code, PacketCode.AccessChallenge, 'a Success or Failure request');
    const q = decodeEap(eapOf(s, d));
    // The Success request carries the authenticator response; the Failure request the error (RFC 2759 §6).
    if (password === 'bob') {
      assert.equal(q.data[0], MsChapV2Op.Success);
      assert.match(q.data.subarray(4).toString(), /^S=[0-9A-F]{40} M=/);
    } else {
      assert.equal(q.data[0], MsChapV2Op.Failure);
      assert.match(q.data.subarray(4).toString(), /^E=691 R=0 C=[0-9A-F]{32} V=3 M=Authentication failed$/);
    }
    const ack = encodeEap({ code: EapCode.Response, identifier: q.identifier, type: EapType.MsChapV2, data: Buffer.of(q.data[0]!) });
    return { last: await send(f, 'bob', ack, stateOf(s, d)), keys: mppeKeys(hash, nt) };
  }

  it('bob/bob: two Access-Challenges, then Access-Accept with EAP-Success and the MS-MPPE keys (unhidden = RFC 3079 keys)', async () => {
    const d = f.dictionary;
    const { last, keys } = await run('bob');
    assert.equal(last.code, PacketCode.AccessAccept, f.trace.join('\n'));
    assertSigned(last);
    assert.equal(decodeEap(eapOf(last, d)).code, EapCode.Success);
    assert.deepEqual(valuesOf(last, d, 'MS-MPPE-Send-Key'), [keys.sendKey]);
    assert.deepEqual(valuesOf(last, d, 'MS-MPPE-Recv-Key'), [keys.recvKey]);
    assert.deepEqual(valuesOf(last, d, 'MS-CHAP2-Success'), []);
  });

  it('bob with a wrong password: a Failure request (E=691) in an Access-Challenge, then Access-Reject with EAP-Failure, no keys', async () => {
    const d = f.dictionary;
    const { last } = await run('wrong');
    assert.equal(last.code, PacketCode.AccessReject);
    assert.equal(decodeEap(eapOf(last, d)).code, EapCode.Failure);
    assert.deepEqual(valuesOf(last, d, 'MS-MPPE-Send-Key'), []);
    assert.deepEqual(valuesOf(last, d, 'MS-CHAP-Error'), []);
  });
});
