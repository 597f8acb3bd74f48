import { command } from '../src/shell/command.js';
import { callAgent, engineState, serverArgs, statusLine } from '../src/shell/engine-calls.js';

export default command({
  name: 'start',
  synopsis: 'start [<server>]',
  summary: 'Start the engine on the newest saved configuration (the Server Agent must run).',
  writes: true,
  args: ['object'],
  async run(sh, args) {
    serverArgs(sh, args);
    sh.io.out(statusLine(engineState(await callAgent(sh, 'start'))));
  },
});
