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
  /** What tshark wrote to stderr: after stop(), how many packets it captured and dropped. */
  output = '';

  constructor(readonly tshark: string, readonly filter: string, readonly pcap: string) {}

  start(maxSeconds = 110): Promise<void> {
    // A 16 MiB kernel buffer (default 2): the fuzz test's replies come in bursts, and a dropped packet fails a count.
    const child = (this.child = spawn(this.tshark, ['-q', '-i', 'lo', '-B', '16', '-f', this.filter, '-a', `duration:${maxSeconds}`, '-w', this.pcap], { stdio: ['ignore', 'ignore', 'pipe'] }));
    return new Promise<void>((resolve, reject) => {
      // Capturing needs root or a dumpcap with cap_net_raw,cap_net_admin; say so rather than skip.
      const fail = (why: string): Error =>
        new Error(`tshark cannot capture on lo (${why}): run as root, or give /usr/bin/dumpcap cap_net_raw,cap_net_admin+eip\n${this.output}`);
      const t = setTimeout(() => reject(fail('not capturing after 20 s')), 20_000);
      let capturing = false;
      child.stderr!.on('data', (d: Buffer) => {
        this.output += d.toString();
        if (!capturing && /Capturing on/.test(this.output)) {
          capturing = true;
          clearTimeout(t);
          // tshark says so before dumpcap has created the file, and what arrives until then is lost.
          void this.fileWritten(5000).then(resolve, reject);
        }
      });
      child.on('exit', (code) => {
        clearTimeout(t);
        reject(fail(`tshark exited with ${code}`));
      });
    });
  }

  private async fileWritten(ms: number): Promise<void> {
    for (const deadline = Date.now() + ms; !(fs.existsSync(this.pcap) && fs.statSync(this.pcap).size > 0);) {
      if (Date.now() > deadline) throw new Error(`tshark is capturing but has not created ${this.pcap} after ${ms} ms`);
      await new Promise((r) => setTimeout(r, 10));
    }
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
