// Upstream servers: RADIUS and Diameter remote servers, Diameter groups and the
// per-peer entries of diameter services and groups.
import type { ClassDef, PropDef } from '../model.js';
import { boolType, encryptedSecretType, enumType, intType, ipType, msType, portType, stringType } from '../types.js';
import { collectionOf, prop, ref, scriptRefs } from './common.js';
import { diameterTransportProps } from './clients.js';

const reactivate = prop('ReactivateTimerInterval', msType, 'How long an inactive server is skipped before it is tried again.', { default: 300000 });
const outstanding = [
  prop('LimitOutstandingRequests', boolType, 'Cap the requests in flight to the server at MaxOutstandingRequests.', { default: false }),
  prop('MaxOutstandingRequests', intType(0), 'Requests in flight allowed when LimitOutstandingRequests is TRUE.', { default: 0 }),
];
const weight = prop('Weight', intType(0), 'Share of the traffic under the RoundRobin policy.', { default: 0 });
const metric = prop('Metric', intType(0), 'Priority among peers, lower first; 0 = preferred.', { default: 0 });

const radiusProps: PropDef[] = [
  prop('IPAddress', ipType, 'Address of the server.', { required: true }),
  prop('Port', portType, 'UDP port; one per object, so accounting needs a second object on 1813.', { default: 1812 }),
  prop('SharedSecret', encryptedSecretType, 'RADIUS shared secret.', { required: true }),
  prop('InitialTimeout', msType, 'First retransmission timeout, doubled on each retry.', { default: 2000 }),
  prop('MaxTries', intType(1), 'Attempts before the server is marked inactive.', { default: 3 }),
  reactivate,
  prop('ACKAccounting', boolType, 'Answer the NAS only after the server\'s Accounting-Response.', { default: true }),
  ...outstanding,
  prop('MaxRequestRate', intType(0), 'Requests per second sent to the server; 0 = no cap.', { default: 0 }),
  weight,
  prop('RequireMessageAuthenticator', boolType, 'Replies must carry a valid Message-Authenticator.', { default: true }),
  prop('UseStatusServer', boolType, 'Probe with Status-Server (RFC 5997) before reactivating the server.', { default: false }),
];

const diameterProps: PropDef[] = [
  prop('HostName', stringType(), 'The peer\'s Origin-Host; must match its CEA.', { required: true }),
  prop('IPAddress', ipType, 'Address to connect to; empty = resolve HostName.'),
  prop('DestinationPort', portType, 'The peer\'s Diameter port.', { default: 3868 }),
  prop('DestinationRealm', stringType(), 'Destination-Realm of the requests sent to the peer.', { required: true }),
  reactivate,
  ...outstanding,
  prop('MaxTries', intType(1), 'Re-sends (T flag set) after RequestRetransmissionInterval before failing over.', { default: 3 }),
  metric,
  weight,
  prop('DOIC-Enabled', boolType, 'Act as a DOIC reacting node towards this server.', { default: false }),
  prop(
    'DOICPriorityList',
    stringType({ pattern: /^Priority[0-4](\s*,\s*Priority[0-4])*$/, patternHelp: 'a comma list of Priority0 ... Priority4' }),
    'DOICPriorities children that apply to this server, e.g. `Priority0, Priority1`.',
  ),
  ...diameterTransportProps,
];

export const remoteClasses: ClassDef[] = [
  collectionOf('RemoteServers', 'RemoteServer', 'Upstream RADIUS and Diameter servers used by proxy services.'),
  {
    name: 'RemoteServer',
    help: 'An upstream server; a proxy service fails over between its remote servers.',
    positional: ['Description', 'Protocol', 'IPAddress', 'Port', 'SharedSecret'],
    discriminator: 'Protocol',
    props: [
      prop('Protocol', enumType(['radius', 'diameter', 'ldap', 'odbc', 'odbc-accounting', 'tacacs-udp']), 'Protocol spoken to the server; ldap, odbc, odbc-accounting and tacacs-udp are stored only.', { default: 'radius' }),
      ref('Vendor', 'Vendors', 'Vendor whose scripting points apply to the server.'),
      ...scriptRefs('remote server'),
    ],
    variants: {
      radius: { props: radiusProps },
      diameter: { props: diameterProps, fixed: [{ name: 'AdditionalIPAddresses', cls: 'IPAddressList' }] },
      ldap: {
        storedOnly: true,
        props: [prop('IPAddress', ipType, 'Address of the LDAP server.'), prop('Port', portType, 'Port of the LDAP server.')],
      },
      odbc: { storedOnly: true },
      'odbc-accounting': { storedOnly: true },
      'tacacs-udp': {
        storedOnly: true,
        props: [
          prop('IPAddress', ipType, 'Address of the TACACS+ server.'),
          prop('Port', portType, 'Port of the TACACS+ server.'),
          prop('SharedSecret', encryptedSecretType, 'TACACS+ key.'),
        ],
      },
    },
  },
  collectionOf('GroupServers', 'GroupServer', 'Groups of Diameter remote servers for group fail-over.'),
  {
    name: 'GroupServer',
    help: 'A group of Diameter remote servers; a diameter service with GroupFailover uses the first group with an active member.',
    props: [
      prop('MultiplePeersPolicy', enumType(['Failover', 'RoundRobin']), 'How peers inside the group are chosen.', { default: 'Failover' }),
      prop('PeerTimeOutPolicy', enumType(['FailOver', 'SendError', 'DropPacket']), 'What to do when a peer does not answer.', { default: 'FailOver' }),
      prop('Metric', intType(0), 'Priority of the group, lower first.', { default: 0 }),
    ],
    fixed: [{ name: 'DiaRemoteServers', cls: 'DiaRemoteServers' }],
  },
  collectionOf('DiaRemoteServers', 'DiaRemoteServer', 'Diameter peers, each entry named after a diameter RemoteServer.'),
  {
    name: 'DiaRemoteServer',
    help: 'A peer entry, named after the diameter RemoteServer it uses.',
    props: [metric, weight],
  },
];
