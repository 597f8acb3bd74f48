// The Diameter TCP listener (aregcmd.md §9.5): one net.Server per planned endpoint (0.0.0.0 and, optional,
// :: with ipv6Only, on TCPListenPort), each accepted socket handed to a PeerConnection. The endpoints of one
// engine share one DiameterCore (peer table, counters, start dump). At stop: no new connections, DPR
// (REBOOTING) to every open peer, a short wait for the DPAs, then every socket is closed.
// With TLSListenPort set, the listener of the first planned endpoint (0.0.0.0 or the first Interface;
// never the optional IPv6 wildcard) also serves TLS on that port (RFC 6733 §13, TLS from the first byte),
// with the certificate and key of the first Diameter client that has ServerCertificateFile and ServerKeyFile
// (preferring TransportProtocol tls) and its PeerVerificationMode (see dial.ts).
// The core's RemotePeers (the initiator side, peer/initiator.ts) start dialing when the first listener is
// up, follow reloads, and send DPR (REBOOTING) at stop.
import net from 'node:net';
import tls from 'node:tls';
import type { Endpoint, Listener, ListenerInfo } from '../../engine/process/listeners.js';
import type { EngineContext } from '../../engine/process/context.js';
import { builtinDictionary } from '../dictionary-files.js';
import { DiameterCore } from '../peer/core.js';
import { DisconnectCause, PeerConnection } from '../peer/connection.js';
import { RemotePeers } from '../peer/initiator.js';
import { diameterSettings, type DiameterSettings } from '../peer/settings.js';
import { dialerFor, tlsServerOptions } from './dial.js';

const cores = new WeakMap<object, DiameterCore>();
const remotes = new WeakMap<DiameterCore, RemotePeers>();

/** The initiator side of `core`, when the engine created it (undefined for cores built by tests). */
export function remotePeersOf(core: DiameterCore): RemotePeers | undefined {
  return remotes.get(core);
}

/** The DiameterCore of an engine, created with its first Diameter listener. */
export function diameterCoreOf(ctx: EngineContext): DiameterCore {
  let core = cores.get(ctx);
  if (!core) {
    const settings = (): DiameterSettings => {
      const s = diameterSettings(ctx.current.config);
      if (!s) throw new Error('Diameter is not configured (TransportManagement Identity and Realm)');
      return s;
    };
    core = new DiameterCore({ dict: builtinDictionary(), log: ctx.log, counters: ctx.counters, settings, inFlight: ctx.inFlight });
    cores.set(ctx, core);
    const peers = new RemotePeers(core, { dial: dialerFor(ctx.log) });
    remotes.set(core, peers);
    ctx.onReload({
      applied: (current) => {
        const s = diameterSettings(current.config);
        void peers.sync(s?.remoteServers ?? []).catch((e: unknown) => ctx.log.error('Server', `Diameter remote servers after reload: ${e instanceof Error ? e.message : String(e)}`));
      },
    });
    ctx.onStop(() => peers.stop());
  }
  return core;
}

export class DiameterTcpListener implements Listener {
  private server: net.Server | undefined;
  private tlsServer: tls.Server | undefined;
  private readonly connections = new Set<PeerConnection>();

  constructor(private readonly endpoint: Endpoint, private readonly core: DiameterCore) {}

  async start(): Promise<ListenerInfo> {
    this.core.startDump();
    const server = net.createServer({ noDelay: true }, (socket) => this.accept(socket));
    const info = await this.listen(server, this.endpoint.port);
    this.server = server;
    if (!this.endpoint.optional) await this.startTls();
    remotePeersOf(this.core)?.start();
    return { address: info.address, port: info.port, transport: 'tcp' };
  }

  /** The bound port of the TLS listener, if one runs. */
  get tlsPort(): number | undefined {
    return (this.tlsServer?.address() as net.AddressInfo | null)?.port;
  }

  private listen(server: net.Server, port: number): Promise<net.AddressInfo> {
    return new Promise((resolve, reject) => {
      const onError = (e: Error): void => reject(e);
      server.once('error', onError);
      const ipv6Only = this.endpoint.address.includes(':');
      server.listen({ host: this.endpoint.address, port, ipv6Only, exclusive: true }, () => {
        server.off('error', onError);
        server.on('error', (e) => this.core.log.error('Server', `Diameter listener ${this.endpoint.address}:${port}: ${e.message}`));
        resolve(server.address() as net.AddressInfo);
      });
    });
  }

  /** TLSListenPort: failures are logged, they do not stop the TCP listener. */
  private async startTls(): Promise<void> {
    const s = this.core.settings();
    if (s.tlsListenPort === undefined) return;
    const where = `${this.endpoint.address}, port ${s.tlsListenPort} (Diameter-TLS)`;
    try {
      if (!s.listenerTls) throw new Error('no Diameter client has ServerCertificateFile and ServerKeyFile');
      const server = tls.createServer(tlsServerOptions(s.listenerTls), (socket) => this.accept(socket));
      server.on('tlsClientError', (e, socket) => this.core.log.warning('Server', `Diameter TLS handshake with ${socket.remoteAddress} failed: ${e.message}`));
      await this.listen(server, s.tlsListenPort);
      this.tlsServer = server;
      this.core.log.info('Server', `Starting Interface ${where}`);
    } catch (e) {
      this.core.log.error('Server', `Failed to start Interface ${where}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private accept(socket: net.Socket): void {
    try {
      socket.setNoDelay(true);
      const conn = new PeerConnection(this.core, socket,
        { remote: socket.remoteAddress ?? '', local: socket.localAddress ?? '' },
        (c) => this.connections.delete(c));
      this.connections.add(conn);
    } catch (e) {
      this.core.log.error('Server', `Cannot serve the Diameter connection from ${socket.remoteAddress}: ${e instanceof Error ? e.message : String(e)}`);
      socket.destroy();
    }
  }

  async stop(drainMs: number): Promise<void> {
    const servers = [this.server, this.tlsServer].filter((x): x is net.Server => x !== undefined);
    this.server = undefined;
    this.tlsServer = undefined;
    const closed = Promise.all(servers.map((server) => new Promise<void>((r) => server.close(() => r()))));
    const wait = Math.min(this.core.dpaWaitMs, Math.max(0, drainMs));
    await Promise.all([...this.connections].map((c) => c.disconnect(DisconnectCause.REBOOTING, wait)));
    await closed;
  }
}
