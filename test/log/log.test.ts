import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  formatTimestamp,
  TIMESTAMP_RE,
  RotatingFileWriter,
  rotatedName,
  openLogger,
  LOG_LINE_RE,
  LOG_FILES,
  Tracer,
  TRACE_LINE_RE,
  RateLimitedLog,
  type Log,
} from '../../src/log/index.js';

describe('log', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'areg-log-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('formats timestamps as MM/DD/YYYY H:MM:SS.mmm with an unpadded hour', () => {
    const t = new Date(2015, 4, 14, 5, 36, 19, 646).getTime();
    assert.equal(formatTimestamp(t), '05/14/2015 5:36:19.646');
    assert.equal(formatTimestamp(t + 1), '05/14/2015 5:36:19.647');
    assert.equal(formatTimestamp(new Date(2016, 4, 7, 11, 50, 4, 3).getTime()), '05/07/2016 11:50:04.003');
    assert.match(formatTimestamp(), TIMESTAMP_RE);
  });

  it('writes engine log lines in the §11.2 format', async () => {
    const log = openLogger(dir, LOG_FILES.engineLog);
    log.info('Server', 'Starting Server');
    log.error('Configuration', 'bad thing', 17);
    log.debug('Server', 'not written');
    await log.close();
    const lines = readFileSync(path.join(dir, 'name_radius_1_log'), 'utf8').trimEnd().split('\n');
    assert.equal(lines.length, 2);
    const m = LOG_LINE_RE.exec(lines[0]!);
    assert.ok(m, lines[0]);
    assert.deepEqual(m.slice(2), ['name/radius/1', 'Info', 'Server', '0', 'Starting Server']);
    assert.match(lines[1]!, / name\/radius\/1 Error Configuration 17 bad thing$/);
  });

  it('never writes synchronously: lines appear only after the event loop turns', async () => {
    const w = new RotatingFileWriter(path.join(dir, 'x'));
    w.write('a');
    assert.equal(existsSync(path.join(dir, 'x')), false);
    await w.flush();
    assert.equal(readFileSync(path.join(dir, 'x'), 'utf8'), 'a\n');
    await w.close();
  });

  it('rotates by size: x -> x.01 -> x.02, deleting beyond the count', async () => {
    const file = path.join(dir, 'x');
    const w = new RotatingFileWriter(file, { maxBytes: 20, maxFiles: 3 });
    for (let i = 0; i < 6; i++) {
      w.write(`line-${i}-0123456789`); // 18 bytes with the newline: one line per file
      await w.flush();
    }
    await w.close();
    assert.deepEqual(readdirSync(dir).sort(), ['x', 'x.01', 'x.02']);
    assert.equal(readFileSync(file, 'utf8'), 'line-5-0123456789\n');
    assert.equal(readFileSync(rotatedName(file, 1), 'utf8'), 'line-4-0123456789\n');
    assert.equal(readFileSync(rotatedName(file, 2), 'utf8'), 'line-3-0123456789\n');
    assert.equal(w.stats.rotations, 5);
  });

  it('applies a smaller count at the next rotation and removes leftovers', async () => {
    const file = path.join(dir, 'x');
    for (const n of ['01', '02', '03', '04']) writeFileSync(`${file}.${n}`, n);
    writeFileSync(file, 'old-contents-that-fill-it\n');
    const w = new RotatingFileWriter(file, { maxBytes: 10, maxFiles: 2 });
    w.write('new');
    await w.close();
    assert.deepEqual(readdirSync(dir).sort(), ['x', 'x.01']);
    assert.equal(readFileSync(`${file}.01`, 'utf8'), 'old-contents-that-fill-it\n');
    assert.equal(readFileSync(file, 'utf8'), 'new\n');
  });

  it('drops and counts lines beyond the queue bound instead of blocking, and says so in the file', async () => {
    const file = path.join(dir, 'x');
    const w = new RotatingFileWriter(file, { maxQueueLines: 5, dropNotice: (n) => `DROPPED ${n}` });
    let accepted = 0;
    for (let i = 0; i < 12; i++) if (w.write(`l${i}`)) accepted++;
    assert.equal(accepted, 5);
    assert.equal(w.stats.dropped, 7);
    await w.flush();
    w.write('after');
    await w.close();
    const text = readFileSync(file, 'utf8');
    assert.equal(text, 'l0\nl1\nl2\nl3\nl4\nDROPPED 7\nafter\n');
  });

  it('keeps working after the directory disappears (recreates it)', async () => {
    const sub = path.join(dir, 'logs');
    const w = new RotatingFileWriter(path.join(sub, 'x'));
    w.write('one');
    await w.flush();
    rmSync(sub, { recursive: true, force: true });
    await w.close();
    const w2 = new RotatingFileWriter(path.join(sub, 'x'));
    w2.write('two');
    await w2.close();
    assert.equal(readFileSync(path.join(sub, 'x'), 'utf8'), 'two\n');
  });

  it('traces P<n> lines only at enabled levels', async () => {
    const sink: string[] = [];
    const t = new Tracer({ write: (l: string) => void sink.push(l) }, 2);
    assert.equal(t.enabled(2), true);
    assert.equal(t.enabled(3), false);
    assert.equal(t.enabledFor(4, 4), true);
    const p = t.nextPacket();
    t.trace(1, p, 'Packet received from 10.10.10.1');
    t.trace(3, p, 'not written');
    if (t.level >= 2) t.line(p, 'Using Client: NAS1 (10.10.10.1)');
    t.lines(p, ['  identifier = 7', '  length = 64']);
    assert.equal(sink.length, 4);
    const m = TRACE_LINE_RE.exec(sink[0]!);
    assert.ok(m);
    assert.equal(m[2], String(p));
    assert.equal(m[3], 'Packet received from 10.10.10.1');
    assert.match(sink[3]!, /: P1:   length = 64$/);
    t.setLevel(9);
    assert.equal(t.level, 5);
    t.setLevel(-1);
    assert.equal(t.level, 0);
    assert.equal(t.nextPacket(), 2);
  });

  it('summarises noisy events once per window', () => {
    const lines: string[] = [];
    const log: Log = {
      log: (s, c, m) => void lines.push(`${s} ${c} ${m}`),
      info() {},
      warning() {},
      error() {},
      debug() {},
    };
    const rl = new RateLimitedLog(log, {
      intervalMs: 10_000,
      maxKeys: 2,
      format: (k, n, s) => `dropped ${n} packets from unknown client ${k} in the last ${s} s`,
    });
    for (let i = 0; i < 300; i++) rl.hit('10.9.9.9');
    rl.hit('10.9.9.8');
    rl.hit('10.9.9.7');
    rl.hit('10.9.9.6');
    assert.equal(lines.length, 0);
    rl.flush();
    assert.deepEqual(lines, [
      'Warning Protocol dropped 300 packets from unknown client 10.9.9.9 in the last 10 s',
      'Warning Protocol dropped 1 packets from unknown client 10.9.9.8 in the last 10 s',
      'Warning Protocol dropped 2 packets from unknown client other in the last 10 s',
    ]);
    rl.flush();
    assert.equal(lines.length, 3);
  });
});
