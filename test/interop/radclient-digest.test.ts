// Interop: FreeRADIUS radclient (Debian freeradius-utils 3.2) against the real engine for the local
// service's SIP digest (draft-sterman Digest-Response 206 + Digest-Attributes 207, exactly the request of
// the Kamailio + FreeRADIUS tutorial, seed 002; and the same vector as RFC 5090 attributes from a client of
// Dialect rfc5090 over ::1) and MS-CHAP: radclient computes MS-CHAPv1 (RFC 2433:
// MS-CHAP-Challenge 8 octets + MS-CHAP-Response) from MS-CHAP-Password itself. The user `test` (password
// `test`) is added with aregcmd -f. The seed request carries no Message-Authenticator, so the client does
// not require one.
import { strict as assert } from 'node:assert';
import { startEngine, type RunningEngine } from '../support/engine.js';
import { needTool, radclient as radclientOnce, replyLines, type ToolRun } from '../support/kamailio-tools.js';
import { checkEngineWire, matches } from '../support/wire.js';
import { ntPasswordHash, ntPasswordHashHash } from '../../src/radius/index.js';

const SECRET = 'testing123';
const SEED =
  'User-Name = "test", Digest-Response = "631d6d73147add2f9e437f59bbc3aeb7", Digest-Realm = "testrealm", Digest-Nonce = "1234abcd", ' +
  'Digest-Method = "INVITE", Digest-URI = "sip:5555551212@example.com", Digest-Algorithm = "MD5", Digest-User-Name = "test"\n';

describe('interop: radclient SIP digest and MS-CHAPv1 against the real engine', function () {
  this.timeout(60_000);
  let engine: RunningEngine;

  before(async function () {
    this.timeout(120_000);
    needTool('radclient', 'freeradius-utils');
    engine = await startEngine([
      `set /Radius/Clients/localhost/SharedSecret ${SECRET}`,
      'set /Radius/Clients/localhost/RequireMessageAuthenticator No',
      'set /Radius/Advanced/DefaultReplyMessage "Access denied"',
      // ::1 is a second client (localhost6) speaking RFC 5090.
      'cd /Radius/Advanced/Interfaces',
      'add ::1',
      `set /Radius/Clients/localhost6/SharedSecret ${SECRET}`,
      'set /Radius/Clients/localhost6/RequireMessageAuthenticator No',
      'set /Radius/Clients/localhost6/Dialect rfc5090',
      'cd /Radius/UserLists/Default',
      'add test "SIP user of the Kamailio tutorial" test',
      'cd test/Attributes',
      'set Reply-Message "Hello, test with digest"',
    ]);
  });

  after(async function () {
    this.timeout(60_000);
    await engine?.stop();
  });

  const radclient = async (...args: Parameters<typeof radclientOnce>): Promise<ToolRun> => {
    const r = await radclientOnce(...args);
    wire.saw(matches(r.stdout, /^Received /gm));
    return r;
  };

  it('the seed request: Access-Accept with the user\'s Reply-Message', async () => {
    const r = await radclient(engine.auth, SECRET, SEED);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /Digest-Attributes = 0x010b746573747265616c6d/, 'radclient sent the Sterman sub-attributes');
    assert.match(r.stdout, /Received Access-Accept Id \d+ from 127\.0\.0\.1/);
    assert.ok(replyLines(r.stdout).includes('Reply-Message = "Hello, test with digest"'), r.stdout);
  });

  it('the seed request with a changed response: Access-Reject', async () => {
    const r = await radclient(engine.auth, SECRET, SEED.replace('631d6d73147add2f9e437f59bbc3aeb7', '631d6d73147add2f9e437f59bbc3aeb8'));
    assert.match(r.stdout, /Received Access-Reject/, r.stdout + r.stderr);
    assert.ok(replyLines(r.stdout).includes('Reply-Message = "Access denied"'), r.stdout);
  });

  it('the seed vector in RFC 5090 attributes (103-115, sent raw as Attr-N) from a client of Dialect rfc5090: Access-Accept, changed: Access-Reject', async () => {
    const hex = (t: string): string => `0x${Buffer.from(t).toString('hex')}`;
    const request = (response: string): string =>
      [
        'User-Name = "test"', `Attr-103 = ${hex(response)}`, `Attr-104 = ${hex('testrealm')}`, `Attr-105 = ${hex('1234abcd')}`,
        `Attr-108 = ${hex('INVITE')}`, `Attr-109 = ${hex('sip:5555551212@example.com')}`, `Attr-111 = ${hex('MD5')}`, `Attr-115 = ${hex('test')}`,
      ].join(', ') + '\n';
    const ok = await radclient(engine.auth, SECRET, request('631d6d73147add2f9e437f59bbc3aeb7'), '::1');
    assert.match(ok.stdout, /Received Access-Accept/, ok.stdout + ok.stderr);
    const bad = await radclient(engine.auth, SECRET, request('631d6d73147add2f9e437f59bbc3aeb8'), '::1');
    assert.match(bad.stdout, /Received Access-Reject/, bad.stdout + bad.stderr);
  });

  it('MS-CHAP-Password bob/bob: radclient sends MS-CHAPv1, Access-Accept with MS-CHAP-MPPE-Keys and the MPPE policy', async () => {
    const r = await radclient(engine.auth, SECRET, 'User-Name = "bob", MS-CHAP-Password = "bob"\n');
    assert.match(r.stdout, /MS-CHAP-Challenge = 0x[0-9a-f]{16}\n/, 'an 8-octet challenge: MS-CHAPv1');
    assert.match(r.stdout, /MS-CHAP-Response = 0x[0-9a-f]{100}\n/);
    assert.match(r.stdout, /Received Access-Accept/, r.stdout + r.stderr);
    const reply = replyLines(r.stdout);
    // radclient unhides it: no LAN Manager key (8 zero octets), then HashNtPasswordHash of "bob".
    const ntKey = ntPasswordHashHash(ntPasswordHash('bob')).toString('hex');
    assert.ok(reply.includes(`MS-CHAP-MPPE-Keys = 0x0000000000000000${ntKey}`), r.stdout);
    assert.ok(reply.includes('MS-MPPE-Encryption-Policy = Encryption-Allowed'), r.stdout);
    assert.ok(reply.includes('MS-MPPE-Encryption-Types = RC4-40or128-bit-Allowed'), r.stdout);
  });

  it('MS-CHAP-Password with a wrong password: Access-Reject with MS-CHAP-Error E=691', async () => {
    const r = await radclient(engine.auth, SECRET, 'User-Name = "bob", MS-CHAP-Password = "wrong"\n');
    assert.match(r.stdout, /Received Access-Reject/, r.stdout + r.stderr);
    assert.match(r.stdout, /MS-CHAP-Error = "\\000E=691 R=0 C=[0-9A-F]{16} V=3 M=Authentication failed"/, r.stdout);
  });

  // Both clients (127.0.0.1 and ::1) share the secret: tshark verifies every Response Authenticator.
  const wire = checkEngineWire(() => ({ radius: [engine.auth], secret: SECRET }));
});
