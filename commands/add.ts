import { command } from '../src/shell/command.js';
import { ShellError } from '../src/shell/session.js';
import { classDef } from '../src/schema/registry.js';
import { addChild, appendToList, EditError } from '../src/tree/edit.js';

export default command({
  name: 'add',
  synopsis: 'add <name> [<positional>...]',
  summary: 'Create an object in a container, or append an entry to an ordered list.',
  details: 'The positional values fill the class\'s properties in its documented order (help <Class> in the man page); "" skips one. The name may carry a path (add /Radius/Clients/NAS1 ...); it is used verbatim, never as a prefix.',
  writes: true,
  args: ['child', 'value'],
  run(sh, [name, ...positional]) {
    if (name === undefined) throw new ShellError('usage: add <name> [<positional>...]');
    const slash = name.replace(/\/+$/, '').lastIndexOf('/');
    const trimmed = name.replace(/\/+$/, '');
    const { node } = slash >= 0 ? sh.resolveObject(trimmed.slice(0, slash) || '/') : { node: sh.current };
    const child = slash >= 0 ? trimmed.slice(slash + 1) : trimmed;
    try {
      if (classDef(node.$class).list) {
        if (positional.length) throw new ShellError('usage in a list: add <value>');
        appendToList(node, child);
      } else {
        addChild(node, child, positional, sh.store.box);
      }
    } catch (e) {
      if (e instanceof EditError) throw new ShellError(e.message);
      throw e;
    }
    sh.io.out(`Added ${child}`);
    sh.modified();
  },
});
