// Kamailio's password-less check requests (misc_radius; protocols.md §2.4) through the RADIUS handler, packets
// built by our codec as radcli sends them: Group-Check with Sip-Group, SIP-Caller-AVPs / SIP-Callee-AVPs and
// Call-Check answered with the user's SIP-AVPs; all only from a client with AllowCheckOnlyRequests.
import { strict as assert } from 'node:assert';
import { attribute, PacketCode, parseAttribute, type AttributeInput, type Dictionary } from '../../src/radius/index.js';
import { radiusFixture, valuesOf, type RadiusFixture, type TreeEditor } from '../support/kamailio-radius.js';

const users = (t: TreeEditor): void => {
  t.add('Radius/UserGroups', 'voip', 'SIP subscribers');
  t.add('Radius/UserLists/Default', '101@example.org', 'SIP user 101', 'pw101', 'FALSE', 'voip');
  t.attr('Radius/UserLists/Default/101@example.org/Attributes', 'SIP-AVP', '#3#1', '#4:08:00', 'email:joe@example.org');
  t.attr('Radius/UserLists/Default/101@example.org/Attributes', 'Reply-Message', 'Hello 101');
  t.add('Radius/UserLists/Default', '102', 'SIP user 102 without a group', 'pw102');
};

const check = (serviceType: string, user: string, extra: (d: Dictionary) => AttributeInput[] = () => []) =>
  (d: Dictionary) => [attribute(d, 'User-Name', user), parseAttribute(d, `Service-Type = ${serviceType}`), ...extra(d)];

describe('Kamailio check-only requests through the handler (Dialect kamailio)', () => {
  let f: RadiusFixture;
  before(() => {
    f = radiusFixture('kamailio', (t) => {
      t.set('Radius/Clients/localhost', 'AllowCheckOnlyRequests', 'TRUE');
      users(t);
    });
  });
  after(() => f.close());

  it('Group-Check (radius_is_user_in): member ⇒ Access-Accept without attributes, other group or no group ⇒ Access-Reject', async () => {
    const yes = await f.request(check('Group-Check', '101@example.org', (d) => [attribute(d, 'Sip-Group', 'voip')]));
    assert.equal(yes.code, PacketCode.AccessAccept, f.trace.join('\n'));
    assert.equal(valuesOf(yes, f.dictionary, 'SIP-AVP').length, 0);
    assert.equal(valuesOf(yes, f.dictionary, 'Reply-Message').length, 0);
    assert.equal((await f.request(check('Group-Check', '101@example.org', (d) => [attribute(d, 'Sip-Group', 'VOIP')]))).code, PacketCode.AccessAccept, 'case-insensitive');
    // Kamailio 5.6 radius_is_user_in("$fu", …) sends the whole From URI.
    assert.equal((await f.request(check('Group-Check', 'sip:101@example.org;transport=udp', (d) => [attribute(d, 'Sip-Group', 'voip')]))).code, PacketCode.AccessAccept, 'SIP URI');
    assert.equal((await f.request(check('Group-Check', '101@example.org', (d) => [attribute(d, 'Sip-Group', 'pstn')]))).code, PacketCode.AccessReject);
    assert.equal((await f.request(check('Group-Check', '102', (d) => [attribute(d, 'Sip-Group', 'voip')]))).code, PacketCode.AccessReject);
    assert.equal((await f.request(check('Group-Check', '101@example.org'))).code, PacketCode.AccessReject, 'no Sip-Group');
    assert.equal((await f.request(check('Group-Check', 'nobody', (d) => [attribute(d, 'Sip-Group', 'voip')]))).code, PacketCode.AccessReject);
  });

  it('SIP-Callee-AVPs / SIP-Caller-AVPs / Call-Check: Access-Accept with the user\'s SIP-AVPs only, in order', async () => {
    for (const st of ['SIP-Callee-AVPs', 'SIP-Caller-AVPs', 'Call-Check']) {
      const r = await f.request(check(st, '101@example.org'));
      assert.equal(r.code, PacketCode.AccessAccept, `${st}\n${f.trace.join('\n')}`);
      assert.deepEqual(valuesOf(r, f.dictionary, 'SIP-AVP'), ['#3#1', '#4:08:00', 'email:joe@example.org'], st);
      assert.equal(valuesOf(r, f.dictionary, 'Reply-Message').length, 0, st);
    }
    const none = await f.request(check('SIP-Callee-AVPs', '102'));
    assert.equal(none.code, PacketCode.AccessAccept);
    assert.equal(valuesOf(none, f.dictionary, 'SIP-AVP').length, 0);
    assert.equal((await f.request(check('Call-Check', 'nobody@example.org'))).code, PacketCode.AccessReject, 'unknown user');
  });

  it('a password-less request of another Service-Type stays an authentication failure', async () => {
    assert.equal((await f.request(check('Sip-Session', '101@example.org'))).code, PacketCode.AccessReject);
  });

  it('digest authentication of the same user answers its SIP-AVPs with the rest of its profile', async () => {
    // HA1 over "101:example.org:pw101"; no qop.
    const { digestResponse } = await import('../../src/radius/index.js');
    const response = digestResponse({ username: '101', realm: 'example.org', password: 'pw101', nonce: 'abcd', method: 'REGISTER', uri: 'sip:example.org' });
    const r = await f.request((d) => [
      attribute(d, 'User-Name', '101@example.org'),
      attribute(d, 'Digest-Response', response),
      attribute(d, 'Digest-Realm', 'example.org'),
      attribute(d, 'Digest-Nonce', 'abcd'),
      attribute(d, 'Digest-Method', 'REGISTER'),
      attribute(d, 'Digest-URI', 'sip:example.org'),
      attribute(d, 'Digest-User-Name', '101'),
      parseAttribute(d, 'Service-Type = Sip-Session'),
    ]);
    assert.equal(r.code, PacketCode.AccessAccept, f.trace.join('\n'));
    assert.deepEqual(valuesOf(r, f.dictionary, 'SIP-AVP'), ['#3#1', '#4:08:00', 'email:joe@example.org']);
    assert.deepEqual(valuesOf(r, f.dictionary, 'Reply-Message'), ['Hello 101']);
  });
});

describe('Kamailio check-only requests from a client without AllowCheckOnlyRequests', () => {
  let f: RadiusFixture;
  before(() => {
    f = radiusFixture('kamailio', users);
  });
  after(() => f.close());

  it('Group-Check and SIP-Callee-AVPs are rejected', async () => {
    assert.equal((await f.request(check('Group-Check', '101@example.org', (d) => [attribute(d, 'Sip-Group', 'voip')]))).code, PacketCode.AccessReject);
    assert.equal((await f.request(check('SIP-Callee-AVPs', '101@example.org'))).code, PacketCode.AccessReject);
    assert.ok(f.trace.some((l) => l.includes('AllowCheckOnlyRequests FALSE')), f.trace.join('\n'));
  });
});
