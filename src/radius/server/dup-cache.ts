// RFC 5080 §2.2.2 duplicate detection for one receiving socket (protocols.md §7.1). A request is a
// duplicate when source address, source port, Identifier and Request Authenticator match (the socket is
// implied: one cache per socket). A duplicate of a finished request gets the cached reply again without
// reprocessing; one still in progress is dropped. The same source/port/Identifier with another
// authenticator is a new request and replaces the entry.
//
// Expiry is time-bucketed: entries are filed in the bucket of the time slice they were created in, and a
// whole bucket is discarded once it is older than the memory interval. No timer per entry; the buckets
// roll on use.

export interface DupEntry {
  authenticator: Buffer;
  /** The reply sent, once there is one. Undefined while in progress, or when the request got no answer. */
  reply: Buffer | undefined;
  done: boolean;
  bucket: number;
}

export type DupResult = { kind: 'new' } | { kind: 'in-progress' } | { kind: 'replay'; reply: Buffer } | { kind: 'answered-nothing' };

const SLICES = 4;

export class DuplicateCache {
  private readonly map = new Map<string, DupEntry>();
  /** Keys per time slice, oldest first; `base` is the slice number of buckets[0]. */
  private buckets: string[][] = [];
  private base = 0;
  private readonly sliceMs: number;

  constructor(
    intervalMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.sliceMs = Math.max(1, Math.ceil(intervalMs / SLICES));
  }

  static key(address: string, port: number, identifier: number): string {
    return `${address}|${port}|${identifier}`;
  }

  get size(): number {
    this.expire();
    return this.map.size;
  }

  /** Read-only check, done before the packet is verified (a forged packet must not touch the cache). */
  check(key: string, authenticator: Buffer): DupResult {
    this.expire();
    const e = this.map.get(key);
    if (!e || !e.authenticator.equals(authenticator)) return { kind: 'new' };
    if (!e.done) return { kind: 'in-progress' };
    return e.reply ? { kind: 'replay', reply: e.reply } : { kind: 'answered-nothing' };
  }

  /** Records a verified request as in progress (replacing any entry for the same key). */
  begin(key: string, authenticator: Buffer): DupEntry {
    this.expire();
    const slice = this.slice();
    const entry: DupEntry = { authenticator: Buffer.from(authenticator), reply: undefined, done: false, bucket: slice };
    this.map.set(key, entry);
    this.bucketFor(slice).push(key);
    return entry;
  }

  /** Marks the request finished with `reply` (undefined: no answer was sent; a retransmission is dropped). */
  finish(entry: DupEntry, reply: Buffer | undefined): void {
    entry.reply = reply;
    entry.done = true;
  }

  /** Forgets a request that will never be answered and must not block a retransmission (e.g. failed write). */
  forget(key: string, entry: DupEntry): void {
    if (this.map.get(key) === entry) this.map.delete(key);
  }

  clear(): void {
    this.map.clear();
    this.buckets = [];
  }

  private slice(): number {
    return Math.floor(this.now() / this.sliceMs);
  }

  private bucketFor(slice: number): string[] {
    if (this.buckets.length === 0) this.base = slice;
    while (this.base + this.buckets.length <= slice) this.buckets.push([]);
    return this.buckets[slice - this.base]!;
  }

  /** Drops every bucket whose slice ended more than the interval ago. */
  private expire(): void {
    const oldest = this.slice() - SLICES;
    while (this.buckets.length > 0 && this.base < oldest) {
      const keys = this.buckets.shift()!;
      const slice = this.base++;
      for (const k of keys) {
        const e = this.map.get(k);
        if (e && e.bucket === slice) this.map.delete(k);
      }
    }
    if (this.buckets.length === 0) this.base = this.slice();
  }
}
