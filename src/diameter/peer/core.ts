// State shared by every Diameter connection of one engine: the peer table (which Origin-Host has an
// open connection, for the 5012 refusal of a second one), per-peer counters and gauges for `dia-stats`
// (aregcmd.md §13), End-to-End ids, Origin-State-Id and the start dump of aregcmd.md §11.2.
import { DIAMETER_PEER_COUNTERS, SECTIONS, diameterResultKey, type CounterBlock, type CounterRegistry, type DiameterPeerCounter, type Tally } from '../../counters/index.js';
import type { Log } from '../../log/logger.js';
import type { Dictionary } from '../dictionary.js';
import { EndToEndIdGenerator } from '../ids.js';
import type { LocalIdentity } from '../message.js';
import type { DiameterMessage } from '../types.js';
import type { DiameterSettings } from './settings.js';

/** RFC 6733 §5.6 state names as `dia-stats` shows them. */
export type PeerState = 'Closed' | 'Wait-Conn-Ack' | 'Wait-I-CEA' | 'Wait-CER' | 'R-Open' | 'I-Open' | 'Closing';
/** RFC 3539 watchdog states. */
export type WatchdogState = 'INITIAL' | 'OKAY' | 'SUSPECT' | 'DOWN' | 'REOPEN';

/** One configured peer, alive across connections (its counters survive reconnects). */
export interface PeerRecord {
  /** The client's HostName: the key of `dia-stats`. */
  readonly name: string;
  state: PeerState;
  watchdog: WatchdogState;
  readonly counters: CounterBlock<DiameterPeerCounter>;
  readonly results: Tally;
  /** The connection that holds the peer open, if any. */
  owner: object | undefined;
}

/** What an application handler learns about the request's origin. */
export interface RequestOrigin {
  /** The peer's HostName (dia-stats key). */
  peer: string;
  /** The /Radius/Clients object it matched. */
  client: string;
  /** Our Origin-Host/Realm for the answer. */
  identity: LocalIdentity;
  /** The peer's IP address, when the connection passes it (traces, Client-IP-Address of records). */
  address?: string;
}

/** Answers a request of a negotiated application (NASREQ, accounting, EAP, SIP...); undefined = no answer. */
export type ApplicationHandler = (request: DiameterMessage, origin: RequestOrigin) => DiameterMessage | undefined | Promise<DiameterMessage | undefined>;

export interface DiameterCoreOptions {
  dict: Dictionary;
  log: Log;
  counters: CounterRegistry;
  /** The settings in force (read once per connection). */
  settings: () => DiameterSettings;
  /** Tests: watchdog interval in ms used instead of WatchdogTimeout, without the 6 s floor. */
  watchdogMs?: number;
  /** Tests: jitter bound in ms (default 2000). */
  watchdogJitterMs?: number;
  /** Requests in progress, for the engine's drain at stop. */
  inFlight?: { begin(): void; end(): void };
  /** Tests: how long stop waits for a DPA (default 2000 ms, never more than the drain budget). */
  dpaWaitMs?: number;
}

export class DiameterCore {
  readonly dict: Dictionary;
  readonly log: Log;
  readonly counters: CounterRegistry;
  readonly settings: () => DiameterSettings;
  readonly endToEnd = new EndToEndIdGenerator();
  /** Seconds since the epoch at start: increases on every restart, which loses all peer state (§8.16). */
  readonly originStateId = Math.floor(Date.now() / 1000) >>> 0;
  readonly watchdogMs: number | undefined;
  readonly watchdogJitterMs: number;
  readonly dpaWaitMs: number;
  readonly inFlight: { begin(): void; end(): void } | undefined;
  /** Set by the application layer; without one, application requests get 3002. */
  applicationHandler: ApplicationHandler | undefined;
  private readonly peers = new Map<string, PeerRecord>();
  private dumped = false;

  constructor(opts: DiameterCoreOptions) {
    this.dict = opts.dict;
    this.log = opts.log;
    this.counters = opts.counters;
    this.settings = opts.settings;
    this.watchdogMs = opts.watchdogMs;
    this.watchdogJitterMs = opts.watchdogJitterMs ?? 2000;
    this.dpaWaitMs = opts.dpaWaitMs ?? 2000;
    this.inFlight = opts.inFlight;
    for (const c of this.settings().clients) this.peer(c.hostName);
  }

  /** The record of peer `hostName` (counters declared on first use). */
  peer(hostName: string): PeerRecord {
    const key = hostName.toLowerCase();
    let p = this.peers.get(key);
    if (!p) {
      const name = hostName;
      p = {
        name,
        state: 'Closed',
        watchdog: 'INITIAL',
        counters: this.counters.block(SECTIONS.diameterPeers, name, DIAMETER_PEER_COUNTERS),
        results: this.counters.tally(SECTIONS.diameterPeers, name),
        owner: undefined,
      };
      const rec = p;
      this.counters.gauge(SECTIONS.diameterPeers, name, 'state', () => rec.state);
      this.counters.gauge(SECTIONS.diameterPeers, name, 'watchdog', () => rec.watchdog);
      this.peers.set(key, p);
    }
    return p;
  }

  /** `app 1 cmd 265 request` / `app 1 cmd 265 answer 2001` tallies. */
  tally(peer: PeerRecord, app: number, cmd: number, request: boolean, resultCode?: number): void {
    peer.results.inc(diameterResultKey(app, cmd, request, resultCode));
  }

  /** The Diameter start dump (category Protocol), once per engine. */
  startDump(): void {
    if (this.dumped) return;
    this.dumped = true;
    const s = this.settings();
    const row = (...cells: string[]): void => {
      this.log.info('Protocol', cells.map((c, i) => (i < cells.length - 1 ? c.padEnd(34) : c)).join(''));
    };
    row('Starting diameter core', `Product : ${s.product}`, `Version : ${s.version}`);
    row(`Vendor Id : ${s.vendorId}`, `Auth Application : ${s.authApps.join('/')}`, `Acct Application : ${s.acctApps.join('/')}`);
    row(`Identity : ${s.identity}`, `Realm : ${s.realm}`, `TCP Listen : ${s.tcpListenPort}`);
    row(`Watch-Dog timeout : ${s.watchdogTimeoutMs}`, `Use IPv6 : ${s.useIPv6 ? 1 : 0}`, `Re-transmission Int : ${s.retransmissionInterval}`);
    row(`Max Re-trans Int : ${s.maxRetransmissions}`, `Recv Buffer Size : ${s.receiveBufferSize}`, 'Dumping Peer Table');
    for (const c of s.clients) {
      this.log.info('Protocol', `Peer : Host = ${c.hostName}, Port = ${c.peerPort}, AdvertiseHostName =, AdvertisedRealm =, TLS = ${c.tls ? 1 : 0}`);
    }
    for (const r of s.remoteServers ?? []) {
      this.log.info('Protocol', `Peer : Host = ${r.address}, Port = ${r.port}, AdvertiseHostName =, AdvertisedRealm =, TLS = ${r.tls ? 1 : 0}`);
    }
  }
}
