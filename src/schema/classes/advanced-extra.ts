// The children of /Radius/Advanced besides ports and the Diameter transport: reply
// messages, the RADIUS and Diameter dictionaries, SNMP, Diameter session timers and
// the DOIC priorities.
import type { ClassDef, PropDef } from '../model.js';
import { boolType, enumType, idListType, intType, stringType } from '../types.js';
import { collectionOf, prop } from './common.js';
import { mapOf, nameType } from './maps.js';

const UINT32 = 2 ** 32 - 1;

/** The original's types, then the rest of the FreeRADIUS types, so that imported dictionaries keep theirs. */
const RADIUS_TYPES = [
  'STRING', 'OCTETS', 'INTEGER', 'ENUM', 'IPADDR', 'IPV6ADDR', 'IPV6PREFIX', 'DATE', 'TLV', 'VSA',
  'IPV4PREFIX', 'IFID', 'BYTE', 'SHORT', 'SIGNED', 'INTEGER64', 'ETHER', 'COMBO-IP', 'ABINARY', 'EXTENDED', 'LONG-EXTENDED', 'EVS',
];
const FLAGS = /^(has_tag|encrypt=[123]|array|concat|virtual|secret)(,(has_tag|encrypt=[123]|array|concat|virtual|secret))*$/;
const DIAMETER_TYPES = [
  'OctetString', 'Integer32', 'Integer64', 'Unsigned32', 'Unsigned64', 'Float32', 'Float64', 'Grouped', 'Address', 'Time',
  'UTF8String', 'DiameterIdentity', 'DiameterURI', 'Enumerated', 'IPFilterRule', 'QoSFilterRule',
];

/** Value shape shared by standard and vendor RADIUS attributes. */
const radiusValueProps: PropDef[] = [
  prop('Type', enumType(RADIUS_TYPES), 'Data type of the value.'),
  prop('Min', intType(0, UINT32), 'Smallest value (INTEGER, ENUM) or shortest length in bytes.'),
  prop('Max', intType(0, UINT32), 'Largest value (INTEGER, ENUM) or longest length in bytes.'),
  prop('HasTag', boolType, 'The value is preceded by a tag byte (RFC 2868).'),
  prop('Flags', stringType({ pattern: FLAGS, patternHelp: 'FreeRADIUS flags: has_tag, encrypt=1|2|3, array, concat, virtual, secret, comma-separated' }), 'Further FreeRADIUS flags of the attribute.'),
  prop('Parent', stringType(), 'Enclosing TLV, extended or EVS attribute (RFC 6929); empty for a top-level attribute.'),
];
const radiusEnumerations = [{ name: 'Enumerations', cls: 'Enumerations' }];

const flagRule = enumType(['May', 'Must', 'MustNot']);
const avpRules = [
  { name: 'RequestAVPs', cls: 'AVPRules' },
  { name: 'AnswerAVPs', cls: 'AVPRules' },
];

