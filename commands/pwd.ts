import { command } from '../src/shell/command.js';

export default command({
  name: 'pwd',
  synopsis: 'pwd',
  summary: 'Print the path of the current object.',
  args: ['none'],
  run(sh) {
    sh.io.out(sh.where);
  },
});
