import assert from 'node:assert/strict';
import { DiameterFramer, ResultCode } from '../../src/diameter/index.js';
import { ascii, avpHex, messageHex } from './wire.js';

const dwr = (hbh: number): Buffer =>
  Buffer.from(messageHex(0x80, 280, 0, hbh, hbh, [avpHex(264, 0x40, ascii(`host${hbh}.test`)), avpHex(296, 0x40, ascii('test'))]), 'hex');

function hbhOf(messages: Buffer[]): number[] {
  return messages.map((m) => m.readUInt32BE(12));
}

describe('diameter stream framer', () => {
  it('splits a chunk holding many messages', () => {
    const framer = new DiameterFramer();
    const out = framer.push(Buffer.concat([dwr(1), dwr(2), dwr(3)]));
    assert.equal(out.error, undefined);
    assert.deepEqual(hbhOf(out.messages), [1, 2, 3]);
    assert.equal(framer.pending, 0);
  });

  it('reassembles messages split at every possible offset, header included', () => {
    const stream = Buffer.concat([dwr(1), dwr(2)]);
    for (let cut = 1; cut < stream.length; cut++) {
      for (const second of [stream.length, cut + 1]) {
        const framer = new DiameterFramer();
        const got = [stream.subarray(0, cut), stream.subarray(cut, second), stream.subarray(second)]
          .flatMap((chunk) => framer.push(chunk).messages);
        assert.deepEqual(got.map((m) => m.toString('hex')), [dwr(1), dwr(2)].map((m) => m.toString('hex')), `cut ${cut}/${second}`);
      }
    }
  });

  it('reassembles a stream fed one octet at a time', () => {
    const stream = Buffer.concat([dwr(1), dwr(2), dwr(3)]);
    const framer = new DiameterFramer();
    const got: Buffer[] = [];
    for (let i = 0; i < stream.length; i++) got.push(...framer.push(stream.subarray(i, i + 1)).messages);
    assert.deepEqual(hbhOf(got), [1, 2, 3]);
  });

  it('fails fatally on the 20-octet header with Length 0 (dependencies.md §3) instead of looping', () => {
    const framer = new DiameterFramer();
    const zero = Buffer.from('0100000080000118000000000000000000000000', 'hex');
    const out = framer.push(Buffer.concat([dwr(1), zero, dwr(2)]));
    assert.deepEqual(hbhOf(out.messages), [1]);
    assert.equal(out.error?.resultCode, ResultCode.INVALID_MESSAGE_LENGTH);
    const again = framer.push(dwr(3));
    assert.equal(again.messages.length, 0);
    assert.equal(again.error, out.error);
  });

  it('fails fatally on short, unaligned and oversized Lengths, even when the Length arrives split', () => {
    for (const length of [0, 4, 19, 21, 22, 23, 0x1000000 - 4]) {
      const head = Buffer.from([1, (length >> 16) & 0xff, (length >> 8) & 0xff, length & 0xff]);
      const framer = new DiameterFramer({ maxMessageSize: 4096 });
      assert.equal(framer.push(head.subarray(0, 2)).error, undefined);
      const out = framer.push(Buffer.concat([head.subarray(2), Buffer.alloc(64)]));
      assert.equal(out.error?.resultCode, ResultCode.INVALID_MESSAGE_LENGTH, `Length ${length}`);
    }
  });

  it('refuses a huge announced Length before buffering its body', () => {
    const framer = new DiameterFramer({ maxMessageSize: 64 * 1024 });
    const huge = Buffer.from(messageHex(0x80, 280, 0, 1, 1, []), 'hex');
    huge.writeUIntBE(0xfffffc, 1, 3);
    const out = framer.push(huge);
    assert.match(out.error!.message, /exceeds/);
    assert.equal(framer.pending, 0);
  });

  it('holds an incomplete message without emitting it', () => {
    const framer = new DiameterFramer();
    const m = dwr(9);
    assert.equal(framer.push(m.subarray(0, 30)).messages.length, 0);
    assert.equal(framer.pending, 30);
    assert.deepEqual(hbhOf(framer.push(m.subarray(30)).messages), [9]);
  });
});
