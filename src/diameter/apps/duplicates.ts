// Diameter duplicate detection (RFC 6733 §3, §9.4, Appendix C; protocols.md §7.5): a request is identified
// by Origin-Host + End-to-End id. A duplicate (T flag after a failover, or a plain resend) gets the answer
// of the first copy with its own Hop-by-Hop id and changes no state again: while the first copy is still
// being processed the duplicate waits for the same outcome. Entries are kept 4 minutes (areg's choice);
// an outcome that stored nothing (an error answer) is forgotten so that a resend may try again.
import type { DiameterMessage } from '../types.js';

export const DUPLICATE_MEMORY_MS = 4 * 60_000;
const MAX_ENTRIES = 200_000;

interface Entry {
  at: number;
  answer: Promise<DiameterMessage | undefined>;
}

export class DiameterDuplicates {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly memoryMs = DUPLICATE_MEMORY_MS, private readonly now: () => number = Date.now) {}

  static key(originHost: string, endToEndId: number): string {
    return `${originHost.toLowerCase()}|${endToEndId >>> 0}`;
  }

  get size(): number {
    this.expire();
    return this.entries.size;
  }

  /** The first copy's answer when `key` was seen within the memory, else undefined. */
  lookup(key: string): Promise<DiameterMessage | undefined> | undefined {
    this.expire();
    return this.entries.get(key)?.answer;
  }

  /** Records the first copy; `keep(answer)` decides once it is known whether later copies reuse it. */
  remember(key: string, answer: Promise<DiameterMessage | undefined>, keep: (a: DiameterMessage | undefined) => boolean): void {
    this.expire();
    if (this.entries.size >= MAX_ENTRIES) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    const entry: Entry = { at: this.now(), answer };
    this.entries.set(key, entry);
    answer.then(
      (a) => { if (!keep(a) && this.entries.get(key) === entry) this.entries.delete(key); },
      () => { if (this.entries.get(key) === entry) this.entries.delete(key); },
    );
  }

  /** Entries are in insertion order, so the expired ones are at the front. */
  private expire(): void {
    const limit = this.now() - this.memoryMs;
    for (const [k, e] of this.entries) {
      if (e.at > limit) break;
      this.entries.delete(k);
    }
  }
}

/** The stored answer re-addressed to a duplicate: its Hop-by-Hop id (RFC 6733 §6.2). */
export function answerFor(duplicate: DiameterMessage, answer: DiameterMessage): DiameterMessage {
  return { ...answer, hopByHopId: duplicate.hopByHopId, avps: answer.avps };
}
