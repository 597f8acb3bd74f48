// RADIUS clients (NASes, proxies) and Diameter peers allowed to send requests.
import type { ClassDef, PropDef } from '../model.js';
import { boolType, encryptedSecretType, enumType, intType, ipRangeType, ipType, msType, portType, stringType } from '../types.js';
import { collectionOf, prop, ref, scriptRefs } from './common.js';

/** TLS material shared by Diameter clients and Diameter remote servers. */
export const diameterTransportProps: PropDef[] = [
  prop('TransportProtocol', enumType(['tcp', 'tls', 'sctp']), 'Transport to the peer (sctp is stored only: Node has no SCTP).', { default: 'tcp' }),
  prop('PrivateKeyPassword', encryptedSecretType, 'Passphrase of ServerKeyFile.'),
  prop('ServerCertificateFile', stringType(), 'PEM certificate presented to the peer.'),
  prop('ServerKeyFile', stringType(), 'PEM private key of ServerCertificateFile.'),
  prop('CACertificateFile', stringType(), 'PEM file of CA certificates trusted for the peer.'),
  prop('CACertificatePath', stringType(), 'Directory of CA certificates trusted for the peer.'),
  prop('PeerVerificationMode', enumType(['None', 'Optional', 'RequireCertificate']), 'How the peer certificate is verified.', { default: 'None' }),
  prop('EnableAutoChaining', boolType, 'Build the certificate chain from the CA files.', { default: true }),
  prop('AssociationMaxRetrans', intType(0), 'SCTP association retransmissions.', { default: 10, storedOnly: true }),
];

export const clientClasses: ClassDef[] = [
  collectionOf('Clients', 'Client', 'RADIUS NASes and proxies, and Diameter peers, allowed to send requests.'),
  {
    name: 'Client',
    help: 'A RADIUS client or Diameter peer.',
    positional: ['Description', 'IPAddress', 'SharedSecret', 'Type', 'Vendor', 'IncomingScript', 'OutgoingScript', 'EnableDynamicAuthorization'],
    discriminator: 'Protocol',
    props: [
      prop('Protocol', enumType(['radius', 'diameter', 'tacacs']), 'Protocol spoken by the client.', { default: 'radius' }),
      ref('Vendor', 'Vendors', 'Vendor whose scripting points apply to the client.'),
      ...scriptRefs('client'),
      prop('MaxIncomingRequestRate', intType(0), 'Requests per second accepted from the client; 0 = unlimited. Excess is dropped and counted.', { default: 0 }),
    ],
    variants: {
      radius: {
        props: [
          prop('IPAddress', ipRangeType, 'Source address, range (a-b) or subnet (a/len) accepted from the client.', { required: true }),
          prop('SharedSecret', encryptedSecretType, 'RADIUS shared secret.', { required: true }),
          prop('Type', enumType(['NAS', 'Proxy', 'NAS+Proxy']), 'NAS, or a proxy relaying requests of other NASes.', { default: 'NAS' }),
          prop('UseDNIS', boolType, 'Stored only.', { default: false, storedOnly: true }),
          prop('EnableDynamicAuthorization', boolType, 'Allow CoA and Disconnect requests towards this NAS.', { default: false }),
          prop('RequireMessageAuthenticator', enumType(['No', 'Yes', 'Auto']), 'Drop Access-Requests without a valid Message-Authenticator (BlastRADIUS mitigation); Auto: the first packet decides.', { default: 'Yes' }),
          prop('LimitProxyState', enumType(['No', 'Yes', 'Auto']), 'Drop Access-Requests carrying Proxy-State but no Message-Authenticator.', { default: 'Auto' }),
          prop('Dialect', enumType(['default', 'kamailio', 'opensips', 'rfc5090']), 'How attributes 101-109, 204-209 and 206/207 are read.', { default: 'default' }),
          prop('AllowCheckOnlyRequests', boolType, 'Accept Access-Requests without a password for the SIP check Service-Types.', { default: false }),
        ],
        fixed: [{ name: 'DynamicAuthorizationServer', cls: 'DynamicAuthorizationServer' }],
      },
      diameter: {
        props: [
          prop('HostName', stringType(), 'The peer\'s Origin-Host (DiameterIdentity).', { required: true }),
          prop('IPAddress', ipRangeType, 'Accepted source address(es); empty = any.'),
          prop('PeerPort', portType, 'The peer\'s Diameter port.', { default: 3868 }),
          prop('EnableMultiProxyMode', boolType, 'Several peers from one address, told apart by Origin-Host.', { default: false }),
          prop('AuthSessionStateInASR', enumType(['State-Maintained', 'No-State-Maintained']), 'Auth-Session-State sent in ASR.', { default: 'State-Maintained' }),
          prop('DOIC-Enabled', boolType, 'Act as a DOIC reporting node towards this peer.', { default: false }),
          prop('OverloadReductionPercentage', intType(0, 100), 'Reduction requested in OC-OLR.', { default: 50 }),
          prop('OLRValidityInSeconds', intType(1, 86400), 'OC-Validity-Duration sent.', { default: 30 }),
          prop('DiameterProfile', enumType(['rfc', 'opensips']), 'Peer quirks: opensips also advertises the SIP application.', { default: 'rfc' }),
          ...diameterTransportProps,
        ],
        fixed: [{ name: 'AdditionalIPAddresses', cls: 'IPAddressList' }],
      },
      tacacs: {
        storedOnly: true,
        props: [
          prop('IPAddress', ipRangeType, 'Source address of the TACACS+ client.'),
          prop('SharedSecret', encryptedSecretType, 'TACACS+ key.'),
        ],
      },
    },
  },
  {
    name: 'DynamicAuthorizationServer',
    help: 'Where CoA and Disconnect requests for this NAS are sent.',
    props: [
      prop('DestinationPort', portType, 'UDP port of the NAS\'s dynamic authorization server.', { default: 3799 }),
      prop('SharedSecret', encryptedSecretType, 'Secret for CoA/Disconnect; empty = the client\'s.'),
      prop('InitialTimeout', msType, 'First retransmission timeout.', { default: 3000 }),
      prop('MaxTries', intType(1, 10), 'Attempts before giving up.', { default: 3 }),
    ],
  },
  { name: 'IPAddressList', help: 'Ordered list of IP addresses.', props: [], list: { item: ipType } },
];
