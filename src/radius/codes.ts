// RADIUS packet codes (RFC 2865 §3, RFC 2866 §3, RFC 5997 §3, RFC 5176 §3) and how each is authenticated.

export const PacketCode = {
  AccessRequest: 1,
  AccessAccept: 2,
  AccessReject: 3,
  AccountingRequest: 4,
  AccountingResponse: 5,
  AccessChallenge: 11,
  StatusServer: 12,
  StatusClient: 13,
  DisconnectRequest: 40,
  DisconnectACK: 41,
  DisconnectNAK: 42,
  CoARequest: 43,
  CoAACK: 44,
  CoANAK: 45,
} as const;

const names: Record<number, string> = {
  1: 'Access-Request',
  2: 'Access-Accept',
  3: 'Access-Reject',
  4: 'Accounting-Request',
  5: 'Accounting-Response',
  11: 'Access-Challenge',
  12: 'Status-Server',
  13: 'Status-Client',
  40: 'Disconnect-Request',
  41: 'Disconnect-ACK',
  42: 'Disconnect-NAK',
  43: 'CoA-Request',
  44: 'CoA-ACK',
  45: 'CoA-NAK',
};

export function packetCodeName(code: number): string {
  return names[code] ?? `Unknown-Packet-Code-${code}`;
}

/** Requests whose authenticator is random (Access-Request, Status-Server). */
export function hasRandomAuthenticator(code: number): boolean {
  return code === PacketCode.AccessRequest || code === PacketCode.StatusServer;
}

/** Requests whose authenticator is MD5 over the packet with 16 zero octets in its place. */
export function hasDigestAuthenticator(code: number): boolean {
  return code === PacketCode.AccountingRequest || code === PacketCode.DisconnectRequest || code === PacketCode.CoARequest;
}

/** Everything else is a response, authenticated with the request's authenticator. */
export function isResponse(code: number): boolean {
  return !hasRandomAuthenticator(code) && !hasDigestAuthenticator(code);
}
