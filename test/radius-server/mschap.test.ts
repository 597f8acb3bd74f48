// MS-CHAP of local users through the RADIUS handler: MS-CHAPv2 with the RFC 2759 §9.2 example (user "User",
// password "clientPass"), MS-CHAPv1 (RFC 2433) as radclient computes it; replies decoded and unhidden with the
// client's secret (MS-MPPE keys salt-encrypted, RFC 2548 §2.4).
import { strict as assert } from 'node:assert';
import {
  attribute, challengeResponse, mppeKeys, ntPasswordHash, ntPasswordHashHash, PacketCode,
} from '../../src/radius/index.js';
import { checkMsChap } from '../../src/services/mschap.js';
import { radiusFixture, valuesOf, type RadiusFixture } from '../support/kamailio-radius.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const authChallenge = hex('5B 5D 7C 7D 7B 3F 2F 3E 3C 2C 60 21 32 26 26 28');
const peerChallenge = hex('21 40 23 24 25 5E 26 2A 28 29 5F 2B 3A 33 7C 7E');
const ntResponse = hex('82 30 9E CD 8D 70 8B 5E A0 8F AA 39 81 CD 83 54 42 33 11 4A 3D 85 D6 DF');
const v2Response = Buffer.concat([Buffer.of(7, 0), peerChallenge, Buffer.alloc(8), ntResponse]);

describe('MS-CHAP: checkMsChap', () => {
  it('v2: the RFC 2759 example accepts with MS-CHAP2-Success and keys; wrong password, bad sizes reject with E=691', () => {
    const ok = checkMsChap('clientPass', { version: 2, userName: 'User', challenge: authChallenge, response: v2Response });
    assert.equal(ok.ok, true);
    assert.deepEqual(ok.reply[0], ['MS-CHAP2-Success', `0x${Buffer.from('\x07S=407A5589115FD0D6209F510FE9C04566932CDA56', 'latin1').toString('hex')}`]);
    for (const bad of [
      checkMsChap('wrong', { version: 2, userName: 'User', challenge: authChallenge, response: v2Response }),
      checkMsChap('clientPass', { version: 2, userName: 'User', challenge: authChallenge.subarray(8), response: v2Response }),
      checkMsChap('clientPass', { version: 2, userName: 'User', challenge: authChallenge, response: v2Response.subarray(1) }),
    ]) {
      assert.equal(bad.ok, false);
      assert.equal(bad.reply[0]![0], 'MS-CHAP-Error');
    }
  });

  it('v1: NT-Response over the 8-octet challenge (RFC 2433 Appendix B.2 example); LAN Manager only (flags 0) rejects', () => {
    const challenge = hex('102DB5DF085D3041');
    assert.deepEqual(ntPasswordHash('MyPw'), hex('FC156AF7EDCD6C0EDDE3337D427F4EAC'));
    assert.deepEqual(challengeResponse(challenge, ntPasswordHash('MyPw')), hex('4E9D3C8F9CFD385D5BF4D3246791956CA4C351AB409A3D61'));
    const response = Buffer.concat([Buffer.of(1, 1), Buffer.alloc(24), challengeResponse(challenge, ntPasswordHash('MyPw'))]);
    assert.equal(checkMsChap('MyPw', { version: 1, userName: 'u', challenge, response }).ok, true);
    assert.equal(checkMsChap('MyPW', { version: 1, userName: 'u', challenge, response }).ok, false);
    const lmOnly = Buffer.from(response);
    lmOnly[1] = 0;
    assert.equal(checkMsChap('MyPw', { version: 1, userName: 'u', challenge, response: lmOnly }).ok, false);
  });
});

