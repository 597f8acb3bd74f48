// What the peer state machine needs from the configuration, read once per connection from the loaded
// EngineConfig (aregcmd.md §7.3.3 Diameter clients, §7.3.9 Diameter/General and TransportManagement), and
// the remote servers the engine connects to (§7.3.7, Protocol diameter), Tc, the TLS listener, and
// the two CER decisions that depend on it: which client a peer is, and which applications we share.
import type { ConfigObject } from '../../config/object.js';
import type { EngineConfig } from '../../config/view.js';
import type { AddressRange } from '../../schema/types.js';
import { ipToBigInt } from '../../schema/types.js';
import { findAvps } from '../avp.js';
import type { Avp } from '../types.js';

export const RELAY_APPLICATION_ID = 0xffffffff;
const AVP = { AuthApplicationId: 258, AcctApplicationId: 259, VendorSpecificApplicationId: 260, InbandSecurityId: 299 } as const;
const INBAND_TLS = 1;

/** A configured Diameter client (/Radius/Clients/<name> with Protocol diameter). */
export interface DiameterClient {
  name: string;
  hostName: string;
  /** Accepted source addresses; undefined = any. */
  address: AddressRange | undefined;
  peerPort: number;
  profile: 'rfc' | 'opensips';
  /** TransportProtocol tls: the client's TLS material (the listener's certificate comes from the first such client). */
  tls?: DiameterTls;
}

/** PeerVerificationMode (aregcmd.md §7.3.3). */
export type PeerVerificationMode = 'None' | 'Optional' | 'RequireCertificate';

/** TLS material of a Diameter client or remote server (file names as configured, read at connection time). */
export interface DiameterTls {
  certFile: string;
  keyFile: string;
  passphrase: string;
  caFile: string;
  caPath: string;
  verify: PeerVerificationMode;
}

/** A /Radius/RemoteServers entry with Protocol diameter: a peer the engine connects to (initiator). */
export interface DiameterRemoteServer {
  name: string;
  /** Expected Origin-Host of its CEA. */
  hostName: string;
  /** Connect address (IPAddress, else HostName). */
  address: string;
  port: number;
  /** TransportProtocol tls: TLS from the first byte (RFC 6733 §13). */
  tls: DiameterTls | undefined;
}

export interface DiameterSettings {
  identity: string;
  realm: string;
  tcpListenPort: number;
  vendorId: number;
  product: string;
  /** General/Version as text; Firmware-Revision is its numeric form (firmwareRevision()). */
  version: string;
  authApps: number[];
  acctApps: number[];
  watchdogTimeoutMs: number;
  validateIncoming: boolean;
  useIPv6: boolean;
  retransmissionInterval: number;
  maxRetransmissions: number;
  receiveBufferSize: number;
  clients: DiameterClient[];
  /** Peers to connect to (absent = none). */
  remoteServers?: DiameterRemoteServer[];
  /** Tc: delay before reconnecting to a remote server after a failure or close (default 30000). */
  reconnectIntervalMs?: number;
  /** MaxReconnections: failed attempts in a row after which a remote server is given up until the next reload
   * (0 or absent = never given up). */
  maxReconnections?: number;
  /** TLSListenPort (absent = no TLS listener). */
  tlsListenPort?: number;
  /** The TLS listener's certificate, key and verification mode (from the Diameter clients, see listenerTls). */
  listenerTls?: DiameterTls;
}

function idList(v: unknown): number[] {
  if (Array.isArray(v)) return v.map(Number).filter((n) => Number.isInteger(n) && n >= 0);
  if (typeof v === 'number') return [v];
  if (typeof v === 'string' && v.trim()) return v.split(/[:,\s]+/).filter(Boolean).map(Number).filter((n) => Number.isInteger(n) && n >= 0);
  return [];
}

function tlsOf(o: ConfigObject): DiameterTls {
  const mode = o.str('PeerVerificationMode');
  return {
    certFile: o.str('ServerCertificateFile'),
    keyFile: o.str('ServerKeyFile'),
    passphrase: o.str('PrivateKeyPassword'),
    caFile: o.str('CACertificateFile'),
    caPath: o.str('CACertificatePath'),
    verify: mode === 'Optional' || mode === 'RequireCertificate' ? mode : 'None',
  };
}

/** The TLS listener's material: the first Diameter client (tree order) with TransportProtocol tls and both
 * ServerCertificateFile and ServerKeyFile, else the first Diameter client with both files. */
export function listenerTls(clients: readonly ConfigObject[]): DiameterTls | undefined {
  const diameter = clients.filter((c) => c.str('Protocol') === 'diameter' && c.str('ServerCertificateFile') && c.str('ServerKeyFile'));
  const pick = diameter.find((c) => c.str('TransportProtocol') === 'tls') ?? diameter[0];
  return pick ? tlsOf(pick) : undefined;
}

