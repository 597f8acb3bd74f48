// The protocol-independent view of one AAA request as the pipeline and the services see it. A protocol
// module (RADIUS now, Diameter later) builds it from its decoded packet; the services never see packets.
import type { ConfigObject } from '../../config/object.js';

export interface RequestAttributes {
  /** Values of attribute `name` as text (enum names, dotted quads, decimals, unquoted strings), in order. */
  values(name: string): string[];
  /** Every attribute as `Name = value` (strings quoted), in packet order: the accounting record body. */
  lines(): string[];
}

/** The fields of a SIP / HTTP digest (RFC 2617), as the client sent them. */
export interface DigestCredentials {
  username: string;
  realm: string;
  nonce: string;
  method: string;
  uri: string;
  /** The client's response: 32 hex digits. */
  response: string;
  /** Absent or empty: RFC 2069 compatible; `auth` or `auth-int`. */
  qop?: string;
  nc?: string;
  cnonce?: string;
  /** `MD5` (default) or `MD5-sess`. */
  algorithm?: string;
  /** H(entity-body), for qop auth-int. */
  bodyDigest?: string;
}

/** How the user proved who they are. */
export type Credentials =
  | { kind: 'pap'; password: string }
  | { kind: 'chap'; verify(password: string): boolean }
  /** SIP digest: Sterman Digest-Response/Digest-Attributes or RFC 5090 attributes, or a Diameter MAR. */
  | { kind: 'digest'; digest: DigestCredentials }
  /** MS-CHAP (RFC 2433: 8-octet challenge, 50-octet MS-CHAP-Response) or MS-CHAPv2 (RFC 2759: 16-octet
   * challenge, 50-octet MS-CHAP2-Response). `userName` is the name the response was computed over. */
  | { kind: 'mschap'; version: 1 | 2; userName: string; challenge: Buffer; response: Buffer }
  | { kind: 'none' };

/** Trace output for one request: `on(n)` is the level check to guard with before building text. */
export interface RequestTrace {
  on(level: number): boolean;
  line(text: string): void;
}

export const noTrace: RequestTrace = { on: () => false, line: () => {} };

export interface AaaRequest {
  kind: 'access' | 'accounting';
  /** `Access-Request`, `Accounting-Request`, `Diameter-Access-Request` … (aregcmd.md §10.3). */
  requestType: string;
  client: { name: string; config: ConfigObject };
  source: { address: string; port: number };
  userName: string | undefined;
  credentials: Credentials;
  attributes: RequestAttributes;
  /** The environment dictionary of aregcmd.md §10.2. */
  env: Map<string, string>;
  /** When the request arrived (ms since the epoch). */
  receivedAt: number;
  trace: RequestTrace;
  /** EAP (RFC 3579 EAP-Message reassembled, State echoed; RFC 4072 EAP-Payload): goes to the EAP server. */
  eap?: EapExchange;
}

/** An EAP packet and the State that ties the rounds of one conversation together. */
export interface EapExchange {
  message: Buffer;
  state?: Buffer;
  /** After a success, the method's Master Session Key (RFC 3748 §7.10) when it derives one (MSCHAPv2). */
  msk?: Buffer;
}

/** A reply attribute as text, `[name, value]`, as stored in attrlists. */
export type ReplyPair = readonly [name: string, value: string];

/** `challenge`: another round (RADIUS Access-Challenge, Diameter 1001 multi-round). */
export type Outcome = 'accept' | 'reject' | 'challenge' | 'ack' | 'drop';

export interface AaaResult {
  outcome: Outcome;
  reply: ReplyPair[];
  /** Why the request was rejected or dropped (env `Reject-Reason`, traces, log). */
  reason?: string;
  /** The EAP packet to send back (Request, Success or Failure) and, for a challenge, the State. */
  eap?: EapExchange;
}
