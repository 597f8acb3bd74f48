// Services: how authentication, authorization and accounting are done.
import type { ClassDef, Variant } from '../model.js';
import { boolType, cronType, durationType, enumType, idListType, intType, sizeType, stringType } from '../types.js';
import { collectionOf, prop, ref, scriptRefs } from './common.js';

const EXECUTED_TYPES = ['local', 'file', 'radius', 'group', 'diameter', 'radius-diameter', 'diameter-radius', 'rex', 'eap-md5'] as const;
const STORED_ONLY_TYPES = [
  'eap-leap', 'eap-gtc', 'eap-mschapv2', 'eap-negotiate', 'eap-tls', 'eap-ttls', 'peap-v0', 'peap-v1', 'eap-fast', 'eap-sim',
  'eap-aka', 'eap-aka-prime', 'ldap', 'odbc', 'odbc-accounting', 'tacacs-udp', 'java', 'radius-query', 'radius-session',
  'wimax', 'prepaid-crb', 'prepaid-is835c', 'm3ua',
] as const;

const translationScripts = [
  ref('PreRequestTranslationScript', 'Scripts', 'Script run before the request is translated.'),
  ref('PostRequestTranslationScript', 'Scripts', 'Script run after the request is translated.'),
  ref('PreResponseTranslationScript', 'Scripts', 'Script run before the response is translated.'),
  ref('PostResponseTranslationScript', 'Scripts', 'Script run after the response is translated.'),
];

const rexProps = [
  prop('Filename', stringType(), 'JavaScript module under scripts/ implementing the service.', { required: true }),
  prop('EntryPoint', stringType(), 'Exported function called for each request.'),
  prop('InitEntryPoint', stringType(), 'Exported function called when the service starts and stops.'),
  prop('InitEntryPointArgs', stringType(), 'Put into the environment variable `arguments` before InitEntryPoint runs.'),
];

const variants: Record<string, Variant> = {
  local: { props: [ref('UserList', 'UserLists', 'UserList where users are looked up.', { required: true })] },
  file: {
    props: [
      prop('FilenamePrefix', stringType(), 'Accounting files are named <prefix>-<YYYYMMDD-HHMMSS> in the log directory.', { default: 'Accounting' }),
      prop('MaxFileSize', sizeType, 'Roll over to a new file when the current one exceeds this size.', { default: '10 Megabytes' }),
      prop('MaxFileAge', durationType, 'Roll over to a new file when the current one is older than this.', { default: '1 Day' }),
      prop('RolloverSchedule', cronType, 'Cron-like `min hour dom mon dow` schedule of roll-overs (e.g. `0 0 * * *` daily at midnight); empty = none.'),
      prop('UseLocalTimeZone', boolType, 'Timestamps in local time instead of UTC.', { default: false }),
    ],
  },
  radius: {
    props: [prop('MultipleServersPolicy', enumType(['Failover', 'RoundRobin']), 'How remote servers are chosen.', { default: 'Failover' })],
    fixed: [{ name: 'RemoteServers', cls: 'RemoteServerList' }],
  },
  group: {
    props: [prop('ResultRule', enumType(['AND', 'OR']), 'AND: every service must accept; OR: the first accept wins.', { default: 'AND' })],
    fixed: [{ name: 'GroupServices', cls: 'ServiceList' }],
  },
  diameter: {
    props: [
      prop('MultiplePeersPolicy', enumType(['Failover', 'RoundRobin', 'GroupFailover', 'IMSIRangeBased']), 'How peers are chosen.', { default: 'Failover' }),
      prop('PeerTimeOutPolicy', enumType(['FailOver', 'SendError', 'DropPacket']), 'What to do when a peer does not answer.', { default: 'FailOver' }),
      prop('EnableSticky', boolType, 'Keep a session on the peer that served its first request.', { default: false }),
      prop('StickySessionKey', stringType(), '<AVP>#<instance> whose value keys the sticky entry.', { default: 'Session-Id#1' }),
      prop('StickyCreationCmdList', idListType, 'Command codes that create a sticky entry (e.g. 265).'),
      prop('StickyDeletionCmdList', idListType, 'Command codes that remove a sticky entry (e.g. 275).'),
    ],
    fixed: [
      { name: 'DiaRemoteServers', cls: 'DiaRemoteServers' },
      { name: 'GroupServers', cls: 'GroupServerList' },
    ],
  },
  'radius-diameter': {
    props: [
      prop('DiameterApplicationId', intType(0), 'Application of the Diameter requests built.'),
      ref('ProxyServiceName', 'Services', 'The diameter service that reaches the peers.'),
      prop('EnableRequestCommandMappings', boolType, 'Use RequestMapping/CommandMappings.', { default: false }),
      prop('Enable3GPPReverseAuthorization', boolType, 'Build the request by 3GPP reverse authorization.', { default: false }),
      prop('SendRAR-ASRToClient', boolType, 'Send CoA as RAR and PoD as ASR straight to a Diameter client.', { default: false }),
      ...translationScripts,
    ],
    fixed: [
      { name: 'RequestMapping', cls: 'RequestMapping' },
      { name: 'ResponseMapping', cls: 'ResponseMapping' },
    ],
  },
  'diameter-radius': {
    props: [ref('ProxyServiceName', 'Services', 'The radius or local service that answers the translated request.'), ...translationScripts],
    fixed: [
      { name: 'RequestMapping', cls: 'RequestMapping' },
      { name: 'ResponseMapping', cls: 'ResponseMapping' },
    ],
  },
  rex: { props: rexProps },
  'eap-md5': {
    props: [
      ref('UserService', 'Services', 'The local service where passwords are looked up.', { required: true }),
      prop('NumberOfRetries', intType(0, 10), 'Failed rounds before the request is rejected.', { default: 2 }),
    ],
  },
};
for (const t of STORED_ONLY_TYPES) variants[t] = { storedOnly: true };

export const serviceClasses: ClassDef[] = [
  collectionOf('Services', 'Service', 'How authentication, authorization and accounting are done.'),
  {
    name: 'Service',
    help: 'An authentication, authorization or accounting service.',
    positional: ['Description', 'Type'],
    discriminator: 'Type',
    props: [
      prop('Type', enumType([...EXECUTED_TYPES, ...STORED_ONLY_TYPES]), 'Kind of service; changing it resets the type\'s properties.', { required: true }),
      ...scriptRefs('service'),
      prop('OutagePolicy', enumType(['AcceptAll', 'RejectAll', 'DropPacket']), 'What to do when every remote server is down.', { default: 'RejectAll' }),
      ref('OutageScript', 'Scripts', 'Script run when the outage policy applies.'),
    ],
    variants,
  },
];
