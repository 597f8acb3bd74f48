import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import {
  BUILTIN_DICTIONARY_FILES, Dictionary, DictionaryError, builtinDictionary, builtinDictionaryDir, mergeTreeDictionary,
  readDictionarySource, parseRule,
} from '../../src/diameter/index.js';
import opensipsAvps from './fixtures/opensips-avps.json' with { type: 'json' };

const dict = builtinDictionary();

describe('diameter dictionary', () => {
  it('loads every shipped file, none redefining another', () => {
    assert.deepEqual(readdirSync(builtinDictionaryDir).filter((f) => f.endsWith('.json')).sort(), [...BUILTIN_DICTIONARY_FILES].sort());
    const seen = new Map<string, string>();
    for (const file of BUILTIN_DICTIONARY_FILES) {
      for (const a of readDictionarySource(`${builtinDictionaryDir}/${file}`).avps ?? []) {
        const key = `${a.vendor ?? 0}:${a.code}`;
        assert.equal(seen.get(key), undefined, `${a.name} (${key}) in ${file} also in ${seen.get(key)}`);
        seen.set(key, file);
      }
    }
  });

  it('has the base AVPs of protocols.md §6.2 and the commands and applications served', () => {
    const base: Record<number, string> = {
      1: 'User-Name', 25: 'Class', 27: 'Session-Timeout', 44: 'Acct-Session-Id', 50: 'Acct-Multi-Session-Id', 55: 'Event-Timestamp',
      85: 'Acct-Interim-Interval', 257: 'Host-IP-Address', 258: 'Auth-Application-Id', 259: 'Acct-Application-Id',
      260: 'Vendor-Specific-Application-Id', 261: 'Redirect-Host-Usage', 262: 'Redirect-Max-Cache-Time', 263: 'Session-Id',
      264: 'Origin-Host', 265: 'Supported-Vendor-Id', 266: 'Vendor-Id', 267: 'Firmware-Revision', 268: 'Result-Code',
      269: 'Product-Name', 270: 'Session-Binding', 271: 'Session-Server-Failover', 272: 'Multi-Round-Time-Out',
      273: 'Disconnect-Cause', 274: 'Auth-Request-Type', 276: 'Auth-Grace-Period', 277: 'Auth-Session-State',
      278: 'Origin-State-Id', 279: 'Failed-AVP', 280: 'Proxy-Host', 281: 'Error-Message', 282: 'Route-Record',
      283: 'Destination-Realm', 284: 'Proxy-Info', 285: 'Re-Auth-Request-Type', 287: 'Accounting-Sub-Session-Id',
      291: 'Authorization-Lifetime', 292: 'Redirect-Host', 293: 'Destination-Host', 294: 'Error-Reporting-Host',
      295: 'Termination-Cause', 296: 'Origin-Realm', 297: 'Experimental-Result', 298: 'Experimental-Result-Code',
      299: 'Inband-Security-Id', 33: 'Proxy-State', 480: 'Accounting-Record-Type', 483: 'Accounting-Realtime-Required',
      485: 'Accounting-Record-Number',
    };
    for (const [code, name] of Object.entries(base)) assert.equal(dict.avp(Number(code))?.name, name);
    const commands: [number, number, string][] = [[0, 257, 'CER'], [0, 280, 'DWR'], [0, 282, 'DPR'], [3, 271, 'ACR'], [1, 275, 'STR'],
      [5, 274, 'ASR'], [1, 258, 'RAR'], [1, 265, 'AAR'], [5, 268, 'DER'], [6, 286, 'MAR']];
    for (const [app, code, abbrev] of commands) {
      assert.ok(dict.command(app, code), `${abbrev} in ${app}`);
      assert.equal(dict.commandByName(abbrev)?.code, code);
    }
    assert.deepEqual([0, 1, 3, 5, 6].map((id) => dict.application(id)?.type), ['auth', 'auth', 'acct', 'auth', 'auth']);
    assert.equal(dict.avpByName('EAP-Payload')?.code, 462);
    assert.equal(dict.avpByName('CHAP-Auth')?.rules?.rules.length, 4);
    assert.equal(dict.avpByName('OC-OLR')?.rules?.fixed.length, 2);
    assert.equal(dict.avpByName('OC-Supported-Features')?.mandatory, 'mustnot');
  });

  it('has every AVP OpenSIPS registers, as protocols.md §3.3 lists them', () => {
    // protocols.md §3.3, one row per AVP: code, name, type, vendor, M rule (all M set unless stated).
    const table = structuredClone(opensipsAvps) as [number, string, string, number, string][];
    const digest = ['Response', 'Realm', 'Nonce', 'Response-Auth', 'Nextnonce', 'Method', 'URI', 'QoP', 'Algorithm', 'Entity-Body-Hash',
      'CNonce', 'Nonce-Count', 'Username', 'Opaque', 'Auth-Param', 'AKA-Auts', 'Domain', 'Stale', 'HA1'];
    digest.forEach((n, i) => table.push([103 + i, `Digest-${n}`, 'UTF8String', 0, 'must']));
    for (const [code, name, type, vendor, m] of table) {
      const def = dict.avp(code, vendor);
      assert.deepEqual([def?.name, def?.type, def?.mandatory], [name, type, m], `${vendor}:${code}`);
    }
    const sipMethod = dict.avp(204)!;
    assert.deepEqual([sipMethod.values.get(1), sipMethod.values.get(16), sipMethod.values.get(16384)], ['INVITE', 'INFO', 'OTHER']);
    const serviceType = dict.avp(6)!;
    assert.deepEqual([10, 12, 15, 21, 22, 30, 31].map((v) => serviceType.values.get(v)),
      ['CALL_CHECK', 'Group-Check', 'Sip-Session', 'Sip-Verify-Destination', 'Sip-Verify-Source', 'Sip-Caller-AVPs', 'Sip-Callee-AVPs']);
    assert.deepEqual([1, 2, 3, 15].map((v) => dict.avp(40)!.values.get(v)), ['Start', 'Stop', 'Alive', 'Failed']);
  });

  it('resolves names: exact spelling first, then case-insensitively with the lowest vendor and code winning', () => {
    assert.equal(dict.avpByName('Sip-Method')?.code, 204);
    assert.equal(dict.avpByName('SIP-Method')?.code, 393);
    assert.equal(dict.avpByName('sip-method')?.code, 204);
    assert.equal(dict.avpByName('digest-qop')?.code, 110);
    const d = Dictionary.build([...dict.sources, { avps: [{ code: 1483, name: 'Service-Type', type: 'Enumerated', vendor: 10415 }] }]);
    assert.equal(d.avpByName('Service-Type')?.vendorId, 0);
    assert.equal(d.avpByName('Service-Type', 10415)?.code, 1483);
    assert.equal(d.avp(1483, 10415)?.name, 'Service-Type');
    assert.equal(d.avp(1483), undefined);
  });

  it('is immutable once built', () => {
    const def = dict.avpByName('Session-Id')!;
    assert.throws(() => { (def as { name: string }).name = 'x'; }, TypeError);
    assert.ok(Object.isFrozen(dict.command(0, 257)));
  });

  it('parses CCF items and rejects bad data', () => {
    assert.deepEqual(parseRule('1*{Host-IP-Address}'), { position: 'required', name: 'Host-IP-Address', min: 1, max: Infinity });
    assert.deepEqual(parseRule('0*1<Session-Id>'), { position: 'fixed', name: 'Session-Id', min: 0, max: 1 });
    assert.deepEqual(parseRule('*[AVP]'), { position: 'optional', name: 'AVP', min: 0, max: Infinity });
    assert.deepEqual(parseRule('[User-Name]'), { position: 'optional', name: 'User-Name', min: 0, max: 1 });
    assert.throws(() => parseRule('{X]'), DictionaryError);
    assert.throws(() => parseRule('3*1[X]'), DictionaryError);
    assert.throws(() => Dictionary.build([{ avps: [{ code: 1, name: 'G', type: 'Grouped', grouped: ['{Nope}'] }] }]), DictionaryError);
    assert.throws(() => Dictionary.build([{ avps: [{ code: 1, name: 'T', type: 'Bogus' as 'OctetString' }] }]), DictionaryError);
  });
});

