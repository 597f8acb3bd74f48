// areg's Diameter protocol library (codec layer). Our own stack because the only npm package is
// GPL-3.0, unmaintained, and hangs or crashes on malformed input (dependencies.md §3, §6). It covers
// the RFC 6733 wire format and data types, a dictionary loaded from JSON (base, NASREQ, EAP, SIP,
// OpenSIPS, DOIC) plus configuration-tree definitions, non-throwing decoding that yields the
// Result-Code and Failed-AVP of RFC 6733 §7, CCF validation, TCP stream framing, answer and error
// answer builders, identifier generators and the trace text form. Sockets and the peer state
// machine live elsewhere and use this API.
export {
  AVP_TYPES, AvpFlags, DiameterEncodeError, HEADER_LENGTH, MAX_LENGTH, MessageFlags, minDataLength,
  type Avp, type AvpType, type AvpValue, type DiameterAddress, type DiameterHeader, type DiameterMessage,
} from './types.js';
export {
  Dictionary, DictionaryError, normalizeName, parseRule,
  type ApplicationDefinition, type ApplicationSource, type ApplicationType, type AvpDefinition, type AvpRule,
  type AvpSource, type CommandDefinition, type CommandSource, type DictionarySource, type FlagRule, type RulePosition,
  type RuleSet,
} from './dictionary.js';
export { BUILTIN_DICTIONARY_FILES, builtinDictionary, builtinDictionaryDir, readDictionarySource } from './dictionary-files.js';
export {
  mergeTreeDictionary, type DiameterDictionaryTree, type MergeResult, type TreeAvpRules, type TreeDiameterApplication,
  type TreeDiameterAttribute, type TreeDiameterCommand,
} from './dictionary-tree.js';
export { ResultCode, isProtocolError, type DiameterError } from './errors.js';
export {
  MAX_GROUPED_DEPTH, decodeHeader, decodeMessage, encodeAvp, encodeMessage, hasInvalidValue,
  type DecodeFailure, type DecodeResult,
} from './codec.js';
export { checkCommandSupported, validateMessage, type ValidateOptions } from './validate.js';
export { DEFAULT_MAX_MESSAGE_SIZE, DiameterFramer, type FrameResult, type FramerOptions } from './framer.js';
export { avpOf, findAvp, findAvps, flagsFor, makeAvp, rawAvp } from './avp.js';
export {
  createAnswer, createErrorAnswer, isRequest,
  type AnswerResult, type ErrorAnswerOptions, type LocalIdentity,
} from './message.js';
export { EndToEndIdGenerator, HopByHopCounter, SessionIdGenerator } from './ids.js';
export {
  DEFAULT_CONCEALED, avpName, formatAvps, formatHeader, formatValue, parseAvp, parseValue,
  type FormatOptions, type ParseResult,
} from './text.js';
