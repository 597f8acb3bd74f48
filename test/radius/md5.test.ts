// The JavaScript MD5 and HMAC-MD5 of the hot path: RFC 1321 and RFC 2104 vectors, and agreement with
// OpenSSL on every length across the block and padding boundaries, split into parts at random.
import { strict as assert } from 'node:assert';
import { createHmac, hash, randomBytes } from 'node:crypto';
import { hmacMd5Packet, md5, md5Packet } from '../../src/radius/md5.js';

const hmacMd5 = (key: Buffer, data: Buffer): Buffer => hmacMd5Packet(key, data, undefined, -1);

const hex = (b: Buffer): string => b.toString('hex');

/** `data` cut into up to four parts at random places. */
function split(data: Buffer): Buffer[] {
  const cuts = [0, ...Array.from({ length: 3 }, () => Math.floor(Math.random() * (data.length + 1))).sort((a, b) => a - b), data.length];
  return cuts.slice(1).map((end, i) => data.subarray(cuts[i], end));
}

describe('MD5 and HMAC-MD5 (hot-path implementation)', () => {
  it('RFC 1321 §A.5 test suite', () => {
    const suite: [string, string][] = [
      ['', 'd41d8cd98f00b204e9800998ecf8427e'],
      ['a', '0cc175b9c0f1b6a831c399e269772661'],
      ['abc', '900150983cd24fb0d6963f7d28e17f72'],
      ['message digest', 'f96b697d7cb7938d525a2f31aaf161d0'],
      ['abcdefghijklmnopqrstuvwxyz', 'c3fcd3d76192e4007dfb496cca67e13b'],
      ['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 'd174ab98d277d9f5a5611c2c9f419d9f'],
      ['12345678901234567890123456789012345678901234567890123456789012345678901234567890', '57edf4a22be3c955ac49da2e2107b67a'],
    ];
    for (const [text, digest] of suite) assert.equal(hex(md5(Buffer.from(text))), digest, JSON.stringify(text));
  });

  it('RFC 2104 / RFC 2202 HMAC-MD5 vectors, including a key longer than the block', () => {
    assert.equal(hex(hmacMd5(Buffer.alloc(16, 0x0b), Buffer.from('Hi There'))), '9294727a3638bb1c13f48ef8158bfc9d');
    assert.equal(hex(hmacMd5(Buffer.from('Jefe'), Buffer.from('what do ya want for nothing?'))), '750c783e6ab0b503eaa86e310a5db738');
    assert.equal(hex(hmacMd5(Buffer.alloc(16, 0xaa), Buffer.alloc(50, 0xdd))), '56be34521d144c88dbb8c733f0e8b3f6');
    assert.equal(hex(hmacMd5(Buffer.alloc(80, 0xaa), Buffer.from('Test Using Larger Than Block-Size Key - Hash Key First'))), '6b1ab7fe4bd7bf8f0b62e6ce61b9d0cd');
  });

  it('agrees with OpenSSL on every length 0..300, in parts, in the RADIUS packet layouts and on large inputs', () => {
    const key = randomBytes(23);
    for (let n = 0; n <= 300; n++) {
      const data = randomBytes(n);
      assert.equal(hex(md5(...split(data))), hash('md5', data, 'hex'), `md5 of ${n} octets`);
      assert.equal(hex(hmacMd5(key, data)), createHmac('md5', key).update(data).digest('hex'), `hmac of ${n} octets`);
    }
    // The RADIUS layouts: authenticator replaced, Message-Authenticator zeroed, secret appended.
    const packet = randomBytes(120);
    const ra = randomBytes(16);
    const secret = Buffer.from('testing123');
    const patched = Buffer.concat([packet.subarray(0, 4), ra, packet.subarray(20, 40), Buffer.alloc(16), packet.subarray(56)]);
    assert.equal(hex(hmacMd5Packet(secret, packet, ra, 40)), createHmac('md5', secret).update(patched).digest('hex'));
    assert.equal(hex(md5Packet(packet, ra, secret)), hash('md5', Buffer.concat([packet.subarray(0, 4), ra, packet.subarray(20), secret]), 'hex'));
    assert.equal(hex(md5Packet(packet, undefined, secret)), hash('md5', Buffer.concat([packet, secret]), 'hex'));
    const big = randomBytes(70_000);
    assert.equal(hex(md5(big)), hash('md5', big, 'hex'));
  });
});
