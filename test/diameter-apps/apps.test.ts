// Unit tests of the Diameter applications (src/diameter/apps): each handler fed with messages built by our
// codec, against the factory tree (users bob/jane/joe in PPP-users) plus a digest user, with the real
// pipeline and a real file service in a temp directory. No sockets.
import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigObject } from '../../src/config/object.js';
import { CounterRegistry, SECTIONS } from '../../src/counters/index.js';
import {
  MessageFlags, builtinDictionary, decodeMessage, encodeMessage, findAvp, findAvps, makeAvp, validateMessage,
  type Avp, type DiameterMessage,
} from '../../src/diameter/index.js';
import { DiameterApplications, DiameterDuplicates, profileToAvps, resultName } from '../../src/diameter/apps/index.js';
import type { RequestOrigin } from '../../src/diameter/peer/core.js';
import type { PipelineContext } from '../../src/engine/pipeline/pipeline.js';
import type { Log } from '../../src/log/logger.js';
import { Tracer } from '../../src/log/tracer.js';
import { chapPassword, generateNtResponse, md5, mppeKeys, ntPasswordHash } from '../../src/radius/index.js';
import { propOf } from '../../src/schema/registry.js';
import { FileAccountingService } from '../../src/services/index.js';
import { EapCode, EapType, MsChapV2Op, decodeEap, encodeEap } from '../../src/services/eap/index.js';
import { SecretBox } from '../../src/store/secrets.js';
import { addChild, setProp } from '../../src/tree/edit.js';
import { seedTree } from '../../src/tree/seed.js';
import { nodeAt } from '../../src/tree/tree.js';

const dict = builtinDictionary();
const origin: RequestOrigin = {
  peer: 'client.test', client: 'dia-client', identity: { originHost: 'server.test', originRealm: 'test' }, address: '127.0.0.1',
};
const silentLog: Log = { log() {}, info() {}, warning() {}, error() {}, debug() {} };

interface Fixture {
  apps: DiameterApplications;
  dir: string;
  trace: string[];
  counters: CounterRegistry;
  /** Replaces the accounting writer (failure tests). */
  failWrites(error: Error | undefined): void;
  files(): string[];
}

