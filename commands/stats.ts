import { command } from '../src/shell/command.js';
import { callAgent, serverArgs } from '../src/shell/engine-calls.js';
import { formatRadiusStats, type CountersSnapshot } from '../src/counters/index.js';

export default command({
  name: 'stats',
  synopsis: 'stats [<server>]',
  summary: 'Show the RADIUS counters: global, per client, per service and per remote server.',
  args: ['object'],
  async run(sh, args) {
    serverArgs(sh, args);
    const reply = await callAgent(sh, 'stats');
    if (sh.json) return void sh.io.out(JSON.stringify(reply.result, null, 2));
    for (const line of formatRadiusStats(reply.result as CountersSnapshot)) sh.io.out(line);
  },
});
