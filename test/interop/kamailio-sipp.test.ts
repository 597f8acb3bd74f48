// Interop: SIPp (Debian sip-tester) sends the REGISTER, a real Kamailio 5.6 (auth_radius, radcli) challenges
// it and asks the real engine (draft-sterman digest, peers.md §7). The scenario answers the 401 with SIPp's own
// digest ([authentication username=… password=…]); SIPp must count one successful call with the right password
// and fail (non-zero exit) with a wrong one, and areg's counters and trace show the Access-Accept / -Reject.
// Everything on 127.0.0.1, free ports; SIPp runs bounded (-m 1, -timeout) and is killed by its pid if it hangs.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import fs from 'node:fs';
import path from 'node:path';
import { agentRequest } from '../../src/agent/client.js';
import { resolveHome } from '../../src/home.js';
import { freeUdpPort, startEngine, type RunningEngine } from '../support/engine.js';
import { kamailioClientSetup, startKamailio, type Kamailio } from '../support/kamailio.js';
import { needTool } from '../support/kamailio-tools.js';
import { checkEngineWire } from '../support/wire.js';

const SECRET = 'testing123';

/** The REGISTER scenario: 401 with auth="true", then a REGISTER carrying SIPp's digest, then 200. */
function registerScenario(user: string, password: string): string {
  const headers = (cseq: number, extra: string[]): string => [
    'REGISTER sip:testrealm SIP/2.0',
    'Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]',
    `From: <sip:${user}@testrealm>;tag=[pid]SIPpTag[call_number]`,
    `To: <sip:${user}@testrealm>`,
    'Call-ID: [call_id]',
    `CSeq: ${cseq} REGISTER`,
    `Contact: <sip:${user}@[local_ip]:[local_port]>`,
    ...extra,
    'Max-Forwards: 70',
    'Expires: 60',
    'Content-Length: [len]',
    '',
    '',
  ].map((l) => `      ${l}`).join('\n');
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<!DOCTYPE scenario SYSTEM "sipp.dtd">
<scenario name="REGISTER with digest authentication">
  <send retrans="500"><![CDATA[
${headers(1, [])}
  ]]></send>
  <recv response="401" auth="true"/>
  <send retrans="500"><![CDATA[
${headers(2, [`[authentication username=${user} password=${password}]`])}
  ]]></send>
  <recv response="200"/>
</scenario>
`;
}

/** A UDP port p on 127.0.0.1 with p + 2 free too: SIPp binds its RTP echo sockets there (-mp, audio and video). */
async function freeMediaPort(): Promise<number> {
  for (let i = 0; i < 20; i++) {
    const p = await freeUdpPort();
    if (p > 65533) continue;
    const s = dgram.createSocket('udp4');
    const ok = await new Promise<boolean>((r) => {
      s.once('error', () => r(false));
      s.bind(p + 2, '127.0.0.1', () => r(true));
    });
    await new Promise<void>((r) => s.close(() => r()));
    if (ok) return p;
  }
  throw new Error('no free UDP port pair for SIPp -mp');
}

interface SippRun {
  code: number | null;
  signal: string | null;
  successful: number;
  failed: number;
  /** The command line, stdout, stderr and the error file, for assertion messages. */
  report: string;
}

/** One SIPp run of `scenario` (one call) against Kamailio on `sipPort`; killed by pid after 30 s. */
async function sipp(dir: string, sipPort: number, name: string, scenario: string): Promise<SippRun> {
  const bin = needTool('sipp', 'sip-tester');
  fs.mkdirSync(dir, { recursive: true });
  const sf = path.join(dir, `${name}.xml`);
  const stf = path.join(dir, `${name}-stat.csv`);
  const errFile = path.join(dir, `${name}-errors.log`);
  fs.writeFileSync(sf, scenario);
  const args = [
    '-sf', sf, '-i', '127.0.0.1', '-p', String(await freeUdpPort()),
    '-ci', '127.0.0.1', '-cp', String(await freeUdpPort()), '-mi', '127.0.0.1', '-mp', String(await freeMediaPort()),
    '-m', '1', '-r', '1', '-l', '1', '-timeout', '20s', '-timeout_error', '-recv_timeout', '5000', '-nostdin',
    '-trace_stat', '-stf', stf, '-trace_err', '-error_file', errFile,
    `127.0.0.1:${sipPort}`,
  ];
  const child = spawn(bin, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const pid = child.pid!;
  const timer = setTimeout(() => {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }, 30_000);
  const [code, signal] = await new Promise<[number | null, string | null]>((r) => child.once('close', (c, s) => r([c, s])));
  clearTimeout(timer);
  // The last line of the statistics file holds the cumulative counts; columns are found by their header.
  const lines = fs.existsSync(stf) ? fs.readFileSync(stf, 'utf8').trim().split('\n') : [];
  const header = (lines[0] ?? '').split(';');
  const last = (lines[lines.length - 1] ?? '').split(';');
  const count = (col: string): number => {
    const i = header.indexOf(col);
    return i < 0 || lines.length < 2 ? NaN : Number(last[i]);
  };
  const errors = fs.existsSync(errFile) ? fs.readFileSync(errFile, 'utf8') : '';
  return {
    code, signal, successful: count('SuccessfulCall(C)'), failed: count('FailedCall(C)'),
    report: `sipp ${args.join(' ')}\nexit ${code} ${signal ?? ''}\n--- stdout\n${stdout.slice(-3000)}\n--- stderr\n${stderr}\n--- errors\n${errors}`,
  };
}

describe('interop: SIPp REGISTER through Kamailio auth_radius against the real engine', function () {
  this.timeout(60_000);
  let engine: RunningEngine;
  let kamailio: Kamailio;
  let dir: string;
  const stats = async (): Promise<Record<string, number>> =>
    (await agentRequest<{ radius: Record<string, number> }>(resolveHome(engine.home.root), 'stats')).radius;
  const traceFile = (): string => path.join(engine.home.root, 'logs', 'name_radius_1_trace');
  const traceSize = (): number => (fs.existsSync(traceFile()) ? fs.statSync(traceFile()).size : 0);
  /** The trace written since `offset`, one text per packet (`P<n>:` lines joined). */
  const tracedPackets = (offset: number): string[] => {
    const text = fs.readFileSync(traceFile()).subarray(offset).toString('utf8');
    const packets = new Map<string, string[]>();
    for (const line of text.split('\n')) {
      const m = /: (P\d+): (.*)$/.exec(line);
      if (m) packets.set(m[1]!, [...(packets.get(m[1]!) ?? []), m[2]!]);
    }
    return [...packets.values()].map((l) => l.join('\n'));
  };
  /** The traced digest Access-Request(s) of user test (draft-sterman, from auth_radius) and their answers. */
  const digestPackets = async (offset: number): Promise<string[]> => {
    // The trace is written behind the answers: wait (≤ 5 s) until the packet's last line is there.
    let found: string[] = [];
    for (let i = 0; i < 50; i++) {
      if (traceSize() > offset) {
        found = tracedPackets(offset).filter((p) => /^ {2}User-Name = "test(@testrealm)?"$/m.test(p) && /^ {2}Digest-Response = /m.test(p));
        if (found.length > 0 && found.every((p) => /^Sending response to /m.test(p))) break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    return found;
  };

  before(async function () {
    this.timeout(120_000);
    needTool('sipp', 'sip-tester'); // fail early, naming the package
    engine = await startEngine([
      'set /Radius/Advanced/TraceLevel 4',
      ...kamailioClientSetup(SECRET),
      'cd /Radius/UserGroups',
      'add voip "SIP subscribers"',
      'cd /Radius/UserLists/Default',
      'add test "SIP user of the Kamailio tutorial" test FALSE voip',
    ]);
    dir = path.join(engine.home.root, 'sipp');
    kamailio = await startKamailio(path.join(engine.home.root, 'kamailio'), await freeUdpPort(), { auth: engine.auth, acct: engine.acct, secret: SECRET });
  });

  after(async function () {
    this.timeout(60_000);
    await kamailio?.stop();
    await engine?.stop();
  });

  it('sipp registers test/test: exit 0, 1 successful call; areg sent an Access-Accept for test', async () => {
    const before = await stats();
    const offset = traceSize();
    const run = await sipp(dir, kamailio.sipPort, 'register-ok', registerScenario('test', 'test'));
    assert.equal(run.code, 0, `${run.report}\n--- kamailio\n${kamailio.output()}`);
    assert.equal(run.successful, 1, run.report);
    assert.equal(run.failed, 0, run.report);
    const after = await stats();
    assert.ok(after.totalAccessAccepts! > before.totalAccessAccepts!, JSON.stringify(after));
    assert.equal(after.totalAccessRejects, before.totalAccessRejects, JSON.stringify(after));
    const digest = await digestPackets(offset);
    assert.equal(digest.length, 1, traceSize() > offset ? tracedPackets(offset).join('\n---\n') : 'nothing traced');
    assert.match(digest[0]!, /^Trace of Access-Accept packet$/m, digest[0]);
    wire.saw(); // the 200: Kamailio had the Access-Accept
  });

  it('sipp with a wrong password: non-zero exit, the call failed; areg sent an Access-Reject', async () => {
    const before = await stats();
    const offset = traceSize();
    const run = await sipp(dir, kamailio.sipPort, 'register-wrong', registerScenario('test', 'wrong'));
    assert.notEqual(run.code, 0, run.report);
    assert.equal(run.signal, null, `sipp was killed: ${run.report}`);
    assert.equal(run.successful, 0, run.report);
    assert.equal(run.failed, 1, run.report);
    const after = await stats();
    assert.equal(after.totalAccessAccepts, before.totalAccessAccepts, JSON.stringify(after));
    assert.ok(after.totalAccessRejects! > before.totalAccessRejects!, JSON.stringify(after));
    const digest = await digestPackets(offset);
    assert.equal(digest.length, 1, traceSize() > offset ? tracedPackets(offset).join('\n---\n') : 'nothing traced');
    assert.match(digest[0]!, /^Trace of Access-Reject packet$/m, digest[0]);
    assert.doesNotMatch(digest[0]!, /^Trace of Access-Accept packet$/m, digest[0]);
    wire.saw(); // the trace's "Sending response": the Access-Reject left the engine
  });

  const wire = checkEngineWire(() => ({ radius: [engine.auth, engine.acct], secret: SECRET }));
});
