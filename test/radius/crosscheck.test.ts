// Interop of the happy path with the `radius` npm package (devDependency only, dependencies.md §2): it decodes
// what we encode and we decode what it encodes.
import assert from 'node:assert/strict';
import radius from 'radius';
import {
  attribute,
  commonDictionary,
  decodePacket,
  encodePacket,
  PacketCode,
  verifyMessageAuthenticator,
  verifyRequestAuthenticator,
  verifyResponseAuthenticator,
  type RadiusPacket,
} from '../../src/radius/index.js';

const secret = 'crosscheck';
const d = commonDictionary();
const values = (p: RadiusPacket): Record<string, unknown> =>
  Object.fromEntries(p.attributes.map((a) => [a.def?.name ?? String(a.type), Buffer.isBuffer(a.value) ? a.value.toString('hex') : a.value]));

describe('cross-check with the radius npm package', () => {
  it('it decodes our Access-Request (hidden password, Message-Authenticator) and we verify its reply', () => {
    const request = encodePacket(
      {
        code: PacketCode.AccessRequest,
        identifier: 42,
        attributes: [
          attribute(d, 'User-Name', 'alice'),
          attribute(d, 'User-Password', 'wonderland-2024!'),
          attribute(d, 'NAS-IP-Address', '192.0.2.10'),
          attribute(d, 'NAS-Port', 7),
          attribute(d, 'Service-Type', 2),
        ],
      },
      d,
      { secret, messageAuthenticator: true },
    );
    const theirs = radius.decode({ packet: request, secret });
    assert.equal(theirs.code, 'Access-Request');
    assert.equal(theirs.identifier, 42);
    assert.equal(theirs.attributes['User-Name'], 'alice');
    assert.equal(theirs.attributes['User-Password'], 'wonderland-2024!');
    assert.equal(theirs.attributes['NAS-IP-Address'], '192.0.2.10');
    assert.equal(theirs.attributes['NAS-Port'], 7);
    assert.equal(theirs.attributes['Service-Type'], 'Framed-User');

    const reply = radius.encode_response({
      packet: theirs,
      code: 'Access-Accept',
      secret,
      attributes: [['Reply-Message', 'welcome'], ['Session-Timeout', 3600], ['Framed-IP-Address', '10.1.2.3']],
    });
    const ours = decodePacket(reply, d);
    assert.ok(verifyResponseAuthenticator(reply, request.subarray(4, 20), secret));
    assert.ok(verifyMessageAuthenticator(reply, ours.messageAuthenticatorOffset, secret, request.subarray(4, 20)));
    const { 'Message-Authenticator': _ma, ...rest } = values(ours);
    assert.deepEqual(rest, { 'Reply-Message': 'welcome', 'Session-Timeout': 3600, 'Framed-IP-Address': '10.1.2.3' });
  });

  it('we decode its Access-Request and it verifies our Access-Accept with Message-Authenticator first', () => {
    const request = radius.encode({
      code: 'Access-Request',
      secret,
      identifier: 9,
      attributes: [['User-Name', 'bob'], ['User-Password', 'hunter2'], ['NAS-Identifier', 'nas-1'], ['Calling-Station-Id', '00-11-22-33-44-55']],
      add_message_authenticator: true,
    });
    const ours = decodePacket(request, d, { secret });
    assert.deepEqual(
      Object.fromEntries(Object.entries(values(ours)).filter(([k]) => k !== 'Message-Authenticator')),
      { 'User-Name': 'bob', 'User-Password': 'hunter2', 'NAS-Identifier': 'nas-1', 'Calling-Station-Id': '00-11-22-33-44-55' },
    );
    assert.ok(verifyMessageAuthenticator(ours.raw, ours.messageAuthenticatorOffset, secret));

    const reply = encodePacket(
      { code: PacketCode.AccessAccept, identifier: ours.identifier, attributes: [attribute(d, 'Reply-Message', 'hi bob'), attribute(d, 'Idle-Timeout', 600)] },
      d,
      { secret, requestAuthenticator: ours.authenticator },
    );
    assert.ok(radius.verify_response({ request, response: reply, secret }));
    const theirs = radius.decode({ packet: reply, secret });
    assert.equal(theirs.code, 'Access-Accept');
    assert.equal(theirs.attributes['Reply-Message'], 'hi bob');
    assert.equal(theirs.attributes['Idle-Timeout'], 600);
  });

  it('agrees on Accounting-Request authenticators both ways', () => {
    const theirs = radius.encode({
      code: 'Accounting-Request',
      secret,
      identifier: 3,
      attributes: [['User-Name', 'carol'], ['Acct-Status-Type', 'Start'], ['Acct-Session-Id', 'sess-1'], ['Event-Timestamp', new Date(1700000000000)]],
    });
    assert.ok(verifyRequestAuthenticator(theirs, secret));
    const decoded = decodePacket(theirs, d);
    assert.equal(values(decoded)['Acct-Status-Type'], 1);
    assert.deepEqual(values(decoded)['Event-Timestamp'], new Date(1700000000000));

    const ours = encodePacket(
      { code: PacketCode.AccountingRequest, identifier: 4, attributes: [attribute(d, 'User-Name', 'dave'), attribute(d, 'Acct-Status-Type', 2), attribute(d, 'Acct-Session-Time', 65)] },
      d,
      { secret },
    );
    const back = radius.decode({ packet: ours, secret });
    assert.equal(back.attributes['Acct-Status-Type'], 'Stop');
    assert.equal(back.attributes['Acct-Session-Time'], 65);
  });
});
