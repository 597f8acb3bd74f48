// The Diameter messages of the load generator, written octet by octet from RFC 6733 §3–§4 rather than with
// areg's codec, so that the benchmark also checks areg against an encoder that is not its own. Requests are
// templates built once; each request is a copy with its Hop-by-Hop and End-to-End ids and a fixed-width decimal
// counter in the Session-Id patched in place (so a request costs one copy and a few writes).

export const Flags = { R: 0x80, P: 0x40 } as const;
export const Cmd = { CER: 257, DWR: 280, DPR: 282, AA: 265, ACR: 271 } as const;
const M = 0x40;
const V = 0x80;

/** freeDiameter test_app's defaults (extensions/test_app/test_app.c): vendor 999999, app 0xffffff, cmd 0xfffffe. */
export const TEST_APP = { vendor: 999_999, app: 0xffffff, cmd: 0xfffffe, avp: 0xffffff } as const;

export type Mode = 'aar' | 'acr' | 'test' | 'dwr';

export function avp(code: number, flags: number, data: Buffer | string, vendor = 0): Buffer {
  const body = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const head = vendor ? 12 : 8;
  const out = Buffer.alloc(head + ((body.length + 3) & ~3));
  out.writeUInt32BE(code, 0);
  out.writeUInt32BE((((vendor ? flags | V : flags) << 24) | (head + body.length)) >>> 0, 4);
  if (vendor) out.writeUInt32BE(vendor, 8);
  body.copy(out, head);
  return out;
}

export const u32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
};

export function message(flags: number, cmd: number, app: number, avps: Buffer[], hbh = 0, e2e = 0): Buffer {
  const body = Buffer.concat(avps);
  const out = Buffer.alloc(20 + body.length);
  out.writeUInt32BE((0x01000000 | out.length) >>> 0, 0);
  out.writeUInt32BE(((flags << 24) | cmd) >>> 0, 4);
  out.writeUInt32BE(app >>> 0, 8);
  out.writeUInt32BE(hbh >>> 0, 12);
  out.writeUInt32BE(e2e >>> 0, 16);
  body.copy(out, 20);
  return out;
}

export interface Identity {
  originHost: string;
  originRealm: string;
  destRealm: string;
}

const origin = (id: Identity): Buffer[] => [avp(264, M, id.originHost), avp(296, M, id.originRealm)];

/** CER advertising only the application of `mode` (test_app's inside Vendor-Specific-Application-Id). */
export function cer(id: Identity, mode: Mode, hbh: number, e2e: number): Buffer {
  const apps = {
    aar: [avp(258, M, u32(1))],
    acr: [avp(259, M, u32(3))],
    test: [avp(260, M, Buffer.concat([avp(266, M, u32(TEST_APP.vendor)), avp(258, M, u32(TEST_APP.app))]))],
    // The base protocol only; an application is still needed for the capabilities exchange to succeed.
    dwr: [avp(259, M, u32(3))],
  }[mode];
  return message(Flags.R, Cmd.CER, 0, [
    ...origin(id), avp(257, M, Buffer.from([0, 1, 127, 0, 0, 1])), avp(266, M, u32(0)), avp(269, 0, 'areg-bench'), ...apps,
  ], hbh, e2e);
}

/** An answer to the peer's DWR or DPR: Result-Code 2001 and our origin. */
export function baseAnswer(request: Buffer, id: Identity): Buffer {
  const cmd = request.readUInt32BE(4) & 0xffffff;
  return message(0, cmd, 0, [avp(268, M, u32(2001)), ...origin(id)], request.readUInt32BE(12), request.readUInt32BE(16));
}

export function dpr(id: Identity, hbh: number, e2e: number): Buffer {
  return message(Flags.R, Cmd.DPR, 0, [...origin(id), avp(273, M, u32(0))], hbh, e2e);
}

/** Width of the Session-Id counter; 10 digits hold any 32-bit count. */
const COUNTER_DIGITS = 10;

/** A request template and where its variable parts are. */
export interface Template {
  buf: Buffer;
  /** Offset of the Session-Id's decimal counter. */
  counterAt: number;
  /** Offsets of Accounting-Record-Type and -Number data (ACR), Test-AVP data (Test-Request). */
  recordTypeAt?: number;
  recordNumberAt?: number;
}

/** Request templates for `mode`: one per user for AAR and ACR (User-Name, User-Password), one otherwise. */
export function templates(mode: Mode, id: Identity, users: string[], password: string, startTag: string): Template[] {
  const sessionPrefix = `${id.originHost};${startTag};`;
  const session = avp(263, M, sessionPrefix + '0'.repeat(COUNTER_DIGITS));
  const counterAt = 20 + 8 + Buffer.byteLength(sessionPrefix);
  const head = [session, ...origin(id), avp(283, M, id.destRealm)];
  const one = (flagsCmdApp: [number, number, number], avps: Buffer[], typeAvpAt?: number, numberAvpAt?: number): Template => {
    const buf = message(flagsCmdApp[0], flagsCmdApp[1], flagsCmdApp[2], [...head, ...avps]);
    const offsetOf = (i: number | undefined): number | undefined =>
      i === undefined ? undefined : 20 + [...head, ...avps].slice(0, head.length + i).reduce((n, b) => n + b.length, 0) + 8;
    return { buf, counterAt, recordTypeAt: offsetOf(typeAvpAt), recordNumberAt: offsetOf(numberAvpAt) };
  };
  switch (mode) {
    case 'aar':
      return users.map((u) => one([Flags.R | Flags.P, Cmd.AA, 1], [avp(258, M, u32(1)), avp(274, M, u32(3)), avp(1, M, u), avp(2, M, password)]));
    case 'acr':
      // Accounting-Record-Type (START 2 / STOP 4) and -Number are patched per request; Event-Timestamp is fixed.
      return users.map((u) => one([Flags.R | Flags.P, Cmd.ACR, 3],
        [avp(480, M, u32(2)), avp(485, M, u32(0)), avp(259, M, u32(3)), avp(1, M, u), avp(44, M, `acct-${u}`), avp(55, M, u32(0xe0000000))], 0, 1));
    case 'test':
      return [one([Flags.R | Flags.P, TEST_APP.cmd, TEST_APP.app], [avp(TEST_APP.avp, 0, u32(0), TEST_APP.vendor)])];
    case 'dwr':
      return [{ buf: message(Flags.R, Cmd.DWR, 0, origin(id)), counterAt: -1 }];
  }
}

/** Writes `n` as COUNTER_DIGITS ASCII digits at `at`. */
export function writeCounter(buf: Buffer, at: number, n: number): void {
  for (let i = at + COUNTER_DIGITS - 1; i >= at; i--) {
    buf[i] = 0x30 + (n % 10);
    n = Math.floor(n / 10);
  }
}

/** The Result-Code (top level, vendor 0) of an answer, or undefined. */
export function resultCode(msg: Buffer): number | undefined {
  for (let at = 20; at + 12 <= msg.length;) {
    const code = msg.readUInt32BE(at);
    const flags = msg[at + 4]!;
    const len = msg.readUInt32BE(at + 4) & 0xffffff;
    if (len < 8) return undefined;
    if (code === 268 && !(flags & V) && len === 12) return msg.readUInt32BE(at + 8);
    at += (len + 3) & ~3;
  }
  return undefined;
}
