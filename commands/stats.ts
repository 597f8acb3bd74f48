import { command } from '../src/shell/command.js';
import { callAgent, printCounters, serverArgs } from '../src/shell/engine-calls.js';

export default command({
  name: 'stats',
  synopsis: 'stats [<server>]',
  summary: 'Show the RADIUS counters: global, per client, per service and per remote server.',
  args: ['object'],
  async run(sh, args) {
    serverArgs(sh, args);
    const reply = await callAgent(sh, 'stats');
    if (sh.json) return void sh.io.out(JSON.stringify(reply.result, null, 2));
    printCounters(sh, 'Global Statistics for Radius:', (reply.result ?? {}) as Record<string, unknown>);
  },
});
