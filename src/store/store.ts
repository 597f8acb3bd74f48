// The saved configuration: one lowdb JSON file written by exactly one process at a time.
// lowdb holds the data; this module adds what it lacks (dependencies.md §5a): a
// cross-process lock, fsync before rename, a backup of the previous revision, an
// optimistic revision check, and validation before anything reaches the disk.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { Low, type Adapter } from 'lowdb';
import type { AregHome } from '../home.js';
import type { TreeNode } from '../schema/model.js';
import { seedTree } from '../tree/seed.js';
import { validateTree, type Problem, type ValidationContext } from '../tree/validate.js';
import { SecretBox } from './secrets.js';
import { checkAttribute } from '../config/attribute-names.js';

export const STORE_SCHEMA = 1;

export interface StoreMeta {
  schema: number;
  revision: number;
  savedAt: string;
  savedBy: string;
}

export interface StoreFile {
  meta: StoreMeta;
  root: TreeNode;
}

export class InvalidTreeError extends Error {
  constructor(readonly problems: Problem[]) {
    super(`configuration is invalid: ${problems.filter((p) => p.severity === 'error').length} error(s)`);
  }
}

export class StaleRevisionError extends Error {
  constructor(readonly current: number) {
    super(`configuration was saved by another administrator (revision ${current}); use 'flush' to reload`);
  }
}

/** Writes go to a temporary file that is fsynced and renamed over the store, so a crash leaves either revision whole. */
class DurableJsonFile implements Adapter<StoreFile> {
  constructor(private readonly file: string) {}

  async read(): Promise<StoreFile | null> {
    let text: string;
    try {
      text = await fsp.readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    try {
      return JSON.parse(text) as StoreFile;
    } catch (err) {
      throw new Error(`${this.file} is not valid JSON: ${(err as Error).message}`);
    }
  }

  async write(data: StoreFile): Promise<void> {
    const tmp = `${this.file}.tmp-${process.pid}`;
    await writeSynced(tmp, JSON.stringify(data, null, 1) + '\n');
    if (fs.existsSync(this.file)) {
      const bakTmp = `${this.file}.bak.tmp-${process.pid}`;
      await fsp.copyFile(this.file, bakTmp);
      await fsp.chmod(bakTmp, 0o600);
      await fsp.rename(bakTmp, `${this.file}.bak`);
    }
    await fsp.rename(tmp, this.file);
    await syncDir(path.dirname(this.file));
  }
}

async function writeSynced(file: string, text: string): Promise<void> {
  const fh = await fsp.open(file, 'w', 0o600);
  try {
    await fh.writeFile(text, 'utf8');
    await fh.sync();
  } finally {
    await fh.close();
  }
}

async function syncDir(dir: string): Promise<void> {
  const fh = await fsp.open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const EMPTY_LOCK_GRACE_MS = 1000;

async function lockAgeMs(lockFile: string): Promise<number> {
  try {
    return Date.now() - (await fsp.stat(lockFile)).mtimeMs;
  } catch {
    return 0;
  }
}

/** An O_EXCL lock file holding the writer's pid; a lock left by a dead process is taken over. */
async function withLock<T>(lockFile: string, fn: () => Promise<T>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await fsp.writeFile(lockFile, String(process.pid), { flag: 'wx', mode: 0o600 });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number(await fsp.readFile(lockFile, 'utf8').catch(() => ''));
      // A holder that died, or one killed between creating the file and writing its pid (an empty lock
      // older than any live writer needs to write four bytes), leaves a lock nobody will remove.
      if ((holder && !pidAlive(holder)) || (!holder && (await lockAgeMs(lockFile)) > EMPTY_LOCK_GRACE_MS)) {
        await fsp.rm(lockFile, { force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`the configuration store is locked by process ${holder || 'unknown'}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  try {
    return await fn();
  } finally {
    await fsp.rm(lockFile, { force: true });
  }
}

export class ConfigStore {
  readonly box: SecretBox;
  private readonly db: Low<StoreFile>;
  private readonly lockFile: string;

  private constructor(readonly home: AregHome) {
    this.box = SecretBox.open(home.keyFile);
    this.db = new Low<StoreFile>(new DurableJsonFile(home.store), { meta: { schema: STORE_SCHEMA, revision: 0, savedAt: '', savedBy: '' }, root: { $class: 'Cluster' } });
    this.lockFile = path.join(home.dbDir, 'store.lock');
  }

  /** Opens the store of a data directory, creating it with the factory tree on first use. */
  static async open(home: AregHome): Promise<ConfigStore> {
    for (const dir of [home.dbDir, home.run, home.logs, home.scripts, home.sessionDir]) fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const store = new ConfigStore(home);
    if (!fs.existsSync(home.store)) {
      await withLock(store.lockFile, async () => {
        if (fs.existsSync(home.store)) return;
        store.db.data = { meta: { schema: STORE_SCHEMA, revision: 1, savedAt: new Date().toISOString(), savedBy: 'areg' }, root: seedTree(store.box) };
        await store.db.write();
      });
    }
    return store;
  }

  validationContext(): ValidationContext {
    return { scriptsDir: this.home.scripts, checkAttribute };
  }

  /** The newest saved revision, read from disk. */
  async read(): Promise<StoreFile> {
    await this.db.read();
    const data = this.db.data;
    if (!data?.meta || !data.root) throw new Error(`${this.home.store} is not an areg store`);
    if (data.meta.schema !== STORE_SCHEMA) throw new Error(`${this.home.store} has schema ${data.meta.schema}; this areg reads schema ${STORE_SCHEMA}`);
    return structuredClone(data);
  }

  validate(root: TreeNode): Problem[] {
    return validateTree(root, this.validationContext());
  }

  /** Validates and writes a new revision; `baseRevision` is the revision the edits started from. */
  async save(root: TreeNode, baseRevision: number, admin: string): Promise<StoreMeta> {
    const problems = this.validate(root);
    if (problems.some((p) => p.severity === 'error')) throw new InvalidTreeError(problems);
    return withLock(this.lockFile, async () => {
      const current = await this.read();
      if (current.meta.revision !== baseRevision) throw new StaleRevisionError(current.meta.revision);
      const meta: StoreMeta = { schema: STORE_SCHEMA, revision: baseRevision + 1, savedAt: new Date().toISOString(), savedBy: admin };
      this.db.data = { meta, root: structuredClone(root) };
      await this.db.write();
      return meta;
    });
  }
}
