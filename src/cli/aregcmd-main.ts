// Splits aregcmd's own options from a one-shot command line, so that oclif parses only
// the options and shell arguments such as `ls -R` reach the shell as typed.
import Aregcmd from './aregcmd.js';

const VALUE_OPTIONS = new Set(['-C', '--cluster', '-N', '--name', '-P', '--password', '-f', '--file', '--home']);

export function splitOptions(argv: string[]): { options: string[]; command: string[] } {
  let i = 0;
  while (i < argv.length && argv[i].startsWith('-') && argv[i] !== '--') {
    const flag = argv[i].includes('=') ? argv[i].slice(0, argv[i].indexOf('=')) : argv[i];
    i += VALUE_OPTIONS.has(flag) && !argv[i].includes('=') ? 2 : 1;
  }
  const rest = argv[i] === '--' ? argv.slice(i + 1) : argv.slice(i);
  return { options: argv.slice(0, Math.min(i, argv.length)), command: rest };
}

export async function run(argv: string[]): Promise<void> {
  const { options, command } = splitOptions(argv);
  try {
    await Aregcmd.run(command.length ? [...options, '--', ...command] : options, import.meta.url);
  } catch (e) {
    // oclif throws on a bad option (unknown flag, missing value): a usage error, status 2 (aregcmd.md §2.4).
    if ((e as { oclif?: { exit?: number } }).oclif?.exit === undefined) throw e;
    process.stderr.write(`ERROR: ${(e as Error).message.split('\n')[0]}\nUsage: aregcmd ${Aregcmd.usage}\n`);
    process.exitCode = 2;
  }
}
