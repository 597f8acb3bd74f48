// An asynchronous, buffered, size-rotated append-only text file.
//
// write() only pushes onto an in-memory queue and never blocks or touches the disk; a background loop
// drains the queue in batches. The queue is bounded: when it is full, lines are dropped and counted, and
// the next batch written starts with a notice saying how many were lost. Rotation (aregcmd.md §11.1): when
// the next batch would take the file past maxBytes, `x` becomes `x.01`, older files shift up (`x.01` →
// `x.02` …) and those beyond the count are deleted. `maxFiles` counts every file kept, the live one
// included: 2 keeps `x` and `x.01`.
import { promises as fsp, closeSync, openSync, writeSync, mkdirSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';

export interface RotatingWriterOptions {
  /** Rotate when the file would grow past this many bytes (default 1 MiB). 0 = never rotate. */
  maxBytes?: number;
  /** Files kept, the live one included (default 2, minimum 1). */
  maxFiles?: number;
  /** Queue bound in lines (default 10 000). */
  maxQueueLines?: number;
  /** Text of the line that reports dropped lines; default `<n> lines dropped: log queue full`. */
  dropNotice?: (dropped: number) => string;
  /** Called with every write/rotate error (the writer keeps going; default: ignore). */
  onError?: (err: Error) => void;
}

export interface RotatingWriterStats {
  written: number;
  dropped: number;
  rotations: number;
  queued: number;
}

export function rotatedName(file: string, n: number): string {
  return `${file}.${n < 10 ? `0${n}` : n}`;
}

export class RotatingFileWriter {
  readonly file: string;
  private maxBytes: number;
  private maxFiles: number;
  private readonly maxQueueLines: number;
  private readonly dropNotice: (dropped: number) => string;
  private readonly onError: (err: Error) => void;

  private queue: string[] = [];
  private fh: FileHandle | undefined;
  private size = 0;
  private pendingDrops = 0;
  private draining: Promise<void> | undefined;
  private closed = false;
  private readonly counters = { written: 0, dropped: 0, rotations: 0 };

  constructor(file: string, opts: RotatingWriterOptions = {}) {
    this.file = file;
    this.maxBytes = opts.maxBytes ?? 1024 * 1024;
    this.maxFiles = Math.max(1, opts.maxFiles ?? 2);
    this.maxQueueLines = opts.maxQueueLines ?? 10_000;
    this.dropNotice = opts.dropNotice ?? ((n) => `${n} lines dropped: log queue full`);
    this.onError = opts.onError ?? (() => {});
  }

  /** Changes the rotation limits (e.g. after a configuration reload); applies from the next batch. */
  configure(opts: { maxBytes?: number; maxFiles?: number }): void {
    if (opts.maxBytes !== undefined) this.maxBytes = opts.maxBytes;
    if (opts.maxFiles !== undefined) this.maxFiles = Math.max(1, opts.maxFiles);
  }

  get limits(): { maxBytes: number; maxFiles: number } {
    return { maxBytes: this.maxBytes, maxFiles: this.maxFiles };
  }

  get stats(): RotatingWriterStats {
    return { ...this.counters, queued: this.queue.length };
  }

  /** Queues one line (a newline is appended). Returns false if the line was dropped. */
  write(line: string): boolean {
    if (this.closed) return false;
    if (this.queue.length >= this.maxQueueLines) {
      this.pendingDrops++;
      this.counters.dropped++;
      return false;
    }
    this.queue.push(line);
    if (!this.draining) this.draining = this.drain();
    return true;
  }

  /** Resolves once everything queued so far is on disk (or failed). */
  async flush(): Promise<void> {
    while (this.draining) await this.draining;
  }

  /** Flushes and closes; later writes are dropped silently. */
  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
    const fh = this.fh;
    this.fh = undefined;
    if (fh) await fh.close().catch((e: Error) => this.onError(e));
  }

  /** Last-resort synchronous flush for a process that is about to die (uncaught exception). Never call it on
   * a hot path. Lines an in-progress async batch holds may be written twice or lost; that is acceptable at
   * that point. */
  flushSync(): void {
    const lines = this.takeBatch();
    if (!lines) return;
    try {
      mkdirSync(path.dirname(this.file), { recursive: true });
      const fd = openSync(this.file, 'a');
      try {
        writeSync(fd, lines);
      } finally {
        closeSync(fd);
      }
    } catch (e) {
      this.onError(e as Error);
    }
  }

  private takeBatch(): string | undefined {
    if (this.queue.length === 0 && this.pendingDrops === 0) return undefined;
    // Lines are dropped only while the queue is full, i.e. after everything queued: the notice goes last.
    const lines = this.queue;
    this.queue = [];
    this.counters.written += lines.length;
    if (this.pendingDrops > 0) {
      lines.push(this.dropNotice(this.pendingDrops));
      this.pendingDrops = 0;
    }
    return lines.join('\n') + '\n';
  }

  private async drain(): Promise<void> {
    try {
      // Let the current tick's writes join the first batch.
      await new Promise<void>((resolve) => setImmediate(resolve));
      for (let batch = this.takeBatch(); batch !== undefined; batch = this.takeBatch()) {
        try {
          await this.append(batch);
        } catch (e) {
          this.onError(e as Error);
          await this.reset();
        }
      }
    } finally {
      this.draining = undefined;
    }
  }

  private async append(text: string): Promise<void> {
    const bytes = Buffer.byteLength(text);
    if (!this.fh) await this.open();
    if (this.maxBytes > 0 && this.size > 0 && this.size + bytes > this.maxBytes) {
      await this.rotate();
    }
    await this.fh!.write(text);
    this.size += bytes;
  }

  private async open(): Promise<void> {
    await fsp.mkdir(path.dirname(this.file), { recursive: true });
    this.fh = await fsp.open(this.file, 'a');
    this.size = (await this.fh.stat()).size;
  }

  private async reset(): Promise<void> {
    const fh = this.fh;
    this.fh = undefined;
    if (fh) await fh.close().catch(() => {});
  }

  private async rotate(): Promise<void> {
    await this.reset();
    await rotateFiles(this.file, this.maxFiles);
    this.counters.rotations++;
    await this.open();
  }
}

/** Shifts `file` → `file.01` → `file.02` …, keeping `maxFiles` files in all, and deletes what falls beyond
 * (including leftovers from a larger count used earlier). */
export async function rotateFiles(file: string, maxFiles: number): Promise<void> {
  const keepRotated = Math.max(0, maxFiles - 1);
  const dir = path.dirname(file);
  const base = path.basename(file);
  const numbered = new Map<number, string>();
  for (const name of await fsp.readdir(dir).catch(() => [] as string[])) {
    if (!name.startsWith(base + '.')) continue;
    const suffix = name.slice(base.length + 1);
    if (/^\d{2,}$/.test(suffix)) numbered.set(Number(suffix), path.join(dir, name));
  }
  for (const [n, p] of numbered) {
    if (n >= keepRotated) await fsp.rm(p, { force: true });
  }
  for (let n = keepRotated - 1; n >= 1; n--) {
    const from = numbered.get(n);
    if (from) await fsp.rename(from, rotatedName(file, n + 1)).catch(() => {});
  }
  if (keepRotated >= 1) await fsp.rename(file, rotatedName(file, 1)).catch(() => {});
  else await fsp.rm(file, { force: true });
}
