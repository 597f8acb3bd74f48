import { strict as assert } from 'node:assert';
import type { ClassDef, PropDef, TreeNode } from '../../src/schema/model.js';
import { allClasses, applyDefaults, classDef, fixedChildrenOf, newNode } from '../../src/schema/registry.js';
import { isRef, isSecret, type PropType } from '../../src/schema/types.js';

/** Classes reachable from Cluster through fixed children, collections and variants, and names that are not declared. */
function reachable(): { seen: Set<string>; missing: string[] } {
  const seen = new Set<string>();
  const missing: string[] = [];
  const walk = (name: string): void => {
    if (seen.has(name) || missing.includes(name)) return;
    const c = allClasses().find((x) => x.name === name);
    if (!c) {
      missing.push(name);
      return;
    }
    seen.add(name);
    for (const f of c.fixed ?? []) walk(f.cls);
    for (const v of Object.values(c.variants ?? {})) for (const f of v.fixed ?? []) walk(f.cls);
    if (c.collection) walk(c.collection.cls);
  };
  walk('Cluster');
  return { seen, missing };
}

/** The property sets a node of the class can have: the class's own, and each variant on top. */
function propSets(c: ClassDef): { where: string; props: PropDef[] }[] {
  const own = { where: c.name, props: c.props };
  const variants = Object.entries(c.variants ?? {}).map(([v, variant]) => ({
    where: `${c.name}[${v}]`,
    props: [...c.props, ...(variant.props ?? [])],
  }));
  return variants.length ? variants : [own];
}

function allTypes(c: ClassDef): { where: string; type: PropType }[] {
  const out = propSets(c).flatMap(({ where, props }) => props.map((p) => ({ where: `${where}.${p.name}`, type: p.type })));
  if (c.list) out.push({ where: `${c.name} list item`, type: c.list.item });
  if (c.pairs?.key) out.push({ where: `${c.name} pair key`, type: c.pairs.key });
  if (c.pairs?.value) out.push({ where: `${c.name} pair value`, type: c.pairs.value });
  return out;
}

const NAMES_FROM_ELSEWHERE = [
  'Vendors', 'Scripts', 'SessionManagers', 'ResourceManagers', 'Policies', 'Rules', 'Translations', 'TranslationGroups',
  'RemoteServers', 'GroupServers', 'FastRules', 'Replication', 'DiaRemoteServers', 'RequestMapping', 'ResponseMapping',
  'ReplyMessages', 'AttributeDictionary', 'VendorAttributes', 'SNMP', 'DiameterSessionManagement', 'DiameterDictionary',
  'DOICPriorities',
];

