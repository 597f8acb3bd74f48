// What a shell command declares about itself. The same declaration gives dispatch,
// `help`, tab completion and the aregcmd(1) man page.
import type { ShellSession } from './session.js';

/** How an argument position is completed. */
export type ArgKind = 'object' | 'property' | 'value' | 'command' | 'child' | 'none';

export interface ShellCommand {
  name: string;
  synopsis: string;
  summary: string;
  /** Longer text for `help <command>` and the man page. */
  details?: string;
  /** Refused for read-only administrators. */
  writes?: boolean;
  /** Completion of each argument position; the last entry repeats. */
  args?: ArgKind[];
  run(sh: ShellSession, args: string[]): Promise<void> | void;
}

export const command = (c: ShellCommand): ShellCommand => c;
