// The `file` accounting service (aregcmd.md §7.3.5, §9.3): records go to
// `<LogDirectory>/<FilenamePrefix>-<YYYYMMDD-HHMMSS>` with group commit. Records accumulate while a write is
// under way and are written together right after it (an idle writer starts after the current I/O turn, or
// after AAAFileServiceSyncInterval ms when that is set; at once when a batch grows large). Each write() resolves
// only after the fdatasync that covers its record, so the caller answers the NAS only for records on disk
// (RFC 2866 §2); fdatasync, not fsync, because an append's only metadata that matters is the size, which it
// flushes. A failed write or sync rejects every record of the batch, and of the batches after it: no answer.
//
// Rollover: a new file when the current one would exceed MaxFileSize, is older than MaxFileAge, or a
// minute named by RolloverSchedule has come since it was opened.
import fs from 'node:fs';
import path from 'node:path';
import { fileStamp } from './detail.js';
import { nextCronTime, type CronSchedule } from '../schema/cron.js';

export interface FileServiceOptions {
  directory: string;
  prefix: string;
  /** Bytes; 0 = unlimited. */
  maxFileSize: number;
  /** Seconds; 0 = unlimited. */
  maxFileAgeSec: number;
  useLocalTimeZone: boolean;
  syncIntervalMs: number;
  /** Parsed RolloverSchedule; undefined = none. */
  schedule?: CronSchedule;
}

/** A batch is written at once when it holds this many records or bytes. */
const BATCH_RECORDS = 512;
const BATCH_BYTES = 256 * 1024;
/** fdatasyncs under way at once (each holds a libuv pool thread; the pool has four). */
const SYNCS_IN_FLIGHT = 2;

interface Pending {
  text: string;
  resolve: () => void;
  reject: (e: Error) => void;
}

export class FileAccountingService {
  private opts: FileServiceOptions;
  private pending: Pending[] = [];
  private pendingBytes = 0;
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private flushing: Promise<void> | undefined;
  private fd: fs.promises.FileHandle | undefined;
  private file: string | undefined;
  private size = 0;
  private openedAt = 0;
  /** When the schedule next rolls the open file over (Infinity without a schedule). */
  private rollAt = Number.POSITIVE_INFINITY;
  private closed = false;
  /** Records and fsyncs done, for tests and stats. */
  readonly stats = { records: 0, syncs: 0, failures: 0, files: 0 };

  constructor(
    readonly name: string,
    opts: FileServiceOptions,
    private readonly now: () => number = Date.now,
  ) {
    this.opts = { ...opts };
  }

  /** New settings from a reloaded configuration; a new directory or prefix starts a new file. */
  configure(opts: FileServiceOptions): void {
    const moved = opts.directory !== this.opts.directory || opts.prefix !== this.opts.prefix;
    this.opts = { ...opts };
    if (moved) this.rollPending = true;
  }

  private rollPending = false;

  /** The file currently written (undefined before the first record). */
  get currentFile(): string | undefined {
    return this.file;
  }

  /** Queues one record; resolves once it is fsynced. */
  write(text: string): Promise<void> {
    if (this.closed) return Promise.reject(new Error(`accounting service ${this.name} is stopped`));
    return new Promise((resolve, reject) => {
      this.pending.push({ text, resolve, reject });
      this.pendingBytes += Buffer.byteLength(text);
      if (this.pending.length >= BATCH_RECORDS || this.pendingBytes >= BATCH_BYTES) this.kick();
      else if (!this.timer && !this.immediate && !this.flushing) {
        // Group commit: an idle writer starts after this I/O turn (every record that arrived in it shares the
        // fsync); records arriving during a write go into the next batch as soon as it ends. A positive
        // sync interval adds a deliberate wait for larger batches.
        const wait = this.opts.syncIntervalMs;
        if (wait > 0) this.timer = setTimeout(() => this.kick(), wait);
        else this.immediate = setImmediate(() => this.kick());
      }
    });
  }

  private kick(): void {
    clearTimeout(this.timer);
    clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
    if (this.flushing) return; // the running flush picks up what is pending when it ends
    this.flushing = this.flushLoop().finally(() => {
      this.flushing = undefined;
      // Records queued after the loop's last look (by continuations of the batch it resolved) start the next.
      if (this.pending.length > 0) this.kick();
    });
  }

