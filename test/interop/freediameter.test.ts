// Interop: a real freeDiameter 1.2.1 daemon (Debian freediameterd) connects to the engine as a Diameter
// client (peers.md §8.3): capabilities exchange, at least one watchdog round, dia-stats, and the DPR the
// engine sends when it stops. Needs `apt-get install freediameterd freediameter-extensions`; without them
// the test fails saying so (it never skips).
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../support/build.js';
import { useAregcmd } from '../support/home.js';
import { FreeDiameterClient, freePort, requireFreeDiameter } from '../support/freediameter.js';
import { EngineWire, matches } from '../support/wire.js';

const ARSERVER = path.join(repoRoot, 'bin', 'arserver');

function arserver(env: Record<string, string | undefined>, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [ARSERVER, ...args], { env: env as NodeJS.ProcessEnv, timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? (err as { code?: unknown }).code : 0;
      resolve({ code: typeof code === 'number' ? code : 1, stdout, stderr });
    });
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('interop: freeDiameter 1.2.1 client against the engine', function () {
  this.timeout(120_000);
  const home = useAregcmd();
  let fd: FreeDiameterClient | undefined;
  let started = false;
  const wire = new EngineWire();

  afterEach(async () => {
    if (started) await arserver(home.env(), 'stop', '--force');
    started = false;
    await fd?.stop();
    fd = undefined;
    await wire.stop();
  });

  it('CER/CEA succeed, DWR/DWA flow, dia-stats shows the peer open, stop sends DPR', async () => {
    requireFreeDiameter();
    const [dia, auth, acct, dynauth] = [await freePort(), await freePort(), await freePort(), await freePort()];
    const script = [
      'cd /Radius/Advanced/Diameter/TransportManagement',
      'set Identity server.test',
      'set Realm test',
      `set TCPListenPort ${dia}`,
      'set WatchdogTimeout 6000',
      'cd /Radius/Advanced/Ports',
      'delete 1812', 'delete 1813', 'delete 3799',
      `add ${auth} auth`, `add ${acct} acct`, `add ${dynauth} dynauth`,
      'cd /Radius/Clients',
      'add fd-client',
      'cd fd-client',
      'set Protocol diameter',
      'set HostName client.test',
      'set IPAddress 127.0.0.1',
      'save',
    ].join('\n');
    const edit = await home.run(['-f', '-'], { input: `${script}\n` });
    assert.equal(edit.status, 0, edit.stderr + edit.stdout);

    const start = await arserver(home.env(), 'start');
    assert.equal(start.code, 0, start.stderr + start.stdout);
    started = true;
    await wire.start({ diameter: [dia] });

    fd = new FreeDiameterClient({ identity: 'client.test', realm: 'test', serverIdentity: 'server.test', serverPort: dia, twTimer: 6,
      // Compact dumps of every message sent and received (0x0020) and of errors (0x0002).
      extra: ['LoadExtension = "/usr/lib/freeDiameter/dbg_msg_dumps.fdx" : "0x0022";'] });
    await fd.start();
    // CER/CEA: freeDiameter dumps the CEA (Result-Code DIAMETER_SUCCESS) and moves the peer to STATE_OPEN.
    await fd.waitForLog(/'STATE_WAITCEA'\s+-> 'STATE_OPEN'\s+'server\.test'/, 30_000);
    assert.match(fd.log(), /Capabilities-Exchange-Answer\(257\).*Result-Code\(268\)\[-M\]='DIAMETER_SUCCESS'.*Origin-Host\(264\)\[-M\]="server\.test"/);

    // A watchdog round: both sides use Tw = 6 s ± 2 s; whichever fires first, its DWR gets the other's DWA.
    await fd.waitForLog(new RegExp([
      String.raw`RCV from 'server\.test': [^\n]*0/280 f:R---[^\n]*\n[^\n]*SND to 'server\.test': 'Device-Watchdog-Answer'`,
      String.raw`SND to 'server\.test': 'Device-Watchdog-Request'[^\n]*\n[^\n]*RCV from 'server\.test': [^\n]*0/280 f:----`,
    ].join('|')), 25_000);

    // dia-stats: the peer open, the round counted (freeDiameter logs SND before the engine has read it).
    type Peer = Record<string, number | string>;
    const roundDone = (p: Peer): boolean => (Number(p.DWRReceived) >= 1 && Number(p.DWASent) >= 1) || (Number(p.DWRSent) >= 1 && Number(p.DWAReceived) >= 1);
    let peer: Peer | undefined;
    for (let i = 0; i < 10 && !(peer && roundDone(peer)); i++) {
      if (i) await sleep(300);
      const r = await home.run(['--json', 'dia-stats', 'client.test']);
      assert.equal(r.status, 0, r.stderr);
      peer = (JSON.parse(r.stdout) as { peers: Record<string, Peer> }).peers['client.test'];
    }
    assert.ok(peer && roundDone(peer), JSON.stringify(peer));
    assert.equal(peer.state, 'R-Open');
    assert.equal(peer.watchdog, 'OKAY');
    assert.equal(peer.CERReceived, 1);
    assert.equal(peer.CEASent, 1);

    const engineLog = fs.readFileSync(path.join(home.root, 'logs', 'name_radius_1_log'), 'utf8');
    assert.match(engineLog, /Info Protocol 0 Starting diameter core +Product : areg +Version : /);
    assert.match(engineLog, /Received CER from the peer\(client\.test\), IP: 127\.0\.0\.1/);
    assert.match(engineLog, /Capabilities are successfully exchanged with client\.test/);

    if (process.env.AREG_SHOW_FD_LOG) process.stdout.write(fd.log());
    const stop = await arserver(home.env(), 'stop');
    started = false;
    assert.equal(stop.code, 0, stop.stderr);
    await fd.waitForLog(/Peer 'server\.test' sent a DPR with cause: REBOOTING[\s\S]*SND to 'server\.test': 'Disconnect-Peer-Answer'/, 10_000);
    if (process.env.AREG_SHOW_FD_LOG) { await sleep(1500); process.stdout.write('---- after stop\n' + fd.log()); }

    // tshark decodes the CEA, DWA/DWR and DPR freeDiameter received (dbg_msg_dumps logs each as RCV).
    wire.saw(matches(fd.log(), /RCV from 'server\.test'/g));
    await wire.check();
  });
});
