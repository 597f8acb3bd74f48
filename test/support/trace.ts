// The engine writes its trace file behind the answers (asynchronously, off the hot path), so a test that has
// its answer may still find the file without the lines: read it until they are all there, for a bounded time.
import fs from 'node:fs';
import path from 'node:path';

/** The engine's trace file under an AREG_HOME. */
export const traceFileOf = (homeRoot: string): string => path.join(homeRoot, 'logs', 'name_radius_1_trace');

/** The trace once every one of `wanted` is in it, or as it is after `timeoutMs` (the caller's asserts then say what lacks). */
export async function traceWith(homeRoot: string, wanted: readonly (string | RegExp)[], timeoutMs = 5000): Promise<string> {
  const file = traceFileOf(homeRoot);
  const has = (text: string): boolean => wanted.every((w) => (typeof w === 'string' ? text.includes(w) : w.test(text)));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    if (has(text) || Date.now() >= deadline) return text;
    await new Promise((r) => setTimeout(r, 50));
  }
}
