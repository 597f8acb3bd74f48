// Third-party SIP/RADIUS tools for the interop tests: found on PATH or in the Debian locations, or the test
// fails naming the apt package (never skipped); radclient runs bounded (one try, short timeout).
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** The tool's path; throws `apt-get install … <pkg>` when it is missing. */
export function needTool(tool: string, pkg: string): string {
  const dirs = [...(process.env.PATH ?? '').split(':'), '/usr/bin', '/usr/sbin'];
  const found = dirs.map((d) => path.join(d, tool)).find((f) => fs.existsSync(f));
  if (!found) throw new Error(`${tool} is not installed: apt-get install -y --no-install-recommends ${pkg}`);
  return found;
}


export interface ToolRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `file args` with `input` on stdin, at most `timeoutMs`. */
export function runTool(file: string, args: readonly string[], input = '', timeoutMs = 20_000): Promise<ToolRun> {
  return new Promise((resolve) => {
    const child = execFile(file, [...args], { timeout: timeoutMs }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
    child.stdin?.end(input);
  });
}

/** radclient -x, one request from `input` (attribute lines) to `host`:`port`, one try of 2 s. */
export function radclient(port: number, secret: string, input: string, host = '127.0.0.1'): Promise<ToolRun> {
  const server = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  return runTool(needTool('radclient', 'freeradius-utils'), ['-x', '-r', '1', '-t', '2', server, 'auth', secret], input);
}

/** The attribute lines radclient printed for the reply, e.g. `Reply-Message = "Hello"`. */
export function replyLines(stdout: string): string[] {
  const at = stdout.indexOf('Received Access-');
  if (at < 0) return [];
  return stdout.slice(at).split('\n').slice(1).filter((l) => l.startsWith('\t')).map((l) => l.trim());
}
