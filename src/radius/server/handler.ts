// The RADIUS server state machine for one receiving socket (aregcmd.md §9.1, §9.3, §9.4; protocols.md
// §7.1–7.3): client check, framing, duplicate cache, request/Message-Authenticator verification and the
// client's Message-Authenticator policy, Status-Server, then the protocol-independent pipeline, then the
// response (Message-Authenticator first, Proxy-State copied) and the reply cache. The transport (udp.ts)
// hands datagrams in and sends what comes out; nothing here touches a socket.
import type { EngineContext } from '../../engine/process/context.js';
import type { EngineConfig } from '../../config/view.js';
import { RateLimitedLog } from '../../log/rate-limit.js';
import { runPipeline, type AaaRequest, type AaaResult, type Credentials, type RequestAttributes, type RequestTrace } from '../../engine/pipeline/pipeline.js';
import {
  decodePacket,
  encodePacket,
  formatAttribute,
  formatValue,
  packetCodeName,
  PacketCode,
  RadiusDecodeError,
  verifyChapPassword,
  verifyMessageAuthenticator,
  verifyRequestAuthenticator,
  type AttributeInput,
  type Dictionary,
  type RadiusAttribute,
  type RadiusPacket,
} from '../index.js';
import { EapServer } from '../../services/eap/index.js';
import { overRate, type RadiusClient } from './client-index.js';
import { replyAttribute } from './reply-attributes.js';
import { DuplicateCache, type DupEntry } from './dup-cache.js';
import { FileServices, revisionState, type ClientCounters } from './revision.js';

export type PortKind = 'auth' | 'acct' | 'dynauth';

export interface Source {
  address: string;
  port: number;
}

/** Sends a datagram; errors are the transport's to log. */
export type SendFn = (packet: Buffer, to: Source) => void;

const T = { USER_NAME: 1, USER_PASSWORD: 2, CHAP_PASSWORD: 3, STATE: 24, PROXY_STATE: 33, CHAP_CHALLENGE: 60, EAP_MESSAGE: 79, REPLY_MESSAGE: 18 };

/** Engine-wide pieces shared by every socket's handler (rate-limited logs, file services). */
export class RadiusShared {
  readonly unknownClients: RateLimitedLog;
  readonly malformed: RateLimitedLog;
  readonly maPolicy: RateLimitedLog;
  readonly files: FileServices;
  /** EAP conversations (RFC 3579), keyed by the State of their Access-Challenges. */
  readonly eap = new EapServer();

  constructor(readonly ctx: EngineContext) {
    this.files = new FileServices(ctx.counters);
    this.unknownClients = new RateLimitedLog(ctx.log, { format: (k, n, s) => `Dropped ${n} packet${n === 1 ? '' : 's'} from unknown client ${k} in the last ${s} s` });
    this.malformed = new RateLimitedLog(ctx.log, { format: (k, n, s) => `Dropped ${n} malformed packet${n === 1 ? '' : 's'} from ${k} in the last ${s} s` });
    this.maPolicy = new RateLimitedLog(ctx.log, { format: (k, n, s) => `Dropped ${n} Access-Request${n === 1 ? '' : 's'} from client ${k} without a required Message-Authenticator in the last ${s} s` });
  }

  flushLogs(): void {
    this.unknownClients.flush();
    this.malformed.flush();
    this.maPolicy.flush();
  }
}

function isTopLevel(a: RadiusAttribute, type: number): boolean {
  return a.vendor === undefined && a.type === type && (a.def === undefined || a.def.oid === String(type));
}

function hex(b: Buffer): string {
  return [...b].map((x) => x.toString(16).padStart(2, '0')).join(':');
}

/** The first value of the attribute `names[i]` (first name the dictionary knows wins) as text. */
function firstText(packet: RadiusPacket, dictionary: Dictionary, ...names: string[]): string | undefined {
  for (const name of names) {
    const def = dictionary.attribute(name);
    if (!def) continue;
    const a = packet.attributes.find((x) => x.def === def);
    if (a) return Buffer.isBuffer(a.value) ? a.value.toString('utf8') : String(a.value);
  }
  return undefined;
}

