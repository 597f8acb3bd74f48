// Answers built from requests (RFC 6733 §6.2) and error answers (§7): the parts every application
// shares, so that no handler forgets to copy an identifier, Session-Id or Proxy-Info.
import { avpOf, findAvp, findAvps } from './avp.js';
import type { AvpDefinition, Dictionary } from './dictionary.js';
import { isProtocolError, type DiameterError } from './errors.js';
import { MessageFlags, type Avp, type DiameterMessage } from './types.js';

/** Who we are in the answers we originate. */
export interface LocalIdentity {
  originHost: string;
  originRealm: string;
}

/** A Result-Code, or a vendor's Experimental-Result-Code. */
export type AnswerResult = number | { vendorId: number; code: number };

export interface ErrorAnswerOptions {
  /** Our identity when the answer relays another node's error (RFC 6733 §7.4: Error-Reporting-Host). */
  errorReportingHost?: string;
}

/** RFC 6733 base AVP codes: looked up by number, which costs no string work per answer. */
const BASE = {
  'Session-Id': 263, 'Origin-Host': 264, 'Origin-Realm': 296, 'Result-Code': 268, 'Error-Message': 281,
  'Error-Reporting-Host': 294, 'Failed-AVP': 279, 'Proxy-Info': 284, 'Experimental-Result': 297, 'Vendor-Id': 266,
  'Experimental-Result-Code': 298,
} as const;

function base(dict: Dictionary, name: keyof typeof BASE): AvpDefinition {
  const def = dict.avp(BASE[name]);
  if (!def) throw new Error(`the dictionary lacks base AVP ${name}`);
  return def;
}

function answerHeader(request: DiameterMessage, extraFlags: number): Omit<DiameterMessage, 'avps'> {
  return {
    flags: (request.flags & MessageFlags.Proxiable) | extraFlags,
    commandCode: request.commandCode,
    applicationId: request.applicationId,
    hopByHopId: request.hopByHopId,
    endToEndId: request.endToEndId,
  };
}

/** Session-Id leads the answer when the request had one (§8.8). */
function sessionIdOf(dict: Dictionary, request: DiameterMessage): Avp[] {
  const def = base(dict, 'Session-Id');
  const sessionId = findAvp(request.avps, def);
  return sessionId ? [avpOf(def, sessionId.value)] : [];
}

function originOf(dict: Dictionary, identity: LocalIdentity): Avp[] {
  return [avpOf(base(dict, 'Origin-Host'), identity.originHost), avpOf(base(dict, 'Origin-Realm'), identity.originRealm)];
}

/** Proxy-Info AVPs are copied to the answer in their order (§6.2). */
function proxyInfos(dict: Dictionary, request: DiameterMessage): Avp[] {
  return findAvps(request.avps, base(dict, 'Proxy-Info'));
}

function resultAvp(dict: Dictionary, result: AnswerResult): Avp {
  if (typeof result === 'number') return avpOf(base(dict, 'Result-Code'), result);
  return avpOf(base(dict, 'Experimental-Result'), [
    avpOf(base(dict, 'Vendor-Id'), result.vendorId),
    avpOf(base(dict, 'Experimental-Result-Code'), result.code),
  ]);
}

/** Command-specific AVPs of an answer, by where they go (see createAnswer). */
export interface AnswerParts {
  head?: readonly Avp[];
  afterResult?: readonly Avp[];
  tail?: readonly Avp[];
}

/**
 * The answer: same command, application, Hop-by-Hop and End-to-End ids, P bit copied, R bit clear; Session-Id,
 * `head`, the result, `afterResult`, Origin-Host, Origin-Realm, `tail`, then the request's Proxy-Info.
 */
export function createAnswer(dict: Dictionary, request: DiameterMessage, identity: LocalIdentity, result: AnswerResult,
  parts: AnswerParts = {}): DiameterMessage {
  const avps = sessionIdOf(dict, request);
  if (parts.head) avps.push(...parts.head);
  avps.push(resultAvp(dict, result));
  if (parts.afterResult) avps.push(...parts.afterResult);
  avps.push(...originOf(dict, identity));
  if (parts.tail) avps.push(...parts.tail);
  avps.push(...proxyInfos(dict, request));
  return { ...answerHeader(request, 0), avps };
}

/**
 * The answer to a request that failed: E bit and the generic answer-message layout for protocol
 * errors (3xxx); E clear for application errors (4xxx/5xxx, §7.1.4–7.1.5), whose answers follow the
 * command's own format, so the caller adds the command's required AVPs (Auth-Application-Id, ...).
 * Carries Error-Message always (OpenSIPS 3.2–3.4 judge failure by its presence) and Failed-AVP when
 * known. `request` may be the partial message of a failed decode.
 */
export function createErrorAnswer(dict: Dictionary, request: DiameterMessage, identity: LocalIdentity,
  error: DiameterError, options: ErrorAnswerOptions = {}): DiameterMessage {
  const avps = [...sessionIdOf(dict, request), ...originOf(dict, identity)];
  avps.push(avpOf(base(dict, 'Result-Code'), error.resultCode), avpOf(base(dict, 'Error-Message'), error.message));
  if (options.errorReportingHost) avps.push(avpOf(base(dict, 'Error-Reporting-Host'), options.errorReportingHost));
  if (error.failedAvp) avps.push(avpOf(base(dict, 'Failed-AVP'), error.failedAvp));
  avps.push(...proxyInfos(dict, request));
  return { ...answerHeader(request, isProtocolError(error.resultCode) ? MessageFlags.Error : 0), avps };
}

export function isRequest(msg: { flags: number }): boolean {
  return (msg.flags & MessageFlags.Request) !== 0;
}
