import assert from 'node:assert/strict';
import {
  authenticatorResponse,
  challengeHash,
  commonDictionary,
  decodePacket,
  desEncryptBlock,
  digestHa1,
  digestResponse,
  DigestError,
  encodePacket,
  attribute,
  expandDesKey,
  generateNtResponse,
  md4,
  mppeMasterKey,
  mppeServerStartKey,
  msChapError,
  ntPasswordHash,
  ntPasswordHashHash,
  PacketCode,
  randomBytes,
  saltDecrypt,
  saltEncrypt,
  verifyChapPassword,
  chapPassword,
  verifyDigest,
  verifyMsChap2,
  type DigestInput,
} from '../../src/radius/index.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

describe('MD4 (RFC 1320 §A.5)', () => {
  it('matches the test suite', () => {
    const suite: [string, string][] = [
      ['', '31d6cfe0d16ae931b73c59d7e0c089c0'],
      ['a', 'bde52cb31de33e46245e05fbdbd6fb24'],
      ['abc', 'a448017aaf21d8525fc10ae87aa6729d'],
      ['message digest', 'd9130a8164549fe818874806e1c7014b'],
      ['abcdefghijklmnopqrstuvwxyz', 'd79e1c308aa5bbcdeea8ed63df412da9'],
      ['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', '043f8582f241db351ce627e153e7f0e4'],
      ['1234567890'.repeat(8), 'e33b4ddc9c38f2199c3e7b164fcc0536'],
    ];
    for (const [input, digest] of suite) assert.equal(md4(Buffer.from(input)).toString('hex'), digest, input);
  });
});

describe('DES', () => {
  it('encrypts the standard single-block vectors', () => {
    assert.equal(desEncryptBlock(hex('133457799BBCDFF1'), hex('0123456789ABCDEF')).toString('hex'), '85e813540f0ab405');
    assert.equal(desEncryptBlock(hex('0E329232EA6D0D73'), hex('8787878787878787')).toString('hex'), '0000000000000000');
    // FIPS 81 / NBS example: key 0123456789abcdef, "Now is t".
    assert.equal(desEncryptBlock(hex('0123456789abcdef'), Buffer.from('Now is t')).toString('hex'), '3fa40e8a984d4815');
  });

  it('spreads 7-octet keys over 8 octets', () => {
    assert.equal(expandDesKey(hex('ffffffffffffff')).toString('hex'), 'fefefefefefefefe');
    assert.equal(expandDesKey(hex('00000000000000')).toString('hex'), '0000000000000000');
  });
});

