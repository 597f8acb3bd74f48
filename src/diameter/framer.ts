// Reassembles Diameter messages from a TCP byte stream. Each message's Length is checked as soon as
// its first four octets are in, so a zero, short, odd or huge Length ends the stream with one
// fatal error instead of a loop (the node-diameter hangs of dependencies.md §3) or a giant buffer.
import { ResultCode, type DiameterError } from './errors.js';
import { HEADER_LENGTH } from './types.js';

export const DEFAULT_MAX_MESSAGE_SIZE = 256 * 1024;

export interface FramerOptions {
  /** Largest accepted message Length in octets; longer announcements are fatal. */
  maxMessageSize?: number;
}

export interface FrameResult {
  /** Whole messages, in order. Those that fit inside one chunk are views into it, not copies. */
  messages: Buffer[];
  /** Set once the stream is unusable: close the connection. Every later push returns it again. */
  error?: DiameterError;
}

export class DiameterFramer {
  private readonly maxMessageSize: number;
  /** The first four octets (version + Length) of a message split before its Length was complete. */
  private readonly prefix = Buffer.alloc(4);
  private prefixLength = 0;
  /** The message being assembled across chunks, allocated once at its announced Length. */
  private partial: Buffer | undefined;
  private partialLength = 0;
  private error: DiameterError | undefined;

  constructor(options: FramerOptions = {}) {
    this.maxMessageSize = options.maxMessageSize ?? DEFAULT_MAX_MESSAGE_SIZE;
  }

  /** Octets held for an incomplete message. */
  get pending(): number {
    return this.partial ? this.partialLength : this.prefixLength;
  }

  push(chunk: Buffer): FrameResult {
    const messages: Buffer[] = [];
    if (this.error) return { messages, error: this.error };
    let at = 0;
    if (this.partial || this.prefixLength) at = this.continuePending(chunk, messages);
    while (!this.error && at < chunk.length) {
      const left = chunk.length - at;
      if (left < 4) {
        chunk.copy(this.prefix, 0, at);
        this.prefixLength = left;
        break;
      }
      const length = this.checkLength(chunk, at);
      if (length === undefined) break;
      if (length <= left) {
        messages.push(chunk.subarray(at, at + length));
        at += length;
      } else {
        this.partial = Buffer.allocUnsafe(length);
        this.partialLength = chunk.copy(this.partial, 0, at);
        break;
      }
    }
    return this.error ? { messages, error: this.error } : { messages };
  }

  /** Feeds the start of `chunk` to the pending message; returns how many octets it took. */
  private continuePending(chunk: Buffer, messages: Buffer[]): number {
    let at = 0;
    if (!this.partial) {
      at = chunk.copy(this.prefix, this.prefixLength, 0, 4 - this.prefixLength);
      this.prefixLength += at;
      if (this.prefixLength < 4) return at;
      const length = this.checkLength(this.prefix, 0);
      if (length === undefined) return chunk.length;
      this.partial = Buffer.allocUnsafe(length);
      this.prefix.copy(this.partial);
      this.partialLength = 4;
      this.prefixLength = 0;
    }
    const taken = chunk.copy(this.partial, this.partialLength, at);
    this.partialLength += taken;
    at += taken;
    if (this.partialLength === this.partial.length) {
      messages.push(this.partial);
      this.partial = undefined;
      this.partialLength = 0;
    }
    return at;
  }

  private checkLength(buf: Buffer, at: number): number | undefined {
    const length = buf.readUIntBE(at + 1, 3);
    let problem: string | undefined;
    if (length < HEADER_LENGTH) problem = `message Length ${length} is below the ${HEADER_LENGTH}-octet header`;
    else if (length % 4 !== 0) problem = `message Length ${length} is not a multiple of 4`;
    else if (length > this.maxMessageSize) problem = `message Length ${length} exceeds the ${this.maxMessageSize}-octet limit`;
    if (problem === undefined) return length;
    this.error = { resultCode: ResultCode.INVALID_MESSAGE_LENGTH, message: problem };
    return undefined;
  }
}
