// Shared pieces of the Diameter applications: what a handler needs from the engine (AppDeps), the
// per-request trace (aregcmd.md §11.3), the pipeline request built from a Diameter message (the same
// AaaRequest RADIUS builds, so the same services answer), and the detail lines of the request's AVPs.
import type { ConfigObject } from '../../config/object.js';
import type { CounterRegistry } from '../../counters/registry.js';
import type { PipelineContext } from '../../engine/pipeline/pipeline.js';
import type { AaaRequest, Credentials, RequestAttributes, RequestTrace } from '../../engine/pipeline/request.js';
import type { Log } from '../../log/logger.js';
import type { Tracer } from '../../log/tracer.js';
import { ipv6ToText } from '../address.js';
import { avpOf, findAvp, findAvps } from '../avp.js';
import type { Dictionary } from '../dictionary.js';
import { ResultCode } from '../errors.js';
import { formatAvps, formatHeader, formatValue } from '../text.js';
import type { Avp, DiameterMessage } from '../types.js';
import type { RequestOrigin } from '../peer/core.js';

/** What the application handlers need from the engine. */
export interface AppDeps {
  dict: Dictionary;
  log: Log;
  tracer: Tracer;
  counters: CounterRegistry;
  /** The pipeline context of the configuration in force (read once per request). */
  pipeline(): PipelineContext;
  /** Tests: the clock. */
  now?: () => number;
}

/** AVP codes the handlers read (all vendor 0). */
export const AVP = {
  UserName: 1, UserPassword: 2, ChapChallenge: 60, AcctSessionId: 44, SessionId: 263, OriginHost: 264,
  OriginRealm: 296, ResultCode: 268, ErrorMessage: 281, AuthApplicationId: 258, AcctApplicationId: 259,
  VendorSpecificApplicationId: 260, AuthRequestType: 274, AuthSessionState: 277, ProxyInfo: 284,
  AccountingRecordType: 480, AccountingRecordNumber: 485, TransactionId: 231, ChapAuth: 402, ChapIdent: 404,
  ChapResponse: 405, FailedAvp: 279, ReplyMessage: 18, TerminationCause: 295, UserPasswordConcealed: 2,
  EapPayload: 462, State: 24,
} as const;

/** `Diameter-Success`, `Diameter-Authentication-Rejected`: Result-Code as Prime AR's traces name it. */
const RESULT_NAMES = new Map<number, string>(Object.entries(ResultCode).map(([k, v]) => [v, k]));
RESULT_NAMES.set(2006, 'SUCCESS_SERVER_NAME_NOT_STORED');
RESULT_NAMES.set(5032, 'ERROR_USER_UNKNOWN');
RESULT_NAMES.set(5033, 'ERROR_IDENTITIES_DONT_MATCH');

export function resultName(code: number): string {
  const n = RESULT_NAMES.get(code);
  if (!n) return String(code);
  return `Diameter-${n.toLowerCase().split('_').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('-')}`;
}

/** The text Error-Message carries for our own failures: the code's name (freeDiameter does the same). */
export function errorText(code: number, detail?: string): string {
  const n = RESULT_NAMES.get(code);
  const name = n ? `DIAMETER_${n}` : `Result-Code ${code}`;
  return detail ? `${name}: ${detail}` : name;
}

/** Trace of one Diameter request: the P<n> number and level-guarded lines. */
export class DiameterTrace implements RequestTrace {
  readonly packet: number;

  constructor(readonly tracer: Tracer) {
    this.packet = tracer.nextPacket();
  }

  on(level: number): boolean {
    return this.tracer.level >= level;
  }

  line(text: string): void {
    this.tracer.line(this.packet, text);
  }

  /** `Trace of Diameter Packet` and one `Name = value` per AVP (passwords `<encrypted>`), at level 4. */
  dump(msg: DiameterMessage): void {
    if (this.tracer.level < 4) return;
    const lines = ['Trace of Diameter Packet'];
    for (const l of formatAvps(msg.avps)) {
      lines.push(l.startsWith('Result-Code = ') ? `Result-Code = ${resultName(Number(findAvp(msg.avps, AVP.ResultCode)?.value))}` : l);
    }
    this.tracer.lines(this.packet, lines);
  }

  /** The request's arrival (levels 1, 2, 4, 5) in the order of aregcmd.md §11.3. */
  received(msg: DiameterMessage, origin: RequestOrigin, address: string): void {
    if (this.tracer.level < 1) return;
    this.line(`Packet received from ${address}`);
    this.line(formatHeader(msg));
    if (this.tracer.level >= 2) this.line(`Using Client: ${origin.client}`);
    if (this.tracer.level >= 5) this.line('Packet successfully added');
    this.dump(msg);
  }

  /** The answer leaving (levels 1, 4, 5). */
  sent(answer: DiameterMessage, origin: RequestOrigin): void {
    if (this.tracer.level < 1) return;
    this.dump(answer);
    this.line(`Sending response to ${origin.peer}`);
    if (this.tracer.level >= 5) {
      this.line('Packet successfully removed');
      this.line('Packet Deleted');
    }
  }
}

/** The first string value of AVP `code` (UTF8String, DiameterIdentity, or OctetString as UTF-8). */
export function str(msg: DiameterMessage | readonly Avp[], code: number): string | undefined {
  const avps = Array.isArray(msg) ? msg : (msg as DiameterMessage).avps;
  const v = findAvp(avps, code)?.value;
  if (typeof v === 'string') return v;
  if (Buffer.isBuffer(v)) return v.toString('utf8');
  return undefined;
}

