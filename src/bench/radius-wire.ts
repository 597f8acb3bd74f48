// Request builders and reply checks for the load generator (and the fuzz test): PAP Access-Request with
// Message-Authenticator, Accounting-Request Start/Stop, Status-Server, built straight into Buffers with the
// codec's cryptography (src/radius), and a strict check of a reply against the request it answers:
// framing (RFC 2865 §3, §5), Response Authenticator, Message-Authenticator (RFC 3579 §3.2).
import { hidePassword, md5, messageAuthenticator, PacketCode, randomInto, verifyMessageAuthenticator, verifyResponseAuthenticator } from '../radius/index.js';

const A = {
  USER_NAME: 1,
  USER_PASSWORD: 2,
  NAS_IP_ADDRESS: 4,
  NAS_PORT: 5,
  FRAMED_IP_ADDRESS: 8,
  ACCT_STATUS_TYPE: 40,
  ACCT_INPUT_OCTETS: 42,
  ACCT_OUTPUT_OCTETS: 43,
  ACCT_SESSION_ID: 44,
  ACCT_SESSION_TIME: 46,
  ACCT_TERMINATE_CAUSE: 49,
  MESSAGE_AUTHENTICATOR: 80,
};
const LOCALHOST = [127, 0, 0, 1];
const zero16 = Buffer.alloc(16);

/** Appends attributes to a packet under construction; `finish()` writes Length and returns the octets. */
class PacketWriter {
  private readonly buf = Buffer.alloc(4096);
  private pos = 20;
  maOffset = -1;

  constructor(code: number, identifier: number) {
    this.buf[0] = code;
    this.buf[1] = identifier;
  }

  bytes(type: number, value: Uint8Array): this {
    this.buf[this.pos] = type;
    this.buf[this.pos + 1] = value.length + 2;
    this.buf.set(value, this.pos + 2);
    this.pos += value.length + 2;
    return this;
  }

  text(type: number, value: string): this {
    return this.bytes(type, Buffer.from(value, 'utf8'));
  }

  int(type: number, value: number): this {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(value >>> 0);
    return this.bytes(type, b);
  }

  /** A zeroed Message-Authenticator, filled in by finish(). */
  messageAuthenticator(): this {
    this.maOffset = this.pos + 2;
    return this.bytes(A.MESSAGE_AUTHENTICATOR, zero16);
  }

  authenticator(value: Uint8Array): this {
    this.buf.set(value, 4);
    return this;
  }

  finish(secret: Buffer, digestAuthenticator: boolean): Buffer {
    const out = Buffer.from(this.buf.subarray(0, this.pos));
    out.writeUInt16BE(this.pos, 2);
    return sign(out, secret, this.maOffset, digestAuthenticator);
  }
}

/**
 * (Re)computes, in place, the Message-Authenticator whose value starts at `maOffset` (if ≥ 0) and then, for a
 * digest-authenticated request, the Request Authenticator; over the whole datagram as it is.
 */
export function sign(packet: Buffer, secret: Buffer, maOffset: number, digestAuthenticator: boolean): Buffer {
  if (maOffset >= 0 && maOffset + 16 <= packet.length) {
    packet.fill(0, maOffset, maOffset + 16);
    // Any code: a response-coded packet is keyed with its own authenticator.
    messageAuthenticator(packet, maOffset, secret, packet.subarray(4, 20)).copy(packet, maOffset);
  }
  if (digestAuthenticator && packet.length >= 20) md5(packet.subarray(0, 4), zero16, packet.subarray(20), secret).copy(packet, 4);
  return packet;
}

function randomAuthenticator(): Buffer {
  const ra = Buffer.allocUnsafe(16);
  randomInto(ra, 0, 16);
  return ra;
}

