import { command } from '../src/shell/command.js';
import { ShellError } from '../src/shell/session.js';
import { listing, listingJson, propertyLine, shownValue } from '../src/shell/listing.js';
import type { Stored } from '../src/schema/types.js';
import { childNames, type Path } from '../src/tree/tree.js';
import type { TreeNode } from '../src/schema/model.js';

export default command({
  name: 'ls',
  synopsis: 'ls [-R] [<path>]',
  summary: 'List an object, a property, or (with -R) an object and all its descendants.',
  details: 'Containers show a window of 10 entries; next, prev, find and filter move or narrow it. With --json (one-shot mode) the listing is printed as JSON.',
  args: ['object'],
  run(sh, args) {
    const recursive = args[0] === '-R' || args[0] === '-r';
    const rest = recursive ? args.slice(1) : args;
    if (rest.length > 1) throw new ShellError('usage: ls [-R] [<path>]');
    const r = sh.resolve(rest[0], { property: true });
    if (r.kind === 'property') {
      if (sh.json) sh.io.out(JSON.stringify({ [r.prop.name]: shownValue(r.prop, r.node[r.prop.name] as Stored | undefined) }));
      else sh.io.out(propertyLine(r.node, r.prop.name));
      return;
    }
    if (sh.json) {
      sh.io.out(JSON.stringify(listingJson(sh, r.path, r.node, recursive), null, 2));
      return;
    }
    const walk = (path: Path, node: TreeNode) => {
      for (const line of listing(sh, path, node)) sh.io.out(line);
      if (recursive) for (const n of childNames(node)) walk([...path, n], node.$children![n]);
    };
    walk(r.path, r.node);
  },
});
