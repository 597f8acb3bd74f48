// Mocha root hook: the shell tests drive bin/aregcmd, which runs the compiled dist/, so
// compile once before any test when dist/ is missing or older than a source file.
// Use it with `--require test/support/build.ts`, or import it from a test file: a
// top-level before() registered while a spec file loads is a root hook as well.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SOURCE_DIRS = ['src', 'commands'];
const BUILD_TIMEOUT_MS = 180_000;

function tsFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return tsFiles(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

/** True when some .ts under src/ or commands/ has no compiled .js in dist/ that is at least as new. */
export function buildIsStale(): boolean {
  for (const ts of SOURCE_DIRS.flatMap((d) => tsFiles(path.join(repoRoot, d)))) {
    const js = path.join(repoRoot, 'dist', path.relative(repoRoot, ts)).replace(/\.ts$/, '.js');
    let built: fs.Stats;
    try {
      built = fs.statSync(js);
    } catch {
      return true;
    }
    if (built.mtimeMs < fs.statSync(ts).mtimeMs) return true;
  }
  return false;
}

let built: Promise<void> | undefined;

/** Runs `tsc -p tsconfig.json` at most once per test run, and only when dist/ is stale. */
export function ensureBuilt(): Promise<void> {
  built ??= (async () => {
    if (!buildIsStale()) return;
    const tsc = path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
    try {
      execFileSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: repoRoot, stdio: 'pipe', timeout: BUILD_TIMEOUT_MS });
    } catch (e) {
      const out = (e as { stdout?: Buffer }).stdout?.toString() ?? '';
      // tsc still emits on type errors; those are the typecheck's to report, not a reason
      // to run no test at all, as long as every source file got its output.
      if (buildIsStale()) throw new Error(`tsc -p tsconfig.json failed:\n${out || (e as Error).message}`);
      process.stderr.write(`WARNING: tsc -p tsconfig.json reported errors (dist/ was emitted anyway):\n${out}`);
    }
  })();
  return built;
}

export const mochaHooks = {
  async beforeAll(this: Mocha.Context) {
    this.timeout(BUILD_TIMEOUT_MS + 10_000);
    await ensureBuilt();
  },
};

// Loaded by a spec file rather than by --require: register the same hook on the root suite.
if (typeof before === 'function') before(mochaHooks.beforeAll);
