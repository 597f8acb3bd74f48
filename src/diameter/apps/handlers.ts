// The Diameter applications served by the tree's services through the protocol-independent pipeline
// (aregcmd.md §9.5): NASREQ AA-Request (265, app 1) against the authentication/authorization services,
// accounting ACR (271) into the accounting service (the ACA leaves only after the record's fsync), STR (275)
// and the SIP MAR (286, app 6) exactly as OpenSIPS aaa_diameter sends it (protocols.md §3.4–3.7).
//
// Result codes chosen:
//   AAR: accept 2001, reject 4001 DIAMETER_AUTHENTICATION_REJECTED (Prime AR's traces), missing
//        Auth-Request-Type 5005.
//   ACR: stored 2001; not stored 4002 DIAMETER_OUT_OF_SPACE when the disk is full (ENOSPC/EDQUOT: RFC 6733
//        §7.1.4, transient — the client keeps the record and retries), else 5012 DIAMETER_UNABLE_TO_COMPLY
//        (no accounting service, write or fsync error); missing Accounting-Record-Type/-Number 5005.
//   STR: 2001 (no session store yet: counted, never 5002).
//   MAR: match 2006 DIAMETER_SUCCESS_SERVER_NAME_NOT_STORED (what app_opensips answers), wrong digest
//        4001, unknown user 5032, User-Name ≠ Digest-Username 5033, digest AVPs missing 5005; every
//        failure carries Error-Message, every MAA echoes Acct-Session-Id (OpenSIPS matches on it).
import { SECTIONS } from '../../counters/names.js';
import { runPipeline, type AaaResult, type Credentials, type PipelineContext } from '../../engine/pipeline/pipeline.js';
import { authorizeLocal } from '../../services/index.js';
import { EapServer } from '../../services/eap/index.js';
import type { DigestFields } from '../../services/digest.js';
import { verifyChapPassword } from '../../radius/index.js';
import { findAvp, findAvps, flagsFor, rawAvp } from '../avp.js';
import { decodeMessage, encodeMessage } from '../codec.js';
import { ResultCode } from '../errors.js';
import type { ApplicationHandler, RequestOrigin } from '../peer/core.js';
import { MessageFlags, minDataLength, type Avp, type DiameterMessage } from '../types.js';
import { createAnswer, createErrorAnswer, type LocalIdentity } from '../message.js';
import { AVP, DiameterTrace, aaaRequest, peerAddress, peerConfig, echo, errorText, named, str, type AppDeps } from './common.js';
import { DiameterDuplicates, answerFor } from './duplicates.js';
import { profileToAvps } from './translate.js';

export const APP = { NASREQ: 1, ACCOUNTING: 3, EAP: 5, SIP: 6 } as const;
export const CMD = { AA: 265, EAP: 268, ACCOUNTING: 271, SESSION_TERMINATION: 275, MULTIMEDIA_AUTH: 286 } as const;
export const SIP_SUCCESS_SERVER_NAME_NOT_STORED = 2006;
export const SIP_ERROR_USER_UNKNOWN = 5032;
export const SIP_ERROR_IDENTITIES_DONT_MATCH = 5033;
const AUTHORIZE_ONLY = 2;
const AUTHENTICATE_ONLY = 1;

/** Per-peer application counters, next to the peer's dia-stats counters. */
const APP_COUNTERS = ['sessionTerminations', 'duplicateRequests', 'accountingRecordsWritten', 'accountingFailures'] as const;

/** Digest AVP codes (RFC 5090 numbering, top level as OpenSIPS sends them). */
const DIGEST = {
  Response: 103, Realm: 104, Nonce: 105, Method: 108, URI: 109, QoP: 110, Algorithm: 111, EntityBodyHash: 112,
  CNonce: 113, NonceCount: 114, Username: 115,
} as const;
/** RFC 4740 containers the digest AVPs may sit in instead: SIP-Auth-Data-Item (376) / SIP-Authorization (380). */
const SIP_AUTH_DATA_ITEM = 376;
const SIP_AUTHORIZATION = 380;

