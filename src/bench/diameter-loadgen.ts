// The windowed Diameter load generator (peers.md §10.1), run in its own process (`node diameter-loadgen.js <json>`)
// so that its CPU is not the server's: one TCP connection to 127.0.0.1 with noDelay, CER/CEA (anything but 2001
// aborts), then W outstanding requests matched to their answers by Hop-by-Hop id, the peer's DWR and DPR answered,
// a warm-up (not counted) on the same connection, the measured phase, and a DPR at the end. Modes: AAR
// (Auth-Request-Type 3 with User-Password, users round-robin), ACR (START/STOP alternating per session, increasing
// Accounting-Record-Number), test_app's Test-Request, DWR. An answer with a Result-Code other than 2001 counts as
// a reject (4001 to an AAR) or an error; unanswered requests count as timeouts after `timeoutMs`.
import { randomInt } from 'node:crypto';
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { DiameterFramer } from '../diameter/framer.js';
import { Cmd, Flags, baseAnswer, cer, dpr, resultCode, templates, writeCounter, type Identity, type Mode, type Template } from './diameter-wire.js';

export interface DiameterLoadOptions {
  port: number;
  mode: Mode;
  requests: number;
  window: number;
  durationSec: number;
  timeoutMs: number;
  warmup: number;
  users: string[];
  password: string;
  identity: Identity;
}

export interface DiameterLoadResult {
  mode: Mode;
  requests: number;
  answered: number;
  /** Result-Code 2001. */
  success: number;
  /** Result-Code 4001 (AAR with a wrong password). */
  rejects: number;
  /** Other Result-Codes, answers without one, answers to no outstanding request. */
  errors: number;
  timeouts: number;
  /** Up to five distinct unexpected Result-Codes seen, for the report. */
  errorCodes: number[];
  elapsedSec: number;
  answersPerSec: number;
  p50us: number;
  p99us: number;
  maxus: number;
  /** The generator's own CPU (user + system), to tell a saturated client from a saturated server. */
  clientCpuSec: number;
}

const HBH_START = 0x10000;

class Connection {
  private readonly framer = new DiameterFramer({ maxMessageSize: 1 << 20 });
  private hbh = HBH_START;
  /**
   * End-to-End ids from a random start: the server answers a repeated (Origin-Host, End-to-End id) from its
   * duplicate store, so runs one after the other must not reuse each other's ids.
   */
  private e2e = randomInt(2 ** 32 - 1);
  private onAnswer: ((msg: Buffer) => void) | undefined;
  private failure: ((e: Error) => void) | undefined;
  readonly closed: Promise<void>;

