// The windowed RADIUS load generator (peers.md §10.1). Runs in its own process (`main.js loadgen <json>`), so
// that its CPU is not the server's: S connected UDP sockets on 127.0.0.1, W outstanding requests per socket
// (W ≤ 256: the Identifier is 8 bits and is recycled first-in first-out), no retransmission, every reply
// checked (Response Authenticator, Message-Authenticator, framing). Bounded by a request count and a
// duration; unanswered requests count as timeouts after `timeoutMs`. A warm-up phase (not counted) runs first.
import dgram from 'node:dgram';
import { performance } from 'node:perf_hooks';
import { PacketCode } from '../radius/index.js';
import { accountingRequest, allowedReplies, checkReply, papRequest, statusServer } from './radius-wire.js';

export type Workload = 'pap' | 'acct' | 'status';

export interface LoadOptions {
  host: string;
  port: number;
  workload: Workload;
  secret: string;
  requests: number;
  window: number;
  sockets: number;
  durationSec: number;
  timeoutMs: number;
  warmup: number;
  users: number;
  password: string;
}

export interface LoadResult {
  workload: Workload;
  requests: number;
  answered: number;
  accepts: number;
  rejects: number;
  accountingResponses: number;
  timeouts: number;
  badAuthenticators: number;
  malformed: number;
  unmatched: number;
  elapsedSec: number;
  reqPerSec: number;
  p50us: number;
  p99us: number;
  maxus: number;
  /** CPU the generator itself used (user + system), to tell a saturated client from a saturated server. */
  clientCpuSec: number;
}

interface Slot {
  request: Buffer;
  sentAt: number;
}

const userName = (i: number): string => `user${String(i).padStart(4, '0')}`;

function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/** One phase: `count` requests spread over the sockets, at most `durationSec` long. */
async function phase(o: LoadOptions, count: number, durationSec: number, tag: string): Promise<LoadResult> {
  const secret = Buffer.from(o.secret, 'utf8');
  const codes = allowedReplies(Buffer.from([o.workload === 'acct' ? PacketCode.AccountingRequest : o.workload === 'pap' ? PacketCode.AccessRequest : PacketCode.StatusServer]), o.workload === 'acct' ? 'acct' : 'auth');
  const latencies = new Float64Array(count);
  const r: LoadResult = {
    workload: o.workload,
    requests: 0,
    answered: 0,
    accepts: 0,
    rejects: 0,
    accountingResponses: 0,
    timeouts: 0,
    badAuthenticators: 0,
    malformed: 0,
    unmatched: 0,
    elapsedSec: 0,
    reqPerSec: 0,
    p50us: 0,
    p99us: 0,
    maxus: 0,
    clientCpuSec: 0,
  };
  let issued = 0;
  let finished = 0;
  const build = (id: number, n: number): Buffer => {
    if (o.workload === 'pap') return papRequest(id, userName((n % o.users) + 1), o.password, secret, (n % 65535) + 1);
    if (o.workload === 'acct') return accountingRequest(id, userName(((n >> 1) % o.users) + 1), `${tag}-${n >> 1}`, (n & 1) === 1, secret);
    return statusServer(id, secret);
  };

  const sockets: dgram.Socket[] = [];
  const cpu = process.cpuUsage();
  const started = performance.now();
  const deadline = started + durationSec * 1000;
  let resolveDone!: () => void;
  const done = new Promise<void>((res) => (resolveDone = res));
  const checkDone = (): void => {
    if (finished >= count || (performance.now() >= deadline && sockets.every((_, i) => outstanding[i] === 0))) resolveDone();
  };
  const outstanding: number[] = [];
  const slotsOf: (Slot | undefined)[][] = [];
  const freeIds: number[][] = [];

  const fill = (i: number): void => {
    const s = sockets[i]!;
    const slots = slotsOf[i]!;
    const free = freeIds[i]!;
    while (outstanding[i]! < o.window && issued < count && performance.now() < deadline) {
      const id = free.shift()!;
      const request = build(id, issued++);
      slots[id] = { request, sentAt: performance.now() };
      outstanding[i]!++;
      r.requests++;
      s.send(request);
    }
  };
  const release = (i: number, id: number): void => {
    slotsOf[i]![id] = undefined;
    outstanding[i]!--;
    freeIds[i]!.push(id);
    finished++;
  };

  for (let i = 0; i < o.sockets; i++) {
    const s = dgram.createSocket({ type: 'udp4', recvBufferSize: 4 << 20, sendBufferSize: 4 << 20 });
    sockets.push(s);
    outstanding.push(0);
    slotsOf.push(new Array<Slot | undefined>(256).fill(undefined));
    freeIds.push(Array.from({ length: 256 }, (_, k) => k));
    s.on('message', (msg) => {
      const now = performance.now();
      const id = msg.length >= 2 ? msg[1]! : -1;
      const slot = id >= 0 ? slotsOf[i]![id] : undefined;
      if (!slot) {
        r.unmatched++;
        return;
      }
      const verdict = checkReply(msg, slot.request, secret, codes);
      if (verdict === 'ok') {
        latencies[r.answered++] = now - slot.sentAt;
        const code = msg[0];
        if (code === PacketCode.AccessAccept) r.accepts++;
        else if (code === PacketCode.AccountingResponse) r.accountingResponses++;
        else r.rejects++;
      } else if (verdict === 'malformed' || verdict === 'wrong-code') r.malformed++;
      else r.badAuthenticators++;
      release(i, id);
      fill(i);
      checkDone();
    });
    await new Promise<void>((res) => s.bind(0, '127.0.0.1', () => res()));
    await new Promise<void>((res) => s.connect(o.port, o.host, () => res()));
  }

  const sweep = setInterval(() => {
    const now = performance.now();
    for (let i = 0; i < sockets.length; i++) {
      const slots = slotsOf[i]!;
      for (let id = 0; id < 256; id++) {
        const slot = slots[id];
        if (slot && now - slot.sentAt > o.timeoutMs) {
          r.timeouts++;
          release(i, id);
        }
      }
      fill(i);
    }
    checkDone();
  }, 50);
  for (let i = 0; i < sockets.length; i++) fill(i);
  await done;
  const elapsed = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  clearInterval(sweep);
  for (const s of sockets) s.close();

  const sorted = latencies.subarray(0, r.answered).sort();
  r.elapsedSec = Math.round(elapsed * 1000) / 1000;
  r.reqPerSec = Math.round(r.answered / elapsed);
  r.p50us = Math.round(percentile(sorted, 0.5) * 1000);
  r.p99us = Math.round(percentile(sorted, 0.99) * 1000);
  r.maxus = Math.round((sorted.length ? sorted[sorted.length - 1]! : 0) * 1000);
  r.clientCpuSec = Math.round((used.user + used.system) / 1000) / 1000;
  return r;
}

export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  if (o.window < 1 || o.window > 256) throw new Error('the window must be 1..256 (8-bit Identifier)');
  const tag = `b${process.pid}-${Date.now().toString(36)}`;
  if (o.warmup > 0) await phase(o, o.warmup, Math.min(10, o.durationSec), `${tag}w`);
  return phase(o, o.requests, o.durationSec, tag);
}
