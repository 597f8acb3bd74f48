// Interop: freeDiameter 1.2.1's RADIUS/Diameter gateway (app_radgw + auth.rgwx, built from Debian's source by
// scripts/build-fd-extensions, peers.md §8.1/§8.3) connected to the real engine as a Diameter client. FreeRADIUS
// radclient sends a PAP Access-Request to the gateway's RADIUS port on 127.0.0.1; the gateway turns it into a
// NASREQ AA-Request (app 1, cmd 265, User-Password in clear and NUL-padded as RADIUS hid it) that the engine
// answers from its local users: Access-Accept for the right password, Access-Reject for a wrong one. The
// engine's trace and dia-stats show the AAR and its answers. Then eapol_test (wpa_supplicant) talks EAP to the
// gateway, which carries it in Diameter EAP (app 5, DER/DEA, RFC 4072) to the engine: EAP-MSCHAPv2 ends with the
// gateway turning the DEA's EAP-Master-Session-Key into MS-MPPE keys that eapol_test checks against its own, a
// wrong password with the MSCHAPv2 Failure round (error 691), and EAP-MD5 after a Nak. A missing tool or
// extension fails the test with what to install or build; it never skips.
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { freeUdpPort, startEngine, type RunningEngine } from '../support/engine.js';
import { FreeDiameterClient, requireFdExtension, requireFreeDiameter } from '../support/freediameter.js';
import { needTool, runTool } from '../support/kamailio-tools.js';
import { requireTool } from '../support/tools.js';
import { traceWith } from '../support/trace.js';
import { EngineWire, matches } from '../support/wire.js';

const SECRET = 'testing123';

function radclient(bin: string, port: number, user: string, password: string): Promise<{ code: number; out: string }> {
  // app_radgw wants a NAS-IP-Address or NAS-Identifier to build the Origin-Host of the Diameter request.
  const input = `User-Name = "${user}"\nUser-Password = "${password}"\nNAS-IP-Address = 127.0.0.1\nMessage-Authenticator = 0x00\n`;
  return new Promise((resolve) => {
    const child = execFile(bin, ['-x', '-r', '1', '-t', '5', `127.0.0.1:${port}`, 'auth', SECRET], { timeout: 30_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, out: stdout + stderr });
    });
    child.stdin!.end(input);
  });
}

/** eapol_test through the gateway (peers.md §5): `eap` with bob and `password`; its output. */
async function eapolTest(port: number, eap: string, password: string): Promise<string> {
  const tool = needTool('eapol_test', 'eapoltest');
  const conf = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'areg-radgw-eap-')), 'eapol.conf');
  fs.writeFileSync(conf, `network={\n  key_mgmt=IEEE8021X\n  eap=${eap}\n  identity="bob"\n  password="${password}"\n  eapol_flags=0\n}\n`);
  // -N4:x:7f000001: a NAS-IP-Address, from which the gateway builds the Origin-Host of the Diameter request.
  const r = await runTool(tool, ['-c', conf, '-a127.0.0.1', `-p${port}`, `-s${SECRET}`, '-r0', '-t10', '-N4:x:7f000001', ...(eap === 'MD5' ? ['-n'] : [])], '', 30_000);
  fs.rmSync(path.dirname(conf), { recursive: true, force: true });
  return r.stdout + r.stderr;
}

