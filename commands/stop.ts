import { command } from '../src/shell/command.js';
import { callAgent, engineState, serverArgs, statusLine } from '../src/shell/engine-calls.js';

export default command({
  name: 'stop',
  synopsis: 'stop [<server>]',
  summary: 'Stop the engine after in-flight requests drain; the Server Agent keeps running.',
  writes: true,
  args: ['object'],
  async run(sh, args) {
    serverArgs(sh, args);
    sh.io.out("Stopping Server 'Radius'...");
    sh.io.out(statusLine(engineState(await callAgent(sh, 'stop'))));
  },
});
