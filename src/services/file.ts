// The `file` accounting service (aregcmd.md §7.3.5, §9.3): records go to
// `<LogDirectory>/<FilenamePrefix>-<YYYYMMDD-HHMMSS>` with group commit. Records accumulate while a write is
// under way and are written together right after it (an idle writer starts after the current I/O turn, or
// after AAAFileServiceSyncInterval ms when that is set; at once when a batch grows large). The file is opened
// O_DSYNC, so each write() resolves only once its record is on disk and the caller answers the NAS only for
// records on disk (RFC 2866 §2). A failed write rejects every record of the batch (no answer) and closes the
// file; the next batch opens a new one.
//
// Rollover: a new file when the current one would exceed MaxFileSize, is older than MaxFileAge, or a
// minute named by RolloverSchedule has come since it was opened.
import fs from 'node:fs';
import path from 'node:path';
import { fileStamp } from './detail.js';
import { nextCronTime, type CronSchedule } from '../schema/cron.js';
import { zeroBlock, type CounterBlock } from '../counters/registry.js';

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
/**
 * Every write is an append that returns only once its data and the file size are on disk: one system call per
 * batch instead of write + fdatasync, so one trip to the libuv pool (measured: 25,500 against 19,000 durable
 * Accounting-Requests/s at a window of 32; pipelining two fdatasyncs reached 24,000 with more code).
 */
const APPEND_DURABLY = fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_APPEND | fs.constants.O_DSYNC;

/** A file service's counters, next to its request counters in `Service Statistics:`. */
export const FILE_SERVICE_COUNTERS = ['recordsWritten', 'durableWrites', 'writeFailures', 'filesOpened'] as const;
export type FileServiceCounters = CounterBlock<(typeof FILE_SERVICE_COUNTERS)[number]>;

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
  constructor(
    readonly name: string,
    opts: FileServiceOptions,
    private readonly now: () => number = Date.now,
    /** Records written, durable writes (one per batch), failed writes, files opened. */
    readonly stats: FileServiceCounters = zeroBlock(FILE_SERVICE_COUNTERS),
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

  /** Queues one record; resolves once it is on disk. */
  write(text: string): Promise<void> {
    if (this.closed) return Promise.reject(new Error(`accounting service ${this.name} is stopped`));
    return new Promise((resolve, reject) => {
      this.pending.push({ text, resolve, reject });
      this.pendingBytes += Buffer.byteLength(text);
      if (this.pending.length >= BATCH_RECORDS || this.pendingBytes >= BATCH_BYTES) this.kick();
      else if (!this.timer && !this.immediate && !this.flushing) {
        // Group commit: an idle writer starts after this I/O turn (every record that arrived in it shares the
        // durable write); records arriving during a write go into the next batch as soon as it ends. A positive
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
    while (this.pending.length > 0) {
      const batch = this.pending;
      this.pending = [];
      this.pendingBytes = 0;
      try {
        await this.writeBatch(batch.map((p) => p.text).join(''));
        this.stats.recordsWritten += batch.length;
        for (const p of batch) p.resolve();
      } catch (e) {
        this.stats.writeFailures++;
        await this.closeFile();
        const err = e instanceof Error ? e : new Error(String(e));
        for (const p of batch) p.reject(err);
      }
    }
  }

  /** Appends `text` to the current file (rolling over first when due); durable when it resolves (O_DSYNC). */
  private async writeBatch(text: string): Promise<void> {
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
      await this.closeFile();
    }
    this.rollPending = false;
    if (!this.fd) await this.openFile(now);
    await this.fd!.write(bytes);
    this.size += bytes.length;
    this.stats.durableWrites++;
  }

  private async openFile(now: number): Promise<void> {
    await fs.promises.mkdir(this.opts.directory, { recursive: true });
    const base = path.join(this.opts.directory, `${this.opts.prefix}-${fileStamp(new Date(now), this.opts.useLocalTimeZone)}`);
    // A second rollover within the same second gets a numbered name rather than appending to the full file.
    let file = base;
    for (let i = 1; this.file === file || fs.existsSync(file); i++) file = `${base}.${i}`;
    this.fd = await fs.promises.open(file, APPEND_DURABLY, 0o640);
    this.file = file;
    this.size = (await this.fd.stat()).size;
    this.openedAt = now;
    this.rollAt = this.opts.schedule ? nextCronTime(this.opts.schedule, now, this.opts.useLocalTimeZone) : Number.POSITIVE_INFINITY;
    this.stats.filesOpened++;
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
