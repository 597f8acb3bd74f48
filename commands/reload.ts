import { command } from '../src/shell/command.js';
import { callAgent, engineState, serverArgs, statusLine } from '../src/shell/engine-calls.js';

export default command({
  name: 'reload',
  synopsis: 'reload [<server>]',
  summary: 'Make the running engine load the newest saved revision without dropping requests in flight.',
  details: 'The engine validates the saved revision again; if it cannot load it, it keeps running the revision it has and the command fails naming the reason.',
  writes: true,
  args: ['object'],
  async run(sh, args) {
    serverArgs(sh, args);
    sh.io.out("Reloading Server 'Radius'...");
    await callAgent(sh, 'reload');
    sh.io.out(statusLine(engineState(await callAgent(sh, 'status'))));
  },
});
