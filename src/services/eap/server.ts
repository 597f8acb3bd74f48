// The protocol-independent EAP server (RFC 3748 authenticator state machine, RFC 3579 for RADIUS, RFC 4072 for
// Diameter DER): the conversation is EAP-Response/Identity ⇒ EAP-Request for the method ⇒ response checked ⇒
// EAP-Success or EAP-Failure. EAP-MD5 (RFC 3748 §5.4, RFC 1994) is one round: a wrong answer ends in EAP-Failure
// (no second challenge: wpa_supplicant, its method done, gives up on one); EAP-MSCHAPv2 (draft-kamath-pppext-eap-mschapv2)
// adds the Success request / Success response round before EAP-Success, and on a wrong answer the Failure
// request (E=691 R=0 …, the text a Windows peer shows) / Failure response round before EAP-Failure.
// Conversations are keyed by the State the server hands out (RADIUS State, Diameter State AVP), bound to the
// peer (client) that began them, bounded in number (the oldest is dropped) and expiring. The password check is
// the caller's: it gets the credentials the method derived (CHAP-style for MD5, an MS-CHAP2-Response for
// MSCHAPv2) and answers with a decision and reply attributes (MPPE keys), as a `local` service does.
import type { Credentials, ReplyPair } from '../../engine/pipeline/request.js';
import { randomBytes, verifyChapPassword } from '../../radius/index.js';
import { decodeEap, EapCode, EapError, EapType, encodeEap, MsChapV2Op, msChapV2Data, type EapPacket } from './packet.js';

export type EapMethod = 'md5' | 'mschapv2';

const METHOD_TYPE: Record<EapMethod, number> = { md5: EapType.Md5Challenge, mschapv2: EapType.MsChapV2 };
const TYPE_METHOD = new Map<number, EapMethod>([[EapType.Md5Challenge, 'md5'], [EapType.MsChapV2, 'mschapv2']]);

export interface EapVerdict {
  ok: boolean;
  reason?: string;
  /** Reply attributes the check brings (MS-CHAP2-Success, MPPE keys on success). */
  reply: ReplyPair[];
  /** The name the user record was found under. */
  recordName?: string;
}

/** Checks `credentials` of the user `userName` (the EAP identity). */
export type EapVerify = (userName: string, credentials: Credentials) => EapVerdict;

export interface EapInput {
  /** The reassembled EAP packet (RADIUS EAP-Message fragments, Diameter EAP-Payload). */
  message: Buffer;
  /** The State echoed by the peer; absent on the first round. */
  state?: Buffer;
  /** Who is talking (client name): a State is only good for the peer it was handed to. */
  peer: string;
  /** Methods the selected service allows, the first one offered. */
  methods: readonly EapMethod[];
  verify: EapVerify;
}

export type EapOutcome =
  | { kind: 'challenge'; message: Buffer; state: Buffer; method: EapMethod; /** Why the answer failed (MSCHAPv2 Failure request). */ failed?: string }
  | { kind: 'success'; message: Buffer; identity: string; recordName?: string; reply: ReplyPair[]; method: EapMethod; msk?: Buffer }
  | { kind: 'failure'; message: Buffer; reason: string; reply: ReplyPair[] };

type EapChallenge = Extract<EapOutcome, { kind: 'challenge' }>;

interface Session {
  peer: string;
  identity: string;
  method: EapMethod;
  /** Identifier of the EAP-Request outstanding. */
  id: number;
  /** What the outstanding request asked for. */
  phase: 'identity' | 'challenge' | 'mschapv2-success' | 'mschapv2-failure';
  /** MSCHAPv2 after a wrong answer: what the final EAP-Failure reports. */
  failure?: { reason: string; reply: ReplyPair[] };
  challenge: Buffer;
  /** MSCHAPv2: the MS-CHAPv2-ID of the Challenge. */
  msId: number;
  expires: number;
  /** After the MSCHAPv2 check: what the final Access-Accept carries. */
  reply?: ReplyPair[];
  recordName?: string;
}

