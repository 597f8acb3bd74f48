// The engine and agent logs (aregcmd.md §11.1/§11.2):
//   `MM/DD/YYYY H:MM:SS.mmm name/radius/1 <Severity> <Category> <code> <message>`
// written through a RotatingFileWriter (asynchronous, bounded, rotated).
import path from 'node:path';
import { formatTimestamp } from './timestamp.js';
import { RotatingFileWriter, type RotatingWriterOptions } from './rotating-writer.js';

export type Severity = 'Info' | 'Warning' | 'Error' | 'Debug';
export type Category = 'Server' | 'Configuration' | 'Protocol' | 'System' | 'Scripting';

/** File names inside LogDirectory. */
export const LOG_FILES = {
  engineLog: 'name_radius_1_log',
  engineTrace: 'name_radius_1_trace',
  agentLog: 'agent_server_1_log',
} as const;

/** The component field of a line. */
export const ENGINE_LOG_NAME = 'name/radius/1';
export const AGENT_LOG_NAME = 'name/agent/1';

export interface LoggerOptions {
  /** Component field, default `name/radius/1`. */
  name?: string;
  /** Whether debug() lines are written (default false). */
  debug?: boolean;
  /** Also hand every formatted line to this function (the agent in --foreground tees to stderr). */
  tee?: (line: string) => void;
}

/** What the rest of the code needs from a logger; tests may pass any object of this shape. */
export interface Log {
  log(severity: Severity, category: Category, message: string, code?: number): void;
  info(category: Category, message: string, code?: number): void;
  warning(category: Category, message: string, code?: number): void;
  error(category: Category, message: string, code?: number): void;
  debug(category: Category, message: string, code?: number): void;
}

export class Logger implements Log {
  readonly writer: RotatingFileWriter;
  readonly name: string;
  debugEnabled: boolean;
  tee: ((line: string) => void) | undefined;

  constructor(writer: RotatingFileWriter, opts: LoggerOptions = {}) {
    this.writer = writer;
    this.name = opts.name ?? ENGINE_LOG_NAME;
    this.debugEnabled = opts.debug ?? false;
    this.tee = opts.tee;
  }

  log(severity: Severity, category: Category, message: string, code = 0): void {
    if (severity === 'Debug' && !this.debugEnabled) return;
    const line = `${formatTimestamp()} ${this.name} ${severity} ${category} ${code} ${message}`;
    this.writer.write(line);
    if (this.tee) this.tee(line);
  }

  info(category: Category, message: string, code = 0): void {
    this.log('Info', category, message, code);
  }

  warning(category: Category, message: string, code = 0): void {
    this.log('Warning', category, message, code);
  }

  error(category: Category, message: string, code = 0): void {
    this.log('Error', category, message, code);
  }

  debug(category: Category, message: string, code = 0): void {
    if (this.debugEnabled) this.log('Debug', category, message, code);
  }

  flush(): Promise<void> {
    return this.writer.flush();
  }

  close(): Promise<void> {
    return this.writer.close();
  }
}

/** A logger that writes `<dir>/<file>` with the given rotation. */
export function openLogger(
  dir: string,
  file: string,
  opts: LoggerOptions & Pick<RotatingWriterOptions, 'maxBytes' | 'maxFiles' | 'maxQueueLines' | 'onError'> = {},
): Logger {
  const writer = new RotatingFileWriter(path.join(dir, file), {
    ...opts,
    dropNotice: (n) =>
      `${formatTimestamp()} ${opts.name ?? ENGINE_LOG_NAME} Warning System 0 ${n} log lines dropped (log queue full)`,
  });
  return new Logger(writer, opts);
}

/** A Log that discards everything (for components under test). */
export const nullLog: Log = {
  log() {},
  info() {},
  warning() {},
  error() {},
  debug() {},
};

/** Matches one engine/agent log line; groups: timestamp, name, severity, category, code, message. */
export const LOG_LINE_RE =
  /^(\d{2}\/\d{2}\/\d{4} \d{1,2}:\d{2}:\d{2}\.\d{3}) (\S+) (Info|Warning|Error|Debug) (Server|Configuration|Protocol|System|Scripting) (\d+) (.*)$/;
