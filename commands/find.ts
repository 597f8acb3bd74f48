import { command } from '../src/shell/command.js';
import { pagedContainer, showAt } from '../src/shell/paging.js';
import { ShellError } from '../src/shell/session.js';
import { compareNames } from '../src/tree/tree.js';

export default command({
  name: 'find',
  synopsis: 'find <name>',
  summary: 'Move the container listing so that <name> (or the first entry after it) comes first.',
  args: ['child'],
  run(sh, args) {
    if (args.length !== 1) throw new ShellError('usage: find <name>');
    if (sh.current.$children && sh.pagedContainer.join('/') !== sh.cwd.join('/')) sh.pagedContainer = sh.cwd;
    const { names } = pagedContainer(sh);
    const at = names.findIndex((n) => compareNames(n, args[0]) >= 0 || n.toLowerCase() === args[0].toLowerCase());
    if (at < 0) throw new ShellError(`No entry at or after ${args[0]}`);
    showAt(sh, at);
  },
});
