// Seeded RADIUS packet mutator for the engine fuzz test: a deterministic PRNG (mulberry32), valid seed
// packets (PAP Access-Request with Message-Authenticator, Accounting-Request Start/Stop, Status-Server) and
// mutations of them — bit flips, truncation, attribute lengths 0/1/2/255, header Length rewrites, random
// bytes, duplicated attributes, wrong authenticators, trailing padding — half of them re-signed afterwards so
// that they get past the authenticator checks and reach the decoder and the pipeline.
import { accountingRequest, papRequest, sign, statusServer } from '../../src/bench/radius-wire.js';

export class Prng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  /** Uniform in [0, 2^32). */
  u32(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }
  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor((this.u32() / 0x100000000) * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
  bytes(n: number): Buffer {
    const b = Buffer.allocUnsafe(n);
    for (let i = 0; i < n; i++) b[i] = this.u32() & 0xff;
    return b;
  }
}

export type SeedKind = 'pap' | 'acct' | 'status-auth' | 'status-acct';
export type Mutation = 'bitflip' | 'truncate' | 'attr-length' | 'header-length' | 'random' | 'duplicate-attr' | 'wrong-authenticator' | 'padding' | 'none';
export const MUTATIONS: readonly Mutation[] = ['bitflip', 'truncate', 'attr-length', 'header-length', 'random', 'duplicate-attr', 'wrong-authenticator', 'padding', 'none'];

export interface FuzzPacket {
  kind: SeedKind;
  mutation: Mutation;
  /** Where it goes: the auth or the accounting port. */
  port: 'auth' | 'acct';
  data: Buffer;
}

/** Offsets of the attributes of a well-framed packet (stops at the first framing error). */
export function attributeOffsets(p: Buffer): number[] {
  const out: number[] = [];
  const end = p.length >= 4 ? Math.min(p.length, p.readUInt16BE(2)) : 0;
  for (let off = 20; off + 2 <= end; ) {
    const size = p[off + 1]!;
    if (size < 2) break;
    out.push(off);
    off += size;
  }
  return out;
}

function seedPacket(rng: Prng, kind: SeedKind, secret: Buffer, users: readonly [string, string][]): Buffer {
  const id = rng.int(256);
  const [user, password] = rng.pick(users);
  switch (kind) {
    case 'pap':
      return papRequest(id, user, password, secret, rng.int(65536), rng.bytes(16));
    case 'acct':
      return accountingRequest(id, user, `fuzz-${rng.u32().toString(16)}`, rng.int(2) === 1, secret);
    default:
      return statusServer(id, secret, rng.bytes(16));
  }
}

function mutate(rng: Prng, p: Buffer, m: Mutation): Buffer {
  const attrs = attributeOffsets(p);
  switch (m) {
    case 'bitflip': {
      const q = Buffer.from(p);
      for (let n = 1 + rng.int(8); n > 0; n--) {
        const bit = rng.int(q.length * 8);
        q[bit >> 3]! ^= 1 << (bit & 7);
      }
      return q;
    }
    case 'truncate':
      return Buffer.from(p.subarray(0, rng.int(p.length)));
    case 'attr-length': {
      const q = Buffer.from(p);
      if (attrs.length) q[rng.pick(attrs) + 1] = rng.pick([0, 1, 2, 255]);
      return q;
    }
    case 'header-length': {
      const q = Buffer.from(p);
      q.writeUInt16BE(rng.pick([0, 1, 19, 20, 21, p.length - 1, p.length + 1, p.length + 100, 4095, 4096, 4097, 65535, rng.int(65536)]) & 0xffff, 2);
      return q;
    }
    case 'random': {
      const q = rng.bytes(rng.int(2) ? rng.int(64) : rng.int(4200));
      // Often a plausible header, so that the packet gets past the first checks.
      if (q.length >= 4 && rng.int(2)) {
        q[0] = rng.pick([1, 4, 12, 2, 5, 40, 43, 255]);
        q.writeUInt16BE(Math.min(q.length, 4096), 2);
      }
      return q;
    }
    case 'duplicate-attr': {
      if (!attrs.length) return Buffer.from(p);
      const at = rng.pick(attrs);
      const attr = p.subarray(at, at + p[at + 1]!);
      const copies = 1 + rng.int(rng.int(4) === 0 ? 200 : 3);
      const q = Buffer.concat([p, ...Array.from({ length: copies }, () => attr)]);
      q.writeUInt16BE(Math.min(q.length, 65535), 2);
      return q;
    }
    case 'wrong-authenticator': {
      const q = Buffer.from(p);
      rng.bytes(16).copy(q, 4);
      return q;
    }
    case 'padding':
      return Buffer.concat([p, rng.bytes(1 + rng.int(64))]);
    case 'none':
      return Buffer.from(p);
  }
}

/**
 * The next fuzz packet. Seeds: `users` (name, password) pairs the server knows or not. After the mutation,
 * half of the packets are re-signed (Message-Authenticator where one is still found, accounting digest).
 */
export function fuzzPacket(rng: Prng, secret: Buffer, users: readonly [string, string][]): FuzzPacket {
  const kind = rng.pick<SeedKind>(['pap', 'pap', 'acct', 'acct', 'status-auth', 'status-acct']);
  const mutation = rng.pick(MUTATIONS);
  let data = mutate(rng, seedPacket(rng, kind, secret, users), mutation);
  if (mutation !== 'wrong-authenticator' && rng.int(2) === 0 && data.length >= 20) {
    const ma = attributeOffsets(data).find((off) => data[off] === 80 && data[off + 1] === 18);
    data = sign(data, secret, ma === undefined ? -1 : ma + 2, data[0] === 4);
  }
  // Mostly to the port the seed belongs to; sometimes across (an Access-Request on the accounting port ...).
  let port: 'auth' | 'acct' = kind === 'acct' || kind === 'status-acct' ? 'acct' : 'auth';
  if (rng.int(10) === 0) port = port === 'auth' ? 'acct' : 'auth';
  return { kind, mutation, port, data };
}
