// Shared by the peer tests: an in-memory socket pair, a fake Diameter peer on its far end, a log that keeps
// its lines, and DiameterSettings with test defaults.
import { strict as assert } from 'node:assert';
import { Duplex } from 'node:stream';
import {
  DiameterFramer, MessageFlags, builtinDictionary, decodeMessage, encodeMessage, findAvp, makeAvp,
  type Avp, type DiameterMessage,
} from '../../src/diameter/index.js';
import type { DiameterSettings } from '../../src/diameter/peer/settings.js';
import type { Log } from '../../src/log/logger.js';

export const dict = builtinDictionary();

/** Two cross-wired Duplex streams: what one writes, the other reads. */
export function socketPair(): [Duplex, Duplex] {
  const ends: Duplex[] = [];
  const make = (i: number): Duplex => {
    let ended = false;
    const other = (): Duplex => ends[1 - i]!;
    const eof = (): void => {
      const o = other() as Duplex & { eofSent?: boolean };
      if (!o.eofSent) {
        o.eofSent = true;
        o.push(null);
      }
    };
    return new Duplex({
      read() {},
      write(chunk: Buffer, _enc, cb) {
        if (!ended) other().push(Buffer.from(chunk));
        cb();
      },
      final(cb) {
        ended = true;
        eof();
        cb();
      },
      destroy(err, cb) {
        ended = true;
        eof();
        cb(err);
      },
    });
  };
  ends.push(make(0), make(1));
  return [ends[0]!, ends[1]!];
}

export function settings(over: Partial<DiameterSettings> = {}): DiameterSettings {
  return {
    identity: 'server.test', realm: 'test', tcpListenPort: 3868, vendorId: 9, product: 'areg', version: '1.2.3',
    authApps: [1, 5], acctApps: [3], watchdogTimeoutMs: 30000, validateIncoming: false, useIPv6: false,
    retransmissionInterval: 8, maxRetransmissions: 3, receiveBufferSize: 20480,
    clients: [{ name: 'fd', hostName: 'Client.Test', address: undefined, peerPort: 3868, profile: 'rfc' }],
    ...over,
  };
}

export class Lines implements Log {
  readonly lines: string[] = [];
  log(sev: string, cat: string, m: string): void {
    this.lines.push(`${sev} ${cat} ${m}`);
  }
  info(c: 'Server', m: string): void { this.log('Info', c, m); }
  warning(c: 'Server', m: string): void { this.log('Warning', c, m); }
  error(c: 'Server', m: string): void { this.log('Error', c, m); }
  debug(c: 'Server', m: string): void { this.log('Debug', c, m); }
}

/** The test's side of the connection: sends messages, reads decoded ones, sees the close. */
export class FakePeer {
  private readonly framer = new DiameterFramer();
  private readonly queue: DiameterMessage[] = [];
  private waiter: (() => void) | undefined;
  closed = false;
  private hbh = 100;

  constructor(readonly end: Duplex) {
    end.on('data', (chunk: Buffer) => {
      for (const m of this.framer.push(chunk).messages) {
        const d = decodeMessage(m, dict);
        assert.ok(d.ok, `decodable: ${d.ok ? '' : d.error.message}`);
        this.queue.push(d.message);
      }
      this.waiter?.();
    });
    end.on('end', () => {
      this.closed = true;
      this.waiter?.();
    });
  }

  send(cmd: number, avps: Avp[], app = 0, flags: number = MessageFlags.Request): number {
    const hopByHopId = this.hbh++;
    this.end.write(encodeMessage({ flags, commandCode: cmd, applicationId: app, hopByHopId, endToEndId: hopByHopId + 1000, avps }));
    return hopByHopId;
  }

  private async until(cond: () => boolean, what: string, ms = 2000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!cond()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((r) => {
        this.waiter = r;
        setTimeout(r, 20);
      });
    }
  }

  async next(): Promise<DiameterMessage> {
    await this.until(() => this.queue.length > 0 || this.closed, 'a message');
    const m = this.queue.shift();
    if (!m) throw new Error('connection closed without a message');
    return m;
  }

  async waitClosed(ms = 2000): Promise<void> {
    await this.until(() => this.closed, 'the close', ms);
  }
}

export const origin = (host = 'client.test'): Avp[] => [makeAvp(dict, 'Origin-Host', host), makeAvp(dict, 'Origin-Realm', 'test')];

export function cerAvps(host = 'client.test', apps: Avp[] = [makeAvp(dict, 'Auth-Application-Id', 1)]): Avp[] {
  return [
    ...origin(host), makeAvp(dict, 'Host-IP-Address', '127.0.0.1'), makeAvp(dict, 'Vendor-Id', 0),
    makeAvp(dict, 'Product-Name', 'fake'), ...apps,
  ];
}

export const num = (m: DiameterMessage, name: string): unknown => findAvp(m.avps, dict.avpByName(name)!)?.value;

