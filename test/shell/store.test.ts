// What the shell leaves on disk (aregcmd.md §1, §5.7, §6): data/db/store.json with no
// secret in clear, mode 0600, revisions and a backup, the optimistic lock between two
// sessions, and logs/aregcmd_log with secret values hidden.
import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import { useAregcmd } from '../support/home.js';
import { KEY, spawnAregcmd, usePty } from '../support/pty.js';

interface StoreFile {
  meta: { schema: number; revision: number; savedAt: string; savedBy: string };
  root: Record<string, unknown>;
}

const SECRET_PROPS = new Set(['Password', 'SharedSecret', 'PrivateKeyPassword', 'SecretKey']);

/** Every [path, property, value] of a secret property in the stored tree. */
function storedSecrets(node: unknown, path = ''): [string, string, string][] {
  if (node === null || typeof node !== 'object') return [];
  const out: [string, string, string][] = [];
  for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
    if (SECRET_PROPS.has(k) && typeof v === 'string') out.push([path, k, v]);
    else if (k === '$children') for (const [name, child] of Object.entries(v as Record<string, unknown>)) out.push(...storedSecrets(child, `${path}/${name}`));
    else if (typeof v === 'object') out.push(...storedSecrets(v, path));
  }
  return out;
}

describe('aregcmd and the saved store', function () {
  this.timeout(30_000);
  const home = useAregcmd();
  usePty();

  const readStore = () => JSON.parse(fs.readFileSync(home.store, 'utf8')) as StoreFile;
  const SETUP = [
    'add /Radius/Clients/NAS1 "Lab NAS" 10.10.10.1 aardvark NAS',
    'add /Radius/UserLists/Default/amy "" amy-pass-7',
    'cd /Radius/UserLists/Default',
    'add ann "" ann-pass-8',
    'cd /Administrators',
    'add ro "" ro-pass-9',
    'set /Radius/Clients/localhost/SharedSecret topsecret-1',
    'cd /Radius/Clients/localhost6',
    'set SharedSec topsecret-2',
    'save',
  ];

  it('never stores a secret in clear', async () => {
    const r = await home.run(['-f', '-'], { input: SETUP.join('\n') });
    assert.equal(r.status, 0, r.stderr);
    const text = fs.readFileSync(home.store, 'utf8');
    for (const clear of ['aardvark', 'amy-pass-7', 'ann-pass-8', 'ro-pass-9', 'topsecret-1', 'topsecret-2', 'aicuser', '"secret"', '"bob"', '"jane"', '"joe"']) {
      // "bob" etc. are also user names: as JSON keys they are followed by a colon.
      const asValue = new RegExp(`${clear.startsWith('"') ? clear : `"${clear}"`}(?!\\s*:)`);
      assert.ok(!asValue.test(text), `${clear} appears in clear in store.json`);
    }
    const secrets = storedSecrets(readStore().root);
    assert.ok(secrets.length >= 9, JSON.stringify(secrets));
    for (const [p, k, v] of secrets) {
      if (v === '') continue;
      const form = p.startsWith('/Administrators/') ? /^\$scrypt\$/ : /^\$aes256gcm\$/;
      assert.match(v, form, `${p} ${k}`);
    }
    // Every secret lists masked, shared secrets included (the issue's rule).
    assert.equal((await home.run(['ls', '/Radius/Clients/NAS1/SharedSecret'])).stdout, 'SharedSecret = <encrypted>\n');
    assert.equal((await home.run(['ls', '/Radius/Clients/localhost6/SharedSecret'])).stdout, 'SharedSecret = <encrypted>\n');
    assert.equal((await home.run(['ls', '/Radius/UserLists/Default/amy/Password'])).stdout, 'Password = <encrypted>\n');
    assert.equal((await home.run(['-N', 'ro', '-P', 'ro-pass-9', 'pwd'])).status, 0, 'the new administrator can log in');
  });

  it('keeps store.json (and its backup and key) at mode 0600', async () => {
    await home.run(['pwd']);
    assert.equal(fs.statSync(home.store).mode & 0o777, 0o600);
    const r = await home.run(['-f', '-'], { input: 'set /Radius/Description one\nsave\n' });
    assert.equal(r.status, 0, r.stderr);
    for (const f of [home.store, `${home.store}.bak`, home.store.replace('store.json', 'secret.key')]) {
      assert.equal(fs.statSync(f).mode & 0o777, 0o600, f);
    }
  });

  it('increments meta.revision on each save and keeps the previous revision in store.json.bak', async () => {
    await home.run(['pwd']);
    const first = fs.readFileSync(home.store);
    assert.equal(readStore().meta.revision, 1);
    const r1 = await home.run(['-f', '-'], { input: 'set /Radius/Description one\nsave\n' });
    assert.equal(r1.status, 0, r1.stderr);
    const second = fs.readFileSync(home.store);
    const meta = readStore().meta;
    assert.equal(meta.revision, 2);
    assert.equal(meta.savedBy, 'admin');
    assert.ok(Date.now() - Date.parse(meta.savedAt) < 60_000);
    assert.ok(fs.readFileSync(`${home.store}.bak`).equals(first), 'the backup is the previous revision');

    const r2 = await home.run(['-f', '-'], { input: 'set /Radius/Description two\nsave\nset /Radius/Description three\nsave\n' });
    assert.equal(r2.status, 0, r2.stderr);
    assert.equal(readStore().meta.revision, 4);
    const bak = JSON.parse(fs.readFileSync(`${home.store}.bak`, 'utf8')) as StoreFile;
    assert.equal(bak.meta.revision, 3);
    assert.ok(!fs.readFileSync(`${home.store}.bak`).equals(second));
    // A save with no change is still a new revision; validate alone writes nothing.
    const before = fs.readFileSync(home.store);
    assert.equal((await home.run(['validate'])).status, 0);
    assert.ok(fs.readFileSync(home.store).equals(before));
  });

  it('refuses a save based on a revision another administrator saved over (optimistic lock)', async () => {
    const first = spawnAregcmd(['-s'], { env: home.env() });
    await first.expect(/--> $/);

    const other = await home.run(['-f', '-'], { input: 'set /Radius/Description from-the-other\nsave\n' });
    assert.equal(other.status, 0, other.stderr);
    const afterOther = fs.readFileSync(home.store);

    first.line('set /Radius/Clients/localhost/Dialect opensips');
    await first.expect(/Set Dialect opensips\n--> $/);
    first.line('save');
    await first.expect(/Validating \/\/localhost\.\.\.\nSaving \/\/localhost\.\.\.\nERROR: configuration was saved by another administrator \(revision 2\); use 'flush' to reload\n--> $/);
    assert.ok(fs.readFileSync(home.store).equals(afterOther), 'nothing was written');

    first.line('flush');
    await first.expect(/Discard unsaved changes\? \(y\/n\) \[n\]:/);
    first.line('y');
    await first.expect(/Flushed; working copy is revision 2\n--> $/);
    first.line('ls /Radius/Description');
    await first.expect(/Description = from-the-other\n--> $/);
    first.line('set /Radius/Clients/localhost/Dialect opensips');
    first.line('save');
    await first.expect(/Saving \/\/localhost\.\.\.\n--> $/);
    first.press(KEY.ctrlD);
    assert.equal(await first.waitExit(), 0);
    assert.equal(readStore().meta.revision, 3);
    assert.equal((await home.run(['ls', '/Radius/Clients/localhost/Dialect'])).stdout, 'Dialect = opensips\n');
    assert.equal((await home.run(['ls', '/Radius/Description'])).stdout, 'Description = from-the-other\n');
  });

  it('logs every command to logs/aregcmd_log with secret values as <hidden>', async () => {
    const r = await home.run(['-f', '-'], { input: SETUP.join('\n') });
    assert.equal(r.status, 0, r.stderr);
    assert.equal((await home.run(['-N', 'ro', '-P', 'ro-pass-9', 'ls', '/Radius/Clients'])).status, 0);
    const log = fs.readFileSync(home.commandLog, 'utf8');
    assert.equal(fs.statSync(home.commandLog).mode & 0o777, 0o600);
    for (const clear of ['aardvark', 'amy-pass-7', 'ann-pass-8', 'ro-pass-9', 'topsecret-1', 'topsecret-2', 'aicuser']) {
      assert.ok(!log.includes(clear), `${clear} appears in the command log:\n${log}`);
    }
    const lines = log.trimEnd().split('\n');
    assert.equal(lines.length, SETUP.length + 1);
    const re = /^(\d\d\/\d\d\/\d{4} \d\d:\d\d:\d\d) (\S+) (\d+) (.*)$/;
    for (const l of lines) assert.match(l, re);
    const commands = lines.map((l) => re.exec(l)![4]);
    assert.deepEqual(commands, [
      'add /Radius/Clients/NAS1 "Lab NAS" 10.10.10.1 <hidden> NAS',
      'add /Radius/UserLists/Default/amy "" <hidden>',
      'cd /Radius/UserLists/Default',
      'add ann "" <hidden>',
      'cd /Administrators',
      'add ro "" <hidden>',
      'set /Radius/Clients/localhost/SharedSecret <hidden>',
      'cd /Radius/Clients/localhost6',
      'set SharedSec <hidden>',
      'save',
      'ls /Radius/Clients',
    ]);
    assert.deepEqual(lines.map((l) => re.exec(l)![2]), [...SETUP.map(() => 'admin'), 'ro']);
  });
});