export class DiameterApplications {
  private readonly duplicates: DiameterDuplicates;
  /** EAP conversations of Diameter EAP (rounds tied together by the State AVP, as over RADIUS). */
  private readonly eapServer = new EapServer();

  constructor(private readonly deps: AppDeps) {
    this.duplicates = new DiameterDuplicates(undefined, deps.now, {
      pack: encodeMessage,
      unpack: (octets) => {
        const decoded = decodeMessage(octets, deps.dict);
        return decoded.ok ? decoded.message : undefined;
      },
    });
  }

  /** The handler DiameterCore calls for every request of a negotiated application. */
  readonly handler: ApplicationHandler = (request, origin) => this.handle(request, origin);

  private counters(origin: RequestOrigin) {
    return this.deps.counters.block(SECTIONS.diameterPeers, origin.peer, APP_COUNTERS);
  }

  async handle(msg: DiameterMessage, origin: RequestOrigin): Promise<DiameterMessage | undefined> {
    const trace = new DiameterTrace(this.deps.tracer);
    if (trace.on(1)) trace.received(msg, origin, peerAddress(origin, peerConfig(this.deps.pipeline(), origin)));
    let answer: DiameterMessage;
    const key = DiameterDuplicates.key(str(msg, AVP.OriginHost) ?? origin.peer, msg.endToEndId);
    const first = this.duplicates.lookup(key);
    if (first) {
      this.counters(origin).duplicateRequests++;
      if (trace.on(5)) trace.line(`Duplicate request (${msg.flags & MessageFlags.Retransmit ? 'T flag set' : 'T flag clear'}): answering as the first copy`);
      const a = await first;
      if (!a) return undefined;
      answer = answerFor(msg, a);
    } else {
      const pending = this.dispatch(msg, origin, trace);
      // Every copy of a request gets the first copy's answer and accounting is written once (RFC 6733 §6.2,
      // App. C); an answer that stored or granted nothing (3xxx–5xxx) is forgotten so that a resend tries again.
      this.duplicates.remember(key, pending, (a) => {
        const rc = a ? findAvp(a.avps, AVP.ResultCode)?.value : undefined;
        return typeof rc === 'number' && rc < 3000;
      });
      const a = await pending;
      if (!a) return undefined;
      answer = a;
    }
    trace.sent(answer, origin);
    return answer;
  }

  private dispatch(msg: DiameterMessage, origin: RequestOrigin, trace: DiameterTrace): Promise<DiameterMessage | undefined> {
    const { applicationId: app, commandCode: cmd } = msg;
    if (cmd === CMD.AA && app === APP.NASREQ) return this.aa(msg, origin, trace);
    if (cmd === CMD.EAP && app === APP.EAP) return this.eap(msg, origin, trace);
    if (cmd === CMD.ACCOUNTING) return this.accounting(msg, origin, trace);
    if (cmd === CMD.SESSION_TERMINATION) return Promise.resolve(this.sessionTermination(msg, origin, trace));
    if (cmd === CMD.MULTIMEDIA_AUTH && app === APP.SIP) return this.multimediaAuth(msg, origin, trace);
    if (trace.on(2)) trace.line(`Command ${cmd} of application ${app} is not served`);
    return Promise.resolve(createErrorAnswer(this.deps.dict, msg, origin.identity,
      { resultCode: ResultCode.COMMAND_UNSUPPORTED, message: errorText(ResultCode.COMMAND_UNSUPPORTED, `command ${cmd} of application ${app} is not served`) }));
  }

