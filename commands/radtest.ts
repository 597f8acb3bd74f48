import { command } from '../src/shell/command.js';
import { radtest, radtestTarget } from '../src/shell/radtest.js';
import { ShellError } from '../src/shell/session.js';

export default command({
  name: 'radtest',
  synopsis: 'radtest <user> <password> [pap|chap] [<address>]',
  summary: 'Send a test Access-Request to the running engine and show the reply, as radtest does.',
  details: 'The request goes from and to <address> (default 127.0.0.1) on the first auth port of the saved tree, with the shared secret of the client that covers that address. Exit status 0 only for an Access-Accept.',
  args: ['none'],
  async run(sh, [user, password, method = 'pap', address = '127.0.0.1']) {
    if (user === undefined || password === undefined) throw new ShellError('usage: radtest <user> <password> [pap|chap] [<address>]');
    const m = method.toLowerCase();
    if (m !== 'pap' && m !== 'chap') throw new ShellError(`'${method}' is not pap or chap`);
    const saved = await sh.store.read();
    const target = radtestTarget(saved.root, sh.store.box, address);
    if (typeof target === 'string') throw new ShellError(target);
    sh.io.out(`Sending Access-Request for ${user} (${m.toUpperCase()}) to ${address}:${target.port} as client ${target.client}`);
    const result = await radtest({ user, password, method: m, address, timeoutMs: 2000, tries: 3 }, target);
    for (const line of result.lines) sh.io.out(line);
    if (!result.accepted) throw new ShellError('');
  },
});
