// Unit tests of the RADIUS server's building blocks: duplicate cache, client index, profile merge, check
// items, detail record format and the file service's group commit.
import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuplicateCache } from '../../src/radius/server/dup-cache.js';
import { ClientIndex } from '../../src/radius/server/client-index.js';
import { ConfigObject } from '../../src/config/object.js';
import {
  detailDateLine,
  failedCheckItem,
  fileStamp,
  FileAccountingService,
  formatDetailRecord,
  mergeAttributeSets,
} from '../../src/services/index.js';
import { parseAddressRange } from '../../src/schema/types.js';

const A = Buffer.alloc(16, 1);
const B = Buffer.alloc(16, 2);

describe('RADIUS server: duplicate cache (RFC 5080)', () => {
  it('drops while in progress, replays the reply when done, treats a new authenticator as new', () => {
    let now = 1_000_000;
    const c = new DuplicateCache(10_000, () => now);
    const k = DuplicateCache.key('127.0.0.1', 40000, 7);
    assert.deepEqual(c.check(k, A), { kind: 'new' });
    const e = c.begin(k, A);
    assert.deepEqual(c.check(k, A), { kind: 'in-progress' });
    c.finish(e, Buffer.from('reply'));
    const r = c.check(k, A);
    assert.equal(r.kind, 'replay');
    assert.equal(r.kind === 'replay' && r.reply.toString(), 'reply');
    assert.deepEqual(c.check(k, B), { kind: 'new' }, 'same id, other authenticator = new request');
    c.begin(k, B);
    assert.deepEqual(c.check(k, A), { kind: 'new' }, 'the old entry was replaced');
    assert.deepEqual(c.check(DuplicateCache.key('127.0.0.1', 40001, 7), B), { kind: 'new' }, 'another source port');
    now += 5_000;
    assert.equal(c.check(k, B).kind, 'in-progress');
    now += 8_000;
    assert.deepEqual(c.check(k, B), { kind: 'new' }, 'expired after the memory interval');
    assert.equal(c.size, 0);
  });

  it('expires by whole buckets without a timer per entry', () => {
    let now = 0;
    const c = new DuplicateCache(2_000, () => now);
    for (let i = 0; i < 1000; i++) {
      now = i;
      c.finish(c.begin(DuplicateCache.key('10.0.0.1', 1000 + i, i & 255), A), undefined);
    }
    assert.equal(c.size, 1000);
    now = 2_400;
    assert.equal(c.size, 1000, 'nothing is older than the interval yet');
    now = 2_600;
    assert.equal(c.size, 500, 'the first 500 ms bucket went as a whole');
    now = 3_000;
    assert.equal(c.size, 0);
  });

  it('a request answered with nothing is dropped on retransmission unless forgotten', () => {
    const c = new DuplicateCache(10_000);
    const k = DuplicateCache.key('::1', 5, 1);
    const e = c.begin(k, A);
    c.finish(e, undefined);
    assert.equal(c.check(k, A).kind, 'answered-nothing');
    c.forget(k, e);
    assert.equal(c.check(k, A).kind, 'new');
  });
});

/** A ConfigObject-like stand-in with just what the client index reads. */
function fakeClients(clients: Record<string, Record<string, unknown>>): ConfigObject {
  const mk = (name: string, props: Record<string, unknown>, children: Map<string, unknown> = new Map()): unknown => ({
    name,
    props,
    children,
    str: (p: string) => (props[p] === undefined ? '' : String(props[p])),
    num: (p: string) => Number(props[p] ?? 0),
    child: (n: string) => children.get(n),
  });
  const list = new Map(Object.entries(clients).map(([n, p]) => [n, mk(n, { ...p, IPAddress: parseAddressRange(String(p.IPAddress)) })]));
  return mk('Radius', {}, new Map([['Clients', mk('Clients', {}, list)]])) as ConfigObject;
}

