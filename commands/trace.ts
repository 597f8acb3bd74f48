import { command } from '../src/shell/command.js';
import { callAgent, serverArgs } from '../src/shell/engine-calls.js';
import { persistAdvanced } from '../src/shell/persist.js';
import { ShellError } from '../src/shell/session.js';

export default command({
  name: 'trace',
  synopsis: 'trace [<server>] [<level 0-5>]',
  summary: 'Show or set the trace level of the running engine (0 off ... 5 hex dumps); the level is also saved.',
  args: ['object', 'none'],
  async run(sh, args) {
    const [level] = serverArgs(sh, args);
    if (level === undefined) {
      const reply = await callAgent(sh, 'trace');
      return void sh.io.out(`Trace level is ${String((reply.result as { level?: number } | undefined)?.level ?? '?')}`);
    }
    if (!/^[0-5]$/.test(level)) throw new ShellError(`trace level must be 0-5, not '${level}'`);
    sh.requireWrite('trace');
    await callAgent(sh, 'trace', { level: Number(level) });
    await persistAdvanced(sh, 'TraceLevel', level);
    sh.io.out(`Trace level set to ${level}`);
  },
});
