import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { nextCronTime, parseCron, type CronSchedule } from '../../src/schema/cron.js';
import { cronType } from '../../src/schema/types.js';
import { FileAccountingService } from '../../src/services/index.js';

const at = (iso: string) => Date.parse(iso);
const schedule = (text: string): CronSchedule => {
  const s = parseCron(text);
  assert.equal(typeof s, 'object', String(s));
  return s as CronSchedule;
};
const next = (text: string, after: string) => new Date(nextCronTime(schedule(text), at(after), false)).toISOString();

describe('RolloverSchedule', () => {
  it('finds the next minute a schedule names', () => {
    assert.equal(next('0 0 * * *', '2026-11-22T04:30:10Z'), '2026-11-23T00:00:00.000Z');
    assert.equal(next('*/15 * * * *', '2026-11-22T04:30:10Z'), '2026-11-22T04:45:00.000Z');
    assert.equal(next('30 2 1 * *', '2026-11-22T04:30:00Z'), '2026-12-01T02:30:00.000Z');
    assert.equal(next('0 6 * * 1-5', '2026-11-21T10:00:00Z'), '2026-11-23T06:00:00.000Z', 'Saturday -> Monday');
    assert.equal(next('0 0 13 * 5', '2026-11-01T00:00:00Z'), '2026-11-06T00:00:00.000Z', 'either day field matches, as in cron');
    assert.equal(next('0 0 * * 7', '2026-11-22T00:00:00Z'), '2026-11-29T00:00:00.000Z', '7 is Sunday too');
  });

  it('refuses malformed schedules with the reason, as set does', () => {
    assert.match(String(parseCron('0 0 * *')), /needs 5 fields/);
    assert.match(String(parseCron('60 0 * * *')), /out of range for the minute/);
    assert.match(String(parseCron('a 0 * * *')), /not a valid minute/);
    assert.deepEqual(cronType.parse('0   0 * * *'), { ok: true, value: '0 0 * * *' });
    assert.equal(cronType.parse('').ok, true);
    assert.equal(cronType.parse('0 25 * * *').ok, false);
  });

  it('the file service starts a new file at the scheduled minute', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'areg-roll-'));
    let now = at('2026-11-22T23:58:30Z');
    const svc = new FileAccountingService('f', {
      directory: dir, prefix: 'Accounting', maxFileSize: 0, maxFileAgeSec: 0, useLocalTimeZone: false, syncIntervalMs: 1,
      schedule: schedule('0 0 * * *'),
    }, () => now);
    try {
      await svc.write('a\n\n');
      assert.equal(path.basename(svc.currentFile!), 'Accounting-20261122-235830');
      now = at('2026-11-22T23:59:59Z');
      await svc.write('b\n\n');
      assert.equal(path.basename(svc.currentFile!), 'Accounting-20261122-235830', 'not before midnight');
      now = at('2026-11-23T00:00:01Z');
      await svc.write('c\n\n');
      assert.equal(path.basename(svc.currentFile!), 'Accounting-20261123-000001');
      assert.equal(fs.readFileSync(path.join(dir, 'Accounting-20261122-235830'), 'utf8'), 'a\n\nb\n\n');
    } finally {
      await svc.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