describe('interop: freeDiameter app_radgw turns radclient PAP and eapol_test EAP into AA- and EAP-Requests the engine answers', function () {
  this.timeout(150_000);
  let engine: RunningEngine;
  let fd: FreeDiameterClient;
  let radiusPort: number;
  const wire = new EngineWire();

  before(async function () {
    this.timeout(120_000);
    requireFreeDiameter();
    const [radgw, auth] = [requireFdExtension('app_radgw.fdx'), requireFdExtension('auth.rgwx')];
    engine = await startEngine([
      'cd /Radius/Advanced/Diameter/TransportManagement', 'set Identity server.test', 'set Realm test',
      'set /Radius/Advanced/TraceLevel 5',
      'cd /Radius/Clients', 'add fd-radgw', 'cd fd-radgw',
      'set Protocol diameter', 'set HostName client.test', 'set IPAddress 127.0.0.1',
    ]);
    await wire.start({ diameter: [engine.diameter] });
    radiusPort = await freeUdpPort();
    fd = new FreeDiameterClient({ identity: 'client.test', realm: 'test', serverIdentity: 'server.test', serverPort: engine.diameter, relay: false,
      extra: (dir) => [
        'LoadExtension = "/usr/lib/freeDiameter/dict_nasreq.fdx";',
        'LoadExtension = "/usr/lib/freeDiameter/dict_eap.fdx";',
        `LoadExtension = "${radgw}" : "${dir}/app_radgw.conf";`,
        // Compact dumps of the messages sent and received (0x0020) and of errors (0x0002).
        'LoadExtension = "/usr/lib/freeDiameter/dbg_msg_dumps.fdx" : "0x0022";',
      ] });
    fs.writeFileSync(path.join(fd.dir, 'app_radgw.conf'), [
      `RGWX = "${auth}" : auth;`,
      `nas = 127.0.0.1 / "${SECRET}";`,
      `auth_server_enable = 1; auth_server_port = ${radiusPort}; auth_server_ip4 = 127.0.0.1; auth_server_ip6 = disable;`,
      'acct_server_enable = 0;',
    ].join('\n') + '\n');
    await fd.start();
    await fd.waitForLog(/'STATE_WAITCEA'\s+-> 'STATE_OPEN'\s+'server\.test'/, 30_000);
  });

  after(async () => {
    await fd?.stop();
    await engine?.stop();
    await wire.stop();
  });

  it('CER/CEA 2001 with the gateway; right password → AA-Answer 2001 → Access-Accept, wrong → 4001 → Access-Reject', async () => {
    const bin = requireTool('radclient', 'freeradius-utils');
    const good = await radclient(bin, radiusPort, 'bob', 'bob');
    assert.equal(good.code, 0, `${good.out}\n${fd.log().slice(-4000)}`);
    assert.match(good.out, /Received Access-Accept/, good.out);
    // The gateway keeps the Diameter session in a Class attribute of the Accept (RFC 7155 §9.1).
    assert.match(good.out, /Class = 0x4469616d657465722f/, good.out);

    const bad = await radclient(bin, radiusPort, 'bob', 'not-bobs-password');
    assert.match(bad.out, /Received Access-Reject/, `${bad.out}\n${fd.log().slice(-4000)}`);

    // freeDiameter's dumps: two AA-Requests out, the answers 2001 and 4001 back from the engine.
    const log = fd.log();
    assert.equal(log.match(/SND to 'server\.test': 'AA-Request'/g)?.length, 2, log.slice(-4000));
    assert.match(log, /RCV from 'server\.test': [^\n]*1\/265 f:-P--/);

    const lines = ['Application id: 1, Cmd code: 265', 'Using Client: fd-radgw', 'User-Password = <encrypted>',
      "Getting User bob's UserRecord from UserList Default", 'Result-Code = Diameter-Success', 'Result-Code = Diameter-Authentication-Rejected',
      'Sending response to client.test'];
    const trace = await traceWith(engine.home.root, lines);
    for (const line of lines) assert.ok(trace.includes(line), `trace lacks '${line}'`);
    assert.ok(!/not-bobs-password/.test(trace), 'the password is in the trace');

    const stats = await engine.home.run(['--json', 'dia-stats', 'client.test']);
    assert.equal(stats.status, 0, stats.stderr);
    const peer = (JSON.parse(stats.stdout) as { peers: Record<string, Record<string, number | string>> }).peers['client.test']!;
    assert.equal(peer.state, 'R-Open');
    assert.equal(peer.requestsIn, 2, JSON.stringify(peer));
    assert.equal(peer.answersOut, 2, JSON.stringify(peer));
  });

  it('EAP-MSCHAPv2 through DER/DEA: the gateway turns the EAP-Master-Session-Key into MS-MPPE keys that match eapol_test\'s', async () => {
    const out = await eapolTest(radiusPort, 'MSCHAPV2', 'bob');
    assert.match(out, /EAP-MSCHAPV2: Authentication succeeded/, `${out}\n${fd.log().slice(-4000)}`);
    assert.match(out, /MPPE keys OK: 1 +mismatch: 0/, out);
    assert.equal(out.trim().split('\n').at(-1), 'SUCCESS', out);
  });

  it('EAP-MSCHAPv2 with a wrong password: the Failure round (error 691, no retry), then EAP-Failure in an Access-Reject', async () => {
    const out = await eapolTest(radiusPort, 'MSCHAPV2', 'wrong');
    assert.match(out, /failure message: 'Authentication failed' \(retry not allowed, error 691\)/, out);
    assert.match(out, /RADIUS message: code=3 /, 'an Access-Reject');
    assert.equal(out.trim().split('\n').at(-1), 'FAILURE', out);
  });

  it('EAP-MD5 after a Nak to the MSCHAPv2 the engine offers first: SUCCESS', async () => {
    const out = await eapolTest(radiusPort, 'MD5', 'bob');
    assert.match(out, /EAP: Received EAP-Success/, out);
    assert.equal(out.trim().split('\n').at(-1), 'SUCCESS', out);
    // Three exchanges each: MSCHAPv2 (Identity, Response, Success) twice, MD5 (Identity, Nak, Response) once.
    const log = fd.log();
    assert.equal(log.match(/SND to 'server\.test': 'Diameter-EAP-Request'/g)?.length, 9, log.slice(-4000));
    assert.equal(log.match(/RCV from 'server\.test': [^\n]*5\/268 f:-P--/g)?.length, 9, log.slice(-4000));
  });

  it('tshark decodes every message the gateway received from the engine (CEA, AA-Answers, DEAs, watchdogs)', async () => {
    wire.saw(matches(fd.log(), /RCV from 'server\.test'/g));
    await wire.check();
  });
});
