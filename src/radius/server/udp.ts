// UDP transport for RADIUS: one dgram socket per endpoint (udp4, or udp6 with ipv6Only so that `::` and
// `0.0.0.0` can both be bound), receive buffer from UDPReceiveBufferSize. Datagrams go to the socket's
// RadiusHandler; replies go out of the same socket (the receiving socket is part of the duplicate key).
import dgram from 'node:dgram';
import type { EngineContext } from '../../engine/process/context.js';
import type { Endpoint, Listener, ListenerInfo } from '../../engine/process/listeners.js';
import { RadiusHandler, type PortKind, type RadiusShared } from './handler.js';

export class RadiusUdpListener implements Listener {
  private socket: dgram.Socket | undefined;
  private handler: RadiusHandler | undefined;

  constructor(
    private readonly endpoint: Endpoint,
    private readonly ctx: EngineContext,
    private readonly shared: RadiusShared,
  ) {}

  start(): Promise<ListenerInfo> {
    const { endpoint, ctx } = this;
    const v6 = endpoint.address.includes(':');
    const socket = dgram.createSocket({ type: v6 ? 'udp6' : 'udp4', ipv6Only: v6 });
    const handler = new RadiusHandler(ctx, this.shared, endpoint.kind as PortKind, (buf, to) => {
      socket.send(buf, to.port, to.address, (err) => {
        if (err) ctx.log.warning('Protocol', `Cannot send to ${to.address}:${to.port}: ${err.message}`);
      });
    });
    this.socket = socket;
    this.handler = handler;
    return new Promise((resolve, reject) => {
      const onError = (err: Error): void => {
        socket.close();
        reject(err);
      };
      socket.once('error', onError);
      socket.bind({ address: endpoint.address, port: endpoint.port, exclusive: true }, () => {
        socket.off('error', onError);
        socket.on('error', (err) => ctx.log.error('Protocol', `Socket ${endpoint.address}:${endpoint.port}: ${err.message}`));
        const size = ctx.current.config.advanced.udpReceiveBufferSize;
        if (size > 0) {
          try {
            socket.setRecvBufferSize(size);
          } catch (e) {
            ctx.log.warning('Server', `Cannot set the receive buffer of ${endpoint.address}:${endpoint.port} to ${size} bytes: ${e instanceof Error ? e.message : String(e)}`);
          }
        }
        socket.on('message', (msg, rinfo) => handler.handle(msg, { address: rinfo.address, port: rinfo.port }));
        const a = socket.address();
        resolve({ address: a.address, port: a.port, transport: 'udp' });
      });
    });
  }

  async stop(drainMs: number): Promise<void> {
    const { socket, handler } = this;
    if (!socket || !handler) return;
    handler.accepting = false;
    const deadline = Date.now() + drainMs;
    while (handler.inProgress > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await new Promise<void>((resolve) => socket.close(() => resolve()));
    this.socket = undefined;
  }
}
