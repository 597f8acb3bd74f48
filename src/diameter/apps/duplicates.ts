// Diameter duplicate detection (RFC 6733 §3, §9.4, Appendix C; protocols.md §7.5): a request is identified
// by Origin-Host + End-to-End id. A duplicate (T flag after a failover, or a plain resend) gets the answer
// of the first copy with its own Hop-by-Hop id and changes no state again: while the first copy is still
// being processed the duplicate waits for the same outcome. Entries are kept 4 minutes (areg's choice);
// an outcome that stored nothing (an error answer) is forgotten so that a resend may try again.
import type { DiameterMessage } from '../types.js';

export const DUPLICATE_MEMORY_MS = 4 * 60_000;
/** A generation holds at most this many entries; at most GENERATIONS of them are kept (bounded memory). */
const GENERATION_ENTRIES = 100_000;
const GENERATIONS = 3;

interface Entry {
  at: number;
  answer: Promise<DiameterMessage | undefined>;
}

interface Generation {
  start: number;
  /** Origin-Host (lower case) → End-to-End id → entry: number keys hash far cheaper than joined strings. */
  hosts: Map<string, Map<number, Entry>>;
  size: number;
}

/** Origin-Host (compared case-insensitively) and End-to-End id of a request. */
export interface DuplicateKey {
  host: string;
  id: number;
}

/**
 * Entries live in generations (newest first), each started when the previous one is half the memory old or full,
 * and dropped whole once everything in them is older than the memory: nothing is done per entry to forget it
 * (deleting the oldest entry of one big Map per request left holes that every later scan of it had to skip).
 */
export class DiameterDuplicates {
  private generations: Generation[] = [];

  constructor(private readonly memoryMs = DUPLICATE_MEMORY_MS, private readonly now: () => number = Date.now) {}

  static key(originHost: string, endToEndId: number): DuplicateKey {
    return { host: originHost.toLowerCase(), id: endToEndId >>> 0 };
  }

  /** Entries still within the memory. */
  get size(): number {
    const limit = this.now() - this.memoryMs;
    let n = 0;
    for (const g of this.generations) for (const ids of g.hosts.values()) for (const e of ids.values()) if (e.at > limit) n++;
    return n;
  }

  /** The first copy's answer when `key` was seen within the memory, else undefined. */
  lookup(key: DuplicateKey): Promise<DiameterMessage | undefined> | undefined {
    const limit = this.now() - this.memoryMs;
    for (const g of this.generations) {
      const e = g.hosts.get(key.host)?.get(key.id);
      if (e) return e.at > limit ? e.answer : undefined;
    }
    return undefined;
  }

  /** Records the first copy; `keep(answer)` decides once it is known whether later copies reuse it. */
  remember(key: DuplicateKey, answer: Promise<DiameterMessage | undefined>, keep: (a: DiameterMessage | undefined) => boolean): void {
    const at = this.now();
    const g = this.current(at);
    let ids = g.hosts.get(key.host);
    if (!ids) g.hosts.set(key.host, (ids = new Map()));
    const entry: Entry = { at, answer };
    ids.set(key.id, entry);
    g.size++;
    const forget = (): void => {
      if (ids.get(key.id) === entry) ids.delete(key.id);
    };
    answer.then((a) => { if (!keep(a)) forget(); }, forget);
  }

  private current(now: number): Generation {
    let g = this.generations[0];
    if (!g || g.size >= GENERATION_ENTRIES || now - g.start >= this.memoryMs / 2) {
      g = { start: now, hosts: new Map(), size: 0 };
      // A generation started before now - memory - memory/2 holds only entries older than the memory.
      this.generations = [g, ...this.generations.slice(0, GENERATIONS - 1)].filter((x) => x.start > now - this.memoryMs * 1.5);
    }
    return g;
  }
}

/** The stored answer re-addressed to a duplicate: its Hop-by-Hop id (RFC 6733 §6.2). */
export function answerFor(duplicate: DiameterMessage, answer: DiameterMessage): DiameterMessage {
  return { ...answer, hopByHopId: duplicate.hopByHopId, avps: answer.avps };
}
