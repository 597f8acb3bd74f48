import { command } from '../src/shell/command.js';
import { settleUnsaved } from '../src/shell/commit.js';
import { CLUSTER } from '../src/tree/tree.js';

export default command({
  name: 'logout',
  synopsis: 'logout',
  summary: 'End the session, asking what to do with unsaved changes; then only login, help and exit are accepted.',
  args: ['none'],
  async run(sh) {
    if (!(await settleUnsaved(sh))) return;
    // Scripts cannot be asked: their unsaved changes go, as at the end of a script.
    if (sh.dirty) sh.io.err('WARNING: unsaved changes were discarded (save before logout)');
    sh.admin = undefined;
    await sh.loadSaved();
    sh.cwd = [];
    sh.io.out(`Logging out of ${CLUSTER}...`);
  },
});
