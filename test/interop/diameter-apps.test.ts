// Interop: the real engine (bin/arserver, temporary AREG_HOME, tree edited with aregcmd -f) serving the
// Diameter applications to a peer that speaks with areg's codec over TCP, the whole conversation captured
// by tshark and re-decoded by its Diameter dissector as an independent check (peers.md §6):
//   CER → AAR PAP good/bad → ACR START/STOP (records on disk before the ACA) → duplicate ACR (T flag)
//   → MAR as OpenSIPS lays it out (protocols.md §3.4; 2006 and 4001 + Error-Message) → OpenSIPS ACR → STR → DPR;
//   then garbage on a second connection, answered with the RFC 6733 §7 errors (3001, 3007, 3008, 3009, 5014).
// tshark must be installed: a missing tool fails the suite with the package to install, it is never skipped.
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { checkEngineWire } from '../support/wire.js';
import { ensureBuilt, repoRoot } from '../support/build.js';
import { makeTempHome, type TempHome } from '../support/home.js';
import { freePort } from '../support/freediameter.js';
import { traceWith } from '../support/trace.js';
import { MessageFlags, encodeMessage, findAvp, type DiameterMessage } from '../../src/diameter/index.js';
import { TestPeer, dict, type Received } from '../diameter-apps/client.js';

const ARSERVER = path.join(repoRoot, 'bin', 'arserver');
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));


function arserver(env: Record<string, string | undefined>, ...args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [ARSERVER, ...args], { env: env as NodeJS.ProcessEnv, timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? (err as { code?: unknown }).code : 0;
      resolve({ code: typeof code === 'number' ? code : 1, out: stdout + stderr });
    });
  });
}

/** The top-level AVP headers of a raw message: [code, flags, vendor]. */
function rawAvps(raw: Buffer): [number, number, number][] {
  const out: [number, number, number][] = [];
  for (let at = 20; at + 8 <= raw.length;) {
    const code = raw.readUInt32BE(at);
    const flags = raw[at + 4]!;
    const len = raw.readUIntBE(at + 5, 3);
    const vendor = flags & 0x80 ? raw.readUInt32BE(at + 8) : 0;
    out.push([code, flags, vendor]);
    at += (len + 3) & ~3;
  }
  return out;
}

/** `msg` encoded with `avp` (raw octets, 4-aligned, possibly malformed) appended and the header Length fixed. */
function withRawAvp(msg: DiameterMessage, avp: string): Buffer {
  const out = Buffer.concat([encodeMessage(msg), Buffer.from(avp.replace(/ /g, ''), 'hex')]);
  out.writeUIntBE(out.length, 1, 3);
  return out;
}

const origin: [string, string][] = [['Origin-Host', 'client.test'], ['Origin-Realm', 'test']];
/** A CER of client.test advertising `apps`. */
const cer = (peer: TestPeer, apps: [string, number][]): DiameterMessage => peer.request(0, 257,
  [...origin, ['Host-IP-Address', '127.0.0.1'], ['Vendor-Id', 0], ['Product-Name', 'areg-test'], ...apps], { flags: MessageFlags.Request });

const rc = (m: DiameterMessage): unknown => findAvp(m.avps, 268)?.value;
const val = (m: DiameterMessage, name: string): unknown => findAvp(m.avps, dict.avpByName(name)!)?.value;

