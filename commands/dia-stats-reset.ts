import { command } from '../src/shell/command.js';
import { callAgent } from '../src/shell/engine-calls.js';

export default command({
  name: 'dia-stats-reset',
  synopsis: 'dia-stats-reset',
  summary: 'Zero the Diameter peer counters.',
  writes: true,
  args: ['none'],
  async run(sh) {
    await callAgent(sh, 'dia-stats-reset');
    sh.io.out('Diameter statistics reset');
  },
});