export function num(msg: DiameterMessage, code: number): number | undefined {
  const v = findAvp(msg.avps, code)?.value;
  return typeof v === 'number' ? v : undefined;
}

const QUOTE_OR_BACKSLASH = /[\\"]/;

function quoted(text: string): string {
  return `"${QUOTE_OR_BACKSLASH.test(text) ? text.replace(/[\\"]/g, '\\$&') : text}"`;
}

function quoteIfText(avp: Avp): string {
  // The string types decode to strings: quoted without the generic formatting pass (a detail line per AVP of
  // every accounting record).
  const t = avp.def?.type;
  if (t === 'UTF8String' || t === 'DiameterIdentity' || t === 'DiameterURI') return quoted(typeof avp.value === 'string' ? avp.value : formatValue(avp));
  const text = formatValue(avp);
  return t === 'OctetString' && !text.startsWith('0x') ? quoted(text) : text;
}

/** `Name = value` with strings quoted; a Grouped AVP on one line as `Name = { A = 1, B = "x" }`. */
export function avpLine(avp: Avp): string {
  const name = avp.def?.name ?? `Unknown-AVP-${avp.vendorId ? `${avp.vendorId}:` : ''}${avp.code}`;
  if (Array.isArray(avp.value)) return `${name} = { ${avp.value.map(avpLine).join(', ')} }`;
  if (avp.def?.name === 'User-Password') return `${name} = <encrypted>`;
  return `${name} = ${quoteIfText(avp)}`;
}

/** The request's AVPs as the pipeline and the services read them (check items, accounting lines). */
export function attributesOf(dict: Dictionary, msg: DiameterMessage): RequestAttributes {
  return {
    values(name) {
      const def = dict.avpByName(name);
      if (!def) return [];
      return findAvps(msg.avps, def).filter((a) => !Array.isArray(a.value)).map((a) => formatValue(a));
    },
    lines: () => msg.avps.map(avpLine),
  };
}

export interface BuiltRequest {
  kind: AaaRequest['kind'];
  requestType: string;
  userName: string | undefined;
  credentials: Credentials;
}

/** One address as text from the big-integer form of AddressRange. */
function rangeAddress(range: unknown): string | undefined {
  if (typeof range !== 'object' || range === null) return undefined;
  const r = range as { family?: number; first?: unknown; last?: unknown };
  if (typeof r.first !== 'bigint' || r.first !== r.last) return undefined;
  const size = r.family === 6 ? 16 : 4;
  const buf = Buffer.alloc(size);
  let n = r.first;
  for (let i = size - 1; i >= 0; i--, n >>= 8n) buf[i] = Number(n & 0xffn);
  return size === 4 ? [...buf].join('.') : ipv6ToText(buf, 0);
}

/** The peer's IP: from the connection when it tells, else the client's single IPAddress, else its HostName. */
export function peerAddress(origin: RequestOrigin, client: ConfigObject | undefined): string {
  return origin.address ?? rangeAddress(client?.props.IPAddress) ?? origin.peer;
}

/** The peer's object: the /Radius/Clients entry it matched, or the RemoteServer of a connection we initiated. */
export function peerConfig(ctx: Pick<PipelineContext, 'radius'>, origin: RequestOrigin): ConfigObject | undefined {
  return ctx.radius.at('Clients', origin.client) ?? ctx.radius.at('RemoteServers', origin.client);
}

/** The pipeline's view of a Diameter request (aregcmd.md §9.5 step 3). */
export function aaaRequest(deps: AppDeps, ctx: PipelineContext, msg: DiameterMessage, origin: RequestOrigin,
  trace: DiameterTrace, b: BuiltRequest): AaaRequest {
  const clientConfig = peerConfig(ctx, origin);
  if (!clientConfig) throw new Error(`${origin.client} is neither a Client nor a RemoteServer`);
  const address = peerAddress(origin, clientConfig);
  const env = new Map<string, string>([
    ['Request-Type', b.requestType],
    ['Source-IP-Address', address],
    ['Origin-Host', str(msg, AVP.OriginHost) ?? origin.peer],
    ['Diameter-Application-Id', String(msg.applicationId)],
    ['Diameter-Command-Code', String(msg.commandCode)],
  ]);
  const sessionId = str(msg, AVP.SessionId);
  if (sessionId !== undefined) env.set('Session-Id', sessionId);
  return {
    kind: b.kind,
    requestType: b.requestType,
    client: { name: origin.client, config: clientConfig },
    source: { address, port: 0 },
    userName: b.userName,
    credentials: b.credentials,
    attributes: attributesOf(deps.dict, msg),
    env,
    receivedAt: (deps.now ?? Date.now)(),
    trace,
  };
}

/** A copy of `avp` under our own flags (echoing a value the peer sent). */
export function echo(avp: Avp | undefined): Avp[] {
  if (!avp?.def) return [];
  return [avpOf(avp.def, avp.value)];
}

export function named(dict: Dictionary, name: string, value: Avp['value']): Avp {
  const def = dict.avpByName(name);
  if (!def) throw new Error(`unknown Diameter AVP ${name}`);
  return avpOf(def, value);
}
