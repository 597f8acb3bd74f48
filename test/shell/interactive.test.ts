// aregcmd as a person uses it (aregcmd.md §2.3, §5): in a pseudo-terminal, typing at the
// login dialogue and the --> prompt, pressing TAB, up-arrow and Ctrl-D.
import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import path from 'node:path';
import { useAregcmd, type TempHome } from '../support/home.js';
import { KEY, spawnAregcmd, usePty, type PtySession } from '../support/pty.js';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Answers the login dialogue: Enter at Cluster (default localhost), then User and Passphrase. */
async function login(s: PtySession, user = 'admin', password = 'aicuser'): Promise<void> {
  await s.expect(/Cluster: \(localhost\)/);
  s.press(KEY.enter);
  await s.expect(/User:/);
  s.line(user);
  await s.expect(/Passphrase:/);
  s.line(password);
}

/** Waits for the prompt with nothing typed after it. */
function prompt(s: PtySession): Promise<RegExpExecArray> {
  return s.expect(/--> $/);
}

/** Types a command line and gives what it printed before the next prompt. */
async function run(s: PtySession, line: string): Promise<string> {
  s.line(line);
  const m = await s.expect(new RegExp(`${escape(line)}\\n([\\s\\S]*?)--> $`));
  return m[1];
}

function start(home: TempHome, args: string[] = []): PtySession {
  return spawnAregcmd(args, { env: home.env() });
}

async function loggedIn(home: TempHome): Promise<PtySession> {
  const s = start(home);
  await login(s);
  await prompt(s);
  return s;
}

