// Third-party tools of the interop tests: finding them (a missing one fails naming its Debian package, never
// skips) and a tshark capture on loopback that the test stops before decoding it.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const TSHARK_PACKAGE = 'tshark (preseed: echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections)';

export function requireTool(tool: string, pkg: string): string {
  for (const dir of (process.env.PATH ?? '').split(':').concat(['/usr/bin', '/usr/sbin'])) {
    const f = path.join(dir, tool);
    if (dir && fs.existsSync(f)) return f;
  }
  throw new Error(`${tool} is not installed: apt-get install -y --no-install-recommends ${pkg}`);
}

/** tshark writing `filter`'s packets on lo to `pcap`; start() resolves once it is capturing. */
export class TsharkCapture {
  private child: ChildProcess | undefined;

  constructor(readonly tshark: string, readonly filter: string, readonly pcap: string) {}

  start(maxSeconds = 110): Promise<void> {
    const child = (this.child = spawn(this.tshark, ['-q', '-i', 'lo', '-f', this.filter, '-a', `duration:${maxSeconds}`, '-w', this.pcap], { stdio: ['ignore', 'ignore', 'pipe'] }));
    return new Promise<void>((resolve, reject) => {
      let err = '';
      const t = setTimeout(() => reject(new Error(`tshark did not start capturing: ${err}`)), 20_000);
      child.stderr!.on('data', (d: Buffer) => {
        err += d.toString();
        if (/Capturing on/.test(err)) {
          clearTimeout(t);
          resolve();
        }
      });
      child.on('exit', (code) => reject(new Error(`tshark exited (${code}): ${err}`)));
    });
  }

  /** Ends the capture (SIGINT flushes the file); waits at most `ms`. */
  async stop(ms = 10_000): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGINT');
    await Promise.race([exited, new Promise((r) => setTimeout(r, ms))]);
  }
}
