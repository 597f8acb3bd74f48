// RADIUS client lookup by source address (aregcmd.md §9.1 step 1). Built once per configuration revision
// from /Radius/Clients (Protocol radius): single addresses go into a Map keyed by the address text, ranges
// and subnets into a list scanned narrowest first. A source seen before is answered from a bounded memo, so
// the per-packet cost is one Map lookup.
import net from 'node:net';
import type { ConfigObject } from '../../config/object.js';
import { ipToBigInt, type AddressRange } from '../../schema/types.js';
import type { Dialect } from '../index.js';

export type MessageAuthenticatorPolicy = 'Yes' | 'No' | 'Auto';

/** What the server needs to know about one client, resolved from its configuration object. */
export interface RadiusClient {
  name: string;
  config: ConfigObject;
  secret: string;
  dialect: Dialect;
  requireMessageAuthenticator: MessageAuthenticatorPolicy;
  limitProxyState: MessageAuthenticatorPolicy;
  /** MaxIncomingRequestRate (requests per second, 0 = unlimited) and its current one-second window. */
  maxRate: number;
  rateSecond: number;
  rateCount: number;
  /** Auto policies, decided by the first Access-Request of this revision (not persisted). */
  autoRequire?: boolean;
  autoLimitProxyState?: boolean;
}

interface RangeEntry {
  family: 4 | 6;
  first: bigint;
  last: bigint;
  client: RadiusClient;
}

const MEMO_LIMIT = 4096;

/** Normalises an IPv4-mapped IPv6 source (`::ffff:10.0.0.1`) to the IPv4 text. */
export function normaliseSource(address: string): string {
  return address.startsWith('::ffff:') && net.isIPv4(address.slice(7)) ? address.slice(7) : address;
}

export class ClientIndex {
  private readonly exact = new Map<string, RadiusClient>();
  private readonly ranges: RangeEntry[] = [];
  private readonly memo = new Map<string, RadiusClient | null>();
  readonly clients: RadiusClient[] = [];

  constructor(radius: ConfigObject) {
    const container = radius.child('Clients');
    for (const obj of container?.children.values() ?? []) {
      if ((obj.str('Protocol') || 'radius') !== 'radius') continue;
      const range = obj.props.IPAddress as AddressRange | string | undefined;
      if (!range || typeof range !== 'object') continue;
      const client: RadiusClient = {
        name: obj.name,
        config: obj,
        secret: obj.str('SharedSecret'),
        dialect: (obj.str('Dialect') || 'default') as Dialect,
        requireMessageAuthenticator: (obj.str('RequireMessageAuthenticator') || 'Yes') as MessageAuthenticatorPolicy,
        limitProxyState: (obj.str('LimitProxyState') || 'Auto') as MessageAuthenticatorPolicy,
        maxRate: obj.num('MaxIncomingRequestRate'),
        rateSecond: 0,
        rateCount: 0,
      };
      this.clients.push(client);
      if (range.first === range.last) {
        const text = bigIntToIp(range.family, range.first);
        if (!this.exact.has(text)) this.exact.set(text, client);
      } else {
        this.ranges.push({ family: range.family, first: range.first, last: range.last, client });
      }
    }
    // Narrowest range first, so a /32 inside a /24 wins over the /24.
    this.ranges.sort((a, b) => (a.last - a.first < b.last - b.first ? -1 : a.last - a.first > b.last - b.first ? 1 : 0));
  }

  /** The client for a source address, or undefined. */
  lookup(source: string): RadiusClient | undefined {
    const address = normaliseSource(source);
    const hit = this.exact.get(address);
    if (hit) return hit;
    if (this.ranges.length === 0) return undefined;
    const memo = this.memo.get(address);
    if (memo !== undefined) return memo ?? undefined;
    const found = this.scan(address);
    if (this.memo.size >= MEMO_LIMIT) this.memo.clear();
    this.memo.set(address, found ?? null);
    return found;
  }

  private scan(address: string): RadiusClient | undefined {
    const family = net.isIPv4(address) ? 4 : net.isIPv6(address) ? 6 : 0;
    if (!family) return undefined;
    const n = ipToBigInt(address);
    if (n === undefined) return undefined;
    for (const r of this.ranges) if (r.family === family && n >= r.first && n <= r.last) return r.client;
    return undefined;
  }
}

/** The canonical text of an address (as node reports sources): `10.0.0.1`, `::1`. */
export function bigIntToIp(family: 4 | 6, n: bigint): string {
  if (family === 4) return [24n, 16n, 8n, 0n].map((s) => String((n >> s) & 0xffn)).join('.');
  const groups: string[] = [];
  for (let s = 112n; s >= 0n; s -= 16n) groups.push(((n >> s) & 0xffffn).toString(16));
  // Let the platform compress the zeros (`::1`, `fe80::1`) exactly as dgram reports sources.
  return canonicalV6(groups.join(':'));
}

function canonicalV6(full: string): string {
  try {
    return new URL(`http://[${full}]/`).hostname.slice(1, -1);
  } catch {
    return full;
  }
}

/** Counts a request against the client's per-second limit; true when it is over the limit. */
export function overRate(client: RadiusClient, nowMs: number): boolean {
  const second = Math.floor(nowMs / 1000);
  if (second !== client.rateSecond) {
    client.rateSecond = second;
    client.rateCount = 0;
  }
  return ++client.rateCount > client.maxRate;
}