describe('MS-CHAPv2 (RFC 2759 §9.2) and MPPE keys (RFC 3079 §3.5.3)', () => {
  const userName = 'User';
  const password = 'clientPass';
  const authChallenge = hex('5B 5D 7C 7D 7B 3F 2F 3E 3C 2C 60 21 32 26 26 28');
  const peerChallenge = hex('21 40 23 24 25 5E 26 2A 28 29 5F 2B 3A 33 7C 7E');
  const ntResponse = hex('82 30 9E CD 8D 70 8B 5E A0 8F AA 39 81 CD 83 54 42 33 11 4A 3D 85 D6 DF');
  const passwordHash = hex('44 EB BA 8D 53 12 B8 D6 11 47 44 11 F5 69 89 AE');

  it('computes every intermediate value of the RFC 2759 example', () => {
    assert.deepEqual(challengeHash(peerChallenge, authChallenge, userName), hex('D0 2E 43 86 BC E9 12 26'));
    assert.deepEqual(ntPasswordHash(password), passwordHash);
    assert.deepEqual(ntPasswordHashHash(passwordHash), hex('41 C0 0C 58 4B D2 D9 1C 40 17 A2 A1 2F A5 9F 3F'));
    assert.deepEqual(generateNtResponse(authChallenge, peerChallenge, userName, passwordHash), ntResponse);
    assert.equal(
      authenticatorResponse(passwordHash, ntResponse, peerChallenge, authChallenge, userName),
      'S=407A5589115FD0D6209F510FE9C04566932CDA56',
    );
    assert.deepEqual(challengeHash(peerChallenge, authChallenge, 'ACME\\User'), hex('D0 2E 43 86 BC E9 12 26'));
  });

  it('derives the RFC 3079 master key and the server send key', () => {
    const master = mppeMasterKey(ntPasswordHashHash(passwordHash), ntResponse);
    assert.deepEqual(master, hex('FD EC E3 71 7A 8C 83 8C B3 88 E5 27 AE 3C DD 31'));
    assert.deepEqual(mppeServerStartKey(master, true), hex('8B 7C DC 14 9B 99 3A 1B A1 18 CB 15 3F 56 DC CB'));
  });

  it('verifies an MS-CHAP2-Response and builds MS-CHAP2-Success and the MPPE keys', () => {
    const response = Buffer.concat([Buffer.of(7, 0), peerChallenge, Buffer.alloc(8), ntResponse]);
    const ok = verifyMsChap2({ userName, password, authenticatorChallenge: authChallenge, response });
    assert.equal(ok.ok, true);
    assert.equal(ok.success!.toString('latin1'), '\x07S=407A5589115FD0D6209F510FE9C04566932CDA56');
    assert.deepEqual(ok.sendKey, hex('8B 7C DC 14 9B 99 3A 1B A1 18 CB 15 3F 56 DC CB'));
    assert.equal(ok.recvKey!.length, 16);
    assert.equal(verifyMsChap2({ userName, password: passwordHash, authenticatorChallenge: authChallenge, response }).ok, true);
    assert.equal(verifyMsChap2({ userName, password: 'wrong', authenticatorChallenge: authChallenge, response }).ok, false);
    assert.equal(verifyMsChap2({ userName, password, authenticatorChallenge: authChallenge, response: response.subarray(1) }).ok, false);
    assert.equal(msChapError(7, authChallenge).toString('latin1'), '\x07E=691 R=0 C=5B5D7C7D7B3F2F3E3C2C602132262628 V=3 M=Authentication failed');
  });

  it('hides the MPPE keys in an Access-Accept (RFC 2548 §2.4.2) so the NAS can unhide them', () => {
    const d = commonDictionary();
    const requestAuthenticator = randomBytes(16);
    const sendKey = hex('8B 7C DC 14 9B 99 3A 1B A1 18 CB 15 3F 56 DC CB');
    const wire = encodePacket(
      { code: PacketCode.AccessAccept, identifier: 3, attributes: [attribute(d, 'MS-MPPE-Send-Key', sendKey)] },
      d,
      { secret: 's3cr3t', requestAuthenticator },
    );
    const vsa = decodePacket(wire, d).attributes[1]!;
    assert.equal(vsa.hidden, true);
    assert.equal((vsa.raw).length, 2 + 32);
    assert.deepEqual(saltDecrypt(vsa.raw, 's3cr3t', requestAuthenticator), sendKey);
    assert.deepEqual(decodePacket(wire, d, { secret: 's3cr3t', requestAuthenticator }).attributes[1]!.value, sendKey);
    assert.equal(decodePacket(wire, d, { secret: 's3cr3t' }).attributes[1]!.hidden, true, 'no request authenticator: stays hidden');
  });

  it('salt-encrypts with a fixed salt reproducibly and rejects impossible framing', () => {
    const a = saltEncrypt(Buffer.from('key'), 'x', Buffer.alloc(16), Buffer.of(0x01, 0x02));
    assert.equal(a[0], 0x81, 'the salt high bit is forced');
    assert.deepEqual(saltEncrypt(Buffer.from('key'), 'x', Buffer.alloc(16), Buffer.of(0x01, 0x02)), a);
    assert.equal(saltDecrypt(a.subarray(0, 17), 'x', Buffer.alloc(16)), undefined);
  });
});