describe('aregcmd interactive (pty)', function () {
  this.timeout(30_000);
  const home = useAregcmd();
  usePty();

  it('logs in with the dialogue, prints the banner and the //localhost listing', async () => {
    const s = start(home);
    await s.expect(/^areg Configuration Utility 1\.0\.0\n/);
    await login(s);
    const m = await s.expect(/Logging in to localhost\n([\s\S]*?)--> $/);
    assert.equal(m[1], '\n[ //localhost ]\n    Radius/\n    Administrators/\n\nWARNING: Server Agent is not running\n\n');
    assert.ok(!s.screen.includes('aicuser'), 'the passphrase is not echoed');
    assert.match(s.screen, /Cluster: localhost/);
    assert.match(s.screen, /User: admin/);
    s.line('exit');
    await s.expect(/Logging out of localhost\.\.\.\n/);
    assert.equal(await s.waitExit(), 0);
  });

  it('edits a client: cd, ls, add, set (good and bad values), save, exit', async () => {
    const s = await loggedIn(home);
    const clients = await run(s, 'cd /Radius/Clients');
    assert.equal(clients, '\n[ //localhost/Radius/Clients ]\n    Name = Clients\n    Description =\n    Entries 1 to 2 from 2 total entries\n    Current filter: <all>\n\n    localhost/\n    localhost6/\n');
    assert.equal(await run(s, 'ls'), clients);
    assert.equal(await run(s, 'add NAS1 "Lab NAS" 10.10.10.1 aardvark NAS'), 'Added NAS1\n');
    const nas = await run(s, 'cd NAS1');
    assert.ok(nas.startsWith('\n[ //localhost/Radius/Clients/NAS1 ]\n    Name = NAS1\n    Description = Lab NAS\n'), nas);
    assert.ok(nas.includes('\n    IPAddress = 10.10.10.1\n'));
    assert.ok(nas.includes('\n    SharedSecret = <encrypted>\n'));
    assert.ok(nas.includes('\n    Dialect = default\n'));
    assert.equal(await run(s, 'pwd'), '//localhost/Radius/Clients/NAS1\n');
    assert.equal(await run(s, 'set Dialect kamailio'), 'Set Dialect kamailio\n');
    assert.equal(await run(s, 'set Dialect bogus'), "ERROR: Dialect: 'bogus' is not one of default, kamailio, opensips, rfc5090\n");
    assert.equal(await run(s, 'ls Dialect'), 'Dialect = kamailio\n', 'a failed set changes nothing');
    assert.equal(await run(s, 'save'), 'Validating //localhost...\nSaving //localhost...\n');
    s.line('exit');
    await s.expect(/exit\nLogging out of localhost\.\.\.\n/);
    assert.equal(await s.waitExit(), 0);

    const saved = await home.run(['ls', '/Radius/Clients/NAS1/Dialect']);
    assert.equal(saved.stdout, 'Dialect = kamailio\n');
  });

  it('prints ERROR for a failed login and exits 3 after three failures', async () => {
    const s = start(home);
    await login(s, 'x', 'nope');
    await s.expect(/ERROR: Login failed for user 'x'\n/);
    // Later tries ask for the user again (the cluster was answered already).
    for (const user of ['admin', 'y']) {
      await s.expect(/User:/);
      s.line(user);
      await s.expect(/Passphrase:/);
      s.line('wrong');
      await s.expect(new RegExp(`ERROR: Login failed for user '${user}'\\n`));
    }
    assert.equal(await s.waitExit(), 3);
    assert.ok(!s.screen.includes('Logging in to'));
    assert.ok(!/ERROR: Login failed[\s\S]*Cluster:/.test(s.screen), 'no new Cluster: prompt after a failure');
  });

  it('logs in after a failed try', async () => {
    const s = start(home);
    await login(s, 'admin', 'wrong');
    await s.expect(/ERROR: Login failed for user 'admin'\n/);
    await s.expect(/User:/);
    s.line('admin');
    await s.expect(/Passphrase:/);
    s.line('aicuser');
    await s.expect(/Logging in to localhost\n/);
    await prompt(s);
    s.press(KEY.ctrlD);
    assert.equal(await s.waitExit(), 0);
  });

  describe('tab completion', () => {
    it('completes a command name: vali<TAB> is validate', async () => {
      const s = await loggedIn(home);
      s.type('vali');
      s.press(KEY.tab);
      await s.expect(/vali(date )$/);
      s.press(KEY.enter);
      await s.expect(/Validating \/\/localhost\.\.\.\n--> $/);
    });

    it('completes a path: cd /Rad<TAB> is cd /Radius/', async () => {
      const s = await loggedIn(home);
      s.type('cd /Rad');
      s.press(KEY.tab);
      await s.expect(/cd \/Radius\/$/);
      s.press(KEY.enter);
      await s.expect(/\[ \/\/localhost\/Radius \]\n    Name = Radius\n[\s\S]*--> $/);
      // Inside a path, and with names that need more than one level.
      s.type('ls Cli');
      s.press(KEY.tab);
      await s.expect(/ls Clients\/$/);
      s.type('localhost6');
      s.press(KEY.enter);
      await s.expect(/\[ \/\/localhost\/Radius\/Clients\/localhost6 \][\s\S]*--> $/);
    });

    it('quotes a completed name that contains spaces so that the line still parses', async () => {
      const s = await loggedIn(home);
      s.type('cd /Radius/Advanced/Att');
      s.press(KEY.tab);
      await s.expect(/cd \/Radius\/Advanced\/"Attribute Dictionary"\/$/);
      s.press(KEY.enter);
      await s.expect(/\n\[ \/\/localhost\/Radius\/Advanced\/Attribute Dictionary \]\n[\s\S]*--> $/);
      await run(s, 'cd ..');
      s.type('ls "Vendor A');
      s.press(KEY.tab);
      await s.expect(/ls "Vendor Attributes"\/$/);
      s.press(KEY.enter);
      await s.expect(/\n\[ \/\/localhost\/Radius\/Advanced\/Vendor Attributes \]\n[\s\S]*--> $/);
    });

    it('completes a property name and an enumerated value', async () => {
      const s = await loggedIn(home);
      await run(s, 'cd /Radius/Clients/localhost');
      s.type('set Dia');
      s.press(KEY.tab);
      await s.expect(/set Dialect$/);
      s.press(KEY.ctrlU);
      s.type('set RequireMessageAuthenticator A');
      s.press(KEY.tab);
      await s.expect(/RequireMessageAuthenticator Auto$/);
      s.press(KEY.enter);
      await s.expect(/\nSet RequireMessageAuthenticator Auto\n--> $/);
      // Several candidates are listed, and the line stays as typed.
      s.type('set LimitProxyState ');
      s.press(KEY.tab);
      s.press(KEY.tab);
      await s.expect(/No\s+Yes\s+Auto\n[\s\S]*--> set LimitProxyState $/);
    });
  });

  describe('history', () => {
    it('recalls the previous line with the up arrow', async () => {
      const s = await loggedIn(home);
      assert.equal(await run(s, 'cd /Radius/Clients/localhost'), (await home.run(['ls', '/Radius/Clients/localhost'])).stdout);
      assert.equal(await run(s, 'pwd'), '//localhost/Radius/Clients/localhost\n');
      s.press(KEY.up);
      s.press(KEY.up);
      await s.expect(/cd \/Radius\/Clients\/localhost$/);
      s.press(KEY.down);
      await s.expect(/pwd$/);
      s.press(KEY.enter);
      await s.expect(/\/\/localhost\/Radius\/Clients\/localhost\n--> $/);
    });

    it('keeps history in ~/.aregcmd_history between sessions', async () => {
      const first = await loggedIn(home);
      await run(first, 'ls /Radius/Clients/localhost6/IPAddress');
      first.line('exit');
      assert.equal(await first.waitExit(), 0);
      const file = path.join(home.userHome, '.aregcmd_history');
      assert.ok(fs.readFileSync(file, 'utf8').split('\n').includes('ls /Radius/Clients/localhost6/IPAddress'));
      assert.equal(fs.statSync(file).mode & 0o777, 0o600);

      const second = await loggedIn(home);
      second.press(KEY.up);
      second.press(KEY.up);
      await second.expect(/ls \/Radius\/Clients\/localhost6\/IPAddress$/);
      second.press(KEY.enter);
      await second.expect(/IPAddress = ::1\n--> $/);
    });
    it('keeps the newest 500 entries', async () => {
      const file = path.join(home.userHome, '.aregcmd_history');
      fs.writeFileSync(file, Array.from({ length: 600 }, (_, i) => `ls /Radius/Clients/localhost # ${i}`).join('\n') + '\n');
      const s = await loggedIn(home);
      await run(s, 'pwd');
      s.line('exit');
      assert.equal(await s.waitExit(), 0);
      const kept = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
      assert.equal(kept.length, 500);
      assert.deepEqual(kept.slice(-3), ['ls /Radius/Clients/localhost # 599', 'pwd', 'exit']);
    });
  });

  describe('unsaved changes at exit', () => {
    const QUESTION = /There are unsaved changes\. Save them before exiting\? \(y\/n\/c\) \[y\]:/;

    it('c stays in the shell, n discards and leaves', async () => {
      const s = await loggedIn(home);
      assert.equal(await run(s, 'set /Radius/Description edited'), 'Set Description edited\n');
      s.line('exit');
      await s.expect(QUESTION);
      s.line('c');
      await prompt(s);
      assert.equal(await run(s, 'ls /Radius/Description'), 'Description = edited\n');
      s.line('exit');
      await s.expect(QUESTION);
      s.line('n');
      await s.expect(/Logging out of localhost\.\.\.\n/);
      assert.equal(await s.waitExit(), 0);
      assert.equal((await home.run(['ls', '/Radius/Description'])).stdout, 'Description =\n');
    });

    it('y (the default) saves before leaving', async () => {
      const s = await loggedIn(home);
      await run(s, 'set /Radius/Description kept');
      s.line('quit');
      await s.expect(QUESTION);
      s.press(KEY.enter);
      await s.expect(/Saving \/\/localhost\.\.\.\nLogging out of localhost\.\.\.\n/);
      assert.equal(await s.waitExit(), 0);
      assert.equal((await home.run(['ls', '/Radius/Description'])).stdout, 'Description = kept\n');
    });

    it('y with an invalid tree stays in the shell', async () => {
      const s = await loggedIn(home);
      await run(s, 'set /Radius/DefaultAuthenticationService nosuch');
      s.line('exit');
      await s.expect(QUESTION);
      s.line('y');
      await s.expect(/ERROR: Save aborted: configuration is invalid\n--> $/);
      assert.equal(await run(s, 'pwd'), '//localhost\n');
    });

    it('Ctrl-D asks the same question', async () => {
      const s = await loggedIn(home);
      await run(s, 'set /Radius/Description x');
      s.press(KEY.ctrlD);
      await s.expect(QUESTION);
      s.line('n');
      assert.equal(await s.waitExit(), 0);
    });
  });

  it('runs every line of a pasted block, in order', async () => {
    const s = await loggedIn(home);
    s.type('pwd\rls /Radius/Clients/localhost/Dialect\rcd /Radius/Clients\rpwd\r');
    await s.expect(/\/\/localhost\nDialect = default\n\n\[ \/\/localhost\/Radius\/Clients \][\s\S]*\n\/\/localhost\/Radius\/Clients\n--> $/);
    // The dialogue of a command in the block still gets its own answer.
    s.type('set /Radius/Description pasted\rexit\r');
    await s.expect(/There are unsaved changes\. Save them before exiting\? \(y\/n\/c\) \[y\]:/);
    s.line('n');
    assert.equal(await s.waitExit(), 0);
  });

  it('logout, then login asks for the user and a passphrase it does not echo', async () => {
    const s = await loggedIn(home);
    await run(s, 'set /Radius/Description before-logout');
    s.line('logout');
    await s.expect(/There are unsaved changes\. Save them before exiting\? \(y\/n\/c\) \[y\]:/);
    s.line('n');
    await s.expect(/Logging out of localhost\.\.\.\n--> $/);
    assert.equal(await run(s, 'ls /Radius'), 'ERROR: Not logged in; only login, help, exit, quit are accepted\n');
    s.line('login');
    await s.expect(/User:/);
    s.line('admin');
    await s.expect(/Passphrase:/);
    s.line('aicuser');
    await s.expect(/Logging in to localhost\n--> $/);
    assert.ok(!s.screen.includes('aicuser'));
    assert.equal(await run(s, 'ls /Radius/Description'), 'Description =\n', 'the discarded change is gone');
    assert.equal(await run(s, 'login localhost admin wrong'), "ERROR: Login failed for user 'admin'\n");
  });

  it('Ctrl-C drops the half-typed line and prompts again', async () => {
    const s = await loggedIn(home);
    s.type('cd /Radius/Cli');
    s.press(KEY.ctrlC);
    await s.expect(/\^C\n--> $/);
    assert.equal(await run(s, 'pwd'), '//localhost\n');
  });

  it('Ctrl-D at the prompt leaves', async () => {
    const s = await loggedIn(home);
    s.press(KEY.ctrlD);
    await s.expect(/Logging out of localhost\.\.\.\n/);
    assert.equal(await s.waitExit(), 0);
  });

  it('asks before deleting an object that has children', async () => {
    const s = await loggedIn(home);
    await run(s, 'cd /Radius/UserLists');
    s.line('delete Default');
    const q = await s.expect(/Delete Default and its (\d+) children\? \(y\/n\) \[n\]:/);
    assert.ok(Number(q[1]) >= 3);
    s.press(KEY.enter);
    await prompt(s);
    assert.ok((await run(s, 'ls')).includes('    Default/\n'), 'Enter keeps it');
    s.line('delete Default');
    await s.expect(/Delete Default and its \d+ children\? \(y\/n\) \[n\]:/);
    s.line('y');
    await s.expect(/Deleted Default\n--> $/);
    assert.ok((await run(s, 'ls')).includes('Entries 0 to 0 from 0 total entries'));
    // An object without children goes at once.
    assert.equal(await run(s, 'delete /Radius/Clients/localhost6/DynamicAuthorizationServer'), 'ERROR: DynamicAuthorizationServer is part of Client and cannot be deleted\n');
    assert.equal(await run(s, 'delete /Radius/Services/local-file'), 'Deleted local-file\n');
  });

  it('pages a UserList of 25 users with next, prev, find and filter', async () => {
    const add = Array.from({ length: 22 }, (_, i) => `add user${String(i + 1).padStart(2, '0')} "" pw${i}`);
    const made = await home.run(['-f', '-'], { input: ['cd /Radius/UserLists/Default', ...add, 'save'].join('\n') });
    assert.equal(made.status, 0, made.stderr);

    const s = await loggedIn(home);
    const window = (out: string) => /Entries (\d+ to \d+ from \d+) total entries/.exec(out)?.[1];
    assert.equal(window(await run(s, 'cd /Radius/UserLists/Default')), '1 to 10 from 25');
    const page2 = await run(s, 'next');
    assert.equal(window(page2), '11 to 20 from 25');
    assert.match(page2, /\n {4}user08\/\n {4}user09\/\n/);
    assert.equal(window(await run(s, 'next')), '21 to 25 from 25');
    assert.equal(await run(s, 'next'), 'WARNING: no more entries\n');
    assert.equal(window(await run(s, 'prev')), '11 to 20 from 25');
    assert.equal(window(await run(s, 'prev 5')), '6 to 15 from 25');
    const found = await run(s, 'find user15');
    assert.equal(window(found), '18 to 25 from 25');
    assert.match(found, /Current filter: <all>\n\n {4}user15\/\n/);
    assert.equal(await run(s, 'filter user1*'), 'Current filter: user1*\n');
    const filtered = await run(s, 'ls');
    assert.equal(window(filtered), '1 to 10 from 10');
    assert.match(filtered, /Current filter: user1\*\n\n {4}user10\/\n/);
    assert.equal(await run(s, 'filter all'), 'Current filter: <all>\n');
    assert.equal(window(await run(s, 'ls')), '1 to 10 from 25');
  });
});
