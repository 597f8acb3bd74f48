import { command } from '../src/shell/command.js';

export default command({
  name: 'filter',
  synopsis: 'filter [<pattern>|all]',
  summary: 'Show only container entries whose names match a glob pattern (* and ?, any case).',
  args: ['none'],
  run(sh, [pattern]) {
    sh.filter = pattern === undefined || pattern.toLowerCase() === 'all' ? '' : pattern;
    sh.windows.clear();
    sh.io.out(`Current filter: ${sh.filter || '<all>'}`);
  },
});
