// Interop: a real Kamailio 5.6 (Debian kamailio + kamailio-radius-modules, radcli 1.2) in front of the real
// engine. A SIP REGISTER is challenged by Kamailio, answered with a digest, and Kamailio's auth_radius sends
// the draft-sterman Access-Request (Digest-Response 206 + Digest-Attributes 207, User-Name user@domain,
// Service-Type Sip-Session, no Message-Authenticator) to areg; on success misc_radius asks Group-Check
// (Sip-Group voip) and SIP-Caller-AVPs, whose SIP-AVP becomes a header of the 200 OK.
import { strict as assert } from 'node:assert';
import path from 'node:path';
import { freeUdpPort, startEngine, type RunningEngine } from '../support/engine.js';
import { register, startKamailio, type Kamailio } from '../support/kamailio.js';
import { checkEngineWire } from '../support/wire.js';

const SECRET = 'testing123';

describe('interop: Kamailio auth_radius and misc_radius against the real engine', function () {
  this.timeout(60_000);
  let engine: RunningEngine;
  let kamailio: Kamailio;

  before(async function () {
    this.timeout(120_000);
    engine = await startEngine([
      `set /Radius/Clients/localhost/SharedSecret ${SECRET}`,
      'set /Radius/Clients/localhost/RequireMessageAuthenticator No',
      'set /Radius/Clients/localhost/Dialect kamailio',
      'set /Radius/Clients/localhost/AllowCheckOnlyRequests TRUE',
      'cd /Radius/UserGroups',
      'add voip "SIP subscribers"',
      'cd /Radius/UserLists/Default',
      'add test "SIP user of the Kamailio tutorial" test FALSE voip',
      'cd test/Attributes',
      'set SIP-AVP "email:test@example.org"',
      'cd /Radius/UserLists/Default',
      'add other "SIP user outside voip" other',
    ]);
    kamailio = await startKamailio(path.join(engine.home.root, 'kamailio'), await freeUdpPort(), { auth: engine.auth, acct: engine.acct, secret: SECRET });
  });

  after(async function () {
    this.timeout(60_000);
    await kamailio?.stop();
    await engine?.stop();
  });

  it('REGISTER test/test: 401 challenge, then 200 OK; group voip and the SIP-AVP email loaded', async () => {
    const { challenge, final } = await register(kamailio.sipPort, 'test', 'testrealm', 'test');
    assert.equal(challenge.status, 401, challenge.raw);
    assert.equal(final.status, 200, `${final.raw}\n${kamailio.output()}`);
    assert.deepEqual(final.headers.get('x-group'), ['voip'], final.raw);
    assert.deepEqual(final.headers.get('x-email'), ['test@example.org'], final.raw);
    // Kamailio got the Access-Accept, the Group-Check Access-Accept and the caller AVPs from the engine.
    wire.saw(3);
  });

  it('REGISTER with a wrong password: challenged again (401), never 200', async () => {
    const { final } = await register(kamailio.sipPort, 'test', 'testrealm', 'wrong');
    assert.notEqual(final.status, 200, final.raw);
    assert.ok(final.status === 401 || final.status === 403, final.raw);
  });

  it('a user outside the group: 200 OK with X-Group none (Group-Check rejected)', async () => {
    const { final } = await register(kamailio.sipPort, 'other', 'testrealm', 'other');
    assert.equal(final.status, 200, `${final.raw}\n${kamailio.output()}`);
    assert.deepEqual(final.headers.get('x-group'), ['none'], final.raw);
    // Only the 200 proves an answer (the Access-Accept): a Group-Check that went unanswered also reads "none".
    wire.saw();
  });

  const wire = checkEngineWire(() => ({ radius: [engine.auth, engine.acct], secret: SECRET }));
});
