import { command } from '../src/shell/command.js';

export default command({
  name: 'flush',
  synopsis: 'flush',
  summary: 'Drop the working copy and load the newest saved tree.',
  args: ['none'],
  async run(sh) {
    if (sh.dirty && sh.io.interactive) {
      const answer = await sh.io.ask('Discard unsaved changes? (y/n) [n]: ');
      if (answer.trim().toLowerCase() !== 'y') return;
    }
    await sh.loadSaved();
    sh.io.out(`Flushed; working copy is revision ${sh.base.revision}`);
  },
});