export interface EapServerOptions {
  /** At most this many conversations; the oldest is dropped beyond. */
  maxSessions?: number;
  /** A conversation expires this long after the last request sent. */
  timeoutMs?: number;
  /** The name in MSCHAPv2 / MD5 challenges. */
  serverName?: string;
  now?: () => number;
}

const hex = (b: Buffer): string => b.toString('hex');

/**
 * The MSK of EAP-MSCHAPv2 from the MPPE keys of the check (RFC 3079): Recv-Key then Send-Key, zero-padded to the
 * 64 octets of an MSK (RFC 3748 §7.10), as hostapd and FreeRADIUS lay it out. Diameter EAP sends it as
 * EAP-Master-Session-Key (RFC 4072 §4.1.3), which a RADIUS gateway splits back into MS-MPPE keys (§6.1).
 */
function msChapV2Msk(reply: readonly ReplyPair[]): Buffer | undefined {
  const key = (name: string): Buffer | undefined => {
    const pair = reply.find(([n]) => n.toLowerCase() === name);
    return pair && fromHex(pair[1]);
  };
  const recv = key('ms-mppe-recv-key');
  const send = key('ms-mppe-send-key');
  if (!recv || !send) return undefined;
  const msk = Buffer.alloc(64);
  recv.copy(msk, 0, 0, 16);
  send.copy(msk, 16, 0, 16);
  return msk;
}

function newSession(input: EapInput, method: EapMethod, identity: string, phase: Session['phase']): Session {
  return { peer: input.peer, identity, method, id: 0, phase, challenge: Buffer.alloc(0), msId: 0, expires: 0 };
}

function fromHex(value: string): Buffer | undefined {
  return /^0x(?:[0-9a-f]{2})*$/i.test(value) ? Buffer.from(value.slice(2), 'hex') : undefined;
}

export class EapServer {
  private readonly sessions = new Map<string, Session>();
  readonly maxSessions: number;
  readonly timeoutMs: number;
  private readonly serverName: Buffer;
  private readonly now: () => number;

  constructor(options: EapServerOptions = {}) {
    this.maxSessions = options.maxSessions ?? 10_000;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.serverName = Buffer.from(options.serverName ?? 'areg');
    this.now = options.now ?? Date.now;
  }

  /** Conversations in progress (expired ones are removed first). */
  get size(): number {
    this.expire();
    return this.sessions.size;
  }

  /** One EAP-Response in, the next step out. Never throws. */
  step(input: EapInput): EapOutcome {
    this.expire();
    if (input.message.length === 0 && !input.state?.length) {
      // EAP-Start (RFC 3579 §2.1: an empty EAP-Message): ask for the identity first.
      const method = input.methods[0];
      if (!method) return this.failure(0, 'no EAP method');
      const session = newSession(input, method, '', 'identity');
      return this.send(session, randomBytes(1)[0]!, Buffer.alloc(0), EapType.Identity);
    }
    let p: EapPacket;
    try {
      p = decodeEap(input.message);
    } catch (e) {
      return this.failure(0, e instanceof EapError ? e.message : String(e));
    }
    if (p.code !== EapCode.Response) return this.failure(p.identifier, `EAP Code ${p.code} from the peer`);
    if (!input.state || input.state.length === 0) {
      if (p.type !== EapType.Identity) return this.failure(p.identifier, `EAP type ${p.type} without a conversation (expected Identity)`);
      const method = input.methods[0];
      if (!method) return this.failure(p.identifier, 'no EAP method');
      const identity = p.data.toString('utf8');
      const session = newSession(input, method, identity, 'challenge');
      return this.challenge(randomBytes(16), session, (p.identifier + 1) & 0xff);
    }
    const key = hex(input.state);
    const session = this.sessions.get(key);
    if (!session || session.peer !== input.peer) return this.failure(p.identifier, 'unknown or expired State');
    this.sessions.delete(key);
    if (p.identifier !== session.id) return this.failure(p.identifier, `EAP Identifier ${p.identifier}, expected ${session.id}`);
    if (session.phase === 'identity') {
      if (p.type !== EapType.Identity) return this.failure(p.identifier, `EAP type ${p.type}, expected Identity`);
      session.identity = p.data.toString('utf8');
      return this.challenge(randomBytes(16), session, (p.identifier + 1) & 0xff);
    }
    if (p.type === EapType.Nak && session.phase === 'challenge') {
      const wanted = [...p.data].map((t) => TYPE_METHOD.get(t)).find((m): m is EapMethod => m !== undefined && input.methods.includes(m));
      if (!wanted || wanted === session.method) return this.failure(p.identifier, `EAP-Nak for ${[...p.data].join(', ') || 'nothing'}: no other method allowed`);
      session.method = wanted;
      return this.challenge(randomBytes(16), session, (p.identifier + 1) & 0xff);
    }
    if (p.type !== METHOD_TYPE[session.method]) return this.failure(p.identifier, `EAP type ${p.type} in a ${session.method} conversation`);
    return session.method === 'md5' ? this.md5(p, session, input) : this.msChapV2(p, session, input);
  }