describe('RADIUS server: client index', () => {
  const idx = new ClientIndex(
    fakeClients({
      lan: { IPAddress: '10.0.0.0/8', SharedSecret: 's1' },
      nas1: { IPAddress: '10.1.2.3', SharedSecret: 's2', RequireMessageAuthenticator: 'Auto' },
      pool: { IPAddress: '10.1.2.0-10.1.2.255', SharedSecret: 's3' },
      v6: { IPAddress: '2001:db8::/32', SharedSecret: 's4' },
      lo6: { IPAddress: '::1', SharedSecret: 's5' },
      peer: { IPAddress: '192.0.2.1', SharedSecret: 'x', Protocol: 'diameter' },
    }),
  );

  it('matches exact addresses, then the narrowest range', () => {
    assert.equal(idx.lookup('10.1.2.3')?.name, 'nas1');
    assert.equal(idx.lookup('10.1.2.4')?.name, 'pool');
    assert.equal(idx.lookup('10.200.0.1')?.name, 'lan');
    assert.equal(idx.lookup('::ffff:10.1.2.3')?.name, 'nas1', 'IPv4-mapped source');
    assert.equal(idx.lookup('2001:db8:1::5')?.name, 'v6');
    assert.equal(idx.lookup('::1')?.name, 'lo6');
    assert.equal(idx.lookup('11.0.0.1'), undefined);
    assert.equal(idx.lookup('11.0.0.1'), undefined, 'memoised miss');
    assert.equal(idx.lookup('192.0.2.1'), undefined, 'diameter clients are not RADIUS clients');
  });

  it('resolves secrets and policies once', () => {
    const c = idx.lookup('10.1.2.3')!;
    assert.equal(c.secret, 's2');
    assert.equal(c.requireMessageAuthenticator, 'Auto');
    assert.equal(idx.lookup('10.9.9.9')!.requireMessageAuthenticator, 'Yes', 'default Yes');
    assert.equal(c.dialect, 'default');
  });
});

describe('services: profile merge and check items', () => {
  it('later sets replace every instance of an attribute they carry', () => {
    const merged = mergeAttributeSets([
      [['Service-Type', 'Framed'], ['Framed-MTU', '1500'], ['Class', 'a'], ['Class', 'b']],
      [['Framed-MTU', '1400'], ['Reply-Message', 'hi']],
      [['class', 'c'], ['Session-Timeout', '60']],
    ]);
    assert.deepEqual(merged, [
      ['Service-Type', 'Framed'],
      ['Framed-MTU', '1400'],
      ['class', 'c'],
      ['Reply-Message', 'hi'],
      ['Session-Timeout', '60'],
    ]);
  });

  it('check items need an equal value in the request', () => {
    const attrs = (m: Record<string, string[]>) => ({ values: (n: string) => m[n] ?? [], lines: () => [] });
    assert.equal(failedCheckItem([['NAS-Port-Type', 'Virtual']], attrs({ 'NAS-Port-Type': ['Virtual'] })), undefined);
    assert.equal(failedCheckItem([['Called-Station-Id', '"123"']], attrs({ 'Called-Station-Id': ['123'] })), undefined);
    assert.equal(failedCheckItem([['NAS-Port-Type', 'Virtual']], attrs({ 'NAS-Port-Type': ['Async'] })), 'NAS-Port-Type = Virtual');
    assert.equal(failedCheckItem([['NAS-Port-Type', 'Virtual']], attrs({})), 'NAS-Port-Type = Virtual');
  });
});