  private async flushLoop(): Promise<void> {
    // Pipelined commits: the next batch is written while the previous one's fdatasync is still running, and
    // at most SYNCS_IN_FLIGHT of them run at once. A batch is answered when its own sync and every earlier
    // batch's have succeeded, so answers keep the order of the records on disk.
    // A failed sync fails the later batches of the same file too (their fsync says nothing about the lost
    // pages); the file is closed, and batches written to the next one do not depend on it.
    const inFlight: Promise<boolean>[] = [];
    let previous: { fd: fs.promises.FileHandle | undefined; done: Promise<boolean> } = { fd: undefined, done: Promise.resolve(true) };
    while (this.pending.length > 0) {
      if (inFlight.length >= SYNCS_IN_FLIGHT) await inFlight.shift();
      const batch = this.pending;
      this.pending = [];
      this.pendingBytes = 0;
      let fd: fs.promises.FileHandle | undefined;
      let synced: Promise<void>;
      try {
        fd = await this.writeBatch(batch.map((p) => p.text).join(''), inFlight);
        synced = fd.datasync();
      } catch (e) {
        synced = Promise.reject(e);
      }
      const earlier = fd !== undefined && fd === previous.fd ? previous.done : Promise.resolve(true);
      const done = Promise.all([earlier, synced])
        .then(([earlierOk]) => {
          if (!earlierOk) throw new Error(`an earlier batch of ${this.file ?? 'the file'} was not synced`);
          this.stats.syncs++;
          this.stats.records += batch.length;
          for (const p of batch) p.resolve();
          return true;
        })
        .catch(async (e: unknown) => {
          this.stats.failures++;
          if (this.fd === fd) await this.closeFile();
          const err = e instanceof Error ? e : new Error(String(e));
          for (const p of batch) p.reject(err);
          return false;
        });
      inFlight.push(done);
      previous = { fd, done };
    }
    await Promise.all(inFlight);
  }

  /** Appends `text` to the current file (rolling over first when due); returns the file it went to. */
  private async writeBatch(text: string, inFlight: readonly Promise<boolean>[]): Promise<fs.promises.FileHandle> {
    const bytes = Buffer.from(text);
    const now = this.now();
    const { maxFileSize, maxFileAgeSec } = this.opts;
    if (
      this.fd &&
      (this.rollPending ||
        (maxFileSize > 0 && this.size > 0 && this.size + bytes.length > maxFileSize) ||
        (maxFileAgeSec > 0 && now - this.openedAt >= maxFileAgeSec * 1000) ||
        now >= this.rollAt)
    ) {
      // The old file's syncs finish before it is closed.
      await Promise.all(inFlight);
      await this.closeFile();
    }
    this.rollPending = false;
    if (!this.fd) await this.openFile(now);
    const fd = this.fd!;
    await fd.write(bytes);
    this.size += bytes.length;
    return fd;
  }

  private async openFile(now: number): Promise<void> {
    await fs.promises.mkdir(this.opts.directory, { recursive: true });
    const base = path.join(this.opts.directory, `${this.opts.prefix}-${fileStamp(new Date(now), this.opts.useLocalTimeZone)}`);
    // A second rollover within the same second gets a numbered name rather than appending to the full file.
    let file = base;
    for (let i = 1; this.file === file || fs.existsSync(file); i++) file = `${base}.${i}`;
    this.fd = await fs.promises.open(file, 'a', 0o640);
    this.file = file;
    this.size = (await this.fd.stat()).size;
    this.openedAt = now;
    this.rollAt = this.opts.schedule ? nextCronTime(this.opts.schedule, now, this.opts.useLocalTimeZone) : Number.POSITIVE_INFINITY;
    this.stats.files++;
  }

  private async closeFile(): Promise<void> {
    const fd = this.fd;
    this.fd = undefined;
    await fd?.close().catch(() => {});
  }

  /** Writes what is pending, then closes the file. Later writes are refused. */
  async close(): Promise<void> {
    if (this.pending.length) this.kick();
    while (this.flushing) await this.flushing;
    this.closed = true;
    await this.closeFile();
  }
}
