import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fork } from 'node:child_process';
import { resolveHome, type AregHome } from '../../src/home.js';
import { ConfigStore, InvalidTreeError, StaleRevisionError } from '../../src/store/store.js';
import { SecretBox, hashPassword, verifyPassword } from '../../src/store/secrets.js';
import { nodeAt } from '../../src/tree/tree.js';
import { setProp } from '../../src/tree/edit.js';
import { propOf } from '../../src/schema/registry.js';

function tempHome(): AregHome {
  return resolveHome(fs.mkdtempSync(path.join(os.tmpdir(), 'areg-store-')));
}

describe('store', () => {
  let home: AregHome;
  beforeEach(() => {
    home = tempHome();
  });
  afterEach(() => fs.rmSync(home.root, { recursive: true, force: true }));

  it('creates the factory tree as revision 1, mode 0600, with no secret in clear', async () => {
    const store = await ConfigStore.open(home);
    const saved = await store.read();
    assert.equal(saved.meta.revision, 1);
    assert.equal(fs.statSync(home.store).mode & 0o777, 0o600);
    assert.equal(fs.statSync(home.keyFile).mode & 0o777, 0o600);
    const text = fs.readFileSync(home.store, 'utf8');
    assert.doesNotMatch(text, /"SharedSecret": "secret"/);
    assert.doesNotMatch(text, /"Password": "(bob|jane|joe|aicuser)"/);
    const secret = String(nodeAt(saved.root, ['Radius', 'Clients', 'localhost'])!.SharedSecret);
    assert.equal(store.box.decrypt(secret), 'secret');
    assert.deepEqual(store.validate(saved.root).filter((p) => p.severity === 'error'), []);
  });

  it('saves a new revision and keeps the previous one as a backup', async () => {
    const store = await ConfigStore.open(home);
    const { root, meta } = await store.read();
    const radius = nodeAt(root, ['Radius'])!;
    setProp(radius, propOf(radius, 'Description')!, 'changed', store.box);
    const next = await store.save(root, meta.revision, 'admin');
    assert.equal(next.revision, 2);
    assert.equal(next.savedBy, 'admin');
    const backup = JSON.parse(fs.readFileSync(`${home.store}.bak`, 'utf8'));
    assert.equal(backup.meta.revision, 1);
    assert.equal((await store.read()).root.$children!.Radius.Description, 'changed');
  });

  it('never writes an invalid tree', async () => {
    const store = await ConfigStore.open(home);
    const before = fs.readFileSync(home.store);
    const { root, meta } = await store.read();
    const radius = nodeAt(root, ['Radius'])!;
    setProp(radius, propOf(radius, 'DefaultAuthenticationService')!, 'nosuch', store.box);
    await assert.rejects(store.save(root, meta.revision, 'admin'), (e: unknown) => {
      assert.ok(e instanceof InvalidTreeError);
      assert.ok(e.problems.some((p) => p.path === '/Radius' && /nosuch/.test(p.message)));
      return true;
    });
    assert.deepEqual(fs.readFileSync(home.store), before);
  });

  it('refuses a save based on an older revision (optimistic lock)', async () => {
    const store = await ConfigStore.open(home);
    const a = await store.read();
    const b = await store.read();
    await store.save(a.root, a.meta.revision, 'first');
    await assert.rejects(store.save(b.root, b.meta.revision, 'second'), StaleRevisionError);
  });

  it('takes over an empty lock left by a writer killed before it wrote its pid', async () => {
    const store = await ConfigStore.open(home);
    const lock = path.join(home.dbDir, 'store.lock');
    fs.writeFileSync(lock, '');
    const old = new Date(Date.now() - 5000);
    fs.utimesSync(lock, old, old);
    const { root, meta } = await store.read();
    assert.equal((await store.save(root, meta.revision, 'admin')).revision, 2);
  });

  it('takes over a lock left by a dead process', async () => {
    const store = await ConfigStore.open(home);
    fs.writeFileSync(path.join(home.dbDir, 'store.lock'), '999999');
    const { root, meta } = await store.read();
    assert.equal((await store.save(root, meta.revision, 'admin')).revision, 2);
  });

  it('leaves a whole store after being killed in the middle of saves', async function () {
    this.timeout(180000);
    await ConfigStore.open(home);
    for (let round = 0; round < 5; round++) {
      const child = fork(path.resolve('test/store/save-crash-child.ts'), [home.root], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
      await new Promise<void>((resolve, reject) => {
        child.once('message', () => resolve());
        child.once('exit', (code) => reject(new Error(`child exited early (${code})`)));
      });
      await new Promise((r) => setTimeout(r, 50 + Math.floor(Math.random() * 400)));
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      const saved = JSON.parse(fs.readFileSync(home.store, 'utf8'));
      assert.ok(saved.meta.revision >= 1, `round ${round}: revision ${saved.meta.revision}`);
      assert.ok(saved.root.$children.Radius, `round ${round}: tree intact`);
    }
    const store = await ConfigStore.open(home);
    const { root, meta } = await store.read();
    assert.ok((await store.save(root, meta.revision, 'after')).revision > meta.revision, 'a stale lock of the killed writer does not block');
  });
});

describe('secrets', () => {
  it('encrypts reversibly with the install key and hashes administrator passwords', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'areg-key-'));
    const box = SecretBox.open(path.join(dir, 'k'));
    const enc = box.encrypt('testing123');
    assert.notEqual(enc, 'testing123');
    assert.notEqual(box.encrypt('testing123'), enc, 'fresh IV per value');
    assert.equal(SecretBox.open(path.join(dir, 'k')).decrypt(enc), 'testing123');
    const h = hashPassword('aicuser');
    assert.ok(verifyPassword('aicuser', h));
    assert.ok(!verifyPassword('aicuser2', h));
    fs.rmSync(dir, { recursive: true });
  });
});

describe('validation of attribute lists (V9)', () => {
  it('checks names and values against the RADIUS and Diameter dictionaries, and knows tree-defined attributes', async () => {
    const home = resolveHome(fs.mkdtempSync(path.join(os.tmpdir(), 'areg-v9-')));
    const store = await ConfigStore.open(home);
    const { root } = await store.read();
    const attrs = nodeAt(root, ['Radius', 'Profiles', 'default-PPP-users', 'Attributes'])!;
    attrs.$attrs!.push(['Framed-MTU', 'abc'], ['No-Such-Attribute', '1'], ['Cisco-AVPair', 'x=y'], ['Result-Code', '2001']);
    const problems = store.validate(root).map((p) => `${p.path}: ${p.message}`);
    assert.ok(problems.some((m) => /Attributes: .*'abc'/.test(m)), problems.join('\n'));
    assert.ok(problems.some((m) => /No-Such-Attribute is not in the RADIUS or Diameter dictionary/.test(m)), problems.join('\n'));
    assert.equal(problems.length, 2, problems.join('\n'));
    fs.rmSync(home.root, { recursive: true, force: true });
  });
});
