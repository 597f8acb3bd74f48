import { strict as assert } from 'node:assert';
import { dictionaryForDialect } from '../../src/radius/index.js';
import { replyAttribute } from '../../src/radius/server/reply-attributes.js';

describe('RADIUS server: reply attributes', () => {
  const d = dictionaryForDialect('default');

  it('parses a configured attribute once per dictionary and reuses it', () => {
    const a = replyAttribute(d, 'Framed-MTU', '1500');
    assert.equal(a.value, 1500);
    assert.equal(replyAttribute(d, 'Framed-MTU', '1500'), a);
    assert.notEqual(replyAttribute(d, 'Framed-MTU', '1400'), a);
  });

  it('sends unquoted 0x hex of a string attribute as octets; a bad value throws', () => {
    assert.deepEqual(replyAttribute(d, 'Reply-Message', '0x4142').value, Buffer.from('AB'));
    assert.throws(() => replyAttribute(d, 'Framed-MTU', 'many'));
  });
});
