import { command } from '../src/shell/command.js';

export default command({
  name: 'tacacs-stats',
  synopsis: 'tacacs-stats',
  summary: 'Accepted for compatibility; areg has no TACACS+.',
  args: ['none'],
  run(sh) {
    sh.io.out('TACACS+ is not enabled');
  },
});
