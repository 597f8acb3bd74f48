import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveHome } from '../../src/home.js';
import { ConfigStore } from '../../src/store/store.js';
import { importDictionaryData, treeDictionaryData } from '../../src/config/radius-dictionary.js';
import { buildEngineConfig } from '../../src/config/view.js';
import { dictionaryForDialect, parseDictionary } from '../../src/radius/index.js';
import { nodeAt } from '../../src/tree/tree.js';
import { useAregcmd } from '../support/home.js';

const SEED_DICTIONARY = path.resolve('test/fixtures/dictionary.kamailio-seed');
const DEBIAN_KAMAILIO = '/etc/kamailio/dictionary.kamailio';

const sortByName = <T extends { name: string }>(l: T[]) => [...l].sort((a, b) => a.name.localeCompare(b.name));

describe('RADIUS dictionaries in the tree', () => {
  it('an imported layer reads back unchanged and reaches the engine view', async () => {
    const home = resolveHome(fs.mkdtempSync(path.join(os.tmpdir(), 'areg-dict-')));
    const store = await ConfigStore.open(home);
    const { root } = await store.read();
    const data = parseDictionary(SEED_DICTIONARY, dictionaryForDialect('default'));
    const advanced = nodeAt(root, ['Radius', 'Advanced'])!;
    importDictionaryData(advanced, data);
    const back = treeDictionaryData(advanced);
    assert.deepEqual(sortByName(back.attributes), sortByName(data.attributes));
    assert.deepEqual(new Set(back.values.map((v) => `${v.attribute}/${v.name}=${v.value}`)), new Set(data.values.map((v) => `${v.attribute}/${v.name}=${v.value}`)));
    assert.deepEqual(store.validate(root).filter((p) => p.severity === 'error'), []);
    const config = buildEngineConfig(root, store.box, home);
    const d = config.radiusDictionary('default');
    assert.equal(d.attribute('Digest-Nonce-Count')?.number, 1071);
    assert.equal(d.valueNumber(d.attribute('Service-Type')!, 'SIP-Callee-AVPs'), 31);
    assert.deepEqual(config.radiusDictionaryProblems, []);
    fs.rmSync(home.root, { recursive: true, force: true });
  });

  it('names, at load, the tree entries a dialect cannot take, and still serves that dialect', async () => {
    const home = resolveHome(fs.mkdtempSync(path.join(os.tmpdir(), 'areg-dict-')));
    const store = await ConfigStore.open(home);
    const { root } = await store.read();
    // Debian's Kamailio file adds VALUEs to Sip-Method, which only the kamailio dialect defines.
    importDictionaryData(nodeAt(root, ['Radius', 'Advanced'])!, parseDictionary(DEBIAN_KAMAILIO, dictionaryForDialect('kamailio')));
    const config = buildEngineConfig(root, store.box, home);
    assert.ok(config.radiusDictionaryProblems.some((p) => /^default: value Sip-Method /.test(p)), config.radiusDictionaryProblems.join('\n'));
    const k = config.radiusDictionary('kamailio');
    assert.equal(k.valueNumber(k.attribute('Sip-Method')!, 'Register'), 128);
    assert.ok(config.radiusDictionary('default').attribute('User-Name'));
    fs.rmSync(home.root, { recursive: true, force: true });
  });

  describe('aregcmd import-dictionary', () => {
    const home = useAregcmd();

    it('imports the seed\'s Kamailio dictionary as written, and Debian\'s on the kamailio dialect', async () => {
      assert.ok(fs.existsSync(DEBIAN_KAMAILIO), `${DEBIAN_KAMAILIO} is missing: apt-get install -y --no-install-recommends kamailio-radius-modules`);
      const script = [
        `import-dictionary ${SEED_DICTIONARY}`,
        `import-dictionary ${DEBIAN_KAMAILIO} kamailio`,
        'save',
        'ls "/Radius/Advanced/Attribute Dictionary/Digest-Realm"',
      ].join('\n');
      const r = await home.run([], { input: script });
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /Imported 0 vendors, \d+ attributes and 10 values from .*dictionary.kamailio-seed/);
      assert.match(r.stdout, /Attribute = 1063\n\s+Type = STRING/);
      const bad = await home.run([], { input: `import-dictionary ${DEBIAN_KAMAILIO}\n` });
      assert.equal(bad.status, 1);
      assert.match(bad.stderr, /dictionary\.kamailio:\d+: VALUE .* unknown attribute Sip-Method/);
      const saved = JSON.parse(fs.readFileSync(home.store, 'utf8'));
      const method = saved.root.$children.Radius.$children.Advanced.$children['Attribute Dictionary'].$children['Sip-Method'];
      assert.ok(method.$children.Enumerations.$attrs.some(([k, v]: [string, string]) => k === 'INVITE' && v === '1'));
    });
  });
});
