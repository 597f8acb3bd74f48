// Interop: eapol_test (Debian eapoltest, wpa_supplicant 2.10) against the real engine, EAP over RADIUS
// (RFC 3579) on loopback as peers.md §5 runs it: EAP-MD5 through an `eap-md5` service (UserService local-users)
// as DefaultAuthenticationService, and EAP-MSCHAPv2 (non-tunnelled) against the default `local` service, whose
// Access-Accept carries MS-MPPE-Send-Key / Recv-Key that eapol_test compares with the keys it derived itself.
// The users are the factory ones (bob/bob in the Default UserList).
import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEngine, type RunningEngine } from '../support/engine.js';
import { needTool, runTool, type ToolRun } from '../support/kamailio-tools.js';
import { checkEngineWire, matches, type EngineWire } from '../support/wire.js';

const SECRET = 'testing123';

let dir: string;

function config(name: string, eap: string, identity: string, password: string): string {
  const file = path.join(dir, `${name}.conf`);
  fs.writeFileSync(file, ['network={', '  key_mgmt=IEEE8021X', `  eap=${eap}`, `  identity="${identity}"`, `  password="${password}"`, '  eapol_flags=0', '}', ''].join('\n'));
  return file;
}

/** eapol_test -c conf -a127.0.0.1 -p port -s secret -r0 -t10 (peers.md §5); `-n` when the method has no keys.
 *  The RADIUS replies it received count as seen by `wire`. */
async function eapolTest(port: number, wire: EngineWire, conf: string, noKeys: boolean): Promise<ToolRun> {
  const tool = needTool('eapol_test', 'eapoltest');
  const r = await runTool(tool, ['-c', conf, '-a127.0.0.1', `-p${port}`, `-s${SECRET}`, '-r0', '-t10', ...(noKeys ? ['-n'] : [])], '', 30_000);
  wire.saw(matches(r.stdout, /RADIUS message: code=(2|3|11) /g));
  return r;
}

const lastLine = (r: ToolRun): string => r.stdout.trim().split('\n').at(-1) ?? '';
const challenges = (r: ToolRun): number => (r.stdout.match(/RADIUS message: code=11 /g) ?? []).length;

describe('interop: eapol_test EAP over RADIUS against the real engine', function () {
  this.timeout(60_000);

  before(() => {
    needTool('eapol_test', 'eapoltest');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'areg-eapol-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  describe('EAP-MD5: eap-md5 service (UserService local-users) as DefaultAuthenticationService', () => {
    let engine: RunningEngine;
    before(async function () {
      this.timeout(120_000);
      engine = await startEngine([
        `set /Radius/Clients/localhost/SharedSecret ${SECRET}`,
        'cd /Radius/Services',
        'add eap-md5 "EAP-MD5 for the local users" eap-md5',
        'set eap-md5/UserService local-users',
        'set /Radius/DefaultAuthenticationService eap-md5',
      ]);
    });
    after(async function () {
      this.timeout(60_000);
      await engine?.stop();
    });

    it('bob/bob: one Access-Challenge (MD5-Challenge), then Access-Accept with EAP-Success: SUCCESS', async () => {
      const r = await eapolTest(engine.auth, wire, config('md5', 'MD5', 'bob', 'bob'), true);
      assert.equal(lastLine(r), 'SUCCESS', r.stdout + r.stderr);
      assert.equal(r.code, 0);
      assert.equal(challenges(r), 1, 'one Access-Challenge');
      assert.match(r.stdout, /EAP: Received EAP-Success/);
    });

    it('bob with a wrong password: Access-Reject with EAP-Failure: FAILURE', async () => {
      const r = await eapolTest(engine.auth, wire, config('md5-bad', 'MD5', 'bob', 'wrong'), true);
      assert.equal(lastLine(r), 'FAILURE', r.stdout + r.stderr);
      assert.notEqual(r.code, 0);
      assert.match(r.stdout, /RADIUS message: code=3 /, 'an Access-Reject');
      assert.match(r.stdout, /EAP: Received EAP-Failure|EAP-FAILURE/);
    });

    const wire = checkEngineWire(() => ({ radius: [engine.auth], secret: SECRET }));
  });

  describe('EAP-MSCHAPv2 (not tunnelled) against the default local service', () => {
    let engine: RunningEngine;
    before(async function () {
      this.timeout(120_000);
      engine = await startEngine([`set /Radius/Clients/localhost/SharedSecret ${SECRET}`]);
    });
    after(async function () {
      this.timeout(60_000);
      await engine?.stop();
    });

    it('bob/bob: Challenge, Success round trip, EAP-Success with MS-MPPE keys that match: MPPE keys OK, SUCCESS', async () => {
      const r = await eapolTest(engine.auth, wire, config('mschapv2', 'MSCHAPV2', 'bob', 'bob'), false);
      assert.equal(lastLine(r), 'SUCCESS', r.stdout + r.stderr);
      assert.equal(r.code, 0);
      assert.match(r.stdout, /MPPE keys OK: 1 +mismatch: 0/);
      assert.equal(challenges(r), 2, 'Access-Challenges: MSCHAPv2 Challenge and Success');
      assert.match(r.stdout, /EAP-MSCHAPV2: Authentication succeeded/);
    });

    it('bob with a wrong password: Access-Reject with EAP-Failure: FAILURE', async () => {
      const r = await eapolTest(engine.auth, wire, config('mschapv2-bad', 'MSCHAPV2', 'bob', 'wrong'), false);
      assert.equal(lastLine(r), 'FAILURE', r.stdout + r.stderr);
      assert.notEqual(r.code, 0);
      assert.match(r.stdout, /RADIUS message: code=3 /, 'an Access-Reject');
    });

    const wire = checkEngineWire(() => ({ radius: [engine.auth], secret: SECRET }));
  });
});
