// /Radius/Advanced: engine-wide settings, listening ports and the Diameter transport.
import type { ClassDef } from '../model.js';
import { boolType, enumType, idListType, intType, msType, portType, sizeType, stringType } from '../types.js';
import { collectionOf, prop } from './common.js';
import { AREG_VERSION, PRODUCT_NAME } from '../../version.js';

export const advancedClasses: ClassDef[] = [
  {
    name: 'Advanced',
    help: 'Engine-wide settings.',
    props: [
      prop('MaximumNumberOfRadiusPackets', intType(16, 1048576), 'In-flight RADIUS requests; beyond it requests are dropped.', { default: 8192 }),
      prop('NumberOfRemoteUDPServerSockets', intType(1, 64), 'Source sockets used to proxy to remote RADIUS servers.', { default: 4 }),
      prop('AAAFileServiceSyncInterval', intType(1, 10000), 'Group-commit interval of file accounting (ms); Accounting-Responses wait for it.', { default: 75 }),
      prop('DefaultReplyMessage', stringType(), 'Reply-Message added to an Access-Reject that carries none.'),
      prop('RequireNASsBehindProxyBeInClientList', boolType, 'A NAS behind a Proxy client must be a client too.', { default: false }),
      prop('AdvancedDuplicateDetectionEnabled', boolType, 'RFC 5080 reply cache for retransmitted requests.', { default: true }),
      prop('AdvancedDuplicateDetectionMemoryInterval', intType(2, 30), 'Seconds a reply stays in the duplicate cache.', { default: 10 }),
      prop('UDPReceiveBufferSize', sizeType, 'Receive buffer of each RADIUS socket; the system default drops bursts.', { default: '4 Megabytes' }),
      prop('LogDirectory', stringType(), 'Directory of logs, traces and file accounting (relative to AREG_HOME).', { default: 'logs' }),
      prop('LogServerActivity', boolType, 'Write one log line per request outcome.', { default: false }),
      prop('LogSessionManagerActivity', boolType, 'Log session creation and release.', { default: false }),
      prop('LogFileSize', sizeType, 'Size at which the engine log is rotated.', { default: '1 Megabyte' }),
      prop('LogFileCount', intType(1, 100), 'Rotated engine logs kept.', { default: 2 }),
      prop('TraceFileSize', sizeType, 'Size at which the trace file is rotated.', { default: '1 Megabyte' }),
      prop('TraceFileCount', intType(1, 100), 'Rotated trace files kept (trace-file-count).', { default: 2 }),
      prop('TraceLevel', intType(0, 5), 'Trace level the engine starts with (kept by the trace command).', { default: 0 }),
    ],
    fixed: [
      { name: 'Ports', cls: 'Ports' },
      { name: 'Interfaces', cls: 'IPAddressList' },
      { name: 'Reply Messages', cls: 'ReplyMessages' },
      { name: 'Attribute Dictionary', cls: 'AttributeDictionary' },
      { name: 'Vendor Attributes', cls: 'VendorAttributes' },
      { name: 'SNMP', cls: 'SNMP' },
      { name: 'Diameter', cls: 'Diameter' },
      { name: 'DiameterDictionary', cls: 'DiameterDictionary' },
      { name: 'DOICPriorities', cls: 'DOICPriorities' },
    ],
  },
  collectionOf('Ports', 'Port', 'UDP ports the engine listens on; empty = 1812 auth and 1813 acct.'),
  {
    name: 'Port',
    help: 'A listening UDP port, named by its number.',
    positional: ['Type'],
    namePattern: { pattern: /^([1-9]\d{0,3}|[1-5]\d{4}|6[0-4]\d{3}|65[0-4]\d\d|655[0-2]\d|6553[0-5])$/, help: 'a port number 1-65535' },
    props: [prop('Type', enumType(['auth', 'acct', 'dynauth']), 'What the port serves: authentication, accounting or CoA/Disconnect.', { default: 'auth' })],
  },
  {
    name: 'Diameter',
    help: 'Diameter settings; transport changes take effect on an engine restart.',
    props: [],
    fixed: [
      { name: 'General', cls: 'DiameterGeneral' },
      { name: 'TransportManagement', cls: 'DiameterTransportManagement' },
      { name: 'SessionManagement', cls: 'DiameterSessionManagement' },
    ],
  },
  {
    name: 'DiameterGeneral',
    help: 'Capabilities advertised in CER/CEA.',
    props: [
      prop('Product', stringType(), 'Product-Name in CER/CEA.', { default: PRODUCT_NAME }),
      prop('Version', stringType(), 'Firmware-Revision in CER/CEA.', { default: AREG_VERSION }),
      prop('VendorId', intType(0), 'Vendor-Id in CER/CEA.', { default: 0 }),
      prop('AuthApplicationIdList', idListType, 'Auth-Application-Id values advertised and accepted.', { default: '1:5' }),
      prop('AcctApplicationIdList', idListType, 'Acct-Application-Id values advertised and accepted.', { default: '3' }),
    ],
  },
  {
    name: 'DiameterTransportManagement',
    help: 'Local Diameter identity, listener and timers.',
    props: [
      prop('Identity', stringType(), 'Our Origin-Host (DiameterIdentity).'),
      prop('Realm', stringType(), 'Our Origin-Realm.'),
      prop('TCPListenPort', portType, 'Diameter listen port for all peers.', { default: 3868 }),
      prop('TLSListenPort', portType, 'Port of the TLS listener (RFC 6733 §13); empty = no TLS listener.'),
      prop('SCTPListenPort', portType, 'Stored only.', { default: 3868, storedOnly: true }),
      prop('UseIPv6', boolType, 'Also listen on IPv6.', { default: false }),
      prop('WatchdogTimeout', intType(6000, 3600000), 'Tw (RFC 3539), ms.', { default: 30000 }),
      prop('ReconnectInterval', msType, 'Tc for peers we connect to, ms.', { default: 30000 }),
      prop('MaxReconnections', intType(0), 'Reconnection attempts before a peer is given up until the next reload.', { default: 3 }),
      prop('RequestRetransmissionInterval', intType(1, 3600), 'Seconds before an unanswered request is re-sent.', { default: 8 }),
      prop('MaxRequestRetransmissionCount', intType(0, 10), 'Re-sends of an unanswered request.', { default: 3 }),
      prop('ReceiveBufferSize', intType(1024), 'Receive buffer of a peer connection, bytes.', { default: 20480 }),
      prop('ValidateIncomingMessages', boolType, 'Check requests against the dictionary and answer 5xxx.', { default: false }),
      prop('ValidateOutgoingMessages', boolType, 'Check answers against the dictionary before sending.', { default: true }),
      prop('MaximumNumberofDiameterPackets', intType(16, 1048576), 'In-flight Diameter requests; DOIC overload starts at 75 %.', { default: 8192 }),
      prop('ReserveDiameterPacketPool', intType(0), 'Packets reserved for high-priority traffic.', { default: 0 }),
      prop('DiameterPacketSize', intType(256, 1048576), 'Initial buffer size of a message.', { default: 2048 }),
    ],
    fixed: [{ name: 'AdvertisedHostName', cls: 'IPAddressList' }],
  },
];
