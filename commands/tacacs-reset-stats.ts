import { command } from '../src/shell/command.js';
import tacacsStats from './tacacs-stats.js';

export default command({ ...tacacsStats, name: 'tacacs-reset-stats', synopsis: 'tacacs-reset-stats' });