/** The Diameter settings of a loaded configuration, or undefined when Diameter is not configured. */
export function diameterSettings(config: EngineConfig): DiameterSettings | undefined {
  const t = config.diameter.transport;
  if (!t) return undefined;
  const g = config.diameter.general;
  const tm = config.radius.at('Advanced', 'Diameter', 'TransportManagement');
  const clients: DiameterClient[] = [];
  for (const c of config.radius.child('Clients')?.children.values() ?? []) {
    if (c.str('Protocol') !== 'diameter' || !c.str('HostName')) continue;
    const addr = c.props.IPAddress;
    clients.push({
      name: c.name,
      hostName: c.str('HostName'),
      address: typeof addr === 'object' && addr !== null ? (addr as AddressRange) : undefined,
      peerPort: c.num('PeerPort') || 3868,
      profile: c.str('DiameterProfile') === 'opensips' ? 'opensips' : 'rfc',
      ...(c.str('TransportProtocol') === 'tls' ? { tls: tlsOf(c) } : {}),
    });
  }
  const remoteServers: DiameterRemoteServer[] = [];
  for (const r of config.radius.child('RemoteServers')?.children.values() ?? []) {
    if (r.str('Protocol') !== 'diameter' || !r.str('HostName')) continue;
    remoteServers.push({
      name: r.name,
      hostName: r.str('HostName'),
      address: r.str('IPAddress') || r.str('HostName'),
      port: r.num('DestinationPort') || 3868,
      tls: r.str('TransportProtocol') === 'tls' ? tlsOf(r) : undefined,
    });
  }
  return {
    identity: t.identity,
    realm: t.realm,
    tcpListenPort: t.tcpListenPort,
    vendorId: g.num('VendorId'),
    product: g.str('Product') || 'areg',
    version: g.str('Version'),
    authApps: idList(g.props.AuthApplicationIdList),
    acctApps: idList(g.props.AcctApplicationIdList),
    watchdogTimeoutMs: t.watchdogTimeoutMs,
    validateIncoming: t.validateIncoming,
    useIPv6: t.useIPv6,
    retransmissionInterval: tm?.num('RequestRetransmissionInterval') ?? 8,
    maxRetransmissions: tm?.num('MaxRequestRetransmissionCount') ?? 3,
    receiveBufferSize: tm?.num('ReceiveBufferSize') ?? 20480,
    clients,
    remoteServers,
    reconnectIntervalMs: t.reconnectIntervalMs || 30000,
    maxReconnections: tm?.num('MaxReconnections') ?? 3,
    ...(t.tlsListenPort ? { tlsListenPort: t.tlsListenPort } : {}),
    listenerTls: listenerTls([...(config.radius.child('Clients')?.children.values() ?? [])]),
  };
}

/** `1.2.3` → 10203 (Firmware-Revision is Unsigned32). */
export function firmwareRevision(version: string): number {
  const [a = 0, b = 0, c = 0] = version.split('.').map((p) => Number.parseInt(p, 10) || 0);
  return (a * 10000 + b * 100 + c) >>> 0;
}

/** `::ffff:127.0.0.1` → `127.0.0.1`. */
export function plainAddress(ip: string | undefined): string {
  if (!ip) return '';
  return ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip;
}

function inRange(range: AddressRange, ip: string): boolean {
  const n = ipToBigInt(ip);
  const family = ip.includes(':') ? 6 : 4;
  return n !== undefined && family === range.family && n >= range.first && n <= range.last;
}

export type ClientMatch = { client: DiameterClient } | { client?: undefined; reason: string };

/** The client whose HostName is `originHost` (case-insensitive) and, when it has IPAddress, whose range holds `ip`. */
export function matchClient(settings: DiameterSettings, originHost: string, ip: string): ClientMatch {
  const host = originHost.toLowerCase();
  const client = settings.clients.find((c) => c.hostName.toLowerCase() === host);
  if (!client) return { reason: `no Diameter client has HostName ${originHost}` };
  if (client.address && !inRange(client.address, plainAddress(ip))) {
    return { reason: `client ${client.name} (HostName ${client.hostName}) does not accept address ${plainAddress(ip)}` };
  }
  return { client };
}

/** The applications we advertise to this client: the configured lists, plus SIP for OpenSIPS peers. */
export function localApplications(settings: DiameterSettings, client: DiameterClient | undefined): { auth: number[]; acct: number[] } {
  if (client?.profile !== 'opensips') return { auth: settings.authApps, acct: settings.acctApps };
  const add = (list: number[], ids: number[]): number[] => [...list, ...ids.filter((i) => !list.includes(i))];
  return { auth: add(settings.authApps, [6]), acct: add(settings.acctApps, [3, 6]) };
}

/** Auth and Acct application ids a CER advertises, top-level and inside Vendor-Specific-Application-Id. */
export function advertisedApplications(avps: readonly Avp[]): { auth: number[]; acct: number[] } {
  const auth: number[] = [];
  const acct: number[] = [];
  const collect = (list: readonly Avp[]): void => {
    for (const a of findAvps(list, AVP.AuthApplicationId)) if (typeof a.value === 'number') auth.push(a.value);
    for (const a of findAvps(list, AVP.AcctApplicationId)) if (typeof a.value === 'number') acct.push(a.value);
  };
  collect(avps);
  for (const v of findAvps(avps, AVP.VendorSpecificApplicationId)) if (Array.isArray(v.value)) collect(v.value);
  return { auth, acct };
}

/**
 * True when a CER or CEA offers only Inband-Security-Id TLS: the RFC 3588 TLS handshake after the capabilities
 * exchange, kept by RFC 6733 §6.10 for backward compatibility only. areg does TLS on its own port (§13), so
 * over plain TCP such a peer has no common security. Absent or NO_INBAND_SECURITY (0) among the offers: fine.
 */
export function demandsInbandTls(avps: readonly Avp[]): boolean {
  const offers = findAvps(avps, AVP.InbandSecurityId).map((a) => a.value);
  return offers.length > 0 && offers.every((v) => v === INBAND_TLS);
}

/** RFC 6733 §5.3: the intersection; a peer advertising relay shares every application we have. */
export function commonApplications(local: { auth: number[]; acct: number[] }, peer: { auth: number[]; acct: number[] }):
  { auth: number[]; acct: number[] } {
  const relay = peer.auth.includes(RELAY_APPLICATION_ID) || peer.acct.includes(RELAY_APPLICATION_ID);
  return {
    auth: local.auth.filter((id) => relay || peer.auth.includes(id)),
    acct: local.acct.filter((id) => relay || peer.acct.includes(id)),
  };
}
