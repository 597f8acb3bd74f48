// The engine's counter registry (aregcmd.md §13).
//
// Components declare their counters once (at start or when the configuration creates a client, remote
// server or peer) and keep the returned block: increments are plain field updates on it. The registry only
// walks the blocks for snapshot() and reset(); reset zeroes the blocks in place, so references held by the
// hot path stay valid.
import { RADIUS_GLOBAL_COUNTERS, type RadiusGlobalCounter } from './names.js';

export type CounterBlock<K extends string> = { [P in K]: number };
export type GaugeValue = string | number | boolean | null;
export type Gauge = () => GaugeValue;

/** Counts by free-form key (the Diameter `(app, cmd, R-bit, Result-Code)` lines). One Map update per inc:
 * meant for per-answer, not per-byte, events. */
export class Tally {
  private readonly map = new Map<string, number>();
  inc(key: string, n = 1): void {
    this.map.set(key, (this.map.get(key) ?? 0) + n);
  }
  get(key: string): number {
    return this.map.get(key) ?? 0;
  }
  clear(): void {
    this.map.clear();
  }
  toObject(): Record<string, number> {
    return Object.fromEntries(this.map);
  }
}

interface Entry {
  blocks: CounterBlock<string>[];
  gauges: Map<string, Gauge>;
  tallies: Map<string, Tally>;
}

export type ObjectSnapshot = Record<string, GaugeValue | Record<string, number>>;

export interface CountersSnapshot {
  serverStartTime: string;
  serverResetTime: string;
  serverState: string;
  /** Global RADIUS counters plus the global gauges (totalPacketsInPool, …). */
  radius: Record<string, GaugeValue>;
  /** section → object name → counters, gauges and tallies of that object. */
  sections: Record<string, Record<string, ObjectSnapshot>>;
}

export type RadiusGlobalCounters = CounterBlock<RadiusGlobalCounter>;

export function zeroBlock<K extends string>(names: readonly K[]): CounterBlock<K> {
  const block = {} as CounterBlock<K>;
  for (const n of names) block[n] = 0;
  return block;
}

export class CounterRegistry {
  /** The global RADIUS counters: `counters.radius.totalRequests++`. */
  readonly radius: RadiusGlobalCounters = zeroBlock(RADIUS_GLOBAL_COUNTERS);
  serverStartTime: Date;
  serverResetTime: Date;
  private readonly now: () => number;
  private readonly globalGauges = new Map<string, Gauge>();
  private readonly sections = new Map<string, Map<string, Entry>>();

  constructor(now: () => number = Date.now) {
    this.now = now;
    this.serverStartTime = new Date(now());
    this.serverResetTime = this.serverStartTime;
    this.globalGauges.set('totalPacketsInPool', () => 0);
    this.globalGauges.set('serverState', () => 'Running');
  }

  /** A global value computed at snapshot time (`totalPacketsInPool`, `serverState`). */
  globalGauge(name: string, fn: Gauge): void {
    this.globalGauges.set(name, fn);
  }

  private entry(section: string, key: string): Entry {
    let s = this.sections.get(section);
    if (!s) this.sections.set(section, (s = new Map()));
    let e = s.get(key);
    if (!e) s.set(key, (e = { blocks: [], gauges: new Map(), tallies: new Map() }));
    return e;
  }

  /** Declares (or finds again) the counters `names` of object `key` in `section`, e.g.
   * `registry.block('clients', 'NAS1', CLIENT_COUNTERS)`. Declaring the same names again returns the same
   * block, so counters survive a configuration reload. */
  block<K extends string>(section: string, key: string, names: readonly K[]): CounterBlock<K> {
    const e = this.entry(section, key);
    for (const b of e.blocks) {
      if (names.every((n) => n in b)) return b as CounterBlock<K>;
    }
    const b = zeroBlock(names);
    e.blocks.push(b);
    return b;
  }

  /** A value of object `key` computed at snapshot time (a peer's `state`, a server's `active`). */
  gauge(section: string, key: string, name: string, fn: Gauge): void {
    this.entry(section, key).gauges.set(name, fn);
  }

  /** A tally of object `key` (created on first use). */
  tally(section: string, key: string, name = 'results'): Tally {
    const e = this.entry(section, key);
    let t = e.tallies.get(name);
    if (!t) e.tallies.set(name, (t = new Tally()));
    return t;
  }

  /** Forgets object `key` (removed from the configuration), or a whole section. */
  remove(section: string, key?: string): void {
    if (key === undefined) this.sections.delete(section);
    else this.sections.get(section)?.delete(key);
  }

  /** Object names declared in `section`. */
  keys(section: string): string[] {
    return [...(this.sections.get(section)?.keys() ?? [])];
  }

  private static snapshotEntry(e: Entry): ObjectSnapshot {
    const o: ObjectSnapshot = {};
    for (const [name, fn] of e.gauges) o[name] = safeGauge(fn);
    for (const b of e.blocks) Object.assign(o, b);
    for (const [name, t] of e.tallies) o[name] = t.toObject();
    return o;
  }

  /** A plain, JSON-safe copy of everything. */
  snapshot(): CountersSnapshot {
    const radius: Record<string, GaugeValue> = {};
    let serverState = 'Running';
    for (const [name, fn] of this.globalGauges) {
      const v = safeGauge(fn);
      if (name === 'serverState') serverState = String(v);
      else radius[name] = v;
    }
    Object.assign(radius, this.radius);
    const sections: CountersSnapshot['sections'] = {};
    for (const [sname, s] of this.sections) {
      const out: Record<string, ObjectSnapshot> = {};
      for (const [key, e] of s) out[key] = CounterRegistry.snapshotEntry(e);
      sections[sname] = out;
    }
    return {
      serverStartTime: this.serverStartTime.toISOString(),
      serverResetTime: this.serverResetTime.toISOString(),
      serverState,
      radius,
      sections,
    };
  }

  /** Zeroes every counter and tally (gauges are live values and stay) and sets serverResetTime. With a
   * section name, zeroes only that section (`dia-stats-reset` → 'diameterPeers') and leaves
   * serverResetTime alone. */
  reset(section?: string): void {
    const zeroEntry = (e: Entry): void => {
      for (const b of e.blocks) for (const k of Object.keys(b)) b[k] = 0;
      for (const t of e.tallies.values()) t.clear();
    };
    if (section !== undefined) {
      for (const e of this.sections.get(section)?.values() ?? []) zeroEntry(e);
      return;
    }
    for (const k of Object.keys(this.radius) as RadiusGlobalCounter[]) this.radius[k] = 0;
    for (const s of this.sections.values()) for (const e of s.values()) zeroEntry(e);
    this.serverResetTime = new Date(this.now());
  }
}

function safeGauge(fn: Gauge): GaugeValue {
  try {
    return fn();
  } catch {
    return null;
  }
}