function firstOctets(packet: RadiusPacket, dictionary: Dictionary, name: string): Buffer | undefined {
  const def = dictionary.attribute(name);
  const a = def && packet.attributes.find((x) => x.def === def);
  return a ? (Buffer.isBuffer(a.value) ? a.value : a.raw) : undefined;
}

/**
 * SIP digest fields, read through the client's dialect (protocols.md §2.1, §4.2): draft-sterman
 * Digest-Response (206) with one Digest-Attributes (207) sub-attribute per field, or RFC 5090 attributes
 * 103-115 (whose `\"` and `\\` escapes are taken off, RFC 5090 §2.2). Undefined without a Digest-Response.
 */
function digestCredentials(packet: RadiusPacket, dictionary: Dictionary, dialect: string, userName: string | undefined): Credentials | undefined {
  const unescape = dialect === 'rfc5090' ? (t: string) => t.replace(/\\(["\\])/g, '$1') : (t: string) => t;
  const get = (...names: string[]): string | undefined => {
    const t = firstText(packet, dictionary, ...names);
    return t === undefined ? undefined : unescape(t);
  };
  const response = get('Digest-Response');
  if (response === undefined) return undefined;
  const optional = (key: string, ...names: string[]) => {
    const v = get(...names);
    return v === undefined ? {} : { [key]: v };
  };
  return {
    kind: 'digest',
    digest: {
      username: get('Digest-User-Name', 'Digest-Username') ?? userName ?? '',
      realm: get('Digest-Realm') ?? '',
      nonce: get('Digest-Nonce') ?? '',
      method: get('Digest-Method') ?? '',
      uri: get('Digest-URI') ?? '',
      response,
      ...optional('qop', 'Digest-QOP'),
      ...optional('nc', 'Digest-Nonce-Count'),
      ...optional('cnonce', 'Digest-CNonce'),
      ...optional('algorithm', 'Digest-Algorithm'),
      ...optional('bodyDigest', 'Digest-Body-Digest', 'Digest-Entity-Body-Hash'),
    },
  };
}

/** MS-CHAP-Challenge with MS-CHAP2-Response (RFC 2759) or MS-CHAP-Response (RFC 2433), RFC 2548 §2.1, §2.3. */
function msChapCredentials(packet: RadiusPacket, dictionary: Dictionary, userName: string | undefined): Credentials | undefined {
  const challenge = firstOctets(packet, dictionary, 'MS-CHAP-Challenge');
  if (!challenge) return undefined;
  const v2 = firstOctets(packet, dictionary, 'MS-CHAP2-Response');
  const v1 = v2 ? undefined : firstOctets(packet, dictionary, 'MS-CHAP-Response');
  const response = v2 ?? v1;
  if (!response) return undefined;
  return { kind: 'mschap', version: v2 ? 2 : 1, userName: userName ?? '', challenge, response };
}

export class RadiusHandler {
  private readonly dup: DuplicateCache;
  private readonly dupEnabled: boolean;
  /** Requests of this socket in progress (drain at stop). */
  inProgress = 0;
  accepting = true;

  constructor(
    private readonly ctx: EngineContext,
    private readonly shared: RadiusShared,
    readonly kind: PortKind,
    private readonly send: SendFn,
  ) {
    const adv = ctx.current.config.advanced;
    this.dupEnabled = adv.duplicateDetection !== false;
    this.dup = new DuplicateCache(Math.max(2, adv.duplicateIntervalSec || 10) * 1000);
  }

  /** One datagram in. Never throws. */
  handle(msg: Buffer, from: Source): void {
    const g = this.ctx.counters.radius;
    g.totalPacketsReceived++;
    if (!this.accepting) {
      g.totalPacketsDropped++;
      return;
    }
    const tracer = this.ctx.tracer;
    const p = tracer.nextPacket();
    try {
      if (tracer.level >= 1) tracer.line(p, `Packet received from ${from.address}`);
      this.receive(msg, from, p);
    } catch (e) {
      g.totalPacketsDropped++;
      if (e instanceof RadiusDecodeError) {
        g.totalMalformedPackets++;
        this.shared.malformed.hit(from.address);
        if (tracer.level >= 2) tracer.line(p, `Dropping malformed packet: ${e.message}`);
      } else {
        this.ctx.log.error('Protocol', `Internal error on a packet from ${from.address}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      }
    }
  }

  private drop(p: number, why: string, client?: ClientCounters): void {
    this.ctx.counters.radius.totalPacketsDropped++;
    if (client) client.dropped++;
    if (this.ctx.tracer.level >= 2) this.ctx.tracer.line(p, `Dropping packet: ${why}`);
  }

  private receive(msg: Buffer, from: Source, p: number): void {
    const g = this.ctx.counters.radius;
    const tracer = this.ctx.tracer;
    const loaded = this.ctx.current;
    const config = loaded.config;
    const state = revisionState(config, this.ctx.counters);
    if (tracer.level >= 2) tracer.line(p, `Checking Client ${from.address}`);
    const client = state.index.lookup(from.address);
    if (!client) {
      g.totalUnknownClients++;
      this.shared.unknownClients.hit(from.address);
      return this.drop(p, `unknown client ${from.address}`);
    }
    const cc = state.clientCounters(client);
    if (client.maxRate > 0 && overRate(client, Date.now())) {
      cc.rateLimited++;
      return this.drop(p, `over the MaxIncomingRequestRate of client ${client.name} (${client.maxRate}/s)`, cc);
    }
    if (msg.length < 20) throw new RadiusDecodeError('short-datagram', `${msg.length} octets`);
    const code = msg[0]!;
    const allowed =
      code === PacketCode.StatusServer ||
      (this.kind === 'auth' && code === PacketCode.AccessRequest) ||
      (this.kind === 'acct' && code === PacketCode.AccountingRequest);
    if (!allowed) return this.drop(p, `${packetCodeName(code)} is not served on a ${this.kind} port`, cc);

    // Duplicate check before any crypto, read-only: a forged packet must not touch the cache.
    const authenticator = msg.subarray(4, 20);
    const key = DuplicateCache.key(from.address, from.port, msg[1]!);
    const useDup = this.dupEnabled && code !== PacketCode.StatusServer;
    if (useDup) {
      const d = this.dup.check(key, authenticator);
      if (d.kind !== 'new') {
        g.totalDuplicateRequests++;
        cc.duplicates++;
        if (tracer.level >= 5) tracer.line(p, `Duplicate of a request ${d.kind === 'replay' ? 'already answered: resending the reply' : 'in progress or unanswered: dropped'}`);
        if (d.kind === 'replay') {
          this.transmit(d.reply, from);
          return;
        }
        return this.drop(p, 'duplicate request', cc);
      }
    }

    const dictionary = config.radiusDictionary(client.dialect, code);
    const packet = decodePacket(msg, dictionary, { secret: client.secret });
    if (code === PacketCode.AccountingRequest && !verifyRequestAuthenticator(packet.raw, client.secret)) {
      g.totalPayloadDecryptionFailures++;
      return this.drop(p, 'bad Request Authenticator (shared secret mismatch?)', cc);
    }
    const hasMA = packet.messageAuthenticatorOffset >= 0;
    if (hasMA && !verifyMessageAuthenticator(packet.raw, packet.messageAuthenticatorOffset, client.secret)) {
      g.totalBadMessageAuthenticators++;
      return this.drop(p, 'bad Message-Authenticator', cc);
    }
    if (tracer.level >= 4) this.dumpRequest(p, packet, dictionary);
    if (tracer.level >= 2) {
      tracer.line(p, `Using Client: ${client.name} (${from.address})`);
      tracer.line(p, `Using NAS: ${client.name} (${from.address})`);
      tracer.line(p, 'Request is directly from a NAS: TRUE');
    }

    if (code === PacketCode.StatusServer) return this.statusServer(p, packet, client, cc, dictionary, from, hasMA);
    if (code === PacketCode.AccessRequest && !this.messageAuthenticatorPolicy(p, packet, client, cc, hasMA)) return;

    const entry = useDup ? this.dup.begin(key, authenticator) : undefined;
    g.totalRequests++;
    cc.requests++;
    if (code === PacketCode.AccessRequest) g.totalAccessRequests++;
    else {
      g.totalAccountingRequests++;
      cc.accountingRequests++;
    }
    const request = this.buildRequest(p, packet, client, dictionary, from);
    this.inProgress++;
    this.ctx.inFlight.begin();
    const pipelineCtx = {
      radius: config.radius,
      advanced: config.advanced,
      counters: this.ctx.counters,
      fileService: (svc: Parameters<FileServices['get']>[1]) => this.shared.files.get(config, svc),
      eap: this.shared.eap,
    };
    void runPipeline(request, pipelineCtx)
      .then((result) => this.respond(p, packet, client, cc, dictionary, from, result, entry, key))
      .catch((e: unknown) => {
        this.ctx.log.error('Protocol', `Internal error answering ${from.address}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        if (entry) this.dup.finish(entry, undefined);
        this.drop(p, 'internal error', cc);
      })
      .finally(() => {
        this.inProgress--;
        this.ctx.inFlight.end();
      });
  }

  /** RequireMessageAuthenticator and LimitProxyState (protocols.md §7.3). False: dropped. */
  private messageAuthenticatorPolicy(p: number, packet: RadiusPacket, client: RadiusClient, cc: ClientCounters, hasMA: boolean): boolean {
    const hasEap = packet.attributes.some((a) => isTopLevel(a, T.EAP_MESSAGE));
    if (hasEap && !hasMA) {
      this.ctx.counters.radius.totalBadMessageAuthenticators++;
      this.drop(p, 'EAP-Message without Message-Authenticator', cc);
      return false;
    }
    let required = client.requireMessageAuthenticator === 'Yes';
    if (client.requireMessageAuthenticator === 'Auto') {
      // The first Access-Request decides: a Message-Authenticator without EAP switches the client to Yes.
      client.autoRequire ??= hasMA && !hasEap;
      required = client.autoRequire;
    }
    if (required && !hasMA) {
      this.ctx.counters.radius.totalBadMessageAuthenticators++;
      this.shared.maPolicy.hit(client.name);
      this.drop(p, 'Packet does not contain required Message-Authenticator', cc);
      return false;
    }
    if (!hasMA && client.limitProxyState !== 'No' && packet.attributes.some((a) => isTopLevel(a, T.PROXY_STATE))) {
      let limit = client.limitProxyState === 'Yes';
      if (client.limitProxyState === 'Auto') {
        // The first Access-Request with Proxy-State decides: without a Message-Authenticator the client is an
        // unpatched proxy and is let through from then on.
        client.autoLimitProxyState ??= false;
        limit = client.autoLimitProxyState;
      }
      if (limit) {
        this.ctx.counters.radius.totalBadMessageAuthenticators++;
        this.drop(p, 'Proxy-State without Message-Authenticator (LimitProxyState)', cc);
        return false;
      }
    }
    return true;
  }

  private statusServer(p: number, packet: RadiusPacket, client: RadiusClient, cc: ClientCounters, dictionary: Dictionary, from: Source, hasMA: boolean): void {
    const g = this.ctx.counters.radius;
    g.totalStatusServerRequests++;
    if (!hasMA) {
      g.totalBadMessageAuthenticators++;
      return this.drop(p, 'Status-Server without Message-Authenticator', cc);
    }
    const code = this.kind === 'acct' ? PacketCode.AccountingResponse : PacketCode.AccessAccept;
    const out = encodePacket({ code, identifier: packet.identifier, attributes: [] }, dictionary, {
      secret: client.secret,
      requestAuthenticator: packet.authenticator,
      messageAuthenticator: true,
    });
    g.totalResponses++;
    if (code === PacketCode.AccessAccept) g.totalAccessResponses++;
    else g.totalAccountingResponses++;
    this.traceResponse(p, code, [], dictionary, from);
    this.transmit(out, from);
  }

  private buildRequest(p: number, packet: RadiusPacket, client: RadiusClient, dictionary: Dictionary, from: Source): AaaRequest {
    const attrs = packet.attributes;
    let userName: string | undefined;
    let credentials: Credentials = { kind: 'none' };
    let chap: Buffer | undefined;
    let challenge: Buffer | undefined;
    const eapParts: Buffer[] = [];
    let state: Buffer | undefined;
    for (const a of attrs) {
      // Top level only: TLV members (Sterman Digest-Attributes 207) reuse the numbers 1-3.
      if (a.vendor !== undefined || (a.def !== undefined && a.def.oid !== String(a.type))) continue;
      if (a.type === T.USER_NAME && userName === undefined) userName = String(a.value);
      else if (a.type === T.USER_PASSWORD && credentials.kind === 'none' && !a.hidden) {
        credentials = { kind: 'pap', password: Buffer.isBuffer(a.value) ? a.value.toString('utf8') : String(a.value) };
      } else if (a.type === T.CHAP_PASSWORD) chap = a.raw;
      else if (a.type === T.CHAP_CHALLENGE) challenge = a.raw;
      // EAP-Message fragments concatenated in order (RFC 3579 §3.1); the decoder may have joined them already.
      else if (a.type === T.EAP_MESSAGE) eapParts.push(Buffer.isBuffer(a.value) ? a.value : a.raw);
      else if (a.type === T.STATE && state === undefined) state = a.raw;
    }
    if (credentials.kind === 'none' && chap) {
      const value = chap;
      const ch = challenge ?? packet.authenticator;
      credentials = { kind: 'chap', verify: (pw) => verifyChapPassword(value, pw, ch) };
    }
    if (credentials.kind === 'none') credentials = digestCredentials(packet, dictionary, client.dialect, userName) ?? msChapCredentials(packet, dictionary, userName) ?? credentials;
    const attributes: RequestAttributes = {
      values(name) {
        const def = dictionary.attribute(name);
        const out: string[] = [];
        for (const a of attrs) {
          if (def ? a.def === def : false) out.push(formatValue(dictionary, a));
        }
        return out;
      },
      lines: () => attrs.map((a) => formatAttribute(dictionary, a)),
    };
    const tracer = this.ctx.tracer;
    const trace: RequestTrace = { on: (n) => tracer.level >= n, line: (text) => tracer.line(p, text) };
    const env = new Map<string, string>([
      ['Request-Type', packetCodeName(packet.code)],
      ['Source-IP-Address', from.address],
      ['Source-Port', String(from.port)],
      ['Request-Authenticator', packet.authenticator.toString('hex')],
    ]);
    return {
      kind: packet.code === PacketCode.AccountingRequest ? 'accounting' : 'access',
      requestType: packetCodeName(packet.code),
      client: { name: client.name, config: client.config },
      source: { address: from.address, port: from.port },
      userName,
      credentials,
      attributes,
      env,
      receivedAt: Date.now(),
      trace,
      ...(eapParts.length ? { eap: { message: eapParts.length === 1 ? eapParts[0]! : Buffer.concat(eapParts), ...(state ? { state } : {}) } } : {}),
    };
  }

  private respond(
    p: number,
    packet: RadiusPacket,
    client: RadiusClient,
    cc: ClientCounters,
    dictionary: Dictionary,
    from: Source,
    result: AaaResult,
    entry: DupEntry | undefined,
    key: string,
  ): void | Promise<void> {
    const tracer = this.ctx.tracer;
    if (result.outcome === 'drop') {
      // Nothing was answered: a retransmission may try again (e.g. after a failed accounting write).
      if (entry) this.dup.forget(key, entry);
      if (result.reason && !/^no /.test(result.reason)) this.ctx.log.warning('Server', `No answer to ${packetCodeName(packet.code)} from ${client.name} (${from.address}): ${result.reason}`);
      return this.drop(p, result.reason ?? 'no answer', cc);
    }
    const code =
      result.outcome === 'accept'
        ? PacketCode.AccessAccept
        : result.outcome === 'reject'
          ? PacketCode.AccessReject
          : result.outcome === 'challenge'
            ? PacketCode.AccessChallenge
            : PacketCode.AccountingResponse;
    const attributes: AttributeInput[] = [];
    for (const [name, value] of result.reply) {
      try {
        attributes.push(replyAttribute(dictionary, name, value));
      } catch (e) {
        this.ctx.log.error('Configuration', `Reply attribute '${name} = ${value}' skipped: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    // EAP-Message (split at 253 by the encoder, which then puts Message-Authenticator first) and State.
    if (result.eap) {
      attributes.push({ type: T.EAP_MESSAGE, value: result.eap.message });
      if (result.eap.state) attributes.push({ type: T.STATE, value: result.eap.state });
    }
    for (const a of packet.attributes) if (isTopLevel(a, T.PROXY_STATE)) attributes.push({ type: T.PROXY_STATE, value: a.raw });
    let out: Buffer;
    try {
      out = encodePacket({ code, identifier: packet.identifier, attributes }, dictionary, {
        secret: client.secret,
        requestAuthenticator: packet.authenticator,
      });
    } catch (e) {
      this.ctx.log.error('Protocol', `Cannot encode the ${packetCodeName(code)} to ${from.address}: ${e instanceof Error ? e.message : String(e)}`);
      if (entry) this.dup.finish(entry, undefined);
      return this.drop(p, 'response could not be encoded', cc);
    }
    const finish = (): void => {
      if (entry) this.dup.finish(entry, out);
      this.countResponse(code, cc);
      if (result.outcome === 'reject' && tracer.level >= 2 && result.reason) tracer.line(p, `Reject-Reason: ${result.reason}`);
      this.traceResponse(p, code, attributes, dictionary, from);
      this.transmit(out, from);
    };
    // Held-back rejects slow password guessing; the request stays in flight (a retransmission is dropped).
    const delay = code === PacketCode.AccessReject ? this.ctx.current.config.advanced.accessRejectDelayMs : 0;
    if (delay > 0) return new Promise<void>((resolve) => setTimeout(resolve, delay)).then(finish);
    finish();
  }

  private countResponse(code: number, cc: ClientCounters): void {
    const g = this.ctx.counters.radius;
    g.totalResponses++;
    if (code === PacketCode.AccountingResponse) g.totalAccountingResponses++;
    else {
      g.totalAccessResponses++;
      if (code === PacketCode.AccessAccept) {
        g.totalAccessAccepts++;
        cc.accepts++;
      } else if (code === PacketCode.AccessChallenge) {
        g.totalAccessChallenges++;
      } else {
        g.totalAccessRejects++;
        cc.rejects++;
      }
    }
  }

  private transmit(out: Buffer, to: Source): void {
    this.ctx.counters.radius.totalPacketsSent++;
    this.send(out, to);
  }

  private dumpRequest(p: number, packet: RadiusPacket, dictionary: Dictionary): void {
    const lines = [
      `Trace of ${packetCodeName(packet.code)} packet`,
      `  identifier = ${packet.identifier}`,
      `  length = ${packet.length}`,
      `  reqauth = ${hex(packet.authenticator)}`,
    ];
    for (const a of packet.attributes) {
      const secret = a.def?.flags.encrypt || isTopLevel(a, T.CHAP_PASSWORD);
      lines.push(secret ? `  ${a.def?.name ?? `Attr-${a.type}`} = <encrypted>` : `  ${formatAttribute(dictionary, a)}`);
    }
    this.ctx.tracer.lines(p, lines);
  }

  private traceResponse(p: number, code: number, attributes: readonly AttributeInput[], dictionary: Dictionary, to: Source): void {
    const tracer = this.ctx.tracer;
    if (tracer.level >= 4) {
      const lines = [`Trace of ${packetCodeName(code)} packet`];
      for (const a of attributes) {
        lines.push(a.def?.flags.encrypt ? `  ${a.def.name} = <encrypted>` : `  ${formatAttribute(dictionary, a)}`);
      }
      tracer.lines(p, lines);
    }
    if (tracer.level >= 1) tracer.line(p, `Sending response to ${to.address}`);
  }
}

export type { EngineConfig };
