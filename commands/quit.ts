import { command } from '../src/shell/command.js';
import exit from './exit.js';

export default command({ ...exit, name: 'quit', synopsis: 'quit', summary: 'Same as exit.' });
