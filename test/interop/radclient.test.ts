// Interop: the real engine (bin/arserver in a temporary AREG_HOME, factory tree adjusted with aregcmd -f)
// driven by FreeRADIUS radclient (Debian freeradius-utils), with every packet captured and re-decoded by
// tshark (Debian tshark) as an independent check (shared/reference/peers.md §3, §6). The tools must be
// installed: a missing one fails the suite with the package to install, it is never skipped.
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import dgram from 'node:dgram';
import fs from 'node:fs';
import path from 'node:path';
import { requireTool } from '../support/tools.js';
import { checkEngineWire, matches } from '../support/wire.js';
import type { TempHome } from '../support/home.js';
import { startEngine, type RunningEngine } from '../support/engine.js';
import { traceWith } from '../support/trace.js';
import { agentRequest } from '../../src/agent/client.js';
import { resolveHome } from '../../src/home.js';
import { decodePacket, dictionaryForDialect, encodePacket, attribute, PacketCode, verifyResponseAuthenticator } from '../../src/radius/index.js';

const SECRET = 'testing123';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(file: string, args: string[], input: string, env?: NodeJS.ProcessEnv, timeout = 30_000): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(file, args, { env: env ?? process.env, timeout }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
    child.stdin?.end(input);
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('interop: radclient against the real engine, tshark as independent decoder', function () {
  this.timeout(120_000);
  let engine: RunningEngine;
  let home: TempHome;
  let radclient: string;
  let auth: number;
  let acct: number;

  const rc = async (port: number, type: string, input: string, secret = SECRET): Promise<Run> => {
    const r = await run(radclient, ['-x', '-r', '1', '-t', '2', `127.0.0.1:${port}`, type, secret], input);
    wire.saw(matches(r.stdout, /^Received /gm));
    return r;
  };

  before(async function () {
    this.timeout(300_000);
    radclient = requireTool('radclient', 'freeradius-utils');
    engine = await startEngine([
      'set /Radius/Advanced/TraceLevel 4',
      'set /Radius/Advanced/DefaultReplyMessage "Access denied"',
      `set /Radius/Clients/localhost/SharedSecret ${SECRET}`,
      'set /Radius/Clients/localhost/RequireMessageAuthenticator Yes',
    ]);
    ({ home, auth, acct } = engine);
  });

  after(async function () {
    this.timeout(60_000);
    await engine?.stop();
  });

  const pap = (user: string, password: string): string =>
    `User-Name = "${user}"\nUser-Password = "${password}"\nNAS-IP-Address = 127.0.0.1\nNAS-Port = 1\nMessage-Authenticator = 0x00\n`;

  it('PAP bob/bob: Access-Accept with the PPP profile, Message-Authenticator first', async () => {
    const r = await rc(auth, 'auth', pap('bob', 'bob'));
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /Received Access-Accept Id \d+ from 127\.0\.0\.1:\d+/);
    const reply = r.stdout.slice(r.stdout.indexOf('Received Access-Accept')).split('\n');
    assert.match(reply[1]!, /^\tMessage-Authenticator = 0x[0-9a-f]{32}$/);
    assert.ok(reply.includes('\tFramed-Protocol = PPP'), r.stdout);
    assert.ok(reply.includes('\tFramed-MTU = 1500'), r.stdout);
  });

  it('CHAP bob/bob (challenge = Request Authenticator): Access-Accept', async () => {
    const r = await rc(auth, 'auth', 'User-Name = "bob"\nCHAP-Password = "bob"\nNAS-IP-Address = 127.0.0.1\nMessage-Authenticator = 0x00\n');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /Received Access-Accept/);
  });

  it('CHAP with a CHAP-Challenge attribute: Access-Accept', async () => {
    const r = await rc(auth, 'auth', 'User-Name = "bob"\nCHAP-Password = "bob"\nCHAP-Challenge = 0x0102030405060708090a0b0c0d0e0f1011\nMessage-Authenticator = 0x00\n');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /Received Access-Accept/);
  });

  it('wrong password and unknown user: Access-Reject with the DefaultReplyMessage', async () => {
    for (const [u, p] of [['bob', 'nope'], ['nobody', 'x']] as const) {
      const r = await rc(auth, 'auth', pap(u, p));
      assert.match(r.stdout, /Received Access-Reject/, r.stdout + r.stderr);
      assert.match(r.stdout, /Reply-Message = "Access denied"/);
    }
  });

  it('wrong shared secret: no answer; no Message-Authenticator (required): no answer', async () => {
    const bad = await rc(auth, 'auth', pap('bob', 'bob'), 'wrong');
    assert.notEqual(bad.code, 0);
    assert.match(bad.stdout + bad.stderr, /No reply from server/);
    const noMa = await rc(auth, 'auth', 'User-Name = "bob"\nUser-Password = "bob"\n');
    assert.match(noMa.stdout + noMa.stderr, /No reply from server/);
    const acctBad = await rc(acct, 'acct', 'User-Name = "bob"\nAcct-Status-Type = Start\nAcct-Session-Id = "x"\n', 'wrong');
    assert.match(acctBad.stdout + acctBad.stderr, /No reply from server/);
  });

  it('Status-Server: Access-Accept on the auth port, Accounting-Response on the acct port', async () => {
    const a = await rc(auth, 'status', 'Message-Authenticator = 0x00\n');
    assert.match(a.stdout, /Received Access-Accept/, a.stdout + a.stderr);
    const b = await rc(acct, 'status', 'Message-Authenticator = 0x00\n');
    assert.match(b.stdout, /Received Accounting-Response/, b.stdout + b.stderr);
  });

  it('Accounting Start and Stop: answered after the records are on disk in detail format', async () => {
    const start = await rc(acct, 'acct', 'User-Name = "bob"\nAcct-Status-Type = Start\nAcct-Session-Id = "s1"\nNAS-IP-Address = 127.0.0.1\nFramed-IP-Address = 10.0.0.1\n');
    assert.match(start.stdout, /Received Accounting-Response/, start.stdout + start.stderr);
    const stop = await rc(
      acct,
      'acct',
      'User-Name = "bob"\nAcct-Status-Type = Stop\nAcct-Session-Id = "s1"\nNAS-IP-Address = 127.0.0.1\nFramed-IP-Address = 10.0.0.1\nAcct-Session-Time = 60\nAcct-Input-Octets = 1000\nAcct-Output-Octets = 2000\nAcct-Terminate-Cause = User-Request\n',
    );
    assert.match(stop.stdout, /Received Accounting-Response/, stop.stdout + stop.stderr);
    const logs = path.join(home.root, 'logs');
    const files = fs.readdirSync(logs).filter((f) => /^Accounting-\d{8}-\d{6}$/.test(f));
    assert.equal(files.length, 1, fs.readdirSync(logs).join(' '));
    const text = fs.readFileSync(path.join(logs, files[0]!), 'utf8');
    const records = text.split('\n\n').filter(Boolean);
    assert.equal(records.length, 2, text);
    const stopLines = records[1]!.split('\n');
    assert.match(stopLines[0]!, /^[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2} \d{4}$/);
    assert.deepEqual(stopLines.slice(1, 5), ['\tUser-Name = "bob"', '\tAcct-Status-Type = Stop', '\tAcct-Session-Id = "s1"', '\tNAS-IP-Address = 127.0.0.1']);
    assert.ok(stopLines.includes('\tAcct-Terminate-Cause = User-Request'), text);
    assert.equal(stopLines.at(-2), '\tClient-IP-Address = 127.0.0.1');
    assert.match(stopLines.at(-1)!, /^\tTimestamp = \d{10}$/);
  });

  it('a retransmitted Access-Request gets the cached reply (same octets), counted as duplicate', async () => {
    const dict = dictionaryForDialect('default');
    const req = encodePacket(
      { code: PacketCode.AccessRequest, identifier: 77, attributes: [attribute(dict, 'User-Name', 'bob'), attribute(dict, 'User-Password', 'bob')] },
      dict,
      { secret: SECRET, messageAuthenticator: true },
    );
    const sock = dgram.createSocket('udp4');
    await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
    const replies: Buffer[] = [];
    sock.on('message', (m) => replies.push(m));
    try {
      sock.send(req, auth, '127.0.0.1');
      for (let i = 0; i < 50 && replies.length < 1; i++) await sleep(20);
      sock.send(req, auth, '127.0.0.1');
      for (let i = 0; i < 50 && replies.length < 2; i++) await sleep(20);
    } finally {
      sock.close();
    }
    wire.saw(replies.length);
    assert.equal(replies.length, 2);
    assert.ok(replies[0]!.equals(replies[1]!), 'the duplicate gets the very same octets');
    const reply = decodePacket(replies[0]!, dict, { secret: SECRET, requestAuthenticator: req.subarray(4, 20) });
    assert.equal(reply.code, PacketCode.AccessAccept);
    assert.ok(verifyResponseAuthenticator(replies[0]!, req.subarray(4, 20), SECRET));
    const stats = await agentRequest<{ radius: Record<string, number>; sections: Record<string, Record<string, Record<string, number>>> }>(resolveHome(home.root), 'stats');
    assert.ok(stats.radius.totalDuplicateRequests! >= 1, JSON.stringify(stats.radius));
    assert.ok(stats.radius.totalAccessAccepts! >= 4);
    assert.ok(stats.radius.totalBadMessageAuthenticators! >= 2, 'wrong secret and missing Message-Authenticator');
    assert.ok(stats.radius.totalPayloadDecryptionFailures! >= 1, 'accounting with the wrong secret');
    assert.ok(stats.sections.clients!.localhost!.duplicates! >= 1);
    const file = stats.sections.services!['local-file']!;
    assert.equal(file.accountingResponses, 2);
    assert.equal(file.recordsWritten, 2, 'the file service counts its records');
    assert.ok(file.durableWrites! >= 1 && file.durableWrites! <= 2);
    assert.equal(file.filesOpened, 1);
  });

  it('the trace shows the §11.3 lines with passwords hidden', async () => {
    const lines = [
      'Packet received from 127.0.0.1',
      'Using Client: localhost (127.0.0.1)',
      'Trace of Access-Request packet',
      '  User-Password = <encrypted>',
      'Authenticating and Authorizing with Service local-users',
      "Getting User bob's UserRecord from UserList Default",
      "Merging UserGroup PPP-users's BaseProfile default-PPP-users into response dictionary",
      'Trace of Access-Accept packet',
      'Sending response to 127.0.0.1',
    ].map((line) => `: ${line}\n`);
    const trace = await traceWith(home.root, lines);
    for (const line of lines) assert.ok(trace.includes(line), `trace lacks '${line}'`);
    assert.ok(!/User-Password = "bob"/.test(trace));
  });

  // The wrong-secret requests radclient sent are bad by design: only what the engine sent is checked.
  const wire = checkEngineWire(() => ({ radius: [auth, acct], secret: SECRET }), (frames) => {
    const codes = new Set(frames.map((f) => f.radiusCode));
    for (const c of [2, 3, 5]) assert.ok(codes.has(c), `no RADIUS code ${c} from the engine in the capture: ${[...codes].join(',')}`);
  });
});