export const advancedExtraClasses: ClassDef[] = [
  mapOf('ReplyMessages', 'Reply-Message text sent on reject, by reason: `<Reject-Reason> = <text>`.', nameType, stringType()),

  collectionOf('AttributeDictionary', 'RadiusAttribute', 'The RADIUS attribute dictionary.'),
  {
    name: 'RadiusAttribute',
    help: 'A standard RADIUS attribute, named as it appears in listings, scripts and traces.',
    props: [prop('Attribute', intType(1, UINT32), 'Attribute number (within Parent when Parent is set). Without a Type the object only adds Enumerations to an attribute of the built-in dictionary.'), ...radiusValueProps],
    fixed: radiusEnumerations,
  },
  mapOf('Enumerations', 'Named values of an ENUM attribute: `Name = number`.', nameType, intType(0, UINT32)),

  collectionOf('VendorAttributes', 'AttributeVendor', 'Vendor-specific RADIUS attributes, by vendor.'),
  {
    name: 'AttributeVendor',
    help: 'The vendor-specific attributes of one vendor.',
    props: [
      prop('VendorID', intType(0, UINT32), 'SMI enterprise number of the vendor.'),
      prop('Format', stringType({ pattern: /^[124],[012](,c)?$/, patternHelp: 'type,length[,c] as in FreeRADIUS format=' }), 'Sizes of the vendor\'s type and length fields; empty = 1,1.'),
    ],
    collection: { cls: 'VendorAttribute' },
  },
  {
    name: 'VendorAttribute',
    help: 'A vendor-specific attribute carried in Vendor-Specific (26).',
    props: [
      prop('VendorID', intType(0, UINT32), 'SMI enterprise number of the vendor, e.g. 9 for Cisco.'),
      prop('SubAttributeType', intType(0, UINT32), 'Vendor type of the sub-attribute (its size follows the vendor Format).'),
      ...radiusValueProps,
    ],
    fixed: radiusEnumerations,
  },

  {
    name: 'SNMP',
    help: 'SNMP agent; stored only.',
    props: [prop('Enabled', boolType, 'Run the SNMP agent.', { default: false, storedOnly: true })],
  },

  {
    name: 'DiameterSessionManagement',
    help: 'Session timers of the Diameter base protocol, in seconds.',
    props: [
      prop('AuthSessionStateful', boolType, 'Keep auth session state (Auth-Session-State STATE_MAINTAINED).', { default: true }),
      prop('AuthSessionTimeout', intType(0), 'Seconds an auth session may stay idle.', { default: 30 }),
      prop('AuthLifetime', intType(0), 'Authorization-Lifetime granted, seconds.', { default: 360 }),
      prop('AuthGracePeriod', intType(0), 'Auth-Grace-Period granted after the lifetime, seconds.', { default: 30 }),
      prop('AuthAbortTimeout', intType(0), 'Seconds to wait for an answer to an Abort-Session-Request.', { default: 20 }),
      prop('AcctSessionTimeout', intType(0), 'Seconds an accounting session may go without a record.', { default: 30 }),
      prop('AcctInterimInterval', intType(0), 'Acct-Interim-Interval sent, seconds.', { default: 5 }),
      prop('AcctRealTime', intType(0, 3), 'Accounting-Realtime-Required sent; 0 = not sent.', { default: 0 }),
    ],
  },

  {
    name: 'DiameterDictionary',
    help: 'The Diameter dictionary: AVPs, applications and commands.',
    props: [],
    fixed: [
      { name: 'DiameterAttributes', cls: 'DiameterAttributes' },
      { name: 'DiameterApplications', cls: 'DiameterApplications' },
      { name: 'DiameterCommands', cls: 'DiameterCommands' },
    ],
  },
  collectionOf('DiameterAttributes', 'DiameterAttribute', 'Diameter AVPs by name.'),
  {
    name: 'DiameterAttribute',
    help: 'A Diameter AVP.',
    props: [
      prop('Attribute', intType(1, UINT32), 'AVP code.'),
      prop('VendorID', intType(0, UINT32), 'Vendor-Id of the AVP; 0 = none (IETF).', { default: 0 }),
      prop('Mandatory', flagRule, 'Whether the M bit may, must or must not be set.'),
      prop('Protected', flagRule, 'Whether the P bit may, must or must not be set.'),
      prop('MayEncrypt', enumType(['Yes', 'No']), 'Whether the AVP may be encrypted.'),
      prop('Type', enumType(DIAMETER_TYPES), 'Data type of the AVP (RFC 6733 §4.2, §4.3).'),
    ],
    fixed: [
      { name: 'Enumerations', cls: 'DiameterEnumerations' },
      { name: 'GroupedAVPs', cls: 'AVPRules' },
    ],
  },
  mapOf('DiameterEnumerations', 'Named values of an Enumerated AVP: `Name = number`.', nameType, intType(-(2 ** 31), 2 ** 31 - 1)),
  mapOf(
    'AVPRules',
    'AVPs allowed in a grouped AVP or command: `AVP = Required|Optional|Fixed:<max>`.',
    nameType,
    stringType({ pattern: /^(Required|Optional|Fixed)(:[1-9]\d*)?$/, patternHelp: 'Required, Optional or Fixed, optionally followed by :<max>' }),
  ),
  collectionOf('DiameterApplications', 'DiameterApplication', 'Diameter applications by name.'),
  {
    name: 'DiameterApplication',
    help: 'A Diameter application.',
    props: [
      prop('ApplicationId', intType(0, UINT32), 'Application-Id.'),
      prop('Type', enumType(['Auth', 'Acct']), 'Authentication/authorization or accounting application.'),
      prop('VendorId', intType(0, UINT32), 'Vendor-Id of a vendor-specific application.'),
    ],
  },
  collectionOf('DiameterCommands', 'DiameterCommand', 'Diameter commands by name.'),
  {
    name: 'DiameterCommand',
    help: 'A Diameter command with the AVPs of its request and answer.',
    props: [
      prop('CommandCode', intType(0, 2 ** 24 - 1), 'Command code.'),
      prop('ApplicationId', intType(0, UINT32), 'Application the command belongs to.'),
    ],
    fixed: avpRules,
  },

  {
    name: 'DOICPriorities',
    help: 'Which traffic is forwarded, diverted or dropped first while a peer reports overload; Priority0 is the most important.',
    props: [],
    fixed: [0, 1, 2, 3, 4].map((n) => ({ name: `Priority${n}`, cls: 'DOICPriority' })),
  },
  collectionOf('DOICPriority', 'DOICEntry', 'Traffic of one DOIC priority.'),
  {
    name: 'DOICEntry',
    help: 'Traffic of an application and its commands, and what to do with it under overload.',
    props: [
      prop('ApplicationId', intType(0, UINT32), 'Diameter application of the traffic.'),
      prop('CommandCodeList', idListType, 'Command codes of the traffic, e.g. 303,305.'),
      prop('Action', enumType(['Forward', 'Divert', 'Drop']), 'What to do with the traffic while the peer is overloaded.'),
      prop('DivertTo', stringType(), 'GroupServer or RemoteServer the traffic goes to under Divert.'),
    ],
  },
];