  private md5(p: EapPacket, s: Session, input: EapInput): EapOutcome {
    const size = p.data[0] ?? 0;
    if (size !== 16 || p.data.length < 17) return this.failure(p.identifier, 'MD5-Challenge response Value-Size is not 16');
    const chapPassword = Buffer.concat([Buffer.of(p.identifier), p.data.subarray(1, 17)]);
    const challenge = s.challenge;
    const v = input.verify(s.identity, { kind: 'chap', verify: (pw) => verifyChapPassword(chapPassword, pw, challenge) });
    if (!v.ok) return this.failure(p.identifier, v.reason ?? 'MD5-Challenge response mismatch', v.reply);
    return this.success(p.identifier, s, v.reply, v.recordName);
  }

  private msChapV2(p: EapPacket, s: Session, input: EapInput): EapOutcome {
    const op = p.data[0];
    if (s.phase === 'mschapv2-success') {
      if (op !== MsChapV2Op.Success) return this.failure(p.identifier, `MSCHAPv2 OpCode ${op} after Success`);
      return this.success(p.identifier, s, s.reply ?? [], s.recordName);
    }
    if (s.phase === 'mschapv2-failure') {
      const { reason, reply } = s.failure!;
      return this.failure(p.identifier, op === MsChapV2Op.Failure ? reason : `${reason}; then MSCHAPv2 OpCode ${op} after Failure`, reply);
    }
    if (op !== MsChapV2Op.Response) return this.failure(p.identifier, `MSCHAPv2 OpCode ${op}, expected Response`);
    // OpCode, MS-CHAPv2-ID, MS-Length (2), Value-Size (49), Peer-Challenge 16, Reserved 8, NT-Response 24, Flags, Name.
    if (p.data.length < 54 || p.data[4] !== 49) return this.failure(p.identifier, 'MSCHAPv2 Response Value-Size is not 49');
    if (p.data[1] !== s.msId) return this.failure(p.identifier, `MS-CHAPv2-ID ${p.data[1]}, expected ${s.msId}`);
    const value = p.data.subarray(5, 54);
    const name = p.data.subarray(54).toString('utf8');
    // As RADIUS MS-CHAP2-Response (RFC 2548 §2.3.2): Ident, Flags, Peer-Challenge, Reserved, NT-Response.
    const response = Buffer.concat([Buffer.of(s.msId, value[48]!), value.subarray(0, 48)]);
    const v = input.verify(s.identity, { kind: 'mschap', version: 2, userName: name, challenge: s.challenge, response });
    if (!v.ok) return this.msChapV2Failure(p, s, v);
    const successPair = v.reply.find(([n]) => n.toLowerCase() === 'ms-chap2-success');
    const success = successPair && fromHex(successPair[1]);
    if (!success || success.length < 2) return this.failure(p.identifier, 'MSCHAPv2 check gave no authenticator response');
    s.reply = v.reply.filter(([n]) => n.toLowerCase() !== 'ms-chap2-success');
    s.recordName = v.recordName;
    s.phase = 'mschapv2-success';
    // Success request: "S=<auth string> M=<message>" (draft §2.4).
    const body = Buffer.concat([success.subarray(1), Buffer.from(' M=Authentication succeeded')]);
    return this.send(s, (p.identifier + 1) & 0xff, msChapV2Data(MsChapV2Op.Success, s.msId, body));
  }

