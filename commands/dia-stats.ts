import { command } from '../src/shell/command.js';
import { callAgent } from '../src/shell/engine-calls.js';
import { formatDiameterPeers, type CountersSnapshot } from '../src/counters/index.js';

export default command({
  name: 'dia-stats',
  synopsis: 'dia-stats [<peer>]',
  summary: 'Show the Diameter counters of every peer, or of one.',
  args: ['none'],
  async run(sh, [peer]) {
    const reply = await callAgent(sh, 'dia-stats', peer ? { peer } : {});
    if (sh.json) return void sh.io.out(JSON.stringify(reply.result, null, 2));
    const { peers } = reply.result as { peers: CountersSnapshot['sections'][string] };
    for (const line of formatDiameterPeers(peers, peer)) sh.io.out(line);
  },
});
