// A hand-rolled byte oracle for the tests: lays out headers and AVPs field by field, independently
// of the codec under test, so that byte-exact comparisons mean something.
const pad = (hex: string): string => hex + '00'.repeat(((4 - ((hex.length / 2) % 4)) % 4));
const u32 = (n: number): string => (n >>> 0).toString(16).padStart(8, '0');
const u24 = (n: number): string => n.toString(16).padStart(6, '0');

export const ascii = (s: string): string => Buffer.from(s, 'utf8').toString('hex');
export const hexU32 = u32;

/** One AVP, padded: code, flags, 24-bit length, optional vendor, data. */
export function avpHex(code: number, flags: number, dataHex: string, vendor?: number): string {
  const header = vendor === undefined ? 8 : 12;
  const length = header + dataHex.length / 2;
  return pad(u32(code) + flags.toString(16).padStart(2, '0') + u24(length) + (vendor === undefined ? '' : u32(vendor)) + dataHex);
}

export function messageHex(flags: number, command: number, app: number, hbh: number, e2e: number, avps: string[]): string {
  const body = avps.join('');
  const length = 20 + body.length / 2;
  return '01' + u24(length) + flags.toString(16).padStart(2, '0') + u24(command) + u32(app) + u32(hbh) + u32(e2e) + body;
}