  private missing(msg: DiameterMessage, identity: LocalIdentity, name: string, head: Avp[] = [], tail: Avp[] = []): DiameterMessage {
    const dict = this.deps.dict;
    const def = dict.avpByName(name)!;
    return createAnswer(dict, msg, identity, ResultCode.MISSING_AVP, {
      head,
      afterResult: [named(dict, 'Error-Message', errorText(ResultCode.MISSING_AVP, `${name} is missing`)),
        // RFC 6733 §7.5: an example of the missing AVP with a zero-filled minimal payload.
        named(dict, 'Failed-AVP', [rawAvp(def.code, Buffer.alloc(minDataLength(def.type)), flagsFor(def), def.vendorId)])],
      tail,
    });
  }

  private pipelineContext(): PipelineContext {
    return this.deps.pipeline();
  }

  /** What opens an auth answer: Auth-Application-Id and the echoed Auth-Request-Type (5005 when it is missing). */
  private authHead(msg: DiameterMessage, origin: RequestOrigin, app: number): { head: Avp[]; requestType: Avp } | { answer: DiameterMessage } {
    const head = [named(this.deps.dict, 'Auth-Application-Id', app)];
    const requestType = findAvp(msg.avps, AVP.AuthRequestType);
    if (!requestType) return { answer: this.missing(msg, origin.identity, 'Auth-Request-Type', head) };
    head.push(...echo(requestType));
    return { head, requestType };
  }

  // ---- NASREQ AA-Request (RFC 7155 §3.1–3.2) ----

  private async aa(msg: DiameterMessage, origin: RequestOrigin, trace: DiameterTrace): Promise<DiameterMessage> {
    const dict = this.deps.dict;
    const opened = this.authHead(msg, origin, APP.NASREQ);
    if ('answer' in opened) return opened.answer;
    const { head, requestType } = opened;
    const ctx = this.pipelineContext();
    const userName = str(msg, AVP.UserName);
    const credentials = this.aaCredentials(msg);
    let result: AaaResult;
    if (requestType.value === AUTHORIZE_ONLY && credentials.kind === 'none') {
      result = this.authorizeOnly(ctx, userName ?? '', trace);
    } else {
      const req = aaaRequest(this.deps, ctx, msg, origin, trace, { kind: 'access', requestType: 'Diameter-Access-Request', userName, credentials });
      if (trace.on(3)) trace.line('Tracing the packet after running the rules and policies');
      result = await runPipeline(req, ctx);
    }
    const tail: Avp[] = [];
    if (userName !== undefined) tail.push(named(dict, 'User-Name', userName));
    tail.push(...echo(findAvp(msg.avps, AVP.AuthSessionState)));
    if (result.outcome === 'accept') {
      if (requestType.value !== AUTHENTICATE_ONLY) {
        const t = profileToAvps(dict, result.reply);
        if (t.skipped.length && trace.on(3)) for (const s of t.skipped) trace.line(`Not sent in the AA-Answer: ${s}`);
        tail.push(...t.avps);
      }
      return createAnswer(dict, msg, origin.identity, ResultCode.SUCCESS, { head, tail });
    }
    if (result.reason && trace.on(2)) trace.line(`Reject-Reason: ${result.reason}`);
    const replyMessages = result.reply.filter(([n]) => n.toLowerCase() === 'reply-message');
    for (const [, v] of replyMessages) tail.push(named(dict, 'Reply-Message', v.replace(/^"(.*)"$/, '$1')));
    return createAnswer(dict, msg, origin.identity, ResultCode.AUTHENTICATION_REJECTED, { head, tail });
  }

  // ---- Diameter EAP, DER / DEA (RFC 4072) ----

