import { command } from '../src/shell/command.js';
import { saveWorkingCopy } from '../src/shell/commit.js';

export default command({
  name: 'save',
  synopsis: 'save',
  summary: 'Validate the working copy and, if it is valid, write it as the next saved revision.',
  details: 'Nothing is written when validation fails or when another administrator saved since this session loaded the tree (use flush). Saving does not touch the running engine: use reload.',
  writes: true,
  args: ['none'],
  async run(sh) {
    await saveWorkingCopy(sh);
  },
});
