// State of one aregcmd session: the private working copy of the tree and the revision it
// started from, the current object, listing windows, the logged-in administrator.
import type { TreeNode } from '../schema/model.js';
import type { ConfigStore, StoreMeta } from '../store/store.js';
import { formatPath, nodeAt, resolvePath, type Path, type Resolution, type ResolveOptions } from '../tree/tree.js';
import type { EngineControl } from './engine-control.js';

/** Exit statuses of one-shot and batch runs (aregcmd.md §2.4). */
export const Exit = {
  ok: 0,
  failed: 1,
  usage: 2,
  login: 3,
  invalid: 4,
  agentDown: 5,
  unsaved: 6,
} as const;

export class ShellError extends Error {
  constructor(message: string, readonly status: number = Exit.failed) {
    super(message);
  }
}

export interface ShellIO {
  out(line: string): void;
  err(line: string): void;
  /** Asks a question with single-letter answers; never called when not interactive. */
  ask(question: string): Promise<string>;
  /** Asks for a secret without echoing it; never called when not interactive. */
  askSecret(question: string): Promise<string>;
  readonly interactive: boolean;
}

export interface Admin {
  name: string;
  readOnly: boolean;
}

export const PAGE_SIZE = 10;

export class ShellSession {
  root!: TreeNode;
  base!: StoreMeta;
  cwd: Path = [];
  dirty = false;
  admin: Admin | undefined;
  /** First entry shown of each container listing, keyed by path. */
  readonly windows = new Map<string, number>();
  filter = '';
  /** The container whose window next/prev move: the last one listed. */
  pagedContainer: Path = [];
  quiet = false;
  json = false;
  ended = false;

  constructor(readonly store: ConfigStore, readonly io: ShellIO, readonly control: EngineControl) {}

  /** Replaces the working copy with the newest saved revision. */
  async loadSaved(): Promise<void> {
    const saved = await this.store.read();
    this.root = saved.root;
    this.base = saved.meta;
    this.dirty = false;
    if (!nodeAt(this.root, this.cwd)) this.cwd = [];
  }

  resolve(text: string | undefined, opts: ResolveOptions = {}): Exclude<Resolution, { kind: 'error' }> {
    const r = resolvePath(this.root, this.cwd, text ?? '.', opts);
    if (r.kind === 'error') throw new ShellError(r.error);
    return r;
  }

  resolveObject(text: string | undefined): { path: Path; node: TreeNode } {
    const r = this.resolve(text);
    if (r.kind !== 'object') throw new ShellError(`${text} is a property, not an object`);
    return r;
  }

  get current(): TreeNode {
    return nodeAt(this.root, this.cwd)!;
  }

  get where(): string {
    return formatPath(this.cwd);
  }

  requireWrite(what: string): void {
    if (this.admin?.readOnly) throw new ShellError(`Administrator ${this.admin.name} is read-only and cannot ${what}`);
  }

  modified(): void {
    this.dirty = true;
  }
}