  /**
   * One EAP round through the same pipeline and EAP server as RADIUS: a challenge is answered with
   * DIAMETER_MULTI_ROUND_AUTH, EAP-Payload and State; success with 2001, EAP-Success and the profile;
   * failure with 4001 and EAP-Failure.
   */
  private async eap(msg: DiameterMessage, origin: RequestOrigin, trace: DiameterTrace): Promise<DiameterMessage> {
    const dict = this.deps.dict;
    const opened = this.authHead(msg, origin, APP.EAP);
    if ('answer' in opened) return opened.answer;
    const { head } = opened;
    const payload = findAvp(msg.avps, AVP.EapPayload)?.value;
    if (!Buffer.isBuffer(payload)) return this.missing(msg, origin.identity, 'EAP-Payload', head);
    const state = findAvp(msg.avps, AVP.State)?.value;
    const ctx: PipelineContext = { ...this.pipelineContext(), eap: this.eapServer };
    const userName = str(msg, AVP.UserName);
    const req = aaaRequest(this.deps, ctx, msg, origin, trace, { kind: 'access', requestType: 'Diameter-Access-Request', userName, credentials: { kind: 'none' } });
    req.eap = { message: payload, ...(Buffer.isBuffer(state) ? { state } : {}) };
    const result = await runPipeline(req, ctx);
    const tail: Avp[] = [];
    if (userName !== undefined) tail.push(named(dict, 'User-Name', userName));
    if (result.eap) tail.push(named(dict, 'EAP-Payload', result.eap.message));
    if (result.outcome === 'challenge') {
      if (result.eap?.state) tail.push(named(dict, 'State', result.eap.state));
      return createAnswer(dict, msg, origin.identity, ResultCode.MULTI_ROUND_AUTH, { head, tail });
    }
    if (result.outcome === 'accept') {
      // The MSK replaces the RADIUS-only MS-MPPE attributes, which have no Diameter AVP (profileToAvps leaves them out).
      if (result.eap?.msk) tail.push(named(dict, 'EAP-Master-Session-Key', result.eap.msk));
      tail.push(...profileToAvps(dict, result.reply).avps);
      return createAnswer(dict, msg, origin.identity, ResultCode.SUCCESS, { head, tail });
    }
    if (result.reason && trace.on(2)) trace.line(`Reject-Reason: ${result.reason}`);
    return createAnswer(dict, msg, origin.identity, ResultCode.AUTHENTICATION_REJECTED, { head, tail });
  }

  /**
   * PAP User-Password, else CHAP-Auth with CHAP-Challenge (RFC 7155 §4.1.1–4.1.5). Trailing NULs of the password
   * go, as when RADIUS unhides it: a RADIUS/Diameter gateway (freeDiameter app_radgw) forwards the RADIUS
   * plaintext with its padding to 16 octets.
   */
  private aaCredentials(msg: DiameterMessage): Credentials {
    const pw = findAvp(msg.avps, AVP.UserPassword)?.value;
    if (Buffer.isBuffer(pw)) {
      let end = pw.length;
      while (end > 0 && pw[end - 1] === 0) end--;
      return { kind: 'pap', password: pw.toString('utf8', 0, end) };
    }
    const chap = findAvp(msg.avps, AVP.ChapAuth)?.value;
    const challenge = findAvp(msg.avps, AVP.ChapChallenge)?.value;
    if (Array.isArray(chap) && Buffer.isBuffer(challenge)) {
      const ident = findAvp(chap, AVP.ChapIdent)?.value;
      const response = findAvp(chap, AVP.ChapResponse)?.value;
      if (Buffer.isBuffer(ident) && ident.length === 1 && Buffer.isBuffer(response) && response.length === 16) {
        const value = Buffer.concat([ident, response]);
        return { kind: 'chap', verify: (password) => verifyChapPassword(value, password, challenge) };
      }
    }
    return { kind: 'none' };
  }

