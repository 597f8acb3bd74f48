// validate and save, and the unsaved-changes dialogue of exit, quit, logout and flush.
import { InvalidTreeError, StaleRevisionError } from '../store/store.js';
import type { Problem } from '../tree/validate.js';
import { formatPath } from '../tree/tree.js';
import { Exit, ShellError, type ShellSession } from './session.js';

export function printProblems(sh: ShellSession, problems: Problem[]): number {
  const errors = problems.filter((p) => p.severity === 'error');
  for (const p of problems) sh.io.err(`${p.severity === 'error' ? 'ERROR' : 'WARNING'}: ${p.path}: ${p.message}`);
  return errors.length;
}

export function validateWorkingCopy(sh: ShellSession): Problem[] {
  sh.io.out(`Validating ${formatPath([])}...`);
  return sh.store.validate(sh.root);
}

export async function saveWorkingCopy(sh: ShellSession): Promise<void> {
  sh.requireWrite('save');
  const problems = validateWorkingCopy(sh);
  const errors = printProblems(sh, problems);
  if (errors) throw new ShellError('Save aborted: configuration is invalid', Exit.invalid);
  sh.io.out(`Saving ${formatPath([])}...`);
  try {
    sh.base = await sh.store.save(sh.root, sh.base.revision, sh.admin?.name ?? 'unknown');
  } catch (e) {
    if (e instanceof InvalidTreeError) throw new ShellError('Save aborted: configuration is invalid', Exit.invalid);
    if (e instanceof StaleRevisionError) throw new ShellError(e.message);
    throw e;
  }
  sh.dirty = false;
}

/** Asks what to do with unsaved changes; false means stay (cancelled, or the save failed). */
export async function settleUnsaved(sh: ShellSession): Promise<boolean> {
  if (!sh.dirty) return true;
  // Scripts cannot answer; their caller reports the discarded changes in the exit status.
  if (!sh.io.interactive) return true;
  for (;;) {
    const answer = (await sh.io.ask('There are unsaved changes. Save them before exiting? (y/n/c) [y]: ')).trim().toLowerCase() || 'y';
    if (answer === 'c') return false;
    if (answer === 'n') return true;
    if (answer === 'y') {
      try {
        await saveWorkingCopy(sh);
        return true;
      } catch (e) {
        if (e instanceof ShellError) {
          sh.io.err(`ERROR: ${e.message}`);
          return false;
        }
        throw e;
      }
    }
  }
}
