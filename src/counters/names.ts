// Counter names of aregcmd.md §13. A block is a plain object whose fields are these names, so an
// increment on the hot path is `block.totalRequests++`: no lookup, no call.

/** Global RADIUS counters (`Global Statistics for Radius:`). totalPacketsInPool is a gauge, not here. */
export const RADIUS_GLOBAL_COUNTERS = [
  'totalPacketsReceived',
  'totalPacketsSent',
  'totalRequests',
  'totalResponses',
  'totalAccessRequests',
  'totalAccessAccepts',
  'totalAccessChallenges',
  'totalAccessRejects',
  'totalAccessResponses',
  'totalAccountingRequests',
  'totalAccountingResponses',
  'totalStatusServerRequests',
  'totalPacketsDropped',
  'totalPayloadDecryptionFailures',
  'totalDuplicateRequests',
  'totalUnknownClients',
  'totalMalformedPackets',
  'totalBadMessageAuthenticators',
] as const;

/** Per client (`Client Statistics:`). */
export const CLIENT_COUNTERS = [
  'requests',
  'accepts',
  'rejects',
  'challenges',
  'accountingRequests',
  'dropped',
  'duplicates',
  'rateLimited',
] as const;

/** Per remote server (`Remote Server Statistics:`); `active`, `RTTAverage`, `RTTDeviation`,
 * `outstandingRequests` and `lastFailoverTime` are gauges the proxy module registers. */
export const REMOTE_SERVER_COUNTERS = [
  'requests',
  'responses',
  'timeouts',
  'accepts',
  'rejects',
  'challenges',
  'accountingResponses',
  'malformed',
  'badAuthenticators',
] as const;

export const REMOTE_SERVER_GAUGES = [
  'active',
  'RTTAverage',
  'RTTDeviation',
  'outstandingRequests',
  'lastFailoverTime',
] as const;

/** Per Diameter peer (`dia-stats`); `state` and `watchdog` are gauges, the
 * `(application, command, R-bit, Result-Code)` tuples a Tally named `results`. */
export const DIAMETER_PEER_COUNTERS = [
  'CERSent',
  'CERReceived',
  'CEASent',
  'CEAReceived',
  'DWRSent',
  'DWRReceived',
  'DWASent',
  'DWAReceived',
  'DPRSent',
  'DPRReceived',
  'DPASent',
  'DPAReceived',
  'requestsIn',
  'answersOut',
  'requestsOut',
  'answersIn',
  'duplicates',
  'protocolErrors',
] as const;

export type RadiusGlobalCounter = (typeof RADIUS_GLOBAL_COUNTERS)[number];
export type ClientCounter = (typeof CLIENT_COUNTERS)[number];
export type RemoteServerCounter = (typeof REMOTE_SERVER_COUNTERS)[number];
export type DiameterPeerCounter = (typeof DIAMETER_PEER_COUNTERS)[number];

/** Section names used by the engine's components; other names may be declared freely. */
export const SECTIONS = {
  clients: 'clients',
  services: 'services',
  remoteServers: 'remoteServers',
  diameterPeers: 'diameterPeers',
} as const;

/** Key of one line of the Diameter results tally: `app 1 cmd 265 answer 2001`. */
export function diameterResultKey(app: number, cmd: number, request: boolean, resultCode?: number): string {
  return request ? `app ${app} cmd ${cmd} request` : `app ${app} cmd ${cmd} answer ${resultCode ?? 0}`;
}
