// Session managers and the resource managers they allocate from.
import type { ClassDef, Variant } from '../model.js';
import { boolType, durationType, enumType, intType, ipRangeType, ipType, stringType } from '../types.js';
import { collectionOf, prop, ref, scriptRefs } from './common.js';
import { mapOf, nameListType, nameType } from './maps.js';

const EXECUTED_TYPES = ['ip-dynamic', 'ip-per-nas-port', 'subnet-dynamic', 'user-session-limit', 'group-session-limit', 'session-cache'] as const;
const STORED_ONLY_TYPES = [
  'home-agent', 'ipx-dynamic', 'usr-vpn', 'dynamic-dns', 'remote-ip-dynamic', 'remote-user-session-limit',
  'remote-group-session-limit', 'remote-session-cache', '3gpp-reauthorization',
] as const;

const variants: Record<string, Variant> = {
  'ip-dynamic': {
    props: [
      prop('NetMask', ipType, 'Framed-IP-Netmask returned with an allocated address.'),
      prop('AllowOverlappedAddresses', boolType, 'Let this pool share addresses with other ip-dynamic pools.', { default: false }),
    ],
    fixed: [{ name: 'IPAddresses', cls: 'IPRangeList' }],
  },
  'ip-per-nas-port': {
    props: [ref('NAS', 'Clients', 'Client whose ports the addresses belong to.')],
    fixed: [{ name: 'IPAddresses', cls: 'NASPortAddresses' }],
  },
  'subnet-dynamic': {
    props: [prop('SubnetSize', intType(1, 128), 'Prefix length of each allocated subnet; env Subnet-Size-If-No-Match is the fallback.')],
    fixed: [{ name: 'Subnets', cls: 'IPRangeList' }],
  },
  'user-session-limit': {
    props: [prop('UserSessionLimit', intType(0), 'Sessions allowed per User-Name; env User-Session-Limit overrides.', { required: true })],
  },
  'group-session-limit': {
    props: [prop('GroupSessionLimit', intType(0), 'Sessions allowed in the group; env Group-Session-Limit overrides.', { required: true })],
  },
  'session-cache': {
    props: [
      prop('QueryKey', nameType, 'Attribute whose value finds the cached session in later queries.'),
      prop('PendingRemovalDelay', durationType, 'How long a released session stays queryable.', { default: '10 Seconds' }),
    ],
    fixed: [{ name: 'AttributesToBeCached', cls: 'AttributeNameList' }],
  },
};
for (const t of STORED_ONLY_TYPES) variants[t] = { storedOnly: true };

export const sessionClasses: ClassDef[] = [
  collectionOf('SessionManagers', 'SessionManager', 'Session tracking, each with an ordered list of resource managers.'),
  {
    name: 'SessionManager',
    help: 'Tracks sessions and allocates their resources.',
    discriminator: 'Type',
    props: [
      prop('Type', enumType(['local', 'remote']), 'Where sessions are kept; remote is stored only.', { default: 'local' }),
      ...scriptRefs('session manager'),
      prop('AllowAccountingStartToCreateSession', boolType, 'An Accounting Start without a prior Access-Accept creates a session.', { default: true }),
      prop('SessionTimeOut', durationType, 'Release sessions older than this; empty = never.'),
      prop('PhantomSessionTimeOut', durationType, 'Release sessions that never saw accounting after this long; empty = never.'),
      prop('SessionKey', nameListType(':'), 'Attributes joined by `:` that key a session; empty = NAS address and NAS-Port.'),
      prop('EnableDiskPersistence', boolType, 'Write sessions to data/radius/ and restore them at start.', { default: true }),
    ],
    variants: { local: {}, remote: { storedOnly: true } },
    fixed: [{ name: 'ResourceManagers', cls: 'ResourceManagerList' }],
  },
  collectionOf('ResourceManagers', 'ResourceManager', 'IP pools, session limits and caches used by session managers.'),
  {
    name: 'ResourceManager',
    help: 'A resource allocated to sessions; when it runs out the request is rejected.',
    discriminator: 'Type',
    props: [prop('Type', enumType([...EXECUTED_TYPES, ...STORED_ONLY_TYPES]), 'Kind of resource; changing it resets the type\'s properties.', { required: true })],
    variants,
  },
  { name: 'IPRangeList', help: 'Ordered list of addresses, ranges (a-b) and subnets (a/len).', props: [], list: { item: ipRangeType } },
  mapOf(
    'NASPortAddresses',
    'Fixed addresses per NAS port: `<port-range> = <ip-range>`.',
    stringType({ pattern: /^\d+(-\d+)?$/, patternHelp: 'a port number or range n-m' }),
    ipRangeType,
  ),
  { name: 'AttributeNameList', help: 'Ordered list of attribute names.', props: [], list: { item: nameType } },
];
