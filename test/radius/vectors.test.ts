// protocols.md §1.3: computed RADIUS vectors (secret testing123), byte for byte.
import assert from 'node:assert/strict';
import {
  attribute,
  chapPassword,
  commonDictionary,
  decodePacket,
  encodePacket,
  hidePassword,
  md5,
  PacketCode,
  unhidePassword,
  verifyMessageAuthenticator,
  verifyRequestAuthenticator,
  verifyResponseAuthenticator,
} from '../../src/radius/index.js';

const hex = (s: string): Buffer => Buffer.from(s, 'hex');
const secret = 'testing123';
const ra = hex('000102030405060708090a0b0c0d0e0f');
const accessRequest =
  '01010048000102030405060708090a0b0c0d0e0f010a75736572303030310212e68f7ab90392087e104607240014828b04067f0000015012d62eaf28020e26f60d0c186560358ce0';
const accessAccept = '0201002a9ac6c6996b091763bff3d075847adbf65012981f53968be8f87909fde89d46d5708012046f6b';
const accountingRequest = '0407002f24b44918ff7b45866b9666fbd88c2efc010a75736572303030312806000000012c0561626304067f000001';

describe('RADIUS vectors (protocols.md §1.3)', () => {
  const d = commonDictionary();

  it('MD5(secret + RA) and the hidden User-Password', () => {
    assert.equal(md5(Buffer.from(secret), ra).toString('hex'), '96ee09ca74fd7a1a104607240014828b');
    assert.equal(hidePassword(Buffer.from('password'), secret, ra).toString('hex'), 'e68f7ab90392087e104607240014828b');
    assert.equal(unhidePassword(hex('e68f7ab90392087e104607240014828b'), secret, ra)!.toString(), 'password');
  });

  it('CHAP-Password for "password", ident 0x2a, challenge = RA', () => {
    assert.equal(chapPassword(0x2a, 'password', ra).toString('hex'), '2a3e0949a5572c2d338c182b7f6377471d');
  });

  it('encodes the Access-Request with its Message-Authenticator', () => {
    const out = encodePacket(
      {
        code: PacketCode.AccessRequest,
        identifier: 1,
        authenticator: ra,
        attributes: [
          attribute(d, 'User-Name', 'user0001'),
          attribute(d, 'User-Password', 'password'),
          attribute(d, 'NAS-IP-Address', '127.0.0.1'),
          attribute(d, 'Message-Authenticator', Buffer.alloc(16)),
        ],
      },
      d,
      { secret },
    );
    assert.equal(out.toString('hex'), accessRequest);
  });

  it('decodes and verifies the Access-Request', () => {
    const p = decodePacket(hex(accessRequest), d, { secret });
    assert.deepEqual(
      p.attributes.map((a) => [a.def?.name, a.value instanceof Buffer ? a.value.toString('hex') : a.value]),
      [
        ['User-Name', 'user0001'],
        ['User-Password', 'password'],
        ['NAS-IP-Address', '127.0.0.1'],
        ['Message-Authenticator', 'd62eaf28020e26f60d0c186560358ce0'],
      ],
    );
    assert.ok(verifyMessageAuthenticator(p.raw, p.messageAuthenticatorOffset, secret));
    assert.ok(!verifyMessageAuthenticator(p.raw, p.messageAuthenticatorOffset, 'testing124'));
  });

  it('encodes the Access-Accept with Message-Authenticator first', () => {
    const out = encodePacket(
      { code: PacketCode.AccessAccept, identifier: 1, attributes: [attribute(d, 'Reply-Message', 'ok')] },
      d,
      { secret, requestAuthenticator: ra },
    );
    assert.equal(out.toString('hex'), accessAccept);
    const p = decodePacket(out, d);
    assert.equal(p.authenticator.toString('hex'), '9ac6c6996b091763bff3d075847adbf6');
    assert.equal(p.attributes[0]!.def?.name, 'Message-Authenticator');
    assert.equal((p.attributes[0]!.value as Buffer).toString('hex'), '981f53968be8f87909fde89d46d57080');
    assert.ok(verifyResponseAuthenticator(out, ra, secret));
    assert.ok(verifyMessageAuthenticator(out, p.messageAuthenticatorOffset, secret, ra));
  });

  it('encodes and verifies the Accounting-Request and its response', () => {
    const out = encodePacket(
      {
        code: PacketCode.AccountingRequest,
        identifier: 7,
        attributes: [
          attribute(d, 'User-Name', 'user0001'),
          attribute(d, 'Acct-Status-Type', 1),
          attribute(d, 'Acct-Session-Id', 'abc'),
          attribute(d, 'NAS-IP-Address', '127.0.0.1'),
        ],
      },
      d,
      { secret },
    );
    assert.equal(out.toString('hex'), accountingRequest);
    assert.ok(verifyRequestAuthenticator(out, secret));
    const tampered = Buffer.from(out);
    tampered[tampered.length - 1]! ^= 1;
    assert.ok(!verifyRequestAuthenticator(tampered, secret));
    const reply = encodePacket(
      { code: PacketCode.AccountingResponse, identifier: 7, attributes: [] },
      d,
      { secret, requestAuthenticator: out.subarray(4, 20) },
    );
    assert.equal(reply.subarray(4, 20).toString('hex'), '376699d3603976743c2757f7d0d2c07f');
  });
});
