// Per-configuration-revision state shared by every RADIUS socket of the engine: the client index (built
// once per loaded revision, never per packet), per-client counter blocks, and the running `file`
// accounting services (which outlive revisions: a reload reconfigures them in place).
import path from 'node:path';
import type { ConfigObject } from '../../config/object.js';
import type { EngineConfig } from '../../config/view.js';
import { CLIENT_COUNTERS, SECTIONS, type CounterBlock, type CounterRegistry } from '../../counters/index.js';
import { FILE_SERVICE_COUNTERS, FileAccountingService, SERVICES_SECTION, type FileServiceOptions } from '../../services/index.js';
import { parseCron, type CronSchedule } from '../../schema/cron.js';
import { ClientIndex, type RadiusClient } from './client-index.js';

export type ClientCounters = CounterBlock<(typeof CLIENT_COUNTERS)[number]>;

export interface RevisionState {
  index: ClientIndex;
  clientCounters(client: RadiusClient): ClientCounters;
}

const byConfig = new WeakMap<EngineConfig, RevisionState>();

export function revisionState(config: EngineConfig, counters: CounterRegistry): RevisionState {
  let s = byConfig.get(config);
  if (!s) {
    const index = new ClientIndex(config.radius);
    const blocks = new Map<RadiusClient, ClientCounters>();
    for (const c of index.clients) blocks.set(c, counters.block(SECTIONS.clients, c.name, CLIENT_COUNTERS));
    s = {
      index,
      clientCounters: (c) => blocks.get(c) ?? counters.block(SECTIONS.clients, c.name, CLIENT_COUNTERS),
    };
    byConfig.set(config, s);
  }
  return s;
}

function scheduleOf(text: string): CronSchedule | undefined {
  const s = text ? parseCron(text) : undefined;
  return typeof s === 'object' ? s : undefined;
}

/**
 * The engine's running file services. Writers are kept per file they write (directory and prefix), process-wide:
 * RADIUS and Diameter accounting into the same service must share one writer, or two writers would open and
 * roll the same files independently. One engine runs per process.
 */
const writers = new Map<string, FileAccountingService>();
let bound = new WeakMap<ConfigObject, FileAccountingService>();

export class FileServices {
  /** `counters`: where each writer's FILE_SERVICE_COUNTERS go (the engine's registry, section `services`). */
  constructor(private readonly counters?: CounterRegistry) {}

  options(config: EngineConfig, svc: ConfigObject): FileServiceOptions {
    return {
      directory: config.advanced.logDirectory,
      prefix: path.basename(svc.str('FilenamePrefix') || 'Accounting'),
      maxFileSize: svc.num('MaxFileSize'),
      maxFileAgeSec: svc.num('MaxFileAge'),
      useLocalTimeZone: svc.bool('UseLocalTimeZone'),
      syncIntervalMs: config.advanced.fileSyncIntervalMs,
      schedule: scheduleOf(svc.str('RolloverSchedule')),
    };
  }

  /** The writer of `svc`, configured from the revision `svc` belongs to: worked out once per service object
   * of a revision, not per record. */
  get(config: EngineConfig, svc: ConfigObject): FileAccountingService {
    let s = bound.get(svc);
    if (!s) {
      const opts = this.options(config, svc);
      const key = path.join(opts.directory, opts.prefix);
      s = writers.get(key);
      if (!s) writers.set(key, (s = new FileAccountingService(svc.name, opts, Date.now, this.counters?.block(SERVICES_SECTION, svc.name, FILE_SERVICE_COUNTERS))));
      else s.configure(opts);
      bound.set(svc, s);
    }
    return s;
  }

  /** Flushes and closes every writer (at engine stop; a second call finds none left). */
  async closeAll(): Promise<void> {
    const all = [...writers.values()];
    writers.clear();
    bound = new WeakMap();
    await Promise.all(all.map((s) => s.close()));
  }
}
