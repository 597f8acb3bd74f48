// Moving the listing window of the container last listed (next, prev, find).
import { nodeAt, formatPath } from '../tree/tree.js';
import { listing, windowedChildren } from './listing.js';
import { PAGE_SIZE, ShellError, type ShellSession } from './session.js';

export function pagedContainer(sh: ShellSession) {
  const node = nodeAt(sh.root, sh.pagedContainer);
  if (!node?.$children) throw new ShellError('No container listing to page; list a container first');
  return { path: sh.pagedContainer, node, key: formatPath(sh.pagedContainer), names: windowedChildren(sh, node) };
}

export function moveWindow(sh: ShellSession, delta: number): void {
  const c = pagedContainer(sh);
  const start = sh.windows.get(c.key) ?? 0;
  const next = Math.max(0, start + delta);
  if (next >= c.names.length || next === start) {
    sh.io.err('WARNING: no more entries');
    return;
  }
  showAt(sh, next);
}

export function showAt(sh: ShellSession, start: number): void {
  const c = pagedContainer(sh);
  sh.windows.set(c.key, start);
  for (const line of listing(sh, c.path, c.node)) sh.io.out(line);
}

export function parseCount(arg: string | undefined): number {
  if (arg === undefined) return PAGE_SIZE;
  if (!/^\d+$/.test(arg) || Number(arg) < 1) throw new ShellError(`'${arg}' is not a positive number`);
  return Number(arg);
}