  /** AUTHORIZE_ONLY without credentials (RFC 7155 §3.1): the authorization service's profile, no password. */
  private authorizeOnly(ctx: PipelineContext, userName: string, trace: DiameterTrace): AaaResult {
    const name = ctx.radius.str('DefaultAuthorizationService') || ctx.radius.str('DefaultAuthenticationService');
    const svc = name ? ctx.radius.at('Services', name) : undefined;
    if (!svc || svc.str('Type') !== 'local') return { outcome: 'reject', reply: [], reason: 'no local authorization service' };
    if (trace.on(2)) trace.line(`Authorizing with Service ${svc.name}`);
    if (trace.on(3)) trace.line(`Getting User ${userName}'s UserRecord from UserList ${svc.str('UserList')}`);
    const d = authorizeLocal(ctx.radius, svc, userName, trace);
    if (!d.ok) {
      if (trace.on(2)) trace.line(`${d.reason}, but none _required_ for Authorization.`);
      return { outcome: 'reject', reply: [], reason: d.reason };
    }
    return { outcome: 'accept', reply: d.reply };
  }

  // ---- Accounting (RFC 6733 §9) ----

  private async accounting(msg: DiameterMessage, origin: RequestOrigin, trace: DiameterTrace): Promise<DiameterMessage> {
    const dict = this.deps.dict;
    const type = findAvp(msg.avps, AVP.AccountingRecordType);
    const number = findAvp(msg.avps, AVP.AccountingRecordNumber);
    const echoes = [...echo(type), ...echo(number), ...echo(findAvp(msg.avps, AVP.AcctApplicationId)),
      ...echo(findAvp(msg.avps, AVP.VendorSpecificApplicationId)), ...echo(findAvp(msg.avps, AVP.TransactionId))];
    if (!type) return this.missing(msg, origin.identity, 'Accounting-Record-Type', [], echoes);
    if (!number) return this.missing(msg, origin.identity, 'Accounting-Record-Number', [], echoes);
    const ctx = this.pipelineContext();
    const req = aaaRequest(this.deps, ctx, msg, origin, trace,
      { kind: 'accounting', requestType: 'Diameter-Accounting-Request', userName: str(msg, AVP.UserName), credentials: { kind: 'none' } });
    const result = await runPipeline(req, ctx);
    const c = this.counters(origin);
    if (result.outcome === 'ack') {
      c.accountingRecordsWritten++;
      return createAnswer(dict, msg, origin.identity, ResultCode.SUCCESS, { tail: echoes });
    }
    c.accountingFailures++;
    const reason = result.reason ?? 'not stored';
    const code = /ENOSPC|EDQUOT/.test(reason) ? ResultCode.OUT_OF_SPACE : ResultCode.UNABLE_TO_COMPLY;
    this.deps.log.warning('Server', `Accounting-Request from ${origin.peer} not stored (${errorText(code)}): ${reason}`);
    return createAnswer(dict, msg, origin.identity, code,
      { afterResult: [named(dict, 'Error-Message', errorText(code, reason))], tail: echoes });
  }

  // ---- Session-Termination (RFC 6733 §8.4) ----

  private sessionTermination(msg: DiameterMessage, origin: RequestOrigin, trace: DiameterTrace): DiameterMessage {
    const dict = this.deps.dict;
    this.counters(origin).sessionTerminations++;
    if (trace.on(2)) {
      const cause = findAvp(msg.avps, AVP.TerminationCause);
      trace.line(`Session ${str(msg, AVP.SessionId) ?? '?'} terminated (${cause ? `Termination-Cause ${cause.def?.values.get(cause.value as number) ?? String(cause.value)}` : 'no Termination-Cause'})`);
    }
    const tail = str(msg, AVP.UserName) !== undefined ? [named(dict, 'User-Name', str(msg, AVP.UserName)!)] : [];
    return createAnswer(dict, msg, origin.identity, ResultCode.SUCCESS, { tail });
  }

  // ---- SIP Multimedia-Auth (RFC 4740 §8.7–8.8, as OpenSIPS uses it: protocols.md §3.4–3.6) ----

