import { command } from '../src/shell/command.js';
import { callAgent, engineOf, engineState, serverArgs, statusLine } from '../src/shell/engine-calls.js';

export default command({
  name: 'status',
  synopsis: 'status [<server>]',
  summary: 'Show whether the engine runs, its health and the configuration revision it serves.',
  args: ['object'],
  async run(sh, args) {
    serverArgs(sh, args);
    const reply = await callAgent(sh, 'status');
    if (sh.json) return void sh.io.out(JSON.stringify(reply.result, null, 2));
    const engine = engineOf(reply);
    if (engine?.running && engine.revision != null) sh.io.out(`Running configuration revision ${engine.revision} (saved revision ${sh.base.revision})`);
    sh.io.out(statusLine(engineState(reply)));
  },
});
