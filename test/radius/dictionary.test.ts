import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  buildDictionary,
  commonDictionary,
  DictionaryError,
  dictionaryForDialect,
  loadDictionary,
  PacketCode,
  parseDictionary,
} from '../../src/radius/index.js';

function files(entries: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'areg-dict-'));
  for (const [name, text] of Object.entries(entries)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

function throwsAt(fn: () => unknown, where: RegExp, what: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof DictionaryError, String(e));
    assert.match(e.where ?? '', where);
    assert.match(e.message, what);
    return true;
  });
}

describe('RADIUS dictionary parser', () => {
  const sample = `
VENDOR      Acme     4242   format=2,2
VENDOR      Wimaxy   5555   format=1,1,c
ATTRIBUTE   User-Name 1 string
ATTRIBUTE   Vendor-Specific 26 vsa
ATTRIBUTE   Service-Type 0x06 integer   # hex number
ATTRIBUTE   Tunnel-Password 69 string has_tag,encrypt=2
ATTRIBUTE   Ext-1 241 extended
ATTRIBUTE   Ext-5 245 long-extended
ATTRIBUTE   EVS-1 241.26 evs
ATTRIBUTE   Ext-Thing 241.1 integer
ATTRIBUTE   Ext-Long 245.2 octets
ATTRIBUTE   Digest-Attributes 207 tlv
BEGIN-TLV   Digest-Attributes
ATTRIBUTE   Digest-Realm 1 string
END-TLV     Digest-Attributes
BEGIN-VENDOR Acme
ATTRIBUTE   Acme-Big 300 octets
ATTRIBUTE   Acme-Group 2 tlv
ATTRIBUTE   Acme-Member 2.1 ipaddr
END-VENDOR  Acme
BEGIN-VENDOR Acme format=Extended-Vendor-Specific-1
ATTRIBUTE   Acme-Ext 7 short
END-VENDOR  Acme
ATTRIBUTE   Internal-Thing 1000 string
VALUE       Service-Type Login-User 1
VALUE       Service-Type Hexy 0x10
VALUE       Later-Attr   Early 3
ATTRIBUTE   Later-Attr   250 byte
`;

  it('reads every statement kind and resolves numbers, OIDs, vendors and blocks', () => {
    const d = loadDictionary({ text: sample, name: 'sample' });
    assert.equal(d.attribute('SERVICE-type')?.number, 6);
    assert.equal(d.valueNumber(d.attribute('Service-Type')!, 'hexy'), 16);
    assert.equal(d.valueName(d.attribute('Service-Type')!, 1), 'Login-User');
    assert.equal(d.valueName(d.attribute('Later-Attr')!, 3), 'Early');
    assert.deepEqual(d.attribute('Tunnel-Password')?.flags, {
      hasTag: true, encrypt: 2, array: false, concat: false, virtual: false, secret: false,
    });
    assert.equal(d.attribute('Ext-Thing')?.oid, '241.1');
    assert.equal(d.attribute('Digest-Realm')?.oid, '207.1');
    assert.equal(d.attribute('Acme-Big')?.oid, '26.4242.300');
    assert.equal(d.vendorAttribute(4242, 300)?.name, 'Acme-Big');
    assert.equal(d.attribute('Acme-Member')?.oid, '26.4242.2.1');
    assert.equal(d.attribute('Acme-Ext')?.oid, '241.26.4242.7');
    assert.equal(d.attribute('Acme-Ext')?.vendor, 4242);
    assert.equal(d.attribute('Internal-Thing')?.onWire, false);
    assert.deepEqual(d.vendor('wimaxy'), { name: 'Wimaxy', id: 5555, typeLength: 1, lengthLength: 1, continuation: true });
  });

  it('outputs plain data that rebuilds the same dictionary', () => {
    const data = parseDictionary({ text: sample });
    const copy = buildDictionary(JSON.parse(JSON.stringify(data)));
    assert.equal(copy.attribute('Acme-Member')?.oid, '26.4242.2.1');
    assert.equal(copy.attribute('Acme-Ext')?.oid, '241.26.4242.7');
    assert.equal(copy.valueName(copy.attribute('Later-Attr')!, 3), 'Early');
    assert.deepEqual(copy.data, data);
  });

  it('follows $INCLUDE relative to the including file, once per file (cycles end), and $INCLUDE- when present', () => {
    const dir = files({
      root: '$INCLUDE sub/a\n$INCLUDE- missing\n',
      'sub/a': 'ATTRIBUTE A 1 string\n$INCLUDE b\n',
    });
    writeFileSync(path.join(dir, 'sub', 'b'), 'ATTRIBUTE B 2 string\n$INCLUDE a\n$INCLUDE ../root\n');
    const d = loadDictionary(path.join(dir, 'root'));
    assert.equal(d.attribute('B')?.number, 2);
    throwsAt(() => loadDictionary({ text: '\n$INCLUDE nowhere\n', dir, name: 'mem' }), /^mem:2$/, /cannot read dictionary/);
  });

  it('names file:line in errors', () => {
    const cases: [string, RegExp][] = [
      ['ATTRIBUTE X 1 sting', /unknown attribute type 'sting'/],
      ['ATTRIBUTE X 1 string bogus_flag', /unknown vendor or flags/],
      ['ATTRIBUTE X 1 string encrypt=9', /unknown flag/],
      ['ATTRIBUTE X 300.1 string', /no parent attribute/],
      ['ATTRIBUTE X 1 integer concat', /concat/],
      ['VALUE Nope Name 1', /VALUE Name for unknown attribute Nope/],
      ['VALUE X Name one', /bad number/],
      ['BEGIN-VENDOR Nobody', /unknown vendor/],
      ['VENDOR V 12 format=3,1', /bad vendor format/],
      ['FROB X', /unknown keyword/],
      ['END-TLV X', /does not match/],
      ['ATTRIBUTE X 1 string\nATTRIBUTE X 2 string', /already defined/],
      ['VENDOR V 12\nBEGIN-VENDOR V\nATTRIBUTE Y 300 string', /out of range/],
    ];
    for (const [text, what] of cases) {
      const lines = text.split('\n').length;
      throwsAt(() => loadDictionary({ text: `# header\n${text}\n`, name: 'crafted' }), new RegExp(`^crafted:${lines + 1}$`), what);
    }
    throwsAt(() => loadDictionary({ text: 'VENDOR V 12\nBEGIN-VENDOR V\n', name: 'open' }), /^open:2$/, /never ended/);
    const dir = files({ main: '$INCLUDE inner\n', inner: 'ATTRIBUTE Ok 1 string\n\nATTRIBUTE Bad 2 nosuchtype\n' });
    throwsAt(() => loadDictionary(path.join(dir, 'main')), /inner:3$/, /nosuchtype/);
  });

  it('layers a dictionary on a base: shared definitions, local overrides, values copied on write', () => {
    const base = loadDictionary({ text: 'ATTRIBUTE Service-Type 6 integer\nVALUE Service-Type Login 1\nATTRIBUTE Old 101 integer\n' });
    const layer = loadDictionary({ text: 'VALUE Service-Type Group-Check 12\nATTRIBUTE New 101 string\n' }, base);
    assert.equal(layer.attribute('Service-Type'), base.attribute('Service-Type'));
    assert.equal(layer.valueName(layer.attribute('Service-Type')!, 12), 'Group-Check');
    assert.equal(layer.valueName(layer.attribute('Service-Type')!, 1), 'Login');
    assert.equal(base.valueName(base.attribute('Service-Type')!, 12), undefined);
    assert.equal(layer.top(101)?.name, 'New');
    assert.equal(layer.attribute('Old'), undefined);
    assert.equal(base.top(101)?.name, 'Old');
    assert.deepEqual(layer.data.values, [{ attribute: 'Service-Type', name: 'Group-Check', value: 12 }]);
    assert.ok(Object.isFrozen(layer) && Object.isFrozen(layer.attribute('New')));
  });
});