  private async multimediaAuth(msg: DiameterMessage, origin: RequestOrigin, trace: DiameterTrace): Promise<DiameterMessage> {
    const dict = this.deps.dict;
    const acctSessionId = findAvp(msg.avps, AVP.AcctSessionId);
    const answer = (code: number, detail?: string): DiameterMessage => createAnswer(dict, msg, origin.identity, code, {
      head: [named(dict, 'Auth-Application-Id', APP.SIP)],
      afterResult: [...(code >= 3000 ? [named(dict, 'Error-Message', errorText(code, detail))] : []), named(dict, 'Auth-Session-State', 1)],
      tail: echo(acctSessionId),
    });
    const fields = digestFields(msg);
    if (typeof fields === 'string') {
      if (trace.on(2)) trace.line(`Rejecting request: ${fields} is missing`);
      return answer(ResultCode.MISSING_AVP, `${fields} is missing`);
    }
    const userName = str(msg, AVP.UserName);
    if (userName !== undefined && userName.split('@')[0] !== fields.username) {
      if (trace.on(2)) trace.line(`Rejecting request: User-Name ${userName} does not match Digest-Username ${fields.username}`);
      return answer(SIP_ERROR_IDENTITIES_DONT_MATCH, `User-Name ${userName} does not match Digest-Username ${fields.username}`);
    }
    const ctx = this.pipelineContext();
    // The local service checks it with checkDigest: the user's DigestHA1 when set, else its Password.
    const req = aaaRequest(this.deps, ctx, msg, origin, trace,
      { kind: 'access', requestType: 'Diameter-Access-Request', userName: fields.username, credentials: { kind: 'digest', digest: fields } });
    if (trace.on(3)) trace.line('Tracing the packet after running the rules and policies');
    const result = await runPipeline(req, ctx);
    if (result.outcome === 'accept') return answer(SIP_SUCCESS_SERVER_NAME_NOT_STORED);
    if (result.reason && trace.on(2)) trace.line(`Reject-Reason: ${result.reason}`);
    if (result.reason?.startsWith('No UserRecord found')) return answer(SIP_ERROR_USER_UNKNOWN, result.reason);
    return answer(ResultCode.AUTHENTICATION_REJECTED, result.reason);
  }
}

/** The digest fields: top-level AVPs (OpenSIPS), else inside SIP-Auth-Data-Item/SIP-Authorization (RFC 4740). */
export function digestFields(msg: DiameterMessage): DigestFields | string {
  let scope: readonly Avp[] = msg.avps;
  if (!findAvp(scope, DIGEST.Response)) {
    for (const item of findAvps(msg.avps, SIP_AUTH_DATA_ITEM)) {
      const auth = Array.isArray(item.value) ? findAvp(item.value, SIP_AUTHORIZATION)?.value : undefined;
      if (Array.isArray(auth)) {
        scope = auth;
        break;
      }
    }
  }
  const get = (code: number): string | undefined => str(scope as Avp[], code);
  const required: [keyof DigestFields, number, string][] = [
    ['username', DIGEST.Username, 'Digest-Username'], ['realm', DIGEST.Realm, 'Digest-Realm'], ['nonce', DIGEST.Nonce, 'Digest-Nonce'],
    ['uri', DIGEST.URI, 'Digest-URI'], ['method', DIGEST.Method, 'Digest-Method'], ['response', DIGEST.Response, 'Digest-Response'],
  ];
  const out: Partial<DigestFields> = {};
  for (const [field, code, name] of required) {
    const v = get(code);
    if (v === undefined) return name;
    (out as Record<string, string>)[field] = v;
  }
  const optional: [keyof DigestFields, number][] = [['qop', DIGEST.QoP], ['nc', DIGEST.NonceCount], ['cnonce', DIGEST.CNonce],
    ['algorithm', DIGEST.Algorithm], ['bodyDigest', DIGEST.EntityBodyHash]];
  for (const [field, code] of optional) {
    const v = get(code);
    if (v !== undefined) (out as Record<string, string>)[field] = v;
  }
  return out as DigestFields;
}

