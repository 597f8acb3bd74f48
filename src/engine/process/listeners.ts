// Protocol listeners. The engine works out from the configuration which endpoints (address, port,
// protocol) it should serve; protocol modules register a factory per protocol; the engine creates one
// Listener per endpoint, starts them, reports each in `status`, and stops them (with a drain budget) on
// `stop`.
//
// A protocol module registers itself at import time:
//   import { registerListenerFactory } from '../engine/process/listeners.js';
//   registerListenerFactory('radius', (endpoint, ctx) => new RadiusUdpListener(endpoint, ctx));
// and is added to the import list in src/engine/process/protocols.ts.
import type { EngineConfigView, PortType } from './config.js';
import type { EngineContext } from './context.js';

export type Protocol = 'radius' | 'diameter';
export type Transport = 'udp' | 'tcp';
export type EndpointKind = PortType | 'diameter';

/** A place the configuration says the engine serves. */
export interface Endpoint {
  protocol: Protocol;
  kind: EndpointKind;
  transport: Transport;
  /** Address to bind (`0.0.0.0`, `::`, or one of /Radius/Advanced/Interfaces). */
  address: string;
  port: number;
  /** `RADIUS Access`, `RADIUS Accounting`, `RADIUS Dynamic Authorization`, `Diameter-TCP`. */
  label: string;
  /** True for the IPv6 wildcard added when Interfaces is empty: failing to bind it (a host without IPv6)
   * is a warning and costs no health. The listener should bind it with ipv6Only. */
  optional: boolean;
}

/** What a listener reports once bound. */
export interface ListenerInfo {
  address: string;
  /** The bound port (differs from the endpoint's only when that was 0). */
  port: number;
  transport: Transport;
}

export interface Listener {
  /** Binds and starts serving; rejects if it cannot bind. */
  start(): Promise<ListenerInfo>;
  /** Stops accepting new work at once, lets in-flight requests finish for at most `drainMs`, then closes. */
  stop(drainMs: number): Promise<void>;
}

export type ListenerFactory = (endpoint: Endpoint, ctx: EngineContext) => Listener;

export type EndpointState = 'listening' | 'failed' | 'unserved' | 'stopped';

/** An endpoint as `status` reports it. `unserved`: no protocol module is registered for it (yet). */
export interface EndpointStatus extends Endpoint {
  state: EndpointState;
  error?: string;
  bound?: ListenerInfo;
}

const LABELS: Record<EndpointKind, string> = {
  auth: 'RADIUS Access',
  acct: 'RADIUS Accounting',
  dynauth: 'RADIUS Dynamic Authorization',
  diameter: 'Diameter-TCP',
};

/** Default RADIUS ports when /Radius/Advanced/Ports is empty (aregcmd.md §7.3.9). */
export const DEFAULT_PORTS: { port: number; type: PortType }[] = [
  { port: 1812, type: 'auth' },
  { port: 1813, type: 'acct' },
];

/** The endpoints `config` asks for, in log order: RADIUS ports per interface, then Diameter. */
export function plannedEndpoints(config: EngineConfigView): Endpoint[] {
  const explicit = config.interfaces.length > 0;
  const addresses = explicit
    ? config.interfaces.map((a) => ({ address: a, optional: false }))
    : [
        { address: '0.0.0.0', optional: false },
        { address: '::', optional: true },
      ];
  const ports = config.ports.length > 0 ? config.ports : DEFAULT_PORTS;
  const out: Endpoint[] = [];
  for (const { address, optional } of addresses) {
    for (const p of ports) {
      out.push({ protocol: 'radius', kind: p.type, transport: 'udp', address, port: p.port, label: LABELS[p.type], optional });
    }
  }
  const t = config.diameter.transport;
  if (t) {
    for (const { address, optional } of addresses) {
      out.push({ protocol: 'diameter', kind: 'diameter', transport: 'tcp', address, port: t.tcpListenPort, label: LABELS.diameter, optional });
    }
  }
  return out;
}

/** `127.0.0.1, port 1812 (RADIUS Access)` — the tail of the `Starting Interface` log line. */
export function describeEndpoint(e: Endpoint): string {
  return `${e.address}, port ${e.port} (${e.label})`;
}

export function isIPv6(address: string): boolean {
  return address.includes(':');
}

/** Factories by protocol. The engine uses `listenerRegistry`; tests may build their own. */
export class ListenerRegistry {
  private readonly factories = new Map<Protocol, ListenerFactory>();

  register(protocol: Protocol, factory: ListenerFactory): void {
    this.factories.set(protocol, factory);
  }

  unregister(protocol: Protocol): void {
    this.factories.delete(protocol);
  }

  get(protocol: Protocol): ListenerFactory | undefined {
    return this.factories.get(protocol);
  }

  protocols(): Protocol[] {
    return [...this.factories.keys()];
  }
}

export const listenerRegistry = new ListenerRegistry();

export function registerListenerFactory(protocol: Protocol, factory: ListenerFactory): void {
  listenerRegistry.register(protocol, factory);
}
