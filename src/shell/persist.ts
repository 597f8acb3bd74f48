// Engine settings changed by commands (trace, trace-file-count) are written to the saved
// tree too, so that they survive a restart, without touching other unsaved edits.
import { propOf } from '../schema/registry.js';
import { setProp } from '../tree/edit.js';
import { nodeAt } from '../tree/tree.js';
import type { ShellSession } from './session.js';

export async function persistAdvanced(sh: ShellSession, prop: string, value: string): Promise<void> {
  const saved = await sh.store.read();
  const adv = nodeAt(saved.root, ['Radius', 'Advanced'])!;
  setProp(adv, propOf(adv, prop)!, value, sh.store.box);
  const meta = await sh.store.save(saved.root, saved.meta.revision, sh.admin?.name ?? 'unknown');
  const mine = nodeAt(sh.root, ['Radius', 'Advanced'])!;
  setProp(mine, propOf(mine, prop)!, value, sh.store.box);
  // The working copy differs from the new revision by exactly this change if it was at the old one.
  if (sh.base.revision === saved.meta.revision) sh.base = meta;
}