describe('built-in RADIUS dialect dictionaries', () => {
  it('share one common dictionary and differ where protocols.md §4 says', () => {
    const common = commonDictionary();
    const def = dictionaryForDialect('default');
    const kam = dictionaryForDialect('kamailio');
    const ops = dictionaryForDialect('opensips');
    const opsAcct = dictionaryForDialect('opensips', PacketCode.AccountingRequest);
    const rfc = dictionaryForDialect('rfc5090');
    assert.equal(dictionaryForDialect('default'), def);
    assert.equal(ops, def);
    for (const d of [def, kam, opsAcct, rfc]) assert.equal(d.base, common);
    assert.equal(kam.attribute('User-Name'), common.attribute('User-Name'));
    assert.equal(def.top(101)?.name, 'Error-Cause');
    assert.equal(kam.top(101)?.name, 'Sip-Method');
    assert.equal(kam.valueName(kam.top(101)!, 8), 'Bye');
    assert.equal(def.top(206)?.name, 'Digest-Response');
    assert.equal(opsAcct.top(206)?.name, 'Sip-From-Tag');
    assert.equal(opsAcct.top(207)?.name, 'Sip-To-Tag');
    assert.equal(rfc.top(104)?.name, 'Digest-Realm');
    assert.equal(def.attribute('Digest-Realm')?.oid, '207.1');
    assert.equal(kam.valueName(kam.attribute('Service-Type')!, 15), 'Sip-Session');
    assert.equal(common.valueName(common.attribute('Service-Type')!, 15), undefined);
    assert.equal(common.attribute('MS-MPPE-Send-Key')?.flags.encrypt, 2);
    assert.equal(common.attribute('MS-CHAP2-Success')?.oid, '26.311.26');
    assert.equal(common.attribute('Cisco-AVPair')?.oid, '26.9.1');
    assert.throws(() => dictionaryForDialect('nope' as 'default'), /unknown RADIUS dialect/);
  });
});

