// A minimal Diameter peer over TCP built on areg's codec, for tests that speak to a real engine: sends
// requests (our Hop-by-Hop/End-to-End ids unless given) and returns the matching answer, with the raw
// octets kept so that layouts can be checked byte by byte.
import net from 'node:net';
import {
  DiameterFramer, MessageFlags, builtinDictionary, decodeMessage, encodeMessage, makeAvp, type Avp, type DiameterMessage,
} from '../../src/diameter/index.js';

export const dict = builtinDictionary();

export interface Received {
  msg: DiameterMessage;
  raw: Buffer;
}

export class TestPeer {
  private readonly framer = new DiameterFramer();
  private readonly waiting = new Map<number, (r: Received) => void>();
  private readonly unsolicited: Received[] = [];
  private hbh = 1000;
  private e2e = 0x5000_0000;
  closed: Promise<void>;

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      const { messages } = this.framer.push(chunk);
      for (const raw of messages) {
        const d = decodeMessage(raw, dict);
        const msg = d.ok ? d.message : d.partial!;
        const w = this.waiting.get(msg.hopByHopId);
        if (w && !(msg.flags & MessageFlags.Request)) {
          this.waiting.delete(msg.hopByHopId);
          w({ msg, raw: Buffer.from(raw) });
        } else this.unsolicited.push({ msg, raw: Buffer.from(raw) });
      }
    });
    this.closed = new Promise((r) => socket.once('close', () => r()));
  }

  static connect(port: number): Promise<TestPeer> {
    return new Promise((resolve, reject) => {
      const s = net.connect({ host: '127.0.0.1', port }, () => resolve(new TestPeer(s)));
      s.once('error', reject);
    });
  }

  /** A request from name/value pairs; `ids` overrides the identifiers (duplicates). */
  request(app: number, cmd: number, avps: [string, Avp['value']][], opts: { flags?: number; e2e?: number; hbh?: number } = {}): DiameterMessage {
    return {
      flags: opts.flags ?? (MessageFlags.Request | MessageFlags.Proxiable),
      commandCode: cmd,
      applicationId: app,
      hopByHopId: opts.hbh ?? ++this.hbh,
      endToEndId: opts.e2e ?? ++this.e2e,
      avps: avps.map(([n, v]) => makeAvp(dict, n, v)),
    };
  }

  /** Sends `msg` (or its octets) and resolves with the answer of the same Hop-by-Hop id. */
  send(msg: DiameterMessage, raw = encodeMessage(msg), timeoutMs = 5000): Promise<Received> {
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => {
        this.waiting.delete(msg.hopByHopId);
        reject(new Error(`no answer to command ${msg.commandCode} (hop-by-hop ${msg.hopByHopId}) within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting.set(msg.hopByHopId, (r) => {
        clearTimeout(t);
        resolve(r);
      });
      this.socket.write(raw);
    });
  }

  destroy(): void {
    this.socket.destroy();
  }
}
