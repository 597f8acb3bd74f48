// What the engine hands to protocol listeners and other components.
import type { AregHome } from '../../home.js';
import type { Log } from '../../log/logger.js';
import type { Tracer } from '../../log/tracer.js';
import type { CounterRegistry } from '../../counters/registry.js';
import type { HealthSources } from './health.js';
import type { LoadedConfig, LoadedConfigView } from './config.js';

/** Counts requests in progress so that stop can drain them. Listeners call begin() when a request is
 * accepted and end() when its response is sent or it is dropped. */
export class InFlight {
  private n = 0;
  private waiters: (() => void)[] = [];

  get count(): number {
    return this.n;
  }

  begin(): void {
    this.n++;
  }

  end(): void {
    if (this.n > 0) this.n--;
    if (this.n === 0 && this.waiters.length) {
      const w = this.waiters;
      this.waiters = [];
      for (const f of w) f();
    }
  }

  /** Resolves true when nothing is in flight, false if `ms` ran out first. */
  drain(ms: number): Promise<boolean> {
    if (this.n === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== done);
        resolve(false);
      }, Math.max(0, ms));
      const done = (): void => {
        clearTimeout(timer);
        resolve(true);
      };
      this.waiters.push(done);
    });
  }
}

/** Runs before a new configuration replaces the current one; throwing makes the reload fail (the old
 * configuration stays). Use it to build derived tables (client lookup, dictionaries) from `next`. */
export type ReloadPrepare<L extends LoadedConfigView = LoadedConfigView> = (next: L, current: L) => void | Promise<void>;
/** Runs right after the swap (synchronously, so no request sees a half-applied state). */
export type ReloadApplied<L extends LoadedConfigView = LoadedConfigView> = (current: L, previous: L) => void;

/** Handler of an extra engine verb (e.g. `sessions.query` from the session manager). Its result must be
 * JSON-serialisable; a thrown Error becomes `{ ok: false, error: message }`. */
export type VerbHandler = (args: Record<string, unknown>) => unknown | Promise<unknown>;

export interface EngineContext<L extends LoadedConfigView = LoadedConfig> {
  readonly home: AregHome;
  /** The configuration in force. Read it once when a request starts and keep that reference for the
   * whole request: a reload swaps this reference between requests and never mutates a loaded config. */
  readonly current: L;
  readonly log: Log;
  readonly tracer: Tracer;
  readonly counters: CounterRegistry;
  readonly health: HealthSources;
  readonly inFlight: InFlight;
  onReload(hooks: { prepare?: ReloadPrepare<L>; applied?: ReloadApplied<L> }): void;
  registerVerb(verb: string, handler: VerbHandler): void;
  /** Called at stop after the listeners (flush files, close upstream sockets). */
  onStop(fn: () => void | Promise<void>): void;
}
