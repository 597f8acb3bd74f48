// SIP digest of local users: checkDigest (protocols.md §5.2 vectors) and the RADIUS handler in both
// encodings (Sterman 206/207 and RFC 5090).
import { strict as assert } from 'node:assert';
import { checkDigest } from '../../src/services/digest.js';
import { attribute, PacketCode } from '../../src/radius/index.js';
import { attrs, radiusFixture, type RadiusFixture } from '../support/kamailio-radius.js';

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

describe('SIP digest over RADIUS: the handler, Sterman and RFC 5090 encodings', () => {
  const fields = (v: typeof classic & { qop?: string; nc?: string; cnonce?: string; algorithm?: string }, rfc5090: boolean): [string, string][] => {
    const out: [string, string][] = [
      ['User-Name', v.username],
      ['Digest-Response', v.response],
      ['Digest-Realm', v.realm],
      ['Digest-Nonce', v.nonce],
      ['Digest-Method', v.method],
      ['Digest-URI', v.uri],
      [rfc5090 ? 'Digest-Username' : 'Digest-User-Name', v.username],
    ];
    if (v.qop) out.push([rfc5090 ? 'Digest-Qop' : 'Digest-QOP', v.qop], ['Digest-Nonce-Count', v.nc!], ['Digest-CNonce', v.cnonce!]);
    if (v.algorithm) out.push(['Digest-Algorithm', v.algorithm]);
    return out;
  };

  for (const dialect of ['default', 'kamailio', 'rfc5090'] as const) {
    describe(`Dialect ${dialect}`, () => {
      let f: RadiusFixture;
      before(() => {
        f = radiusFixture(dialect, (t) => {
          t.add('Radius/UserLists/Default', 'test', 'seed digest user', 'test', 'FALSE', 'PPP-users');
          t.add('Radius/UserLists/Default', 'bob@biloxi.com', 'draft-smith user', 'zanzibar');
          t.add('Radius/UserLists/Default', 'ha1user', 'HA1 only');
          t.set('Radius/UserLists/Default/ha1user', 'DigestHA1', '12af60467a33e8518da5c68bbff12b11');
        });
      });
      after(() => f.close());
      const rfc = dialect === 'rfc5090';

      it('the seed request (test/test, testrealm): Access-Accept; a changed response: Access-Reject', async () => {
        const ok = await f.request((d) => attrs(d, fields({ ...classic, algorithm: 'MD5' }, rfc)));
        assert.equal(ok.code, PacketCode.AccessAccept, f.trace.join('\n'));
        const bad = await f.request((d) => attrs(d, fields({ ...classic, response: '631d6d73147add2f9e437f59bbc3aeb8' }, rfc)));
        assert.equal(bad.code, PacketCode.AccessReject);
        const method = await f.request((d) => attrs(d, fields({ ...classic, method: 'REGISTER' }, rfc)));
        assert.equal(method.code, PacketCode.AccessReject);
      });

      it('qop=auth with MD5 and MD5-sess (protocols.md §5.2): Access-Accept; user@realm found by Digest-User-Name or as stored', async () => {
        const md5 = await f.request((d) => attrs(d, fields({ ...bob, username: 'bob@biloxi.com', response: '89eb0059246c02b2f6ee02c7961d5ea3' }, rfc)));
        // bob@biloxi.com is stored with the realm; its digest name is bob: the HA1 must use "bob".
        assert.equal(md5.code, PacketCode.AccessReject, 'HA1 over bob@biloxi.com is not the vector');
        const asBob = (response: string, algorithm?: string) =>
          f.request((d) => [
            attribute(d, 'User-Name', 'bob@biloxi.com'),
            ...attrs(d, fields({ ...bob, response, ...(algorithm ? { algorithm } : {}) }, rfc)).filter((a) => a.def?.name !== 'User-Name'),
          ]);
        assert.equal((await asBob('89eb0059246c02b2f6ee02c7961d5ea3')).code, PacketCode.AccessAccept, f.trace.join('\n'));
        assert.equal((await asBob('e4e4ea61d186d07a92c9e1f6919902e9', 'MD5-sess')).code, PacketCode.AccessAccept);
        assert.equal((await asBob('e4e4ea61d186d07a92c9e1f6919902e9')).code, PacketCode.AccessReject, 'MD5-sess response with MD5');
      });

      it('a user with only DigestHA1: Access-Accept for qop=auth MD5-sess', async () => {
        const r = await f.request((d) => attrs(d, fields({ ...bob, username: 'ha1user', response: 'e4e4ea61d186d07a92c9e1f6919902e9', algorithm: 'MD5-sess' }, rfc)).map((a) =>
          a.def?.name === 'Digest-User-Name' || a.def?.name === 'Digest-Username' ? attribute(f.dictionary, a.def.name, 'bob') : a));
        assert.equal(r.code, PacketCode.AccessAccept, f.trace.join('\n'));
      });
    });
  }
});