describe('MS-CHAP through the RADIUS handler', () => {
  let f: RadiusFixture;
  before(() => {
    f = radiusFixture('default', (t) => t.add('Radius/UserLists/Default', 'User', 'RFC 2759 example user', 'clientPass'));
  });
  after(() => f.close());

  const v2 = (userName: string, response: Buffer) =>
    f.request((d) => [
      attribute(d, 'User-Name', userName),
      attribute(d, 'MS-CHAP-Challenge', authChallenge),
      attribute(d, 'MS-CHAP2-Response', response),
    ]);

  it('MS-CHAPv2 RFC 2759 vector: Access-Accept with MS-CHAP2-Success, MS-MPPE-Send/Recv-Key (unhidden = RFC 3079 keys), policy and types', async () => {
    const r = await v2('User', v2Response);
    assert.equal(r.code, PacketCode.AccessAccept, f.trace.join('\n'));
    const d = f.dictionary;
    assert.deepEqual(valuesOf(r, d, 'MS-CHAP2-Success'), [Buffer.from('\x07S=407A5589115FD0D6209F510FE9C04566932CDA56', 'latin1')]);
    const keys = mppeKeys(hex('44 EB BA 8D 53 12 B8 D6 11 47 44 11 F5 69 89 AE'), ntResponse);
    assert.deepEqual(valuesOf(r, d, 'MS-MPPE-Send-Key'), [keys.sendKey]);
    assert.deepEqual(keys.sendKey, hex('8B 7C DC 14 9B 99 3A 1B A1 18 CB 15 3F 56 DC CB'), 'RFC 3079 §3.5.3');
    assert.deepEqual(valuesOf(r, d, 'MS-MPPE-Recv-Key'), [keys.recvKey]);
    assert.deepEqual(valuesOf(r, d, 'MS-MPPE-Encryption-Policy'), [1]);
    assert.deepEqual(valuesOf(r, d, 'MS-MPPE-Encryption-Types'), [6]);
    // On the wire the keys are salt-encrypted: salt (high bit set) + 32 octets, never the clear key.
    const wire = r.attributes.find((a) => a.def === d.attribute('MS-MPPE-Send-Key'))!.raw;
    assert.equal(wire.length, 2 + 32);
    assert.ok(wire[0]! & 0x80);
    assert.ok(!wire.includes(keys.sendKey));
  });

  it('a DOMAIN\\User name computes over User and finds the user', async () => {
    const r = await v2('ACME\\User', v2Response);
    assert.equal(r.code, PacketCode.AccessAccept, f.trace.join('\n'));
  });

  it('a wrong password: Access-Reject with MS-CHAP-Error (ident of the response, E=691, the challenge)', async () => {
    const bad = Buffer.from(v2Response);
    bad[49]! ^= 1;
    const r = await v2('User', bad);
    assert.equal(r.code, PacketCode.AccessReject);
    assert.deepEqual(valuesOf(r, f.dictionary, 'MS-CHAP-Error'), ['\x07E=691 R=0 C=5B5D7C7D7B3F2F3E3C2C602132262628 V=3 M=Authentication failed']);
    assert.equal(valuesOf(r, f.dictionary, 'MS-CHAP2-Success').length, 0);
  });

  it('MS-CHAPv1: Access-Accept with MS-CHAP-MPPE-Keys (unhidden: 8 zero octets, HashNtPasswordHash)', async () => {
    const challenge = hex('0102030405060708');
    const response = Buffer.concat([Buffer.of(0, 1), Buffer.alloc(24), challengeResponse(challenge, ntPasswordHash('clientPass'))]);
    const r = await f.request((d) => [attribute(d, 'User-Name', 'User'), attribute(d, 'MS-CHAP-Challenge', challenge), attribute(d, 'MS-CHAP-Response', response)]);
    assert.equal(r.code, PacketCode.AccessAccept, f.trace.join('\n'));
    const keys = valuesOf(r, f.dictionary, 'MS-CHAP-MPPE-Keys')[0] as Buffer;
    assert.deepEqual(keys.subarray(0, 24), Buffer.concat([Buffer.alloc(8), ntPasswordHashHash(ntPasswordHash('clientPass'))]));
  });
});