  /**
   * The Failure request (draft-kamath §2.3, RFC 2759 §6): "E=<code> R=0 C=<challenge> V=3 M=<text>", the error
   * code from the check's MS-CHAP-Error (691 by default). No retry is offered: peers do not retry without a new
   * password. The peer's Failure response then gets the EAP-Failure.
   */
  private msChapV2Failure(p: EapPacket, s: Session, v: EapVerdict): EapOutcome {
    const reason = v.reason ?? 'MSCHAPv2 response mismatch';
    const error = v.reply.find(([n]) => n.toLowerCase() === 'ms-chap-error');
    const code = (error && fromHex(error[1])?.toString('latin1').match(/E=(\d+)/)?.[1]) ?? '691';
    s.failure = { reason, reply: v.reply.filter(([n]) => n.toLowerCase() !== 'ms-chap-error') };
    s.phase = 'mschapv2-failure';
    const text = `E=${code} R=0 C=${hex(randomBytes(16)).toUpperCase()} V=3 M=Authentication failed`;
    return { ...this.send(s, (p.identifier + 1) & 0xff, msChapV2Data(MsChapV2Op.Failure, s.msId, Buffer.from(text))), failed: reason };
  }

  private challenge(challenge: Buffer, s: Session, id: number): EapChallenge {
    s.challenge = challenge;
    s.phase = 'challenge';
    if (s.method === 'md5') return this.send(s, id, Buffer.concat([Buffer.of(16), challenge, this.serverName]));
    s.msId = id;
    return this.send(s, id, msChapV2Data(MsChapV2Op.Challenge, id, Buffer.concat([Buffer.of(16), challenge, this.serverName])));
  }

  private send(s: Session, id: number, data: Buffer, type = METHOD_TYPE[s.method]): EapChallenge {
    s.id = id;
    s.expires = this.now() + this.timeoutMs;
    const state = randomBytes(16);
    while (this.sessions.size >= this.maxSessions) this.sessions.delete(this.sessions.keys().next().value!);
    this.sessions.set(hex(state), s);
    return { kind: 'challenge', message: encodeEap({ code: EapCode.Request, identifier: id, type, data }), state, method: s.method };
  }

  private success(id: number, s: Session, reply: ReplyPair[], recordName: string | undefined): EapOutcome {
    const msk = s.method === 'mschapv2' ? msChapV2Msk(reply) : undefined;
    return { kind: 'success', message: encodeEap({ code: EapCode.Success, identifier: id, data: Buffer.alloc(0) }), identity: s.identity, recordName, reply, method: s.method, ...(msk ? { msk } : {}) };
  }

  private failure(id: number, reason: string, reply: ReplyPair[] = []): EapOutcome {
    return { kind: 'failure', message: encodeEap({ code: EapCode.Failure, identifier: id, data: Buffer.alloc(0) }), reason, reply };
  }

  private expire(): void {
    const now = this.now();
    // Insertion order is send order and every session has the same timeout: stop at the first live one.
    for (const [key, s] of this.sessions) {
      if (s.expires > now) break;
      this.sessions.delete(key);
    }
  }
}
