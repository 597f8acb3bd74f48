import { command } from '../src/shell/command.js';
import { commandTable, findCommand } from '../src/shell/registry.js';

export default command({
  name: 'help',
  synopsis: 'help [-r] [<command>]',
  summary: 'List the commands, or show the syntax and description of one (-r: every synopsis).',
  args: ['command'],
  run(sh, args) {
    if (args[0] === '-r') {
      for (const c of commandTable()) sh.io.out(c.synopsis);
      return;
    }
    if (args.length === 0) {
      const width = Math.max(...commandTable().map((c) => c.name.length));
      for (const c of commandTable()) sh.io.out(`${c.name.padEnd(width)}  ${c.summary}`);
      sh.io.out('');
      sh.io.out('help <command> (or <command> ?) shows its syntax.');
      return;
    }
    const c = findCommand(args[0]);
    sh.io.out(`Usage: ${c.synopsis}`);
    sh.io.out(`  ${c.summary}`);
    if (c.details) sh.io.out(`  ${c.details}`);
  },
});
