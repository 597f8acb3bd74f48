import assert from 'node:assert/strict';
import {
  builtinDictionary, formatAvps, formatHeader, formatValue, makeAvp, parseAvp, parseValue, rawAvp, type Avp,
} from '../../src/diameter/index.js';

const dict = builtinDictionary();

function parsed(line: string): Avp {
  const r = parseAvp(dict, line);
  assert.ok(r.ok, r.ok ? '' : r.error);
  return r.value;
}

describe('diameter text form', () => {
  it('formats a trace as Prime AR does: enumeration and Result-Code names, concealed passwords, grouped indented', () => {
    const lines = formatAvps([
      makeAvp(dict, 'Destination-Realm', 'cisco.com'), makeAvp(dict, 'User-Name', 'bob'),
      makeAvp(dict, 'User-Password', Buffer.from('secret')), makeAvp(dict, 'Auth-Request-Type', 2),
      makeAvp(dict, 'Result-Code', 4001), makeAvp(dict, 'Result-Code', 2001), makeAvp(dict, 'Event-Timestamp', new Date(Date.UTC(2024, 7, 20, 8))),
      makeAvp(dict, 'Accounting-Input-Octets', 2n ** 64n - 1n), makeAvp(dict, 'Class', Buffer.from([1, 2, 0xff])),
      makeAvp(dict, 'Vendor-Specific-Application-Id', [makeAvp(dict, 'Vendor-Id', 10415), makeAvp(dict, 'Auth-Application-Id', 4)]),
      rawAvp(4242, Buffer.from('hi'), 0, 9), makeAvp(dict, 'Host-IP-Address', '2001:db8::1'),
    ], { indent: '  ' });
    assert.deepEqual(lines, [
      '  Destination-Realm = cisco.com', '  User-Name = bob', '  User-Password = <encrypted>', '  Auth-Request-Type = AUTHORIZE_ONLY',
      '  Result-Code = Diameter-Authentication-Rejected', '  Result-Code = Diameter-Success', '  Event-Timestamp = 2024-08-20T08:00:00Z',
      '  Accounting-Input-Octets = 18446744073709551615', '  Class = 0x0102ff', '  Vendor-Specific-Application-Id:',
      '    Vendor-Id = 10415', '    Auth-Application-Id = 4', '  Unknown-AVP-9:4242 = 0x6869', '  Host-IP-Address = 2001:db8::1',
    ]);
    assert.equal(formatHeader({ flags: 0x80, commandCode: 265, applicationId: 1, hopByHopId: 0, endToEndId: 0 }),
      'Application id: 1, Cmd code: 265, Flag: 0x80');
  });

  it('parses "Name = value" lines: numbers, enumeration names in either spelling, addresses, times, hex', () => {
    assert.equal(parsed('Result-Code = 2001').value, 2001);
    assert.equal(parsed('Result-Code = Diameter-Success').value, 2001);
    assert.equal(parsed('Result-Code = DIAMETER_SUCCESS').value, 2001);
    assert.equal(parsed('auth-request-type = authorize_only').value, 2);
    assert.equal(parsed('Service-Type = Sip-Session').value, 15);
    assert.equal(parsed('Host-IP-Address = 10.0.0.9').value, '10.0.0.9');
    assert.equal(parsed('Host-IP-Address = 2001:DB8:0::1').value, '2001:db8::1');
    assert.equal(parsed('Accounting-Input-Octets = 18446744073709551615').value, 2n ** 64n - 1n);
    assert.equal((parsed('Event-Timestamp = 1724140000').value as Date).getTime(), 1724140000000);
    assert.equal((parsed('Event-Timestamp = 2024-08-20T08:00:00Z').value as Date).getTime(), Date.UTC(2024, 7, 20, 8));
    assert.deepEqual(parsed('Class = 0x0102ff').value, Buffer.from([1, 2, 0xff]));
    assert.deepEqual(parsed('Class = abc').value, Buffer.from('abc'));
    assert.equal(parsed('Cisco-AVPair = call-id=x@y').vendorId, 9);
    const raw = parsed('Unknown-AVP-9:4242 = 0x6869');
    assert.deepEqual([raw.code, raw.vendorId, raw.value], [4242, 9, Buffer.from('hi')]);
  });

  it('reports unparsable values instead of throwing', () => {
    for (const line of ['Result-Code = Diameter-Nonsense', 'Result-Code = 4294967296', 'Host-IP-Address = 300.1.1.1',
      'Accounting-Input-Octets = -1', 'Event-Timestamp = yesterday', 'No-Such-AVP = 1', 'Result-Code 2001',
      'Proxy-Info = x', 'Unknown-AVP-7 = zz']) {
      const r = parseAvp(dict, line);
      assert.equal(r.ok, false, line);
    }
  });

  it('reads back what it formats', () => {
    const avps = [makeAvp(dict, 'Origin-State-Id', 42), makeAvp(dict, 'Disconnect-Cause', 2), makeAvp(dict, 'Class', Buffer.from([0, 1])),
      makeAvp(dict, 'Event-Timestamp', new Date(Date.UTC(2030, 0, 1))), makeAvp(dict, 'Host-IP-Address', { family: 8, bytes: Buffer.from('12') })];
    for (const avp of avps) {
      const back = parseValue(avp.def!, formatValue(avp));
      assert.ok(back.ok);
      assert.deepEqual(back.value, avp.value);
    }
  });
});
