import { command } from '../src/shell/command.js';
import { callAgent } from '../src/shell/engine-calls.js';
import { persistAdvanced } from '../src/shell/persist.js';
import { ShellError } from '../src/shell/session.js';

export default command({
  name: 'trace-file-count',
  synopsis: 'trace-file-count [<n>]',
  summary: 'Show or set how many rotated trace files are kept (saved as /Radius/Advanced/TraceFileCount).',
  args: ['none'],
  async run(sh, [n]) {
    if (n === undefined) {
      const reply = await callAgent(sh, 'trace-file-count');
      return void sh.io.out(`Trace file count is ${String((reply.result as { count?: number } | undefined)?.count ?? '?')}`);
    }
    if (!/^\d+$/.test(n) || Number(n) < 1 || Number(n) > 100) throw new ShellError(`trace file count must be 1-100, not '${n}'`);
    sh.requireWrite('trace-file-count');
    await callAgent(sh, 'trace-file-count', { count: Number(n) });
    await persistAdvanced(sh, 'TraceFileCount', n);
    sh.io.out(`Trace file count set to ${n}`);
  },
});
