// Rate-limited logging for noisy events (packets from unknown clients, malformed packets, rate-limited
// clients): instead of one line per event, one summary line per key per window, e.g.
//   `dropped 312 packets from unknown client 10.9.9.9 in the last 10 s`.
// hit() is a Map update; the summary lines are written by a single unref'd timer, so an idle limiter costs
// nothing and never keeps the process alive.
import type { Category, Log, Severity } from './logger.js';

export interface RateLimitedLogOptions {
  /** Window length (default 10 000 ms). */
  intervalMs?: number;
  severity?: Severity;
  category?: Category;
  /** Builds the summary line; `seconds` is the window length in whole seconds. */
  format: (key: string, count: number, seconds: number) => string;
  /** At most this many distinct keys are tracked per window; further keys are summed into one
   * `other` line (default 1000). */
  maxKeys?: number;
}

export class RateLimitedLog {
  private readonly log: Log;
  private readonly opts: Required<Omit<RateLimitedLogOptions, 'format'>> & Pick<RateLimitedLogOptions, 'format'>;
  private counts = new Map<string, number>();
  private overflow = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(log: Log, opts: RateLimitedLogOptions) {
    this.log = log;
    this.opts = {
      intervalMs: 10_000,
      severity: 'Warning',
      category: 'Protocol',
      maxKeys: 1000,
      ...opts,
    };
  }

  /** Counts one event for `key`. */
  hit(key: string, n = 1): void {
    const c = this.counts.get(key);
    if (c !== undefined) this.counts.set(key, c + n);
    else if (this.counts.size < this.opts.maxKeys) this.counts.set(key, n);
    else this.overflow += n;
    if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), this.opts.intervalMs);
      this.timer.unref();
    }
  }

  /** Writes the summary lines now and starts a new window (also call it on stop). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const seconds = Math.round(this.opts.intervalMs / 1000);
    for (const [key, count] of this.counts) {
      this.log.log(this.opts.severity, this.opts.category, this.opts.format(key, count, seconds));
    }
    if (this.overflow > 0) {
      this.log.log(this.opts.severity, this.opts.category, this.opts.format('other', this.overflow, seconds));
    }
    this.counts = new Map();
    this.overflow = 0;
  }
}
