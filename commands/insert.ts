import { command } from '../src/shell/command.js';
import { ShellError } from '../src/shell/session.js';
import { classDef } from '../src/schema/registry.js';
import { EditError, insertIntoList } from '../src/tree/edit.js';

export default command({
  name: 'insert',
  synopsis: 'insert <n> <value>',
  summary: 'Insert an entry into the current ordered list at position n (1-based); later entries move down.',
  writes: true,
  args: ['none', 'value'],
  run(sh, args) {
    if (args.length !== 2 || !/^\d+$/.test(args[0])) throw new ShellError('usage: insert <n> <value>');
    if (!classDef(sh.current.$class).list) throw new ShellError(`${sh.where} is not an ordered list`);
    try {
      insertIntoList(sh.current, Number(args[0]), args[1]);
    } catch (e) {
      if (e instanceof EditError) throw new ShellError(e.message);
      throw e;
    }
    sh.io.out(`Inserted ${args[1]} at ${args[0]}`);
    sh.modified();
  },
});
