// SIP digest of local users: checkDigest (protocols.md §5.2 vectors) and the RADIUS handler in both
// encodings (Sterman 206/207 and RFC 5090).
import { strict as assert } from 'node:assert';
import { checkDigest } from '../../src/services/digest.js';

const user = (props: Record<string, string>) => ({ str: (p: string) => props[p] ?? '' });

const classic = {
  username: 'test',
  realm: 'testrealm',
  nonce: '1234abcd',
  method: 'INVITE',
  uri: 'sip:5555551212@example.com',
  response: '631d6d73147add2f9e437f59bbc3aeb7',
};
const bob = {
  username: 'bob',
  realm: 'biloxi.com',
  nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
  method: 'INVITE',
  uri: 'sip:bob@biloxi.com',
  qop: 'auth',
  nc: '00000001',
  cnonce: '0a4f113b',
};

describe('SIP digest: checkDigest', () => {
  it('the classic vector against the clear Password and against DigestHA1; negatives reject', () => {
    assert.equal(checkDigest(user({ Password: 'test' }), classic), true);
    assert.equal(checkDigest(user({ DigestHA1: '1e00d6dbd30441265df6064b9d9b7da9' }), classic), true);
    assert.equal(checkDigest(user({ Password: 'test' }), { ...classic, response: classic.response.toUpperCase() }), true);
    assert.equal(checkDigest(user({ Password: 'test' }), { ...classic, method: 'REGISTER' }), false);
    assert.equal(checkDigest(user({ Password: 'wrong' }), classic), false);
    assert.equal(checkDigest(user({}), classic), false, 'no secret at all');
    assert.equal(checkDigest(user({ Password: 'test' }), { ...classic, response: 'xyz' }), false);
    assert.equal(checkDigest(user({ Password: 'test' }), { ...classic, algorithm: 'SHA-256' }), false, 'unsupported algorithm');
  });

  it('qop=auth with MD5 and MD5-sess (draft-smith vectors)', () => {
    const u = user({ Password: 'zanzibar' });
    assert.equal(checkDigest(u, { ...bob, response: '89eb0059246c02b2f6ee02c7961d5ea3' }), true);
    assert.equal(checkDigest(u, { ...bob, algorithm: 'MD5-sess', response: 'e4e4ea61d186d07a92c9e1f6919902e9' }), true);
    assert.equal(checkDigest(user({ DigestHA1: '12af60467a33e8518da5c68bbff12b11' }), { ...bob, algorithm: 'md5-sess', response: 'e4e4ea61d186d07a92c9e1f6919902e9' }), true);
    assert.equal(checkDigest(u, { ...bob, qop: undefined, nc: undefined, cnonce: undefined, response: 'bf57e4e0d0bffc0fbaedce64d59add5e' }), true);
    assert.equal(checkDigest(u, { ...bob, cnonce: undefined, response: '89eb0059246c02b2f6ee02c7961d5ea3' }), false, 'qop auth without cnonce');
  });
});
