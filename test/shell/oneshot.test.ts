// aregcmd with a trailing command (aregcmd.md §2, §3, §5): one command, then out, with the
// exit statuses of §2.4; name resolution, quoting and length limits; credentials; help;
// engine commands without a Server Agent.
import { strict as assert } from 'node:assert';
import { useAregcmd } from '../support/home.js';

const AGENT_DOWN = "ERROR: Server Agent is not running; start it with 'arserver start'\n";

describe('aregcmd one-shot mode', function () {
  this.timeout(30_000);
  const home = useAregcmd();

  describe('listing', () => {
    it('ls /Radius/Clients prints the container window', async () => {
      const r = await home.run(['ls', '/Radius/Clients']);
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stderr, '');
      assert.equal(
        r.stdout,
        [
          '',
          '[ //localhost/Radius/Clients ]',
          '    Name = Clients',
          '    Description =',
          '    Entries 1 to 2 from 2 total entries',
          '    Current filter: <all>',
          '',
          '    localhost/',
          '    localhost6/',
          '',
        ].join('\n'),
      );
    });

    it('--json ls /Radius/Clients is valid JSON naming the children', async () => {
      const r = await home.run(['--json', 'ls', '/Radius/Clients']);
      assert.equal(r.status, 0, r.stderr);
      const doc = JSON.parse(r.stdout) as { path: string; children: string[] };
      assert.equal(doc.path, '//localhost/Radius/Clients');
      assert.deepEqual(doc.children, ['localhost', 'localhost6']);
      const one = JSON.parse((await home.run(['--json', 'ls', '/Radius/Clients/localhost'])).stdout) as { properties: Record<string, string> };
      assert.equal(one.properties.IPAddress, '127.0.0.1');
      assert.equal(one.properties.Dialect, 'default');
    });

    it('--json validate reports valid, and the problems of an invalid tree with status 4', async () => {
      const ok = await home.run(['--json', 'validate']);
      assert.equal(ok.status, 0, ok.stderr);
      assert.deepEqual(JSON.parse(ok.stdout), { valid: true, revision: 1, problems: [] });

      // A referenced script whose file disappears after the save makes the saved tree invalid.
      const fs = await import('node:fs');
      const path = await import('node:path');
      fs.mkdirSync(path.join(home.root, 'scripts'), { recursive: true });
      fs.writeFileSync(path.join(home.root, 'scripts', 'ParseRealm.js'), 'export function ParseRealm() {}\n');
      const made = await home.run(['-f', '-'], { input: 'add /Radius/Scripts/ParseRealm "" REX ParseRealm.js\nset /Radius/IncomingScript ParseRealm\nsave\n' });
      assert.equal(made.status, 0, made.stderr);
      fs.rmSync(path.join(home.root, 'scripts', 'ParseRealm.js'));

      const bad = await home.run(['--json', 'validate']);
      assert.equal(bad.status, 4);
      const doc = JSON.parse(bad.stdout) as { valid: boolean; revision: number; problems: { path: string; message: string }[] };
      assert.equal(doc.valid, false);
      assert.equal(doc.revision, 2);
      assert.equal(doc.problems.length, 1);
      assert.equal(doc.problems[0].path, '/Radius/Scripts/ParseRealm');
      assert.match(doc.problems[0].message, /^Filename ParseRealm\.js does not exist/);
    });

    it('ls of a property path prints one Name = value line (--json: one member)', async () => {
      const r = await home.run(['ls', '/Radius/DefaultAuthenticationService']);
      assert.equal(r.stdout, 'DefaultAuthenticationService~ = local-users\n');
      const made = await home.run(['-f', '-'], { input: 'set /Radius/Description "x = y"\nsave\n' });
      assert.equal(made.status, 0, made.stderr);
      assert.deepEqual(JSON.parse((await home.run(['--json', 'ls', '/Radius/Description'])).stdout), { Description: 'x = y' });
      assert.deepEqual(JSON.parse((await home.run(['--json', 'ls', '/Radius/DefaultSessionService'])).stdout), { DefaultSessionService: '' });
    });

    it('-q: cd does not list', async () => {
      const r = await home.run(['-q', '-f', '-'], { input: 'cd /Radius/Clients\npwd\n' });
      assert.equal(r.stdout, '//localhost/Radius/Clients\n');
    });

    it('lists the cluster root with only its children, as in the login banner', async () => {
      const r = await home.run(['ls', '/']);
      assert.equal(r.stdout, '\n[ //localhost ]\n    Radius/\n    Administrators/\n');
    });

    it('prints shared secrets and passwords as <encrypted>', async () => {
      const client = await home.run(['ls', '/Radius/Clients/localhost/SharedSecret']);
      assert.equal(client.stdout, 'SharedSecret = <encrypted>\n');
      const user = await home.run(['ls', '/Radius/UserLists/Default/bob/Password']);
      assert.equal(user.stdout, 'Password = <encrypted>\n');
      const admin = await home.run(['ls', '/Administrators/admin/Password']);
      assert.equal(admin.stdout, 'Password = <encrypted>\n');
    });
  });

  describe('exit statuses', () => {
    it('a bad command: status 1 and an ERROR line', async () => {
      const r = await home.run(['nosuchcommand', 'x']);
      assert.equal(r.status, 1);
      assert.equal(r.stdout, '');
      assert.equal(r.stderr, 'ERROR: Unknown command: nosuchcommand (try help)\n');
    });

    it('an unknown object: No such object', async () => {
      const r = await home.run(['ls', '/Radius/Clients/nosuch']);
      assert.equal(r.status, 1);
      assert.equal(r.stderr, 'ERROR: No such object: //localhost/Radius/Clients/nosuch\n');
      const cd = await home.run(['cd', '/Radius/nosuch/deeper']);
      assert.equal(cd.stderr, 'ERROR: No such object: //localhost/Radius/nosuch\n');
    });

    it('an ambiguous prefix names every candidate', async () => {
      const r = await home.run(['cd', '/Radius/re']);
      assert.equal(r.status, 1);
      // aregcmd.md §3 shows "RemoteServers, Replication"; /Radius also has ResourceManagers.
      assert.equal(r.stderr, "ERROR: 're' is ambiguous: ResourceManagers, RemoteServers, Replication\n");
      const cmd = await home.run(['st']);
      assert.equal(cmd.status, 1);
      assert.equal(cmd.stderr, "ERROR: 'st' is ambiguous: start, stats, status, stop\n");
    });

    it('an unknown option is a usage error: status 2', async () => {
      const r = await home.run(['-x', 'pwd']);
      assert.equal(r.status, 2);
      assert.match(r.stderr, /^ERROR: .*-x/);
      assert.ok(!r.stderr.includes('    at '), 'no stack trace');
    });

    it('edits without save are discarded with a warning and status 6', async () => {
      const r = await home.run(['set', '/Radius/Description', 'lost']);
      assert.equal(r.status, 6);
      assert.equal(r.stdout, 'Set Description lost\n');
      assert.match(r.stderr, /^WARNING: /);
    });
  });

  describe('name resolution', () => {
    it('resolves case-insensitive unique prefixes at every level', async () => {
      const r = await home.run(['ls', '/r/serv/LOCAL-U']);
      assert.equal(r.status, 0, r.stderr);
      assert.ok(r.stdout.startsWith('\n[ //localhost/Radius/Services/local-users ]\n'));
      assert.equal((await home.run(['ls', '/R/USERL/def/BO/passw'])).stdout, 'Password = <encrypted>\n');
      assert.equal((await home.run(['ls', '//LOCALHOST/radius/clients/localhost6/ipaddr'])).stdout, 'IPAddress = ::1\n');
    });

    it('an exact name wins over a longer sibling; a shared prefix is ambiguous', async () => {
      const exact = await home.run(['ls', '/r/cl/LOCALHOST']);
      assert.equal(exact.status, 0, exact.stderr);
      assert.ok(exact.stdout.startsWith('\n[ //localhost/Radius/Clients/localhost ]\n'));
      const prefix = await home.run(['ls', '/r/cl/localh']);
      assert.equal(prefix.status, 1);
      assert.equal(prefix.stderr, "ERROR: 'localh' is ambiguous: localhost, localhost6\n");
      assert.equal((await home.run(['statu'])).stderr, AGENT_DOWN, 'statu is status');
    });

    it('accepts .., a trailing / and //localhost paths', async () => {
      assert.ok((await home.run(['ls', '/Radius/Clients/localhost/../../Services/'])).stdout.startsWith('\n[ //localhost/Radius/Services ]\n'));
      assert.equal((await home.run(['ls', '//localhost/Radius/Clients/localhost/Dialect'])).stdout, 'Dialect = default\n');
      const other = await home.run(['ls', '//elsewhere/Radius']);
      assert.equal(other.status, 1);
      assert.match(other.stderr, /^ERROR: No such cluster: elsewhere/);
    });

    it('a prefix never creates: add uses the name verbatim', async () => {
      const r = await home.run(['-f', '-'], { input: 'add /Radius/Clients/local "" 10.1.1.1 s NAS\nsave\n' });
      assert.equal(r.status, 0, r.stderr);
      const ls = await home.run(['ls', '/Radius/Clients']);
      assert.ok(ls.stdout.includes('    local/\n    localhost/\n    localhost6/\n'), ls.stdout);
    });
  });

  describe('quoting and limits', () => {
    it('keeps spaces inside "..." and \'...\', with \\" escapes in double quotes', async () => {
      const r = await home.run(['-f', '-'], {
        input: [
          'set /Radius/Clients/localhost/Description "Lab NAS  two"',
          "set /Radius/Clients/localhost6/Description 'single \\ quoted \"x\"'",
          'set /Radius/Description "say \\"hi\\" \\\\ bye"',
          'save',
        ].join('\n'),
      });
      assert.equal(r.status, 0, r.stderr);
      assert.equal((await home.run(['ls', '/Radius/Clients/localhost/Description'])).stdout, 'Description = Lab NAS  two\n');
      assert.equal((await home.run(['ls', '/Radius/Clients/localhost6/Description'])).stdout, 'Description = single \\ quoted "x"\n');
      assert.equal((await home.run(['ls', '/Radius/Description'])).stdout, 'Description = say "hi" \\ bye\n');
    });

    it('"" is an explicit empty argument that skips a positional value', async () => {
      const r = await home.run(['-f', '-'], { input: 'add /Radius/UserLists/Default/amy "" pw "" PPP-users\nadd /Radius/Clients/NAS3 \'\' 10.0.0.3 s3\nsave\n' });
      assert.equal(r.status, 0, r.stderr);
      assert.equal((await home.run(['ls', '/Radius/UserLists/Default/amy/Description'])).stdout, 'Description =\n');
      assert.equal((await home.run(['ls', '/Radius/UserLists/Default/amy/AllowNullPassword'])).stdout, 'AllowNullPassword = FALSE\n');
      assert.equal((await home.run(['ls', '/Radius/UserLists/Default/amy/Group'])).stdout, 'Group~ = PPP-users\n');
      assert.equal((await home.run(['ls', '/Radius/Clients/NAS3/IPAddress'])).stdout, 'IPAddress = 10.0.0.3\n');
      // One-shot: an empty word on the aregcmd command line is the same placeholder.
      const one = await home.run(['add', '/Radius/UserLists/Default/ann', '', 'pw2']);
      assert.equal(one.stdout, 'Added ann\n');
    });

    it('reports an unterminated quote', async () => {
      const r = await home.run(['-f', '-'], { input: 'set /Radius/Description "open\n' });
      assert.equal(r.status, 1);
      assert.equal(r.stderr, 'ERROR: line 1: Unterminated double quote\n');
    });

    it('allows 255 characters per argument and 511 per line, and no more', async () => {
      const a255 = 'a'.repeat(255);
      const ok = await home.run(['set', '/Radius/Description', a255]);
      assert.equal(ok.stdout, `Set Description ${a255}\n`);
      const long = await home.run(['set', '/Radius/Description', a255 + 'a']);
      assert.equal(long.status, 1);
      assert.equal(long.stderr, 'ERROR: Argument too long (max 255)\n');

      const line = (n: number) => 'ls' + ' '.repeat(n - 3) + '/';
      assert.equal(line(511).length, 511);
      const fits = await home.run(['-f', '-'], { input: line(511) + '\n' });
      assert.equal(fits.status, 0, fits.stderr);
      const over = await home.run(['-f', '-'], { input: line(512) + '\n' });
      assert.equal(over.status, 1);
      assert.equal(over.stderr, 'ERROR: line 1: Command line too long (max 511)\n');
      const words = await home.run(['set', '/Radius/Description', 'b'.repeat(240), 'c'.repeat(250)]);
      assert.equal(words.status, 1);
      assert.equal(words.stderr, 'ERROR: Command line too long (max 511)\n');
    });
  });

  describe('credentials', () => {
    it('takes -N/-P, then AREG_USER/AREG_PASSWORD, else the seed administrator', async () => {
      assert.equal((await home.run(['-N', 'admin', '-P', 'aicuser', 'pwd'])).status, 0);
      assert.equal((await home.run(['pwd'], { env: { AREG_USER: 'admin', AREG_PASSWORD: 'aicuser' } })).status, 0);
      assert.equal((await home.run(['-s', 'pwd'])).status, 0);

      const badFlag = await home.run(['-N', 'admin', '-P', 'wrong', 'pwd']);
      assert.equal(badFlag.status, 3);
      assert.equal(badFlag.stderr, "ERROR: Login failed for user 'admin'\n");
      const badEnv = await home.run(['pwd'], { env: { AREG_USER: 'x', AREG_PASSWORD: 'y' } });
      assert.equal(badEnv.status, 3);
      assert.equal(badEnv.stderr, "ERROR: Login failed for user 'x'\n");
      // -N/-P win over the environment.
      const flagsWin = await home.run(['-N', 'admin', '-P', 'aicuser', 'pwd'], { env: { AREG_USER: 'x', AREG_PASSWORD: 'y' } });
      assert.equal(flagsWin.status, 0, flagsWin.stderr);
      const cluster = await home.run(['-C', 'elsewhere', 'pwd']);
      assert.equal(cluster.status, 3);
    });

    it('a read-only administrator can look but cannot set or save', async () => {
      const made = await home.run(['-f', '-'], { input: 'add /Administrators/ro "Read only" ropw\nset /Administrators/ro/ReadOnly TRUE\nsave\n' });
      assert.equal(made.status, 0, made.stderr);
      const ro = (args: string[], input?: string) => home.run(['-N', 'ro', '-P', 'ropw', ...args], { input });

      assert.equal((await ro(['ls', '/Radius/Clients/localhost/Dialect'])).stdout, 'Dialect = default\n');
      const set = await ro(['set', '/Radius/Description', 'x']);
      assert.equal(set.status, 1);
      assert.equal(set.stderr, 'ERROR: Administrator ro is read-only and cannot set\n');
      const save = await ro(['save']);
      assert.equal(save.status, 1);
      assert.equal(save.stderr, 'ERROR: Administrator ro is read-only and cannot save\n');
      for (const cmd of [['add', '/Radius/Clients/x'], ['delete', '/Radius/Clients/localhost'], ['unset', '/Radius/Description'], ['start'], ['trace', '5']]) {
        const r = await ro(cmd);
        assert.equal(r.status, 1, cmd.join(' '));
        assert.match(r.stderr, /^ERROR: Administrator ro is read-only and cannot /, cmd.join(' '));
      }
      const before = (await home.run(['ls', '/Radius/Clients'])).stdout;
      assert.ok(before.includes('localhost/'));
    });
  });

  describe('help', () => {
    const COMMANDS = ['add', 'cd', 'delete', 'dia-stats', 'dia-stats-reset', 'exit', 'filter', 'find', 'flush', 'help', 'insert', 'login', 'logout', 'ls', 'next', 'prev', 'pwd', 'quit', 'reload', 'reset-stats', 'save', 'set', 'start', 'stats', 'status', 'stop', 'tacacs-reset-stats', 'tacacs-stats', 'trace', 'trace-file-count', 'unset', 'validate'];

    it('help lists every command, one per line', async () => {
      const r = await home.run(['help']);
      assert.equal(r.status, 0, r.stderr);
      const names = r.stdout.split('\n').filter((l) => /^[a-z]/.test(l) && !l.startsWith('help <')).map((l) => l.split(/\s+/)[0]);
      for (const c of COMMANDS) assert.ok(names.includes(c), `help does not list ${c}`);
      assert.deepEqual([...names].sort(), names, 'alphabetical');
    });

    it('help set and set ? give the synopsis', async () => {
      const help = await home.run(['help', 'set']);
      assert.equal(help.status, 0);
      assert.ok(help.stdout.startsWith('Usage: set <property> <value>...\n'), help.stdout);
      const q = await home.run(['set', '?']);
      assert.equal(q.status, 0);
      assert.equal(q.stdout, help.stdout);
      const prefix = await home.run(['help', 'vali']);
      assert.ok(prefix.stdout.startsWith('Usage: validate\n'));
      const r = await home.run(['help', '-r']);
      for (const c of COMMANDS) assert.ok(r.stdout.split('\n').some((l) => l === c || l.startsWith(c + ' ')), `help -r lacks ${c}`);
    });

    it('help of an unknown command fails', async () => {
      const r = await home.run(['help', 'nosuch']);
      assert.equal(r.status, 1);
      assert.equal(r.stderr, 'ERROR: Unknown command: nosuch (try help)\n');
    });
  });

  describe('engine commands without a Server Agent', () => {
    for (const cmd of [['status'], ['start'], ['stop'], ['reload'], ['trace'], ['trace', '/r', '5'], ['trace-file-count', '4'], ['stats'], ['reset-stats'], ['dia-stats'], ['dia-stats-reset']]) {
      it(`${cmd.join(' ')} fails with status 5`, async () => {
        const r = await home.run(cmd);
        assert.equal(r.status, 5, r.stderr);
        assert.ok(r.stderr.endsWith(AGENT_DOWN), r.stderr);
        assert.equal(r.stderr.split('\n').filter(Boolean).length, 1, r.stderr);
      });
    }

    it('trace 5 without an agent leaves the saved TraceLevel alone', async () => {
      await home.run(['trace', '5']);
      assert.equal((await home.run(['ls', '/Radius/Advanced/TraceLevel'])).stdout, 'TraceLevel = 0\n');
    });

    it('tacacs-stats answers without an agent', async () => {
      const r = await home.run(['tacacs-stats']);
      assert.equal(r.status, 0);
      assert.equal(r.stdout, 'TACACS+ is not enabled\n');
    });
  });
});
