/**
 * The RADIUS protocol library: dictionaries, packet codec and the protocol's cryptography. No sockets.
 *
 * Why our own codec (shared/reference/dependencies.md §2, §6): the `radius` npm package throws out of decode,
 * compares authenticators lossily, sends Tunnel-Password in clear, knows no vendor formats, TLVs or RFC 6929
 * attributes and keeps one global dictionary. This one decodes into an ordered attribute list, never throws
 * anything but RadiusDecodeError out of decodePacket, verifies over the received octets with constant-time
 * comparisons, and puts Message-Authenticator first in replies (BlastRADIUS).
 *
 * Supported: FreeRADIUS-format dictionaries ($INCLUDE, vendor formats t,l[,c], BEGIN-VENDOR incl.
 * Extended-Vendor-Specific, OIDs, BEGIN-TLV, VALUE), all FreeRADIUS v3 data types (abinary kept opaque), tags,
 * encrypt=1/2/3, array, concat; VSAs of every vendor format incl. WiMAX continuation; RFC 6929 extended and
 * long-extended attributes with fragmentation; built-in dictionaries per client dialect (default, kamailio,
 * opensips, rfc5090); authenticators, Message-Authenticator, User-Password and salted hiding, CHAP,
 * MS-CHAPv2 with MPPE keys, SIP digest (RFC 2617). MD4 and DES are pure TypeScript because Node's OpenSSL 3
 * has them only in the legacy provider.
 */
export { Dictionary } from './dictionary.js';
export type { AttributeDef, AttributeFlags, AttributeType, ContainerType, LeafType, ValueTable, VendorDef } from './dictionary.js';
export type { AttributeData, AttributeFlagsData, DictionaryData, ValueData, VendorData } from './dictionary-data.js';
export { DictionaryBuilder, buildDictionary } from './dictionary-builder.js';
export { loadDictionary, parseDictionary, type TextSource } from './dictionary-parser.js';
export { commonDictionary, dialects, dictionaryDirectory, dictionaryForDialect, type Dialect } from './dialects.js';
export { DictionaryError, RadiusDecodeError, RadiusEncodeError, type DecodeReason } from './errors.js';
export { PacketCode, packetCodeName, hasDigestAuthenticator, hasRandomAuthenticator, isResponse } from './codes.js';
export { attribute, maxPacketLength, type AttributeInput, type RadiusAttribute, type RadiusPacket } from './packet.js';
export { decodePacket, type DecodeOptions } from './decode.js';
export { encodePacket, type EncodeOptions, type PacketInput } from './encode.js';
export { decodeValue, encodeValue, type AttributeValue } from './values.js';
export { md5, type Secret } from './md5.js';
export { randomBytes, randomInto } from './random.js';
export { hidePassword, unhidePassword, saltEncrypt, saltDecrypt } from './hiding.js';
export {
  messageAuthenticator,
  responseAuthenticator,
  verifyMessageAuthenticator,
  verifyRequestAuthenticator,
  verifyResponseAuthenticator,
} from './authenticators.js';
export { chapPassword, verifyChapPassword } from './chap.js';
export { formatAttribute, formatValue, parseAttribute, parseValue } from './value-text.js';
export { md4 } from './md4.js';
export { desEncryptBlock, expandDesKey } from './des.js';
export {
  authenticatorResponse,
  challengeHash,
  challengeResponse,
  generateNtResponse,
  mppeKeys,
  mppeMasterKey,
  mppeServerStartKey,
  msChapError,
  ntPasswordHash,
  ntPasswordHashHash,
  verifyMsChap2,
  type MsChap2Request,
  type MsChap2Result,
} from './mschap.js';
export { DigestError, digestHa1, digestResponse, verifyDigest, type DigestInput } from './sip-digest.js';
