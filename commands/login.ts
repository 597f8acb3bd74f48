import { command } from '../src/shell/command.js';
import { settleUnsaved } from '../src/shell/commit.js';
import { checkLogin } from '../src/shell/login.js';
import { Exit, ShellError } from '../src/shell/session.js';
import { CLUSTER } from '../src/tree/tree.js';

export default command({
  name: 'login',
  synopsis: 'login [<cluster> [<user> [<password>]]]',
  summary: 'Log in again, as the same or another administrator, with a fresh copy of the saved tree.',
  details: 'Unsaved changes are handled as for exit. Interactively, a missing user or password is asked for; a script must give them.',
  args: ['none'],
  async run(sh, [cluster = CLUSTER, user, password]) {
    if (sh.admin && !(await settleUnsaved(sh))) return;
    if ((user === undefined || password === undefined) && !sh.io.interactive) throw new ShellError('usage: login <cluster> <user> <password> (a script cannot be asked)');
    const name = user ?? (await sh.io.ask('User: '));
    const admin = checkLogin(sh, cluster, name, password ?? (await sh.io.askSecret('Passphrase: ')));
    if (!admin) throw new ShellError(`Login failed for user '${name}'`, Exit.login);
    sh.admin = admin;
    await sh.loadSaved();
    sh.cwd = [];
    sh.io.out(`Logging in to ${CLUSTER}`);
  },
});