describe('CHAP', () => {
  it('verifies CHAP-Password in constant time', () => {
    const challenge = randomBytes(16);
    const value = chapPassword(9, 'pw', challenge);
    assert.ok(verifyChapPassword(value, 'pw', challenge));
    assert.ok(!verifyChapPassword(value, 'px', challenge));
    assert.ok(!verifyChapPassword(value.subarray(1), 'pw', challenge));
  });
});

describe('SIP digest (protocols.md §5.2)', () => {
  const classic: DigestInput = { username: 'test', realm: 'testrealm', password: 'test', nonce: '1234abcd', method: 'INVITE', uri: 'sip:5555551212@example.com' };

  it('matches the classic rlm_digest vector and its negatives', () => {
    assert.equal(digestHa1('test', 'testrealm', 'test'), '1e00d6dbd30441265df6064b9d9b7da9');
    assert.equal(digestResponse(classic), '631d6d73147add2f9e437f59bbc3aeb7');
    assert.equal(digestResponse({ ...classic, password: undefined, ha1: '1E00D6DBD30441265DF6064B9D9B7DA9', algorithm: 'MD5' }), '631d6d73147add2f9e437f59bbc3aeb7');
    assert.equal(digestResponse({ ...classic, method: 'REGISTER' }), '3d49c5a253bf3a50d8a78f1e35eb13a7');
    assert.equal(digestResponse({ ...classic, uri: '5555551212@example.com' }), '545c0508866bb54ae250376da25133cb');
    assert.ok(verifyDigest(classic, '631D6D73147ADD2F9E437F59BBC3AEB7'));
    assert.ok(!verifyDigest(classic, '631d6d73147add2f9e437f59bbc3aeb8'));
    assert.ok(!verifyDigest(classic, 'not hex'));
  });

  it('matches the draft-smith-sipping-auth-examples vectors', () => {
    const bob: DigestInput = {
      ha1: '12af60467a33e8518da5c68bbff12b11',
      nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
      cnonce: '0a4f113b',
      nc: '00000001',
      method: 'INVITE',
      uri: 'sip:bob@biloxi.com',
    };
    const body = 'c1ed018b8ec4a3b170c0921f5b564e48';
    assert.equal(digestHa1('bob', 'biloxi.com', 'zanzibar'), bob.ha1);
    assert.equal(digestResponse({ ...bob, qop: 'auth' }), '89eb0059246c02b2f6ee02c7961d5ea3');
    assert.equal(digestResponse({ ...bob, qop: 'auth', algorithm: 'MD5' }), '89eb0059246c02b2f6ee02c7961d5ea3');
    assert.equal(digestResponse({ ...bob, qop: 'auth', algorithm: 'MD5-sess' }), 'e4e4ea61d186d07a92c9e1f6919902e9');
    assert.equal(digestResponse({ ...bob, qop: 'auth-int', bodyDigest: body }), 'bdbeebb2da6adb6bca02599c2239e192');
    assert.equal(digestResponse({ ...bob, qop: 'auth-int', bodyDigest: body, algorithm: 'md5-sess' }), '91984da2d8663716e91554859c22ca70');
    assert.equal(digestResponse({ ...bob, algorithm: 'MD5' }), 'bf57e4e0d0bffc0fbaedce64d59add5e');
  });

  it('refuses what rlm_digest refuses', () => {
    assert.throws(() => digestResponse({ ...classic, algorithm: 'SHA-256' }), DigestError);
    assert.throws(() => digestResponse({ ...classic, qop: 'auth-conf' }), DigestError);
    assert.throws(() => digestResponse({ ...classic, qop: 'auth' }), /needs nc and cnonce/);
    assert.throws(() => digestResponse({ ...classic, algorithm: 'MD5-sess', cnonce: 'abc' }), /even-length/);
    assert.throws(() => digestResponse({ nonce: 'n', method: 'INVITE', uri: 'u', ha1: 'xyz' }), /32 hex/);
  });
});
