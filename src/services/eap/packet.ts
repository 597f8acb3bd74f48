// EAP packets (RFC 3748 §4–5): Code, Identifier, Length, then Type and Type-Data for Request/Response.
// EAP-MSCHAPv2 framing (draft-kamath-pppext-eap-mschapv2 §2): OpCode, MS-CHAPv2-ID, MS-Length, data.

export const EapCode = { Request: 1, Response: 2, Success: 3, Failure: 4 } as const;
export const EapType = { Identity: 1, Notification: 2, Nak: 3, Md5Challenge: 4, MsChapV2: 26 } as const;
export const MsChapV2Op = { Challenge: 1, Response: 2, Success: 3, Failure: 4, ChangePassword: 7 } as const;

export interface EapPacket {
  code: number;
  identifier: number;
  /** Type for Request/Response; undefined for Success/Failure. */
  type?: number;
  /** Type-Data (after the Type octet). */
  data: Buffer;
}

export class EapError extends Error {}

/** Parses one EAP packet; trailing octets beyond Length are ignored (RFC 3748 §4.1). */
export function decodeEap(b: Buffer): EapPacket {
  if (b.length < 4) throw new EapError(`EAP packet of ${b.length} octets`);
  const code = b[0]!;
  const length = b.readUInt16BE(2);
  if (length < 4 || length > b.length) throw new EapError(`EAP Length ${length} with ${b.length} octets`);
  if (code === EapCode.Success || code === EapCode.Failure) return { code, identifier: b[1]!, data: Buffer.alloc(0) };
  if (code !== EapCode.Request && code !== EapCode.Response) throw new EapError(`EAP Code ${code}`);
  if (length < 5) throw new EapError('EAP Request/Response without a Type');
  return { code, identifier: b[1]!, type: b[4]!, data: b.subarray(5, length) };
}

export function encodeEap(p: EapPacket): Buffer {
  const typed = p.code === EapCode.Request || p.code === EapCode.Response;
  const length = 4 + (typed ? 1 + p.data.length : 0);
  const out = Buffer.alloc(length);
  out[0] = p.code;
  out[1] = p.identifier;
  out.writeUInt16BE(length, 2);
  if (typed) {
    out[4] = p.type!;
    p.data.copy(out, 5);
  }
  return out;
}

/** EAP-MSCHAPv2 Type-Data: OpCode, MS-CHAPv2-ID, MS-Length (= EAP Length − 5), then `body`. */
export function msChapV2Data(op: number, id: number, body: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head[0] = op;
  head[1] = id;
  head.writeUInt16BE(4 + body.length, 2);
  return Buffer.concat([head, body]);
}

/** The EAP-Failure answering `request` (same Identifier, RFC 3748 §4.2); Identifier 0 when unreadable. */
export function eapFailure(request: Buffer): Buffer {
  return encodeEap({ code: EapCode.Failure, identifier: request.length >= 2 ? request[1]! : 0, data: Buffer.alloc(0) });
}
