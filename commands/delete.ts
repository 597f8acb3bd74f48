import { command } from '../src/shell/command.js';
import { ShellError } from '../src/shell/session.js';
import { classDef } from '../src/schema/registry.js';
import { countDescendants, deleteChild, deleteFromList, deletePair, EditError } from '../src/tree/edit.js';
import { childExact } from '../src/tree/tree.js';

export default command({
  name: 'delete',
  synopsis: 'delete <name>|<n>',
  summary: 'Delete a child object with its subtree, a list entry (by position or value) or an attribute.',
  details: 'Interactively, deleting an object that has children asks first. Deleting an object that others reference is allowed; validate then reports the dangling references.',
  writes: true,
  args: ['child'],
  async run(sh, args) {
    if (args.length !== 1) throw new ShellError('usage: delete <name>|<n>');
    const text = args[0].replace(/\/+$/, '');
    const slash = text.lastIndexOf('/');
    const { node } = slash >= 0 ? sh.resolveObject(text.slice(0, slash) || '/') : { node: sh.current };
    const which = slash >= 0 ? text.slice(slash + 1) : text;
    const cls = classDef(node.$class);
    try {
      if (cls.list) {
        sh.io.out(`Deleted ${String(deleteFromList(node, which))}`);
      } else if (cls.pairs) {
        deletePair(node, which);
        sh.io.out(`Deleted ${which}`);
      } else {
        const name = childExact(node, which);
        if (name === undefined) throw new ShellError(`No such object: ${which}`);
        const n = countDescendants(node.$children![name]);
        if (n > 0 && sh.io.interactive) {
          const answer = await sh.io.ask(`Delete ${name} and its ${n} children? (y/n) [n]: `);
          if (answer.trim().toLowerCase() !== 'y') return;
        }
        deleteChild(node, name);
        sh.io.out(`Deleted ${name}`);
      }
    } catch (e) {
      if (e instanceof EditError) throw new ShellError(e.message);
      throw e;
    }
    sh.modified();
  },
});
