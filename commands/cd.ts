import { command } from '../src/shell/command.js';
import { listing } from '../src/shell/listing.js';
import { CLUSTER } from '../src/tree/tree.js';

export default command({
  name: 'cd',
  synopsis: 'cd [<path>]',
  summary: 'Make an object the current one and list it.',
  details: `Paths are absolute (/Radius/Clients, //${CLUSTER}/Radius), relative (Clients/NAS1) or use .. to go up; every element may be a unique prefix of a name, in any case. cd alone goes to //${CLUSTER}.`,
  args: ['object'],
  run(sh, [target]) {
    const r = sh.resolveObject(target ?? '/');
    sh.cwd = r.path;
    if (!sh.quiet) for (const line of listing(sh, r.path, r.node)) sh.io.out(line);
  },
});
