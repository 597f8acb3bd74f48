// The Diameter TCP listener (aregcmd.md §9.5): one net.Server per planned endpoint (0.0.0.0 and, optional,
// :: with ipv6Only, on TCPListenPort), each accepted socket handed to a PeerConnection. The endpoints of one
// engine share one DiameterCore (peer table, counters, start dump). At stop: no new connections, DPR
// (REBOOTING) to every open peer, a short wait for the DPAs, then every socket is closed.
import net from 'node:net';
import type { Endpoint, Listener, ListenerInfo } from '../../engine/process/listeners.js';
import type { EngineContext } from '../../engine/process/context.js';
import { builtinDictionary } from '../dictionary-files.js';
import { DiameterCore } from '../peer/core.js';
import { DisconnectCause, PeerConnection } from '../peer/connection.js';
import { diameterSettings, type DiameterSettings } from '../peer/settings.js';

const cores = new WeakMap<object, DiameterCore>();

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
  }
  return core;
}

export class DiameterTcpListener implements Listener {
  private server: net.Server | undefined;
  private readonly connections = new Set<PeerConnection>();

  constructor(private readonly endpoint: Endpoint, private readonly core: DiameterCore) {}

  start(): Promise<ListenerInfo> {
    this.core.startDump();
    return new Promise((resolve, reject) => {
      const server = net.createServer({ noDelay: true }, (socket) => this.accept(socket));
      const onError = (e: Error): void => reject(e);
      server.once('error', onError);
      const ipv6Only = this.endpoint.address.includes(':');
      server.listen({ host: this.endpoint.address, port: this.endpoint.port, ipv6Only, exclusive: true }, () => {
        server.off('error', onError);
        server.on('error', (e) => this.core.log.error('Server', `Diameter listener ${this.endpoint.address}:${this.endpoint.port}: ${e.message}`));
        this.server = server;
        const a = server.address() as net.AddressInfo;
        resolve({ address: a.address, port: a.port, transport: 'tcp' });
      });
    });
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
    const server = this.server;
    this.server = undefined;
    const closed = server ? new Promise<void>((r) => server.close(() => r())) : Promise.resolve();
    const wait = Math.min(this.core.dpaWaitMs, Math.max(0, drainMs));
    await Promise.all([...this.connections].map((c) => c.disconnect(DisconnectCause.REBOOTING, wait)));
    await closed;
  }
}
