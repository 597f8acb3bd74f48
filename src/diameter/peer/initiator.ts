// The initiator side of the peer table (RFC 6733 §5.6, aregcmd.md §7.3.7): one RemotePeer per
// /Radius/RemoteServers entry with Protocol diameter. It dials IPAddress:DestinationPort (a Dial given by
// the transport layer: TCP, or TLS when TransportProtocol is tls), hands the socket to a PeerConnection in
// the initiator role (CER → CEA 2001 from HostName → I-Open), and after a failure or a close dials again
// every Tc (ReconnectInterval); a connection that comes up after an earlier one was lost starts its
// watchdog in REOPEN (RFC 3539). After MaxReconnections failed attempts in a row (the first connect counts
// as one; 0 = no limit) the peer is given up until the next reload. While another connection of the same peer is open (the peer connected to
// us, or won an election) no dial is made. RemotePeers follows the configuration: sync() after a reload
// starts new entries and sends DPR (DO_NOT_WANT_TO_TALK_TO_YOU) to removed or changed ones; stop() sends
// DPR (REBOOTING) to all.
import type { Duplex } from 'node:stream';
import { DisconnectCause, PeerConnection, type ConnectionAddresses } from './connection.js';
import type { DiameterCore } from './core.js';
import type { DiameterRemoteServer } from './settings.js';

/** A dial in progress: the socket at once, `ready` once the transport is up (TLS: after the handshake). */
export interface Dialed {
  socket: Duplex;
  ready: Promise<ConnectionAddresses>;
}

/** Opens a transport connection to a remote server; `timeoutMs` bounds the connect (and handshake). */
export type Dial = (server: DiameterRemoteServer, timeoutMs: number) => Dialed;

export interface RemotePeersOptions {
  dial: Dial;
  /** Tests: Tc in ms instead of the settings' ReconnectInterval. */
  reconnectMs?: number;
}

export class RemotePeer {
  private conn: PeerConnection | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = true;
  /** Set once a connection was open: the next one starts in REOPEN. */
  private opened = false;
  /** Attempts in a row that did not reach I-Open. */
  private failures = 0;
  /** MaxReconnections reached: no dial until revive() (a reload). */
  givenUp = false;

  constructor(private readonly core: DiameterCore, readonly server: DiameterRemoteServer, private readonly opts: RemotePeersOptions) {
    core.peer(server.hostName);
  }

  /** The connection in progress or open, if any (tests). */
  get connection(): PeerConnection | undefined {
    return this.conn;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.attempt();
  }

  /** A reload: a peer given up after MaxReconnections is dialed again. */
  revive(): void {
    if (!this.givenUp) return;
    this.givenUp = false;
    this.failures = 0;
    this.core.log.info('Server', `RemoteServer ${this.server.name}: reconnecting after the reload`);
    this.attempt();
  }

  private reconnectMs(): number {
    return this.opts.reconnectMs ?? (this.core.settings().reconnectIntervalMs || 30000);
  }

  private schedule(): void {
    if (this.stopped || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.attempt();
    }, this.reconnectMs());
    this.timer.unref?.();
  }

  private attempt(): void {
    if (this.stopped || this.givenUp || this.conn) return;
    try {
      const peer = this.core.peer(this.server.hostName);
      if (peer.owner) {
        // The peer is connected to us already (or its connection won an election): nothing to dial.
        this.schedule();
        return;
      }
      const s = this.server;
      this.core.log.info('Server', `Connecting to ${s.address}:${s.port}...${s.tls ? ' (TLS)' : ''}`);
      const settings = this.core.settings();
      const timeout = this.core.watchdogMs ?? Math.max(6000, settings.watchdogTimeoutMs);
      const dialed = this.opts.dial(s, timeout);
      const conn = new PeerConnection(this.core, dialed.socket, { remote: s.address, local: '' }, () => {
        if (this.conn === conn) this.conn = undefined;
        if (conn.wasOpen) {
          this.opened = true;
          this.failures = 0;
        } else if (++this.failures >= (settings.maxReconnections || Infinity) && !this.stopped) {
          this.givenUp = true;
          this.core.log.warning('Server', `RemoteServer ${s.name} (${s.hostName}): no connection after ${this.failures} attempts (MaxReconnections); given up until the next reload`);
          return;
        }
        this.schedule();
      }, { server: s, reopen: this.opened });
      this.conn = conn;
      dialed.ready.then((addresses) => conn.connected(addresses), (e: unknown) => {
        this.core.log.warning('Server', `Cannot connect to RemoteServer ${s.name} (${s.address}:${s.port}): ${e instanceof Error ? e.message : String(e)}`);
        conn.close('connection failed', true);
      });
    } catch (e) {
      this.core.log.error('Server', `Cannot connect to RemoteServer ${this.server.name}: ${e instanceof Error ? e.message : String(e)}`);
      this.schedule();
    }
  }

  /** No more reconnects; DPR with `cause` to an open connection (close on the DPA or after `waitMs`). */
  async stop(cause: number, waitMs: number): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const c = this.conn;
    this.conn = undefined;
    if (c) await c.disconnect(cause, waitMs);
  }
}

/** Same entry, same connection: a change of any of these restarts the peer. */
function serverKey(s: DiameterRemoteServer): string {
  return JSON.stringify([s.hostName.toLowerCase(), s.address, s.port, s.tls ?? null]);
}

export class RemotePeers {
  private readonly peers = new Map<string, { key: string; peer: RemotePeer }>();
  private started = false;

  constructor(private readonly core: DiameterCore, private readonly opts: RemotePeersOptions) {}

  /** The RemotePeer of remote server `name` (tests). */
  get(name: string): RemotePeer | undefined {
    return this.peers.get(name)?.peer;
  }

  /** Starts dialing the configured remote servers (once). */
  start(): void {
    if (this.started) return;
    this.started = true;
    void this.sync(this.core.settings().remoteServers ?? [], 0);
  }

  /** Follows the configuration: new entries start, removed or changed ones get DPR and close. */
  async sync(servers: readonly DiameterRemoteServer[], waitMs = this.core.dpaWaitMs): Promise<void> {
    if (!this.started) return;
    const wanted = new Map(servers.map((s) => [s.name, s]));
    const stopping: Promise<void>[] = [];
    for (const [name, entry] of [...this.peers]) {
      const s = wanted.get(name);
      if (s && serverKey(s) === entry.key) {
        entry.peer.revive();
        continue;
      }
      this.peers.delete(name);
      this.core.log.info('Server', `RemoteServer ${name} ${s ? 'changed' : 'removed'}: disconnecting from ${entry.peer.server.hostName}`);
      stopping.push(entry.peer.stop(DisconnectCause.DO_NOT_WANT_TO_TALK_TO_YOU, waitMs));
    }
    if (stopping.length) await Promise.all(stopping);
    for (const s of servers) {
      if (this.peers.has(s.name)) continue;
      const peer = new RemotePeer(this.core, s, this.opts);
      this.peers.set(s.name, { key: serverKey(s), peer });
      peer.start();
    }
  }

  /** Engine stop: DPR (REBOOTING) to every connected remote server, no more reconnects. */
  async stop(waitMs = this.core.dpaWaitMs): Promise<void> {
    this.started = false;
    const all = [...this.peers.values()];
    this.peers.clear();
    await Promise.all(all.map((e) => e.peer.stop(DisconnectCause.REBOOTING, waitMs)));
  }
}