describe('diameter dictionary from the configuration tree', () => {
  it('merges attributes, applications and commands shaped like aregcmd.md §7.3.9', () => {
    const { dictionary, problems } = mergeTreeDictionary(dict, {
      DiameterAttributes: [
        { Name: 'Test-Counter', Attribute: '5001', VendorID: '99', Mandatory: 'MustNot', Protected: 'May', MayEncrypt: 'No', Type: 'Unsigned64' },
        { Name: 'Test-Color', Attribute: 5002, VendorID: 99, Mandatory: 'Must', Type: 'Enumerated', Enumerations: { Red: 1, Green: '2' } },
        { Name: 'Test-Group', Attribute: 5003, VendorID: 99, Type: 'Grouped', GroupedAVPs: { 'Test-Color': 'Required', 'Test-Counter': 'Optional:*' } },
      ],
      DiameterApplications: [{ Name: 'Test-App', ApplicationId: '16777999', Type: 'Auth', VendorId: 99 }],
      DiameterCommands: [{ Name: 'Test-Cmd', CommandCode: 8388999, ApplicationId: 16777999,
        RequestAVPs: { 'Session-Id': 'Fixed', 'Origin-Host': 'Required', 'Test-Group': 'Optional:2' },
        AnswerAVPs: { 'Session-Id': 'Fixed', 'Result-Code': 'Required' } }],
    });
    assert.deepEqual(problems, []);
    const counter = dictionary.avpByName('test-counter')!;
    assert.deepEqual([counter.code, counter.vendorId, counter.type, counter.mandatory], [5001, 99, 'Unsigned64', 'mustnot']);
    assert.equal(dictionary.avp(5002, 99)?.valuesByName.get('green'), 2);
    const group = dictionary.avp(5003, 99)!.rules!;
    assert.deepEqual(group.rules.map((r) => [r.avp?.name, r.position, r.min, r.max]),
      [['Test-Color', 'required', 1, 1], ['Test-Counter', 'optional', 0, Infinity]]);
    assert.equal(dictionary.application(16777999)?.vendorId, 99);
    const cmd = dictionary.command(16777999, 8388999)!;
    assert.deepEqual(cmd.request.rules.map((r) => [r.avp?.name ?? 'AVP', r.position, r.max]),
      [['Session-Id', 'fixed', 1], ['Origin-Host', 'required', 1], ['Test-Group', 'optional', 2], ['AVP', 'optional', Infinity]]);
    assert.equal(dict.avpByName('Test-Counter'), undefined, 'the base dictionary is untouched');
  });

  it('reports and skips bad entries, keeping the good ones', () => {
    const { dictionary, problems } = mergeTreeDictionary(dict, {
      DiameterAttributes: [
        { Name: 'Bad-Type', Attribute: 7001, Type: 'Text' },
        { Name: 'Bad-Code', Attribute: 'seven', Type: 'UTF8String' },
        { Name: 'Bad-Group', Attribute: 7003, Type: 'Grouped', GroupedAVPs: { 'No-Such-AVP': 'Required' } },
        { Name: 'Bad-Rule', Attribute: 7004, Type: 'Grouped', GroupedAVPs: { 'User-Name': 'Sometimes' } },
        { Name: 'Bad-Flag', Attribute: 7005, Type: 'UTF8String', Mandatory: 'Perhaps' as 'May' },
        { Name: 'Good', Attribute: 7006, Type: 'UTF8String' },
      ],
      DiameterCommands: [{ Name: 'Bad-Cmd', CommandCode: 9, ApplicationId: 0, RequestAVPs: { Ghost: 'Required' } }],
    });
    assert.equal(problems.length, 6, problems.join('\n'));
    assert.equal(dictionary.avp(7006)?.name, 'Good');
    assert.equal(dictionary.avp(7001), undefined);
    assert.equal(dictionary.command(0, 9), undefined);
  });
});