describe('third-party dictionaries', () => {
  const freeradius = '/usr/share/freeradius/dictionary';
  const kamailio = '/etc/kamailio/dictionary.kamailio';
  const missing = (file: string, pkg: string): string =>
    `${file} is missing: install it with 'apt-get install -y --no-install-recommends ${pkg}' (CI installs it)`;

  it('parses the whole Debian FreeRADIUS dictionary tree', function () {
    this.timeout(10000);
    assert.ok(existsSync(freeradius), missing(freeradius, 'freeradius-common'));
    const d = loadDictionary(freeradius);
    assert.ok([...d.attributes()].length > 5000);
    assert.equal(d.attribute('MS-MPPE-Send-Key')?.oid, '26.311.16');
    assert.equal(d.attribute('WiMAX-Release')?.oid, '26.24757.1.1');
    assert.equal(d.vendor('WiMAX')?.continuation, true);
    assert.equal(d.vendor('USR')?.typeLength, 4);
    assert.equal(d.attribute('Tunnel-Password')?.flags.encrypt, 2);
    assert.equal(d.attribute('Framed-IPv6-Prefix')?.type, 'ipv6prefix');
    assert.ok(d.attribute('Extended-Vendor-Specific-5'));
  });

  it('parses the Kamailio dictionary on top of radcli`s, and names the line that needs radcli', () => {
    assert.ok(existsSync(kamailio), missing(kamailio, 'kamailio-radius-modules'));
    const d = loadDictionary({
      text: ['dictionary', 'dictionary.sip', 'dictionary.microsoft'].map((f) => `$INCLUDE /etc/radcli/${f}`).join('\n') + `\n$INCLUDE ${kamailio}\n`,
    });
    assert.equal(d.attribute('SIP-AVP')?.number, 225);
    assert.equal(d.valueNumber(d.attribute('Sip-Method')!, 'Bye'), 8);
    assert.equal(d.valueName(d.attribute('Sip-Method')!, 4), 'Ack');
    assert.equal(d.attribute('MS-CHAP-Challenge')?.oid, '26.311.11');
    throwsAt(() => loadDictionary(kamailio), /dictionary\.kamailio:\d+$/, /unknown attribute Service-Type/);
  });
});
