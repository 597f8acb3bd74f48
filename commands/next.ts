import { command } from '../src/shell/command.js';
import { moveWindow, parseCount } from '../src/shell/paging.js';

export default command({
  name: 'next',
  synopsis: 'next [<n>]',
  summary: 'Move the container listing forward one page (or n entries).',
  args: ['none'],
  run(sh, [n]) {
    moveWindow(sh, parseCount(n));
  },
});