describe('services: detail records and the file service', () => {
  it('formats the classic detail record', () => {
    const d = new Date(Date.UTC(2006, 2, 12, 17, 29, 21));
    assert.equal(detailDateLine(d), 'Sun Mar 12 17:29:21 2006');
    assert.equal(detailDateLine(new Date(Date.UTC(2006, 2, 1, 7, 5, 9))), 'Wed Mar  1 07:05:09 2006');
    assert.equal(fileStamp(d), '20060312-172921');
    assert.equal(
      formatDetailRecord(d, ['User-Name = "bob"', 'Acct-Status-Type = Start'], '127.0.0.1'),
      'Sun Mar 12 17:29:21 2006\n\tUser-Name = "bob"\n\tAcct-Status-Type = Start\n\tClient-IP-Address = 127.0.0.1\n\tTimestamp = 1142184561\n\n',
    );
  });

  it('group-commits records, resolves after fsync, and rolls over by size and age', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'areg-file-'));
    let now = Date.UTC(2024, 0, 1, 0, 0, 0);
    try {
      const svc = new FileAccountingService(
        'local-file',
        { directory: dir, prefix: 'Accounting', maxFileSize: 300, maxFileAgeSec: 3600, useLocalTimeZone: false, syncIntervalMs: 20 },
        () => now,
      );
      const rec = (i: number): string => `record ${i} ${'x'.repeat(80)}\n\n`;
      await Promise.all([0, 1, 2].map((i) => svc.write(rec(i))));
      assert.equal(svc.stats.durableWrites, 1, 'three records, one durable write');
      assert.equal(path.basename(svc.currentFile!), 'Accounting-20240101-000000');
      now += 1000;
      await svc.write(rec(3)); // 3 × 92 + 92 > 300: a new file
      assert.equal(path.basename(svc.currentFile!), 'Accounting-20240101-000001');
      now += 3600_000;
      await svc.write(rec(4)); // older than MaxFileAge
      assert.equal(path.basename(svc.currentFile!), 'Accounting-20240101-010001');
      await svc.close();
      const files = fs.readdirSync(dir).sort();
      assert.deepEqual(files, ['Accounting-20240101-000000', 'Accounting-20240101-000001', 'Accounting-20240101-010001']);
      assert.equal(fs.readFileSync(path.join(dir, files[0]!), 'utf8'), rec(0) + rec(1) + rec(2));
      await assert.rejects(svc.write(rec(5)), /stopped/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a failed write rejects every record of the batch (no answer is sent)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'areg-file-'));
    try {
      const blocker = path.join(dir, 'not-a-dir');
      fs.writeFileSync(blocker, '');
      const svc = new FileAccountingService('f', { directory: blocker, prefix: 'A', maxFileSize: 0, maxFileAgeSec: 0, useLocalTimeZone: false, syncIntervalMs: 5 });
      const results = await Promise.allSettled([svc.write('a\n'), svc.write('b\n')]);
      assert.deepEqual(results.map((r) => r.status), ['rejected', 'rejected']);
      assert.equal(svc.stats.writeFailures, 1);
      await svc.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('batches land in order, each record answered once on disk; a failed write fails its batch, closes the file, and the next file takes over', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'areg-file-'));
    let now = Date.UTC(2024, 0, 1, 0, 0, 0);
    const svc = new FileAccountingService('f', { directory: dir, prefix: 'A', maxFileSize: 0, maxFileAgeSec: 0, useLocalTimeZone: false, syncIntervalMs: 0 }, () => now);
    const order: number[] = [];
    // Records arrive in many I/O turns, so several batches are written.
    const writes: Promise<void>[] = [];
    for (let i = 0; i < 200; i++) {
      writes.push(svc.write(`r${i}\n`).then(() => void order.push(i)));
      if (i % 10 === 9) await new Promise((r) => setImmediate(r));
    }
    await Promise.all(writes);
    assert.deepEqual(order, [...order].sort((a, b) => a - b), 'answers keep the order of the records');
    assert.ok(svc.stats.durableWrites > 1 && svc.stats.durableWrites < 200, `${svc.stats.durableWrites} writes for 200 records`);
    assert.equal(svc.stats.recordsWritten, 200);
    const first = svc.currentFile!;
    assert.equal(fs.readFileSync(first, 'utf8'), Array.from({ length: 200 }, (_, i) => `r${i}\n`).join(''));

    // Fault injection: the next write of any file handle fails once (as EIO from an O_DSYNC write would).
    const probe = await fs.promises.open(path.join(dir, 'probe'), 'w');
    const proto = Object.getPrototypeOf(probe) as { write: (...args: unknown[]) => Promise<unknown> };
    await probe.close();
    const real = proto.write;
    proto.write = function () {
      proto.write = real;
      return Promise.reject(new Error('EIO: injected'));
    };
    try {
      await assert.rejects(svc.write('lost?\n'), /EIO: injected/);
    } finally {
      proto.write = real;
    }
    assert.equal(svc.stats.writeFailures, 1);
    now += 1000;
    await svc.write('after\n');
    assert.notEqual(svc.currentFile, first, 'a failed write closes the file; the next record opens a new one');
    assert.equal(fs.readFileSync(svc.currentFile!, 'utf8'), 'after\n');
    await svc.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
