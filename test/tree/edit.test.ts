import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SecretBox } from '../../src/store/secrets.js';
import { seedTree } from '../../src/tree/seed.js';
import { addChild, setProp } from '../../src/tree/edit.js';
import { childExact, nodeAt, resolvePath } from '../../src/tree/tree.js';
import { propOf } from '../../src/schema/registry.js';

const box = SecretBox.open(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'areg-edit-')), 'key'));

describe('tree edits', () => {
  it('a type given when the object is created brings its defaults and fixed children', () => {
    const root = seedTree(box, 'aaa.example.com');
    const services = nodeAt(root, ['Radius', 'Services'])!;
    const rs = addChild(services, 'proxy', ['', 'radius'], box);
    assert.deepEqual(rs.$children?.RemoteServers?.$list, []);
    assert.equal(rs.MultipleServersPolicy, 'Failover');
    const file = nodeAt(root, ['Radius', 'Services', 'local-file'])!;
    assert.equal(file.FilenamePrefix, 'Accounting');
    assert.equal(file.MaxFileSize, '10 Megabytes');
  });

  it('changing the type drops the old type\'s properties and children', () => {
    const root = seedTree(box, 'aaa.example.com');
    const s = addChild(nodeAt(root, ['Radius', 'Services'])!, 'g', ['', 'group'], box);
    assert.ok(s.$children?.GroupServices);
    const reset = setProp(s, propOf(s, 'Type')!, 'local', box);
    assert.equal(reset, 1);
    assert.equal(s.ResultRule, undefined);
    assert.equal(s.$children?.GroupServices, undefined);
  });

  it('looks names up case-insensitively among 50,000 siblings', () => {
    const root = seedTree(box, 'aaa.example.com');
    const users = nodeAt(root, ['Radius', 'UserLists', 'Default'])!;
    for (let i = 0; i < 50000; i++) addChild(users, `User${i}`, [], box);
    assert.throws(() => addChild(users, 'user7', [], box), /already exists/);
    assert.equal(childExact(users, 'user49999'), 'User49999');
    const r = resolvePath(root, [], '/r/userl/def/USER123');
    assert.equal(r.kind === 'object' && r.path.join('/'), 'Radius/UserLists/Default/User123');
  });

  it('derives Identity and Realm of the Diameter transport from the host name', () => {
    const tm = nodeAt(seedTree(box, 'aaa.example.com'), ['Radius', 'Advanced', 'Diameter', 'TransportManagement'])!;
    assert.equal(tm.Identity, 'aaa.example.com');
    assert.equal(tm.Realm, 'example.com');
  });
});
