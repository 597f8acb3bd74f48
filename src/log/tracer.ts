// The per-packet trace (aregcmd.md §11.3): `MM/DD/YYYY H:MM:SS.mmm: P<n>: <text>` into name_radius_1_trace.
//
// Cost model: a disabled level costs one integer comparison, provided callers guard before they build the
// text:
//   if (tracer.level >= 4) tracer.line(p, `  User-Name = ${name}`);
// or, equivalently, `if (tracer.enabled(4)) …`. `trace(level, p, text)` checks too, but by then the caller
// has already built `text`, so use it only for constant strings.
import { formatTimestamp } from './timestamp.js';
import type { RotatingFileWriter } from './rotating-writer.js';

export const MAX_TRACE_LEVEL = 5;

/** Where trace lines go; a RotatingFileWriter, or an array sink in tests. */
export interface LineSink {
  write(line: string): boolean | void;
}

export class Tracer {
  /** Global trace level 0–5 (0 = off). A plain field: read it directly on hot paths. */
  level = 0;
  private seq = 0;
  sink: LineSink | undefined;

  constructor(sink?: LineSink | RotatingFileWriter, level = 0) {
    this.sink = sink;
    this.setLevel(level);
  }

  /** Sets the global level, clamped to 0–5. */
  setLevel(level: number): void {
    this.level = level <= 0 || !Number.isFinite(level) ? 0 : level >= MAX_TRACE_LEVEL ? MAX_TRACE_LEVEL : Math.floor(level);
  }

  /** True when lines of level `n` are written at the global level. */
  enabled(n: number): boolean {
    return this.level >= n;
  }

  /** True when level `n` is on for a request whose env `Trace-Level` is `requestLevel` (effective level =
   * max(global, request)). */
  enabledFor(n: number, requestLevel: number): boolean {
    return this.level >= n || requestLevel >= n;
  }

  /** A fresh running packet number for `P<n>` (1, 2, … wrapping at 2^31). */
  nextPacket(): number {
    this.seq = this.seq >= 0x7fffffff ? 1 : this.seq + 1;
    return this.seq;
  }

  /** Writes one line for packet `packet`, unconditionally (the caller checked the level). */
  line(packet: number, text: string): void {
    this.sink?.write(`${formatTimestamp()}: P${packet}: ${text}`);
  }

  /** Writes several lines for one packet (an attribute dump), unconditionally. */
  lines(packet: number, texts: readonly string[]): void {
    const sink = this.sink;
    if (!sink) return;
    const prefix = `${formatTimestamp()}: P${packet}: `;
    for (const t of texts) sink.write(prefix + t);
  }

  /** Writes `text` if `level` is enabled. Only for texts that cost nothing to build. */
  trace(level: number, packet: number, text: string): void {
    if (this.level >= level) this.line(packet, text);
  }
}

/** Matches one trace line; groups: timestamp, packet number, text. */
export const TRACE_LINE_RE = /^(\d{2}\/\d{2}\/\d{4} \d{1,2}:\d{2}:\d{2}\.\d{3}): P(\d+): (.*)$/;
