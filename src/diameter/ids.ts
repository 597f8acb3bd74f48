// Identifier sources of RFC 6733 §3 and §8.8: End-to-End ids unique for minutes even across
// restarts, Hop-by-Hop ids unique per connection, and Session-Ids unique for ever.
import { randomInt } from 'node:crypto';

const TWO_32 = 2 ** 32;

/** High 12 bits from the clock, low 20 random at start, then incremented (RFC 6733 §3). */
export class EndToEndIdGenerator {
  private value: number;

  constructor(nowMs: number = Date.now(), random20: number = randomInt(0x100000)) {
    this.value = ((Math.floor(nowMs / 1000) & 0xfff) * 0x100000 + (random20 & 0xfffff)) >>> 0;
  }

  next(): number {
    const id = this.value;
    this.value = (this.value + 1) % TWO_32;
    return id;
  }
}

/** One per connection; starts anywhere and wraps at 2^32. */
export class HopByHopCounter {
  private value: number;

  constructor(start: number = randomInt(TWO_32 - 1)) {
    this.value = start >>> 0;
  }

  next(): number {
    const id = this.value;
    this.value = (this.value + 1) % TWO_32;
    return id;
  }
}

/** `<DiameterIdentity>;<high 32>;<low 32>` with the high part from the start time (RFC 6733 §8.8). */
export class SessionIdGenerator {
  private readonly high: number;
  private low = 0;

  constructor(private readonly originHost: string, nowMs: number = Date.now()) {
    this.high = Math.floor(nowMs / 1000) >>> 0;
  }

  next(optional?: string): string {
    const id = `${this.originHost};${this.high};${this.low}${optional === undefined ? '' : `;${optional}`}`;
    this.low = (this.low + 1) % TWO_32;
    return id;
  }
}