function fixture(): Fixture {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'areg-dia-apps-'));
  const box = SecretBox.open(path.join(dir, 'key'));
  const root = seedTree(box, 'server.test');
  const clients = nodeAt(root, ['Radius', 'Clients'])!;
  const c = addChild(clients, 'dia-client', ['Diameter test peer'], box);
  setProp(c, propOf(c, 'Protocol')!, 'diameter', box);
  setProp(c, propOf(c, 'HostName')!, 'client.test', box);
  addChild(nodeAt(root, ['Radius', 'RemoteServers'])!, 'aaa-peer', ['a peer we dial'], box);
  const users = nodeAt(root, ['Radius', 'UserLists', 'Default'])!;
  addChild(users, 'test', ['digest vector user', 'test', 'FALSE', 'PPP-users'], box);
  // No Password, only MD5(alice:testrealm:secret) (aregcmd.md §7.3.2).
  const alice = addChild(users, 'alice', ['HA1 only'], box);
  setProp(alice, propOf(alice, 'DigestHA1')!, md5(Buffer.from('alice:testrealm:secret')).toString('hex'), box);
  const radius = new ConfigObject('Radius', '/Radius', root.$children!.Radius!, box);
  const counters = new CounterRegistry();
  const trace: string[] = [];
  const tracer = new Tracer({ write: (l: string) => { trace.push(l); } }, 5);
  let failure: Error | undefined;
  const file = new FileAccountingService('local-file', {
    directory: path.join(dir, 'logs'), prefix: 'Accounting', maxFileSize: 0, maxFileAgeSec: 0, useLocalTimeZone: false, syncIntervalMs: 1,
  });
  const failing = { write: () => Promise.reject(failure!) } as unknown as FileAccountingService;
  const ctx: PipelineContext = {
    radius,
    advanced: { defaultReplyMessage: 'Access denied', logDirectory: path.join(dir, 'logs'), fileSyncIntervalMs: 1 },
    counters,
    fileService: () => (failure ? failing : file),
  };
  const apps = new DiameterApplications({ dict, log: silentLog, tracer, counters, pipeline: () => ctx });
  after(async () => {
    await file.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return {
    apps, dir, trace, counters,
    failWrites: (e) => { failure = e; },
    files: () => (fs.existsSync(path.join(dir, 'logs')) ? fs.readdirSync(path.join(dir, 'logs')).filter((f) => f.startsWith('Accounting-')) : []),
  };
}

let e2e = 0x1000;
function request(app: number, cmd: number, avps: [string, Avp['value']][], flags = MessageFlags.Request | MessageFlags.Proxiable): DiameterMessage {
  return {
    flags, commandCode: cmd, applicationId: app, hopByHopId: 77, endToEndId: ++e2e,
    avps: avps.map(([n, v]) => makeAvp(dict, n, v)),
  };
}

/** Through the codec both ways, as the wire would carry it. */
function wire(msg: DiameterMessage): DiameterMessage {
  const d = decodeMessage(encodeMessage(msg), dict);
  if (!d.ok) assert.fail(`undecodable: ${d.error.message}`);
  return d.message;
}

async function ask(f: Fixture, msg: DiameterMessage): Promise<DiameterMessage> {
  const a = await f.apps.handle(wire(msg), origin);
  assert.ok(a, 'an answer');
  const back = wire(a);
  assert.equal(validateMessage(back, dict), undefined, `the answer conforms to the dictionary: ${JSON.stringify(validateMessage(back, dict))}`);
  return back;
}

const names = (m: DiameterMessage): string[] => m.avps.map((a) => a.def?.name ?? String(a.code));
const value = (m: DiameterMessage, name: string): unknown => findAvp(m.avps, dict.avpByName(name)!)?.value;

const aar = (user: string, extra: [string, Avp['value']][], type = 3): DiameterMessage => request(1, 265, [
  ['Session-Id', `client.test;1;${e2e}`], ['Auth-Application-Id', 1], ['Origin-Host', 'client.test'], ['Origin-Realm', 'test'],
  ['Destination-Realm', 'test'], ['Auth-Request-Type', type], ['User-Name', user], ...extra,
]);

describe('Diameter applications: NASREQ AA-Request', function () {
  const f = fixture();

  it('PAP good: 2001, Session-Id first, Auth-Application-Id, Auth-Request-Type echoed, the PPP profile as AVPs', async () => {
    const a = await ask(f, aar('bob', [['User-Password', Buffer.from('bob')]]));
    assert.equal(a.flags, MessageFlags.Proxiable);
    assert.equal(a.commandCode, 265);
    assert.equal(a.hopByHopId, 77);
    assert.deepEqual(names(a).slice(0, 6), ['Session-Id', 'Auth-Application-Id', 'Auth-Request-Type', 'Result-Code', 'Origin-Host', 'Origin-Realm']);
    assert.equal(value(a, 'Result-Code'), 2001);
    assert.equal(value(a, 'Auth-Request-Type'), 3);
    assert.equal(value(a, 'Origin-Host'), 'server.test');
    assert.equal(value(a, 'Service-Type'), 2, 'Framed-User = FRAMED');
    assert.equal(value(a, 'Framed-Protocol'), 1);
    assert.equal(value(a, 'Framed-MTU'), 1500);
    assert.equal(value(a, 'Framed-Routing'), 0);
    assert.equal(value(a, 'Framed-Compression'), 1);
    assert.equal(value(a, 'User-Name'), 'bob');
  });

  it('PAP bad password and unknown user: 4001 with the DefaultReplyMessage, no profile', async () => {
    for (const [u, p] of [['bob', 'nope'], ['nobody', 'x']] as const) {
      const a = await ask(f, aar(u, [['User-Password', Buffer.from(p)]]));
      assert.equal(value(a, 'Result-Code'), 4001);
      assert.equal(a.flags & MessageFlags.Error, 0, 'application error: E bit clear');
      assert.equal(value(a, 'Reply-Message'), 'Access denied');
      assert.equal(value(a, 'Framed-Protocol'), undefined);
    }
  });

  it('PAP padded with NULs to 16 octets as app_radgw forwards the RADIUS plaintext: the padding is not the password', async () => {
    const padded = (pw: string): Buffer => Buffer.concat([Buffer.from(pw), Buffer.alloc(16 - pw.length)]);
    assert.equal(value(await ask(f, aar('bob', [['User-Password', padded('bob')]])), 'Result-Code'), 2001);
    assert.equal(value(await ask(f, aar('bob', [['User-Password', padded('bo')]])), 'Result-Code'), 4001);
  });

  it('CHAP-Auth with CHAP-Challenge: good 2001, bad 4001', async () => {
    const challenge = Buffer.from('0102030405060708090a0b0c0d0e0f10', 'hex');
    const chap = (pw: string): [string, Avp['value']][] => {
      const v = chapPassword(7, pw, challenge);
      return [['CHAP-Auth', [makeAvp(dict, 'CHAP-Algorithm', 5), makeAvp(dict, 'CHAP-Ident', v.subarray(0, 1)), makeAvp(dict, 'CHAP-Response', v.subarray(1))]],
        ['CHAP-Challenge', challenge]];
    };
    assert.equal(value(await ask(f, aar('jane', chap('jane'))), 'Result-Code'), 2001);
    assert.equal(value(await ask(f, aar('jane', chap('bob'))), 'Result-Code'), 4001);
  });

  it('AUTHORIZE_ONLY without credentials: the profile of a known user, 4001 for an unknown one (Prime AR trace)', async () => {
    const ok = await ask(f, aar('bob', [], 2));
    assert.equal(value(ok, 'Result-Code'), 2001);
    assert.equal(value(ok, 'Auth-Request-Type'), 2);
    assert.equal(value(ok, 'Framed-MTU'), 1500);
    const no = await ask(f, aar('user.1', [], 2));
    assert.equal(value(no, 'Result-Code'), 4001);
    assert.ok(f.trace.some((l) => l.endsWith('No UserRecord found for User user.1 in UserList Default, but none _required_ for Authorization.')));
  });

  it('AUTHENTICATE_ONLY: 2001 without authorization AVPs; no Auth-Request-Type: 5005 with Failed-AVP', async () => {
    const a = await ask(f, aar('bob', [['User-Password', Buffer.from('bob')]], 1));
    assert.equal(value(a, 'Result-Code'), 2001);
    assert.equal(value(a, 'Framed-MTU'), undefined);
    const m = aar('bob', [['User-Password', Buffer.from('bob')]]);
    m.avps = m.avps.filter((x) => x.def?.name !== 'Auth-Request-Type');
    const b = await f.apps.handle(wire(m), origin);
    assert.equal(value(wire(b!), 'Result-Code'), 5005);
    const failed = value(wire(b!), 'Failed-AVP') as Avp[];
    assert.equal(failed[0]!.code, 274);
  });

  it('traces the §11.3 lines at level 5, the password as <encrypted>', () => {
    const text = f.trace.join('\n');
    for (const l of ['Packet received from 127.0.0.1', 'Application id: 1, Cmd code: 265, Flag: 0xc0', 'Using Client: dia-client',
      'Packet successfully added', 'Trace of Diameter Packet', 'User-Password = <encrypted>', 'Authenticating and Authorizing with Service local-users',
      "Getting User bob's UserRecord from UserList Default", 'User bob is part of UserGroup PPP-users', 'Result-Code = Diameter-Success',
      'Result-Code = Diameter-Authentication-Rejected', 'Sending response to client.test', 'Packet successfully removed', 'Packet Deleted']) {
      assert.ok(text.includes(`: ${l}\n`) || text.endsWith(`: ${l}`), `trace lacks '${l}'`);
    }
    assert.ok(!/User-Password = .*bob/.test(text));
  });

  it('a request on a connection we initiated (origin = a RemoteServer) is served too; an unknown origin throws (5012 upstream)', async () => {
    const a = await f.apps.handle(wire(aar('bob', [['User-Password', Buffer.from('bob')]])), { ...origin, client: 'aaa-peer' });
    assert.equal(value(wire(a!), 'Result-Code'), 2001);
    await assert.rejects(f.apps.handle(wire(aar('bob', [['User-Password', Buffer.from('bob')]])), { ...origin, client: 'nobody' }), /neither a Client nor a RemoteServer/);
  });

  it('profile translation skips attributes without an AA-Answer equivalent', () => {
    const t = profileToAvps(dict, [['Service-Type', 'Login-User'], ['Login-Service', 'Telnet'], ['Framed-IP-Address', '10.0.0.1'],
      ['Acct-Session-Id', 'x'], ['Session-Timeout', '3600'], ['Reply-Message', '"hi"']]);
    assert.deepEqual(t.avps.map((a) => [a.def!.name, a.value]), [['Service-Type', 1], ['Login-Service', 0],
      ['Framed-IP-Address', Buffer.from([10, 0, 0, 1])], ['Session-Timeout', 3600], ['Reply-Message', 'hi']]);
    assert.equal(t.skipped.length, 1);
    assert.match(t.skipped[0]!, /^Acct-Session-Id/);
    assert.equal(resultName(4001), 'Diameter-Authentication-Rejected');
  });
});

const acr = (type: number, num: number, extra: [string, Avp['value']][] = [], flags?: number): DiameterMessage => request(3, 271, [
  ['Session-Id', 'client.test;1;acct'], ['Origin-Host', 'client.test'], ['Origin-Realm', 'test'], ['Destination-Realm', 'test'],
  ['Accounting-Record-Type', type], ['Accounting-Record-Number', num], ['Acct-Application-Id', 3], ['User-Name', 'bob'], ...extra,
], flags);

describe('Diameter applications: accounting, STR, duplicates', function () {
  const f = fixture();

  it('START/INTERIM/STOP/EVENT: 2001 after the record is on disk, detail format with the AVPs', async () => {
    for (const [t, n] of [[2, 0], [3, 1], [4, 2], [1, 0]] as const) {
      const a = await ask(f, acr(t, n, [['Accounting-Input-Octets', 1000n]]));
      assert.deepEqual(names(a), ['Session-Id', 'Result-Code', 'Origin-Host', 'Origin-Realm', 'Accounting-Record-Type', 'Accounting-Record-Number', 'Acct-Application-Id']);
      assert.equal(value(a, 'Result-Code'), 2001);
      assert.equal(value(a, 'Accounting-Record-Type'), t);
      assert.equal(value(a, 'Accounting-Record-Number'), n);
      const text = fs.readFileSync(path.join(f.dir, 'logs', f.files()[0]!), 'utf8');
      assert.equal(text.split('\n\n').filter(Boolean).length, n === 0 && t === 1 ? 4 : n + 1, 'the record is on disk when the ACA exists');
    }
    const records = fs.readFileSync(path.join(f.dir, 'logs', f.files()[0]!), 'utf8').split('\n\n').filter(Boolean);
    const stop = records[2]!.split('\n');
    assert.match(stop[0]!, /^[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2} \d{4}$/);
    assert.deepEqual(stop.slice(1, 10), ['\tSession-Id = "client.test;1;acct"', '\tOrigin-Host = "client.test"', '\tOrigin-Realm = "test"',
      '\tDestination-Realm = "test"', '\tAccounting-Record-Type = STOP_RECORD', '\tAccounting-Record-Number = 2', '\tAcct-Application-Id = 3',
      '\tUser-Name = "bob"', '\tAccounting-Input-Octets = 1000']);
    assert.equal(stop.at(-2), '\tClient-IP-Address = 127.0.0.1');
    assert.match(stop.at(-1)!, /^\tTimestamp = \d{10}$/);
  });

  it('a duplicate (same Origin-Host and End-to-End id, T flag) gets the same answer and is written once', async () => {
    const before = fs.readFileSync(path.join(f.dir, 'logs', f.files()[0]!), 'utf8').length;
    const first = acr(2, 0, [['Acct-Session-Id', Buffer.from('dup')]]);
    const copy = { ...first, hopByHopId: 99, flags: first.flags | MessageFlags.Retransmit };
    const [a, b] = await Promise.all([f.apps.handle(wire(first), origin), f.apps.handle(wire(copy), origin)]);
    const c = await f.apps.handle(wire(copy), origin);
    assert.equal(b!.hopByHopId, 99);
    assert.equal(c!.hopByHopId, 99);
    assert.deepEqual(encodeMessage(b!).subarray(16), encodeMessage(a!).subarray(16), 'same answer but for the Hop-by-Hop id');
    assert.deepEqual(encodeMessage(c!).subarray(16), encodeMessage(a!).subarray(16));
    const text = fs.readFileSync(path.join(f.dir, 'logs', f.files()[0]!), 'utf8');
    assert.equal(text.slice(before).split('\n\n').filter(Boolean).length, 1, 'written once');
    const peer = f.counters.block(SECTIONS.diameterPeers, 'client.test', ['duplicateRequests'] as const);
    assert.equal(peer.duplicateRequests, 2);
  });

  it('a failed write: 4002 for a full disk, 5012 otherwise, with Error-Message; a resend may try again', async () => {
    const full = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    f.failWrites(full);
    const m = acr(4, 3);
    const a = await ask(f, m);
    assert.equal(value(a, 'Result-Code'), 4002);
    assert.equal(a.flags & MessageFlags.Error, 0);
    assert.match(String(value(a, 'Error-Message')), /DIAMETER_OUT_OF_SPACE/);
    f.failWrites(new Error('EIO: i/o error, fsync'));
    assert.equal(value(await ask(f, acr(4, 3)), 'Result-Code'), 5012);
    f.failWrites(undefined);
    const again = await f.apps.handle(wire({ ...m, flags: m.flags | MessageFlags.Retransmit }), origin);
    assert.equal(value(wire(again!), 'Result-Code'), 2001, 'the failed first copy was not remembered');
  });

  it('an ACR without Accounting-Record-Number: 5005', async () => {
    const m = acr(2, 0);
    m.avps = m.avps.filter((x) => x.def?.name !== 'Accounting-Record-Number');
    // It cannot echo what is missing, so this ACA is not dictionary-conformant by construction.
    const a = wire((await f.apps.handle(wire(m), origin))!);
    assert.equal(value(a, 'Result-Code'), 5005);
    assert.equal((value(a, 'Failed-AVP') as Avp[])[0]!.code, 485);
  });

  it('STR: STA 2001, counted', async () => {
    const a = await ask(f, request(1, 275, [['Session-Id', 'client.test;1;s'], ['Origin-Host', 'client.test'], ['Origin-Realm', 'test'],
      ['Destination-Realm', 'test'], ['Auth-Application-Id', 1], ['Termination-Cause', 1], ['User-Name', 'bob']]));
    assert.deepEqual(names(a).slice(0, 4), ['Session-Id', 'Result-Code', 'Origin-Host', 'Origin-Realm']);
    assert.equal(value(a, 'Result-Code'), 2001);
    assert.equal(f.counters.block(SECTIONS.diameterPeers, 'client.test', ['sessionTerminations'] as const).sessionTerminations, 1);
  });

  it('the duplicate store forgets after its memory', () => {
    let now = 0;
    const d = new DiameterDuplicates(1000, () => now);
    d.remember(DiameterDuplicates.key('A.test', 1), Promise.resolve(undefined), () => true);
    assert.ok(d.lookup(DiameterDuplicates.key('a.TEST', 1)), 'Origin-Host compares case-insensitively');
    now = 1001;
    assert.equal(d.lookup(DiameterDuplicates.key('a.test', 1)), undefined);
    assert.equal(d.size, 0);
  });
});

/** protocols.md §3.4: the MAR as OpenSIPS aaa_diameter sends it (qop none, the §5.2 classic vector). */
function opensipsMar(response: string, callId = 'call-1@host', user = 'test'): DiameterMessage {
  return request(6, 286, [
    ['Session-Id', `client.test;1724140000;${++e2e}`], ['Auth-Application-Id', 6], ['Auth-Session-State', 1],
    ['Origin-Host', 'client.test'], ['Origin-Realm', 'test'], ['Destination-Realm', 'diameter.test'],
    ['SIP-AOR', `${user}@testrealm`], ['SIP-Method', 'opensips-auth'], ['Route-Record', 'server'], ['User-Name', `${user}@testrealm`],
    ['Digest-Username', user], ['Digest-Realm', 'testrealm'], ['Digest-Nonce', '1234abcd'], ['Digest-URI', 'sip:5555551212@example.com'],
    ['Digest-Method', 'INVITE'], ['Digest-Response', response], ['Service-Type', 15], ['Sip-Uri-User', user],
    ['Acct-Session-Id', Buffer.from(callId)], ['Cisco-AVPair', `call-id=${callId}`],
  ], MessageFlags.Request);
}

describe('Diameter applications: SIP MAR as OpenSIPS sends it', function () {
  const f = fixture();

  it('a matching digest: 2006, the MAA layout app_opensips uses, Acct-Session-Id echoed', async () => {
    const a = await ask(f, opensipsMar('631d6d73147add2f9e437f59bbc3aeb7'));
    assert.deepEqual(names(a), ['Session-Id', 'Auth-Application-Id', 'Result-Code', 'Auth-Session-State', 'Origin-Host', 'Origin-Realm', 'Acct-Session-Id']);
    assert.equal(value(a, 'Result-Code'), 2006);
    assert.equal(value(a, 'Auth-Application-Id'), 6);
    assert.equal(value(a, 'Auth-Session-State'), 1);
    assert.equal(String(value(a, 'Acct-Session-Id')), 'call-1@host');
    assert.equal(a.flags, 0);
  });

  it('a wrong digest: 4001 with Error-Message, Acct-Session-Id echoed, E bit clear', async () => {
    const a = await ask(f, opensipsMar('3d49c5a253bf3a50d8a78f1e35eb13a7', 'call-2@host'));
    assert.deepEqual(names(a), ['Session-Id', 'Auth-Application-Id', 'Result-Code', 'Error-Message', 'Auth-Session-State', 'Origin-Host', 'Origin-Realm', 'Acct-Session-Id']);
    assert.equal(value(a, 'Result-Code'), 4001);
    assert.match(String(value(a, 'Error-Message')), /^DIAMETER_AUTHENTICATION_REJECTED/);
    assert.equal(String(value(a, 'Acct-Session-Id')), 'call-2@host');
    assert.equal(a.flags & MessageFlags.Error, 0);
  });

  it('unknown user 5032, User-Name ≠ Digest-Username 5033, a digest AVP missing 5005 — all with Error-Message', async () => {
    assert.equal(value(await ask(f, opensipsMar('631d6d73147add2f9e437f59bbc3aeb7', 'c3', 'nobody')), 'Result-Code'), 5032);
    const m = opensipsMar('631d6d73147add2f9e437f59bbc3aeb7', 'c4');
    m.avps = m.avps.map((x) => (x.def?.name === 'User-Name' ? makeAvp(dict, 'User-Name', 'bob@testrealm') : x));
    assert.equal(value(await ask(f, m), 'Result-Code'), 5033);
    const n = opensipsMar('631d6d73147add2f9e437f59bbc3aeb7', 'c5');
    n.avps = n.avps.filter((x) => x.def?.name !== 'Digest-Nonce');
    const a = await ask(f, n);
    assert.equal(value(a, 'Result-Code'), 5005);
    assert.match(String(value(a, 'Error-Message')), /Digest-Nonce/);
  });

  it('a user with only a DigestHA1: 2006 for the right digest, 4001 for another password', async () => {
    const hex = (t: string): string => md5(Buffer.from(t)).toString('hex');
    const ha2 = hex('INVITE:sip:5555551212@example.com');
    const response = (password: string): string => hex(`${hex(`alice:testrealm:${password}`)}:1234abcd:${ha2}`);
    assert.equal(value(await ask(f, opensipsMar(response('secret'), 'a1', 'alice')), 'Result-Code'), 2006);
    assert.equal(value(await ask(f, opensipsMar(response('other'), 'a2', 'alice')), 'Result-Code'), 4001);
  });

  it('digest AVPs inside SIP-Auth-Data-Item/SIP-Authorization (RFC 4740) are read too', async () => {
    const m = opensipsMar('631d6d73147add2f9e437f59bbc3aeb7', 'c6');
    const digest = m.avps.filter((x) => x.def?.name?.startsWith('Digest-'));
    m.avps = m.avps.filter((x) => !x.def?.name?.startsWith('Digest-'));
    m.avps.push(makeAvp(dict, 'SIP-Auth-Data-Item', [makeAvp(dict, 'SIP-Authorization', digest)]));
    assert.equal(value(await ask(f, m), 'Result-Code'), 2006);
  });

  it('OpenSIPS ACR (no Acct-Application-Id, EVENT 0, Transaction-Id): 2001 echoing it, CDR on disk', async () => {
    const m = request(3, 271, [
      ['Session-Id', 'client.test;1724140000;99'], ['Origin-Host', 'client.test'], ['Origin-Realm', 'test'], ['Destination-Realm', 'diameter.test'],
      ['Accounting-Record-Type', 1], ['Accounting-Record-Number', 0], ['Event-Timestamp', new Date(1_724_140_000_000)], ['Route-Record', 'server'],
      ['Acct-Status-Type', 1], ['Service-Type', 15], ['Sip-Response-Code', 200], ['Sip-Method', 1], ['Sip-From-Tag', 'ft'], ['Sip-To-Tag', 'tt'],
      ['Acct-Session-Id', Buffer.from('call-1@host')], ['Sip-Call-Setuptime', 2], ['Sip-Call-Created', 1_724_140_000], ['Transaction-Id', 'tx-1'],
    ]);
    const a = await ask(f, m);
    assert.deepEqual(names(a), ['Session-Id', 'Result-Code', 'Origin-Host', 'Origin-Realm', 'Accounting-Record-Type', 'Accounting-Record-Number', 'Transaction-Id']);
    assert.equal(value(a, 'Result-Code'), 2001);
    const text = fs.readFileSync(path.join(f.dir, 'logs', f.files()[0]!), 'utf8');
    assert.ok(text.includes('\tAcct-Session-Id = "call-1@host"\n'), text);
    assert.ok(text.includes('\tSip-Method = INVITE\n'), text);
    assert.equal(findAvps(a.avps, 268).length, 1);
  });
});

describe('Diameter applications: EAP (DER/DEA, RFC 4072), multi-round through the EAP server', function () {
  const f = fixture();
  const eapResponse = (id: number, type: number, data: Buffer) => encodeEap({ code: EapCode.Response, identifier: id, type, data });
  const der = (session: string, payload: Buffer, state?: Buffer): DiameterMessage => request(5, 268, [
    ['Session-Id', session], ['Auth-Application-Id', 5], ['Origin-Host', 'client.test'], ['Origin-Realm', 'test'],
    ['Destination-Realm', 'test'], ['Auth-Request-Type', 3], ['User-Name', 'bob'], ['EAP-Payload', payload],
    ...(state ? [['State', state] as [string, Avp['value']]] : []),
  ]);

  /** Identity, then a Nak from MSCHAPv2 to MD5, then the MD5 response for `password`. */
  async function conversation(password: string): Promise<DiameterMessage> {
    const session = `client.test;eap;${++e2e}`;
    const first = await ask(f, der(session, eapResponse(1, EapType.Identity, Buffer.from('bob'))));
    assert.equal(value(first, 'Result-Code'), 1001, 'DIAMETER_MULTI_ROUND_AUTH');
    let req = decodeEap(value(first, 'EAP-Payload') as Buffer);
    assert.equal(req.type, EapType.MsChapV2, 'the local service offers EAP-MSCHAPv2 first');
    const nak = await ask(f, der(session, eapResponse(req.identifier, EapType.Nak, Buffer.of(EapType.Md5Challenge)), value(first, 'State') as Buffer));
    assert.equal(value(nak, 'Result-Code'), 1001);
    req = decodeEap(value(nak, 'EAP-Payload') as Buffer);
    assert.equal(req.type, EapType.Md5Challenge);
    const challenge = req.data.subarray(1, 1 + req.data[0]!);
    const answer = md5(Buffer.of(req.identifier), Buffer.from(password), challenge);
    return ask(f, der(session, eapResponse(req.identifier, EapType.Md5Challenge, Buffer.concat([Buffer.of(16), answer])), value(nak, 'State') as Buffer));
  }

  it('EAP-MD5 with the right password: 2001, EAP-Success and the profile; every round answers Session-Id first', async () => {
    const done = await conversation('bob');
    assert.equal(value(done, 'Result-Code'), 2001);
    assert.equal(names(done)[0], 'Session-Id');
    assert.equal(decodeEap(value(done, 'EAP-Payload') as Buffer).code, EapCode.Success);
    assert.equal(value(done, 'Framed-MTU'), 1500);
  });

  it('EAP-MSCHAPv2 with the right password: 2001 with the EAP-Master-Session-Key (Recv-Key, Send-Key, zeros: 64 octets) instead of MS-MPPE attributes', async () => {
    const session = `client.test;eap;${++e2e}`;
    const first = await ask(f, der(session, eapResponse(1, EapType.Identity, Buffer.from('bob'))));
    const req = decodeEap(value(first, 'EAP-Payload') as Buffer);
    assert.equal(req.type, EapType.MsChapV2);
    const authChallenge = req.data.subarray(5, 21);
    const peerChallenge = Buffer.alloc(16, 3);
    const hash = ntPasswordHash('bob');
    const nt = generateNtResponse(authChallenge, peerChallenge, 'bob', hash);
    const body = Buffer.concat([Buffer.of(49), peerChallenge, Buffer.alloc(8), nt, Buffer.of(0), Buffer.from('bob')]);
    const response = Buffer.concat([Buffer.of(MsChapV2Op.Response, req.data[1]!, 0, 4 + body.length), body]);
    const success = await ask(f, der(session, eapResponse(req.identifier, EapType.MsChapV2, response), value(first, 'State') as Buffer));
    assert.equal(value(success, 'Result-Code'), 1001, 'the MSCHAPv2 Success request');
    const q = decodeEap(value(success, 'EAP-Payload') as Buffer);
    assert.equal(q.data[0], MsChapV2Op.Success);
    const done = await ask(f, der(session, eapResponse(q.identifier, EapType.MsChapV2, Buffer.of(MsChapV2Op.Success)), value(success, 'State') as Buffer));
    assert.equal(value(done, 'Result-Code'), 2001);
    const keys = mppeKeys(hash, nt);
    assert.deepEqual(value(done, 'EAP-Master-Session-Key'), Buffer.concat([keys.recvKey, keys.sendKey, Buffer.alloc(32)]));
    assert.ok(!names(done).some((n) => /MPPE/i.test(n)), `no RADIUS MPPE attributes: ${names(done).join(', ')}`);
  });

  it('a wrong password: 4001 with EAP-Failure; an unknown State is rejected', async () => {
    const bad = await conversation('nope');
    assert.equal(value(bad, 'Result-Code'), 4001);
    assert.equal(decodeEap(value(bad, 'EAP-Payload') as Buffer).code, EapCode.Failure);
    const stale = await ask(f, der(`client.test;eap;${++e2e}`, eapResponse(9, EapType.Md5Challenge, Buffer.alloc(17, 1)), Buffer.alloc(16, 7)));
    assert.equal(value(stale, 'Result-Code'), 4001);
  });
});