  constructor(private readonly socket: net.Socket, private readonly id: Identity) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.data(chunk));
    socket.on('error', (e) => this.failure?.(e));
    this.closed = new Promise((resolve) => socket.once('close', () => {
      this.failure?.(new Error('the server closed the connection'));
      resolve();
    }));
  }

  nextIds(): [number, number] {
    this.hbh = (this.hbh + 1) >>> 0;
    this.e2e = (this.e2e + 1) >>> 0;
    return [this.hbh, this.e2e];
  }

  /** Routes answers to `handler`; requests from the peer (DWR, DPR) are answered here. */
  listen(handler: (msg: Buffer) => void, fail: (e: Error) => void): void {
    this.onAnswer = handler;
    this.failure = fail;
  }

  private data(chunk: Buffer): void {
    const { messages, error } = this.framer.push(chunk);
    for (const m of messages) {
      if (m[4]! & Flags.R) {
        const cmd = m.readUInt32BE(4) & 0xffffff;
        if (cmd === Cmd.DWR || cmd === Cmd.DPR) this.socket.write(baseAnswer(m, this.id));
        if (cmd === Cmd.DPR) this.socket.end();
        continue;
      }
      this.onAnswer?.(m);
    }
    if (error) this.failure?.(new Error(`framing: ${error.message}`));
  }

  write(buf: Buffer): void {
    this.socket.write(buf);
  }

  cork(): void {
    this.socket.cork();
  }

  uncork(): void {
    this.socket.uncork();
  }

  /** One request and its answer (CER, DPR), outside the load phases. */
  exchange(buf: Buffer, timeoutMs: number): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no answer to command ${buf.readUInt32BE(4) & 0xffffff} within ${timeoutMs} ms`)), timeoutMs);
      this.listen((m) => {
        clearTimeout(t);
        resolve(m);
      }, (e) => {
        clearTimeout(t);
        reject(e);
      });
      this.write(buf);
    });
  }

  end(): void {
    this.socket.end();
  }
}

/** p50, p99 and max of latencies in ms, as whole µs (sorts `ms` in place). */
function latencyMicros(ms: Float64Array): { p50us: number; p99us: number; maxus: number } {
  ms.sort();
  const at = (q: number): number => (ms.length ? Math.round(ms[Math.min(ms.length - 1, Math.floor(q * ms.length))]! * 1000) : 0);
  return { p50us: at(0.5), p99us: at(0.99), maxus: at(1) };
}

/** One phase of `count` requests, numbered from `first` (Session-Id counters and record numbers go on). */
function phase(c: Connection, o: DiameterLoadOptions, tpl: Template[], count: number, first: number): Promise<DiameterLoadResult> {
  const r: DiameterLoadResult = {
    mode: o.mode, requests: 0, answered: 0, success: 0, rejects: 0, errors: 0, timeouts: 0, errorCodes: [],
    elapsedSec: 0, answersPerSec: 0, p50us: 0, p99us: 0, maxus: 0, clientCpuSec: 0,
  };
  const latencies = new Float64Array(count);
  const sentAt = new Map<number, number>();
  const cpu = process.cpuUsage();
  const started = performance.now();
  const deadline = started + o.durationSec * 1000;
  let issued = 0;
  let finished = 0;
  const build = (n: number): Buffer => {
    const t = tpl[(o.mode === 'acr' ? n >> 1 : n) % tpl.length]!;
    const buf = Buffer.from(t.buf);
    const [hbh, e2e] = c.nextIds();
    buf.writeUInt32BE(hbh, 12);
    buf.writeUInt32BE(e2e, 16);
    if (t.counterAt >= 0) writeCounter(buf, t.counterAt, o.mode === 'acr' ? n >> 1 : n);
    if (t.recordTypeAt !== undefined) buf.writeUInt32BE(n & 1 ? 4 : 2, t.recordTypeAt);
    if (t.recordNumberAt !== undefined) buf.writeUInt32BE(n >>> 0, t.recordNumberAt);
    sentAt.set(hbh, performance.now());
    return buf;
  };
  return new Promise((resolve, reject) => {
    let sweep: NodeJS.Timeout | undefined;
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      clearInterval(sweep);
      const seconds = (performance.now() - started) / 1000;
      const { user, system } = process.cpuUsage(cpu);
      Object.assign(r, latencyMicros(latencies.subarray(0, r.answered)), {
        elapsedSec: Math.round(seconds * 1000) / 1000,
        answersPerSec: Math.round(r.answered / seconds),
        clientCpuSec: Math.round((user + system) / 1000) / 1000,
      });
      resolve(r);
    };
    const fill = (): void => {
      if (done) return;
      c.cork();
      while (sentAt.size < o.window && issued < count && performance.now() < deadline) {
        c.write(build(first + issued++));
        r.requests++;
      }
      c.uncork();
      if (finished >= issued && (issued >= count || performance.now() >= deadline)) finish();
    };
    c.listen((m) => {
      const now = performance.now();
      const hbh = m.readUInt32BE(12);
      const at = sentAt.get(hbh);
      if (at === undefined) {
        r.errors++;
        return;
      }
      sentAt.delete(hbh);
      finished++;
      latencies[r.answered++] = now - at;
      const rc = resultCode(m);
      if (rc === 2001) r.success++;
      else if (rc === 4001 && o.mode === 'aar') r.rejects++;
      else {
        r.errors++;
        if (r.errorCodes.length < 5 && !r.errorCodes.includes(rc ?? 0)) r.errorCodes.push(rc ?? 0);
      }
      fill();
    }, reject);
    sweep = setInterval(() => {
      const now = performance.now();
      for (const [hbh, at] of sentAt) {
        if (now - at <= o.timeoutMs) continue;
        sentAt.delete(hbh);
        finished++;
        r.timeouts++;
      }
      fill();
    }, 100);
    fill();
  });
}

export async function runDiameterLoad(o: DiameterLoadOptions): Promise<DiameterLoadResult> {
  const socket = net.connect({ host: '127.0.0.1', port: o.port });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const c = new Connection(socket, o.identity);
  const cea = await c.exchange(cer(o.identity, o.mode, ...c.nextIds()), 10_000);
  const rc = resultCode(cea);
  if (rc !== 2001) throw new Error(`CEA Result-Code ${rc ?? 'absent'}: the server refused the capabilities exchange`);
  const tpl = templates(o.mode, o.identity, o.users, o.password, String(Math.floor(Date.now() / 1000)));
  if (o.warmup > 0) await phase(c, o, tpl, o.warmup, 0);
  const result = await phase(c, o, tpl, o.requests, o.warmup);
  // DPR; the server answers and closes (a server that only closes is fine too).
  await c.exchange(dpr(o.identity, ...c.nextIds()), 5000).catch(() => undefined);
  c.end();
  await Promise.race([c.closed, new Promise((r) => setTimeout(r, 2000))]);
  return result;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  runDiameterLoad(JSON.parse(process.argv[2] ?? '{}') as DiameterLoadOptions).then(
    (r) => process.stdout.write(JSON.stringify(r) + '\n'),
    (e: unknown) => {
      process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
