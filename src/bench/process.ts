// What both benchmarks share: running a load generator in its own process (so that its CPU is not the
// server's) and reading the JSON result it prints last, and the median of the runs.
import { execFile } from 'node:child_process';

/** Runs `node script ...args`; resolves with the JSON object on the last line of its output. */
export function runGenerator<T>(script: string, args: string[], timeoutMs: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [script, ...args], { timeout: timeoutMs, maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`${what} failed: ${err.message}\n${stderr}`));
      try {
        resolve(JSON.parse(stdout.trim().split('\n').at(-1)!) as T);
      } catch {
        reject(new Error(`${what} printed no result: ${stdout}${stderr}`));
      }
    });
  });
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : Math.round((s[s.length / 2 - 1]! + s[s.length / 2]!) / 2);
};
