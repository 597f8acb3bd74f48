// Dictionary-level checks of a decoded message against its command's CCF (RFC 6733 §3.2, §7.1.5):
// unknown mandatory AVPs, invalid values, missing, misplaced, forbidden and repeated AVPs. Kept apart
// from decoding because the server applies them only when ValidateIncomingMessages is on.
import { encodeAvp, hasInvalidValue } from './codec.js';
import type { AvpRule, Dictionary, FlagRule, RuleSet } from './dictionary.js';
import { ResultCode, missingAvpExample, nestedAvpReport, zeroPadded, type DiameterError } from './errors.js';
import { AvpFlags, MessageFlags, type Avp, type DiameterMessage } from './types.js';

export interface ValidateOptions {
  /** Reject Enumerated values the dictionary does not list (5004). Off by default: peers extend enumerations freely. */
  strictEnumerations?: boolean;
  /**
   * Reject M and P bits that contradict the dictionary's Must/MustNot rules (3009). Off by default:
   * OpenSIPS, for one, sends Service-Type with M clear and others set M on Product-Name.
   */
  strictFlags?: boolean;
}

/** For requests: 3007 when the dictionary has no such application, 3001 when it lacks the command. */
export function checkCommandSupported(msg: DiameterMessage, dict: Dictionary): DiameterError | undefined {
  if (!(msg.flags & MessageFlags.Request)) return undefined;
  if (!dict.application(msg.applicationId)) {
    return { resultCode: ResultCode.APPLICATION_UNSUPPORTED, message: `application ${msg.applicationId} is not supported` };
  }
  if (!dict.command(msg.applicationId, msg.commandCode)) {
    return { resultCode: ResultCode.COMMAND_UNSUPPORTED, message: `command ${msg.commandCode} is not supported in application ${msg.applicationId}` };
  }
  return undefined;
}

/** The first violation found, or undefined when the message conforms. Answers with the E bit follow answer-message. */
export function validateMessage(msg: DiameterMessage, dict: Dictionary, options: ValidateOptions = {}): DiameterError | undefined {
  const unsupported = checkCommandSupported(msg, dict);
  if (unsupported) return unsupported;
  const command = dict.command(msg.applicationId, msg.commandCode);
  const rules = msg.flags & MessageFlags.Error ? dict.answerMessage
    : msg.flags & MessageFlags.Request ? command?.request : command?.answer;
  if (!rules) {
    return { resultCode: ResultCode.COMMAND_UNSUPPORTED, message: `answer to unknown command ${msg.commandCode}` };
  }
  return checkAvps(msg.avps, rules, options);
}

function report(avp: Avp): Buffer {
  return avp.raw ? zeroPadded(avp.raw) : encodeAvp(avp);
}

function violation(resultCode: number, message: string, failedAvp?: Buffer): DiameterError {
  return { resultCode, message, failedAvp };
}

function nameOf(avp: Avp): string {
  return avp.def ? avp.def.name : `AVP ${avp.vendorId ? `${avp.vendorId}:` : ''}${avp.code}`;
}

function checkAvps(avps: readonly Avp[], rules: RuleSet, options: ValidateOptions): DiameterError | undefined {
  for (const avp of avps) {
    const error = checkAvp(avp, options);
    if (error) return error;
  }
  return checkFixed(avps, rules) ?? checkCounts(avps, rules);
}

function checkAvp(avp: Avp, options: ValidateOptions): DiameterError | undefined {
  const def = avp.def;
  if (!def) {
    return avp.flags & AvpFlags.Mandatory
      ? violation(ResultCode.AVP_UNSUPPORTED, `${nameOf(avp)} is unknown and has the M bit`, report(avp))
      : undefined;
  }
  if (hasInvalidValue(avp)) return violation(ResultCode.INVALID_AVP_VALUE, `${def.name} holds an invalid ${def.type}`, report(avp));
  if (options.strictFlags && (breaksRule(avp.flags & AvpFlags.Mandatory, def.mandatory) || breaksRule(avp.flags & AvpFlags.Protected, def.protected))) {
    return violation(ResultCode.INVALID_AVP_BITS, `${def.name} has flags 0x${avp.flags.toString(16)} against its definition`, report(avp));
  }
  if (options.strictEnumerations && def.type === 'Enumerated' && def.values.size > 0 && !def.values.has(avp.value as number)) {
    return violation(ResultCode.INVALID_AVP_VALUE, `${def.name} value ${String(avp.value)} is not enumerated`, report(avp));
  }
  if (def.rules && Array.isArray(avp.value)) {
    const inner = checkAvps(avp.value, def.rules, options);
    if (inner) return { ...inner, failedAvp: inner.failedAvp && nestedAvpReport(headerOf(avp), inner.failedAvp) };
  }
  return undefined;
}

function breaksRule(bit: number, rule: FlagRule): boolean {
  return bit ? rule === 'mustnot' : rule === 'must';
}

function headerOf(avp: Avp): Buffer {
  if (avp.raw) return avp.raw.subarray(0, avp.flags & AvpFlags.Vendor ? 12 : 8);
  return encodeAvp({ ...avp, value: Buffer.alloc(0) });
}

/** Fixed-position AVPs (<X>) must lead, in rule order; a fixed AVP found elsewhere is misplaced (5008). */
function checkFixed(avps: readonly Avp[], rules: RuleSet): DiameterError | undefined {
  let at = 0;
  for (const rule of rules.fixed) {
    const expected = rule.avp!;
    if (avps[at]?.def === expected) {
      at++;
      continue;
    }
    const elsewhere = avps.find((a) => a.def === expected);
    if (elsewhere) return violation(ResultCode.AVP_NOT_ALLOWED, `${expected.name} must be at position ${at + 1}`, report(elsewhere));
    if (rule.min > 0) return violation(ResultCode.MISSING_AVP, `${expected.name} is missing`, missingAvpExample(expected));
  }
  return undefined;
}

function checkCounts(avps: readonly Avp[], rules: RuleSet): DiameterError | undefined {
  const counts = new Map<AvpRule, number>();
  for (const avp of avps) {
    // Unknown AVPs without the M bit may be ignored (RFC 6733 §4.1) but still count for an "AVP" wildcard.
    const rule = (avp.def && rules.byAvp.get(avp.def)) ?? rules.any;
    if (!rule) {
      if (!avp.def) continue;
      return violation(ResultCode.AVP_NOT_ALLOWED, `${nameOf(avp)} is not allowed here`, report(avp));
    }
    const count = (counts.get(rule) ?? 0) + 1;
    counts.set(rule, count);
    if (count > rule.max) {
      return rule.max === 0
        ? violation(ResultCode.AVP_NOT_ALLOWED, `${nameOf(avp)} is not allowed here`, report(avp))
        : violation(ResultCode.AVP_OCCURS_TOO_MANY_TIMES, `${nameOf(avp)} occurs more than ${rule.max} times`, report(avp));
    }
  }
  for (const rule of rules.rules) {
    if ((counts.get(rule) ?? 0) >= rule.min) continue;
    if (!rule.avp) return violation(ResultCode.MISSING_AVP, `at least ${rule.min} AVP(s) required`);
    if (rule.position === 'fixed') continue;
    return violation(ResultCode.MISSING_AVP, `${rule.avp.name} is missing`, missingAvpExample(rule.avp));
  }
  return undefined;
}
