import { command } from '../src/shell/command.js';
import { printProblems, validateWorkingCopy } from '../src/shell/commit.js';
import { Exit, ShellError } from '../src/shell/session.js';

export default command({
  name: 'validate',
  synopsis: 'validate',
  summary: 'Check the whole working copy: types, required properties, references, addresses, ports, cycles.',
  details: 'Prints one ERROR: <path>: <text> line per problem (WARNING: for things that will not stop a save). With --json (one-shot mode) prints {"valid", "problems"}.',
  args: ['none'],
  run(sh) {
    if (sh.json) {
      const problems = sh.store.validate(sh.root);
      const valid = !problems.some((p) => p.severity === 'error');
      sh.io.out(JSON.stringify({ valid, revision: sh.base.revision, problems }, null, 2));
      if (!valid) throw new ShellError('', Exit.invalid);
      return;
    }
    const errors = printProblems(sh, validateWorkingCopy(sh));
    if (errors) throw new ShellError(`Validation failed: ${errors} error(s)`, Exit.invalid);
  },
});
