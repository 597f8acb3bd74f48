// MD4 (RFC 1320), needed for the MS-CHAP NT password hash. Node's OpenSSL 3 offers it only through the
// legacy provider, which is not loaded by default, so it is implemented here.

const rotl = (x: number, s: number): number => (x << s) | (x >>> (32 - s));

type Mix = (b: number, c: number, d: number) => number;

const identity = Array.from({ length: 16 }, (_, i) => i);
const rounds: { mix: Mix; order: number[]; constant: number; shifts: number[] }[] = [
  { mix: (b, c, d) => (b & c) | (~b & d), order: identity, constant: 0, shifts: [3, 7, 11, 19] },
  {
    mix: (b, c, d) => (b & c) | (b & d) | (c & d),
    order: [0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15],
    constant: 0x5a827999,
    shifts: [3, 5, 9, 13],
  },
  {
    mix: (b, c, d) => b ^ c ^ d,
    order: [0, 8, 4, 12, 2, 10, 6, 14, 1, 9, 5, 13, 3, 11, 7, 15],
    constant: 0x6ed9eba1,
    shifts: [3, 9, 11, 15],
  },
];

export function md4(data: Uint8Array): Buffer {
  const total = Math.ceil((data.length + 9) / 64) * 64;
  const m = Buffer.alloc(total);
  m.set(data);
  m[data.length] = 0x80;
  m.writeUInt32LE((data.length * 8) >>> 0, total - 8);
  m.writeUInt32LE(Math.floor(data.length / 0x20000000), total - 4);
  const h = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476];
  const x = new Array<number>(16);
  for (let block = 0; block < total; block += 64) {
    for (let i = 0; i < 16; i++) x[i] = m.readInt32LE(block + 4 * i);
    const v = [...h];
    for (const r of rounds) {
      for (let i = 0; i < 16; i++) {
        // The register updated cycles a, d, c, b; the other three follow it in order.
        const a = (4 - (i % 4)) % 4;
        const f = r.mix(v[(a + 1) % 4]!, v[(a + 2) % 4]!, v[(a + 3) % 4]!);
        v[a] = rotl((v[a]! + f + x[r.order[i]!]! + r.constant) | 0, r.shifts[i % 4]!);
      }
    }
    for (let i = 0; i < 4; i++) h[i] = (h[i]! + v[i]!) | 0;
  }
  const out = Buffer.allocUnsafe(16);
  h.forEach((word, i) => out.writeInt32LE(word, 4 * i));
  return out;
}
