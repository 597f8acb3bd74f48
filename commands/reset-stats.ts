import { command } from '../src/shell/command.js';
import { callAgent, serverArgs } from '../src/shell/engine-calls.js';

export default command({
  name: 'reset-stats',
  synopsis: 'reset-stats [<server>]',
  summary: 'Zero every counter and set serverResetTime.',
  writes: true,
  args: ['object'],
  async run(sh, args) {
    serverArgs(sh, args);
    await callAgent(sh, 'reset-stats');
    sh.io.out("Statistics reset for Server 'Radius'");
  },
});
