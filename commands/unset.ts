import { command } from '../src/shell/command.js';
import { ShellError } from '../src/shell/session.js';
import { findTarget } from '../src/shell/targets.js';
import { deletePair, EditError, unsetProp } from '../src/tree/edit.js';

export default command({
  name: 'unset',
  synopsis: 'unset <property>',
  summary: 'Clear a property (back to its default where it has one).',
  writes: true,
  args: ['property'],
  run(sh, args) {
    if (args.length !== 1) throw new ShellError('usage: unset <property>');
    const t = findTarget(sh, args[0]);
    try {
      if (t.kind === 'pair') deletePair(t.node, t.key);
      else if (t.kind === 'slot') throw new ShellError('use delete <n> to remove a list entry');
      else unsetProp(t.node, t.prop);
    } catch (e) {
      if (e instanceof EditError) throw new ShellError(e.message);
      throw e;
    }
    sh.io.out(`Unset ${t.kind === 'property' ? t.prop.name : t.kind === 'pair' ? t.key : ''}`);
    sh.modified();
  },
});