/** Access-Request: User-Name, hidden User-Password, NAS-IP-Address, NAS-Port, Message-Authenticator. */
export function papRequest(identifier: number, user: string, password: string, secret: Buffer, nasPort = 1, ra: Uint8Array = randomAuthenticator()): Buffer {
  return new PacketWriter(PacketCode.AccessRequest, identifier)
    .authenticator(ra)
    .text(A.USER_NAME, user)
    .bytes(A.USER_PASSWORD, hidePassword(Buffer.from(password, 'utf8'), secret, ra))
    .bytes(A.NAS_IP_ADDRESS, Buffer.from(LOCALHOST))
    .int(A.NAS_PORT, nasPort)
    .messageAuthenticator()
    .finish(secret, false);
}

/** Accounting-Request Start (stop = false) or Stop with session time and octet counters. */
export function accountingRequest(identifier: number, user: string, sessionId: string, stop: boolean, secret: Buffer): Buffer {
  const w = new PacketWriter(PacketCode.AccountingRequest, identifier)
    .text(A.USER_NAME, user)
    .int(A.ACCT_STATUS_TYPE, stop ? 2 : 1)
    .text(A.ACCT_SESSION_ID, sessionId)
    .bytes(A.NAS_IP_ADDRESS, Buffer.from(LOCALHOST))
    .int(A.NAS_PORT, 1)
    .bytes(A.FRAMED_IP_ADDRESS, Buffer.from([10, 0, 0, 1]));
  if (stop) w.int(A.ACCT_SESSION_TIME, 60).int(A.ACCT_INPUT_OCTETS, 1000).int(A.ACCT_OUTPUT_OCTETS, 2000).int(A.ACCT_TERMINATE_CAUSE, 1);
  return w.finish(secret, true);
}

/** Status-Server with its required Message-Authenticator (RFC 5997 §3). */
export function statusServer(identifier: number, secret: Buffer, ra: Uint8Array = randomAuthenticator()): Buffer {
  return new PacketWriter(PacketCode.StatusServer, identifier).authenticator(ra).messageAuthenticator().finish(secret, false);
}

export type ReplyVerdict = 'ok' | 'malformed' | 'wrong-code' | 'bad-authenticator' | 'bad-message-authenticator';

/** The reply codes a request may get (Status-Server: by the port it was sent to). */
export function allowedReplies(request: Buffer, port: 'auth' | 'acct'): readonly number[] {
  switch (request[0]) {
    case PacketCode.AccessRequest:
      return [PacketCode.AccessAccept, PacketCode.AccessReject, PacketCode.AccessChallenge];
    case PacketCode.AccountingRequest:
      return [PacketCode.AccountingResponse];
    case PacketCode.StatusServer:
      return port === 'auth' ? [PacketCode.AccessAccept, PacketCode.AccessReject] : [PacketCode.AccountingResponse];
    default:
      return [];
  }
}

/**
 * Checks a reply against the request it answers: well framed (Length 20–4096 and not beyond the datagram,
 * every attribute length ≥ 2 and inside Length, at most one Message-Authenticator of length 18), a code the
 * request allows, same Identifier, Response Authenticator and any Message-Authenticator verified.
 */
export function checkReply(reply: Buffer, request: Buffer, secret: Buffer, codes: readonly number[]): ReplyVerdict {
  if (reply.length < 20) return 'malformed';
  const length = reply.readUInt16BE(2);
  if (length < 20 || length > 4096 || length > reply.length) return 'malformed';
  const raw = reply.subarray(0, length);
  let ma = -1;
  for (let off = 20; off < length; ) {
    if (off + 2 > length) return 'malformed';
    const size = raw[off + 1]!;
    if (size < 2 || off + size > length) return 'malformed';
    if (raw[off] === A.MESSAGE_AUTHENTICATOR) {
      if (ma >= 0 || size !== 18) return 'malformed';
      ma = off + 2;
    }
    off += size;
  }
  if (!codes.includes(raw[0]!) || raw[1] !== request[1]) return 'wrong-code';
  const ra = request.subarray(4, 20);
  if (!verifyResponseAuthenticator(raw, ra, secret)) return 'bad-authenticator';
  if (ma >= 0 && !verifyMessageAuthenticator(raw, ma, secret, ra)) return 'bad-message-authenticator';
  return 'ok';
}
