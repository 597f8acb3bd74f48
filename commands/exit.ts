import { command } from '../src/shell/command.js';
import { settleUnsaved } from '../src/shell/commit.js';
import { CLUSTER } from '../src/tree/tree.js';

export default command({
  name: 'exit',
  synopsis: 'exit',
  summary: 'Leave aregcmd, asking what to do with unsaved changes.',
  args: ['none'],
  async run(sh) {
    if (!(await settleUnsaved(sh))) return;
    sh.ended = true;
    if (sh.io.interactive) sh.io.out(`Logging out of ${CLUSTER}...`);
  },
});