describe('schema classes', () => {
  it('defines every class reachable from Cluster', () => {
    const { seen, missing } = reachable();
    assert.deepEqual(missing, []);
    assert.ok(seen.size > 60, `only ${seen.size} classes reachable`);
  });

  it('defines the classes the core declarations name', () => {
    for (const n of NAMES_FROM_ELSEWHERE) assert.doesNotThrow(() => classDef(n), n);
  });

  it('declares no class that cannot be reached from Cluster', () => {
    const { seen } = reachable();
    assert.deepEqual(allClasses().map((c) => c.name).filter((n) => !seen.has(n)), []);
  });

  it('builds a new Cluster with every fixed child, recursively', () => {
    const cluster = newNode('Cluster');
    let count = 0;
    const check = (node: TreeNode, path: string): void => {
      for (const f of fixedChildrenOf(node)) {
        const child = node.$children?.[f.name];
        assert.ok(child, `${path}/${f.name} is missing`);
        assert.equal(child.$class, f.cls, `${path}/${f.name}`);
        count++;
        check(child, `${path}/${f.name}`);
      }
    };
    check(cluster, '');
    for (const p of ['/Radius/Advanced/DOICPriorities/Priority4', '/Radius/Advanced/Diameter/SessionManagement', '/Radius/Replication/Members']) {
      const node = p.split('/').slice(1).reduce<TreeNode | undefined>((n, part) => n?.$children?.[part], cluster);
      assert.ok(node, p);
    }
    assert.ok(count > 30, `only ${count} fixed children`);
  });

  it('builds every class, with every variant selected', () => {
    for (const c of allClasses()) {
      assert.doesNotThrow(() => newNode(c.name), c.name);
      const node = newNode(c.name);
      for (const f of c.fixed ?? []) assert.ok(node.$children?.[f.name], `${c.name}/${f.name}`);
    }
  });

  it('makes every reference name a collection class', () => {
    for (const c of allClasses()) {
      for (const { where, type } of allTypes(c)) {
        if (!isRef(type)) continue;
        const target = classDef(type.ref);
        assert.ok(target.collection, `${where}: ${type.ref} is not a collection`);
        if (type.filter) {
          const item = classDef(target.collection.cls);
          const p = item.props.find((x) => x.name === type.filter!.prop);
          assert.ok(p, `${where}: ${item.name} has no ${type.filter.prop}`);
          for (const v of type.filter.values) assert.ok(p.type.parse(v).ok, `${where}: ${v} is not a ${p.name}`);
        }
      }
    }
  });

  it('gives every default a value its own type parses back', () => {
    for (const c of allClasses()) {
      for (const { where, props } of propSets(c)) {
        for (const p of props) {
          if (p.default === undefined) continue;
          assert.ok(!isSecret(p.type), `${where}.${p.name}: a secret has a default`);
          const r = p.type.parse(p.type.format(p.default));
          assert.ok(r.ok, `${where}.${p.name}: default ${String(p.default)}: ${r.ok ? '' : r.error}`);
          assert.equal(r.value, p.default, `${where}.${p.name}`);
        }
      }
    }
  });

  it('names only existing properties as positional arguments', () => {
    for (const c of allClasses()) {
      const names = new Set(['description', ...propSets(c).flatMap(({ props }) => props.map((p) => p.name.toLowerCase()))]);
      for (const pos of c.positional ?? []) assert.ok(names.has(pos.toLowerCase()), `${c.name}: positional ${pos}`);
    }
  });

  it('gives no class two properties whose names differ only in case', () => {
    for (const c of allClasses()) {
      for (const { where, props } of propSets(c)) {
        const names = ['Name', 'Description', ...props.map((p) => p.name)].map((n) => n.toLowerCase());
        const twice = names.filter((n, i) => names.indexOf(n) !== i);
        assert.deepEqual(twice, [], where);
      }
    }
  });

  it('selects variants by a discriminator whose values they are', () => {
    for (const c of allClasses()) {
      if (!c.variants) continue;
      const d = c.props.find((p) => p.name === c.discriminator);
      assert.ok(d, `${c.name}: discriminator ${String(c.discriminator)} is not a property`);
      const values = d.type.completions ?? [];
      assert.deepEqual([...values].sort(), Object.keys(c.variants).sort(), c.name);
      if (d.default !== undefined) assert.ok(c.variants[String(d.default)], `${c.name}: default ${String(d.default)}`);
    }
  });

  it('documents every property and class in one sentence', () => {
    for (const c of allClasses()) {
      assert.ok(c.help.trim(), `${c.name} has no help`);
      for (const { where, props } of propSets(c)) {
        for (const p of props) assert.ok(p.help.trim().endsWith('.'), `${where}.${p.name}: help '${p.help}'`);
      }
    }
  });

  it('checks the right side of mapping containers', () => {
    const value = (cls: string, text: string): boolean => classDef(cls).pairs!.value!.parse(text).ok;
    assert.ok(value('Enumerations', '3'));
    assert.ok(!value('Enumerations', 'three'));
    assert.ok(value('DiameterEnumerations', '-1'));
    assert.ok(value('AVPRules', 'Required'));
    assert.ok(value('AVPRules', 'Fixed:1'));
    assert.ok(!value('AVPRules', 'Sometimes'));
    assert.ok(value('NASPortAddresses', '10.0.0.0/24'));
    assert.ok(classDef('NASPortAddresses').pairs!.key!.parse('1-16').ok);
    assert.ok(!classDef('CommandMappings').pairs!.key!.parse('two words').ok);
    assert.equal(classDef('RuleAttributes').pairs?.kind, 'map', 'rule inputs such as Realm are not attributes');
  });

  it('declares the RemoteServer and Script add orders of the reference', () => {
    assert.deepEqual(classDef('RemoteServer').positional, ['Description', 'Protocol', 'IPAddress', 'Port', 'SharedSecret']);
    assert.deepEqual(classDef('Script').positional, ['Description', 'Language', 'Filename', 'EntryPoint']);
    assert.equal(newNode('RemoteServer').Protocol, 'radius');
    const server: TreeNode = { $class: 'RemoteServer', Protocol: 'diameter' };
    applyDefaults(server);
    assert.equal(server.DestinationPort, 3868);
    assert.equal(server.ReactivateTimerInterval, 300000);
    assert.ok(server.$children?.AdditionalIPAddresses);
  });
});