describe('interop: Diameter applications of the real engine, tshark as independent decoder', function () {
  this.timeout(120_000);
  let home: TempHome;
  let dia: number;
  let started = false;

  before(async function () {
    this.timeout(300_000);
    await ensureBuilt();
    home = makeTempHome();
    const [auth, acct, dynauth] = [await freePort(), await freePort(), await freePort()];
    dia = await freePort();
    const script = [
      'cd /Radius/Advanced/Diameter/TransportManagement',
      'set Identity server.test', 'set Realm test', `set TCPListenPort ${dia}`,
      'cd /Radius/Advanced/Ports', 'delete 1812', 'delete 1813', 'delete 3799',
      `add ${auth} auth`, `add ${acct} acct`, `add ${dynauth} dynauth`,
      'cd /Radius/Advanced/Interfaces', 'add 127.0.0.1',
      'set /Radius/Advanced/TraceLevel 5',
      'set /Radius/Advanced/DefaultReplyMessage "Access denied"',
      'cd /Radius/Clients', 'add dia-client', 'cd dia-client',
      'set Protocol diameter', 'set HostName client.test', 'set IPAddress 127.0.0.1', 'set DiameterProfile opensips',
      'cd /Radius/UserLists/Default', 'add test "SIP digest vector user" test FALSE PPP-users',
      'save',
    ].join('\n');
    const edit = await home.run(['-f', '-'], { input: `${script}\n` });
    assert.equal(edit.status, 0, edit.stderr + edit.stdout);
    const s = await arserver(home.env(), 'start');
    assert.equal(s.code, 0, s.out);
    started = true;
  });

  after(async function () {
    this.timeout(60_000);
    if (started) await arserver(home.env(), 'stop', '--force');
    home?.remove();
  });

  /** peer.send, each answer counted as seen for the tshark check. */
  const asker = (peer: TestPeer) => async (...args: Parameters<TestPeer['send']>): Promise<Received> => {
    const answer = await peer.send(...args);
    wire.saw();
    return answer;
  };

  const accountingRecords = (): string[] => {
    const logs = path.join(home.root, 'logs');
    return fs.readdirSync(logs).filter((f) => /^Accounting-\d{8}-\d{6}(\.\d+)?$/.test(f)).sort()
      .flatMap((f) => fs.readFileSync(path.join(logs, f), 'utf8').split('\n\n').filter(Boolean));
  };

  it('serves the conversation CER → AAR → ACR → duplicate → MAR → OpenSIPS ACR → STR → DPR', async () => {
    const peer = await TestPeer.connect(dia);
    const ask = asker(peer);
    try {
      // CER: NASREQ, accounting and, as OpenSIPS does, 3 and 6 as Acct-Application-Id (+ Auth 6).
      const cea = await ask(cer(peer, [['Auth-Application-Id', 1], ['Auth-Application-Id', 6], ['Acct-Application-Id', 3], ['Acct-Application-Id', 6]]));
      assert.equal(rc(cea.msg), 2001);
      const apps = (code: number): unknown[] => cea.msg.avps.filter((a) => a.code === code).map((a) => a.value);
      assert.deepEqual(apps(258).sort(), [1, 6], 'the opensips profile adds Auth-Application-Id 6');
      assert.deepEqual(apps(259).sort(), [3, 6]);

      // AAR PAP good and bad.
      const aar = (user: string, pw: string): DiameterMessage => peer.request(1, 265, [['Session-Id', `client.test;1;aar-${user}-${pw}`],
        ['Auth-Application-Id', 1], ...origin, ['Destination-Realm', 'test'], ['Auth-Request-Type', 3], ['User-Name', user],
        ['User-Password', Buffer.from(pw)]]);
      const good = await ask(aar('bob', 'bob'));
      assert.equal(rc(good.msg), 2001);
      assert.deepEqual(rawAvps(good.raw).slice(0, 6).map(([c]) => c), [263, 258, 274, 268, 264, 296]);
      assert.equal(val(good.msg, 'Framed-MTU'), 1500);
      assert.equal(val(good.msg, 'Service-Type'), 2);
      const bad = await ask(aar('bob', 'wrong'));
      assert.equal(rc(bad.msg), 4001);
      assert.equal(bad.msg.flags & MessageFlags.Error, 0);

      // ACR START/STOP: each record is on disk when its ACA arrives.
      const acr = (type: number, n: number, extra: [string, unknown][] = []): DiameterMessage => peer.request(3, 271, [
        ['Session-Id', 'client.test;1;acct-1'], ...origin, ['Destination-Realm', 'test'], ['Accounting-Record-Type', type],
        ['Accounting-Record-Number', n], ['Acct-Application-Id', 3], ['User-Name', 'bob'], ...extra] as [string, never][]);
      const start = await ask(acr(2, 0));
      assert.equal(rc(start.msg), 2001);
      assert.equal(val(start.msg, 'Accounting-Record-Type'), 2);
      assert.equal(accountingRecords().length, 1, 'START on disk before its ACA');
      const stopReq = acr(4, 1, [['Acct-Session-Time', 60], ['Accounting-Input-Octets', 1000n], ['Accounting-Output-Octets', 2000n]]);
      const stop = await ask(stopReq);
      assert.equal(rc(stop.msg), 2001);
      assert.equal(val(stop.msg, 'Accounting-Record-Number'), 1);
      assert.equal(accountingRecords().length, 2, 'STOP on disk before its ACA');
      const rec = accountingRecords()[1]!.split('\n');
      assert.ok(rec.includes('\tAccounting-Record-Type = STOP_RECORD'), rec.join('\n'));
      assert.ok(rec.includes('\tAccounting-Output-Octets = 2000'), rec.join('\n'));
      assert.equal(rec.at(-2), '\tClient-IP-Address = 127.0.0.1');

      // The STOP again after a "failover": T flag, same End-to-End id, new Hop-by-Hop id → same answer, not written again.
      const dup = await ask({ ...stopReq, flags: stopReq.flags | MessageFlags.Retransmit, hopByHopId: stopReq.hopByHopId + 500 });
      assert.equal(dup.msg.hopByHopId, stopReq.hopByHopId + 500);
      assert.deepEqual(dup.raw.subarray(16), stop.raw.subarray(16), 'the same answer but for the Hop-by-Hop id');
      assert.equal(accountingRecords().length, 2, 'the duplicate was not written');

      // MAR exactly as OpenSIPS aaa_diameter sends it (protocols.md §3.4), the §5.2 classic vector.
      const mar = (response: string, callId: string): DiameterMessage => peer.request(6, 286, [
        ['Session-Id', `client.test;1724140000;${callId.length}${response.slice(0, 4)}`], ['Auth-Application-Id', 6], ['Auth-Session-State', 1], ...origin,
        ['Destination-Realm', 'diameter.test'], ['SIP-AOR', 'test@testrealm'], ['SIP-Method', 'opensips-auth'], ['Route-Record', 'server'],
        ['User-Name', 'test@testrealm'], ['Digest-Username', 'test'], ['Digest-Realm', 'testrealm'], ['Digest-Nonce', '1234abcd'],
        ['Digest-URI', 'sip:5555551212@example.com'], ['Digest-Method', 'INVITE'], ['Digest-Response', response], ['Service-Type', 15],
        ['Sip-Uri-User', 'test'], ['Acct-Session-Id', Buffer.from(callId)], ['Cisco-AVPair', `call-id=${callId}`],
      ], { flags: MessageFlags.Request });
      const marOk = mar('631d6d73147add2f9e437f59bbc3aeb7', 'callid-1@opensips');
      marOk.avps.find((a) => a.code === 6)!.flags = 0; // OpenSIPS sends Service-Type with M clear (§3.3)
      const marRaw = encodeMessage(marOk);
      assert.deepEqual(rawAvps(marRaw), [[263, 0x40, 0], [258, 0x40, 0], [277, 0x40, 0], [264, 0x40, 0], [296, 0x40, 0], [283, 0x40, 0],
        [122, 0x40, 0], [393, 0x40, 0], [282, 0x40, 0], [1, 0x40, 0], [115, 0x40, 0], [104, 0x40, 0], [105, 0x40, 0], [109, 0x40, 0],
        [108, 0x40, 0], [103, 0x40, 0], [6, 0x00, 0], [208, 0x40, 0], [44, 0x40, 0], [1, 0x80, 9]], 'the MAR is laid out as protocols.md §3.4');
      const maa = await ask(marOk, marRaw);
      assert.equal(rc(maa.msg), 2006);
      assert.deepEqual(rawAvps(maa.raw), [[263, 0x40, 0], [258, 0x40, 0], [268, 0x40, 0], [277, 0x40, 0], [264, 0x40, 0], [296, 0x40, 0], [44, 0x40, 0]]);
      assert.equal(String(val(maa.msg, 'Acct-Session-Id')), 'callid-1@opensips');
      const maaBad = await ask(mar('3d49c5a253bf3a50d8a78f1e35eb13a7', 'callid-2@opensips'));
      assert.equal(rc(maaBad.msg), 4001);
      assert.deepEqual(rawAvps(maaBad.raw).map(([c]) => c), [263, 258, 268, 281, 277, 264, 296, 44]);
      assert.equal(maaBad.msg.flags & MessageFlags.Error, 0);
      assert.equal(String(val(maaBad.msg, 'Acct-Session-Id')), 'callid-2@opensips');

      // An OpenSIPS ACR (protocols.md §3.7): EVENT 0, no Acct-Application-Id, Transaction-Id echoed, CDR on disk.
      const osAcr = await ask(peer.request(3, 271, [['Session-Id', 'client.test;1724140000;40'], ...origin, ['Destination-Realm', 'diameter.test'],
        ['Accounting-Record-Type', 1], ['Accounting-Record-Number', 0], ['Event-Timestamp', new Date(1_724_140_000_000)], ['Route-Record', 'server'],
        ['Acct-Status-Type', 1], ['Service-Type', 15], ['Sip-Response-Code', 200], ['Sip-Method', 1], ['Sip-From-Tag', 'ft1'], ['Sip-To-Tag', 'tt1'],
        ['Acct-Session-Id', Buffer.from('callid-1@opensips')], ['Sip-Call-Setuptime', 1], ['Sip-Call-Created', 1_724_140_000], ['Transaction-Id', 'tx-9']],
      { flags: MessageFlags.Request }));
      assert.equal(rc(osAcr.msg), 2001);
      assert.deepEqual(rawAvps(osAcr.raw).map(([c]) => c), [263, 268, 264, 296, 480, 485, 231]);
      const cdr = accountingRecords().at(-1)!;
      assert.match(cdr, /\tAcct-Session-Id = "callid-1@opensips"\n/);
      assert.match(cdr, /\tSip-From-Tag = "ft1"\n/);

      // STR, then DPR: DPA and the engine closes the connection.
      const sta = await ask(peer.request(1, 275, [['Session-Id', 'client.test;1;aar-bob-bob'], ...origin, ['Destination-Realm', 'test'],
        ['Auth-Application-Id', 1], ['Termination-Cause', 1]]));
      assert.equal(rc(sta.msg), 2001);
      const dpa = await ask(peer.request(0, 282, [...origin, ['Disconnect-Cause', 0]], { flags: MessageFlags.Request }));
      assert.equal(rc(dpa.msg), 2001);
      await Promise.race([peer.closed, sleep(3000).then(() => assert.fail('the engine did not close after the DPA'))]);
    } finally {
      peer.destroy();
    }
  });

  it('the trace shows the §11.3 Diameter lines, the password as <encrypted>', async () => {
    const lines = ['Packet received from 127.0.0.1', 'Application id: 1, Cmd code: 265, Flag: 0xc0', 'Using Client: dia-client',
      'Packet successfully added', 'Trace of Diameter Packet', 'User-Password = <encrypted>', 'Authenticating and Authorizing with Service local-users',
      "Getting User bob's UserRecord from UserList Default", 'Result-Code = Diameter-Success', 'Result-Code = Diameter-Authentication-Rejected',
      'Accounting with Service local-file', 'Sending response to client.test', 'Packet successfully removed', 'Packet Deleted'].map((line) => `: ${line}\n`);
    const trace = await traceWith(home.root, lines);
    for (const line of lines) assert.ok(trace.includes(line), `trace lacks '${line}'`);
    assert.ok(!/User-Password = .*(bob|wrong)/.test(trace));
  });

  it('answers garbage after the CER with RFC 6733 §7 errors: 3001, 3007, 3008, 3009 and 5014 with Failed-AVP', async () => {
    const peer = await TestPeer.connect(dia);
    const ask = asker(peer);
    try {
      const cea = await ask(cer(peer, [['Auth-Application-Id', 1], ['Acct-Application-Id', 3]]));
      assert.equal(rc(cea.msg), 2001);
      const aar = (): DiameterMessage => peer.request(1, 265, [['Session-Id', 'client.test;2;garbage'], ['Auth-Application-Id', 1], ...origin,
        ['Destination-Realm', 'test'], ['Auth-Request-Type', 3]]);
      const expectError = (a: Received, code: number, failedAvp: boolean): void => {
        assert.equal(rc(a.msg), code);
        assert.equal(a.msg.flags & MessageFlags.Error, code < 4000 ? MessageFlags.Error : 0, `E bit of ${code}`);
        assert.equal(findAvp(a.msg.avps, 279) !== undefined, failedAvp, `Failed-AVP in ${code}`);
      };
      expectError(await ask(peer.request(0, 9999, origin)), 3001, false);
      expectError(await ask(peer.request(4, 272, [['Session-Id', 'client.test;2;ccr'], ...origin])), 3007, false);
      const eBit = aar();
      eBit.flags |= MessageFlags.Error;
      expectError(await ask(eBit, encodeMessage(eBit)), 3008, false);
      const reserved = aar(); // User-Name "bob!" with a reserved flag bit
      expectError(await ask(reserved, withRawAvp(reserved, '00000001 41 00000c 626f6221')), 3009, true);
      const mtu = aar(); // Framed-MTU (Unsigned32) with 5 data octets, padded
      expectError(await ask(mtu, withRawAvp(mtu, '0000000c 40 00000d 000005dc 01 000000')), 5014, true);
      const overrun = aar(); // User-Name claiming 100 octets where 12 are left
      expectError(await ask(overrun, withRawAvp(overrun, '00000001 40 000064 626f6221')), 5014, true);
      const dpa = await ask(peer.request(0, 282, [...origin, ['Disconnect-Cause', 0]], { flags: MessageFlags.Request }));
      assert.equal(rc(dpa.msg), 2001);
    } finally {
      peer.destroy();
    }
  });

  // RFC 6733 §7.5 / §7.1.5: the Failed-AVP of an error answer identifies the offending AVP without making the answer
  // itself malformed: a wrong Length comes back as its header with a zero payload of the type's length, reserved
  // flag bits come back cleared (Error-Message names them), so tshark flags nothing in the engine's answers.
  const wire = checkEngineWire(() => ({ diameter: [dia] }), (frames) => {
    const cmds = frames.flatMap((f) => f.diameterCommands);
    for (const c of [257, 265, 271, 275, 282, 286]) assert.ok(cmds.includes(c), `no answer to command ${c} in the capture: ${cmds.join(' ')}`);
    const results = frames.flatMap((f) => f.resultCodes);
    for (const r of [2001, 2006, 4001, 3001, 3007, 3008, 3009, 5014]) assert.ok(results.includes(r), `tshark decodes no Result-Code ${r}: ${results.join(' ')}`);
  });
});
