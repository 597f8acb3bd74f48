// A real freeDiameter 1.2.1 daemon (Debian freediameterd) as a Diameter client of the server under test
// (peers.md §8.3) or as a server (§8.4: the interop tests' peer and the baseline of `npm run bench -- diameter`),
// set up as peers.md §8.2 says: throw-away TLS credentials (mandatory even with No_TLS), a preloaded shim that
// rewrites wildcard binds to loopback (ListenOn = 127.0.0.1 is ignored by libfdcore), no SCTP. The extensions
// Debian does not ship (test_app, test_acct, app_radgw) come from scripts/build-fd-extensions' cache.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const FREEDIAMETER_PACKAGES = 'freediameterd freediameter-extensions';

/** Where scripts/build-fd-extensions puts test_app.fdx, test_acct.fdx, app_radgw.fdx and the rgwx plugins. */
export function fdExtensionsDir(): string {
  return process.env.AREG_FDX_DIR || path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'areg', 'fdx');
}

/** The path of built extension `file` (e.g. `app_radgw.fdx`); throws saying how to build it when it is missing. */
export function requireFdExtension(file: string): string {
  const p = path.join(fdExtensionsDir(), file);
  if (!fs.existsSync(p)) {
    throw new Error(`freeDiameter extension ${file} is not built in ${fdExtensionsDir()}: run scripts/build-fd-extensions ` +
      '(needs apt-get install -y --no-install-recommends libfreediameter-dev flex bison make dpkg-dev gcc)');
  }
  return p;
}

/** The daemon's path; throws naming the Debian packages when it is not installed. */
export function requireFreeDiameter(): string {
  for (const dir of (process.env.PATH ?? '').split(':').concat(['/usr/bin', '/usr/sbin'])) {
    const p = path.join(dir, 'freeDiameterd');
    if (dir && fs.existsSync(p)) return p;
  }
  throw new Error(`freeDiameterd is not installed: apt-get install -y --no-install-recommends ${FREEDIAMETER_PACKAGES}`);
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

const BINDLO_C = `#define _GNU_SOURCE
#include <dlfcn.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
int bind(int fd, const struct sockaddr *sa, socklen_t len) {
    static int (*real)(int, const struct sockaddr *, socklen_t);
    if (!real) real = (int (*)(int, const struct sockaddr *, socklen_t))dlsym(RTLD_NEXT, "bind");
    if (sa && sa->sa_family == AF_INET && len >= sizeof(struct sockaddr_in)) {
        struct sockaddr_in a; memcpy(&a, sa, sizeof a);
        if (a.sin_addr.s_addr == htonl(INADDR_ANY)) { a.sin_addr.s_addr = htonl(INADDR_LOOPBACK); return real(fd, (void *)&a, sizeof a); }
    } else if (sa && sa->sa_family == AF_INET6 && len >= sizeof(struct sockaddr_in6)) {
        struct sockaddr_in6 a; memcpy(&a, sa, sizeof a);
        if (IN6_IS_ADDR_UNSPECIFIED(&a.sin6_addr)) { a.sin6_addr = in6addr_loopback; return real(fd, (void *)&a, sizeof a); }
    }
    return real(fd, sa, len);
}
`;

/** peers.md §8.2's loopback shim, compiled once per machine into the temp dir; undefined without gcc. */
function bindLoopbackShim(): string | undefined {
  const dir = path.join(os.tmpdir(), 'areg-freediameter-shim');
  const so = path.join(dir, 'bindlo.so');
  if (fs.existsSync(so)) return so;
  try {
    fs.mkdirSync(dir, { recursive: true });
    const src = path.join(dir, `bindlo-${process.pid}.c`);
    fs.writeFileSync(src, BINDLO_C);
    const tmp = path.join(dir, `bindlo-${process.pid}.so`);
    execFileSync('gcc', ['-O2', '-shared', '-fPIC', '-o', tmp, src, '-ldl'], { stdio: 'pipe', timeout: 60_000 });
    fs.renameSync(tmp, so);
    return so;
  } catch {
    return undefined;
  }
}

export type ExtraLines = string[] | ((dir: string) => string[]);

export interface FreeDiameterClientOptions {
  /** Our Identity (the server's HostName for areg's client entry). */
  identity: string;
  realm: string;
  /** The server under test: its Origin-Host (must equal the ConnectPeer name) and port on 127.0.0.1. */
  serverIdentity: string;
  serverPort: number;
  /** TwTimer in seconds (freeDiameter's minimum is 6). */
  twTimer?: number;
  /** Extra lines for freeDiameter.conf (LoadExtension ...), or a function of the daemon's directory giving them. */
  extra?: ExtraLines;
  /** Advertise relay (default true): without application extensions that is the only application it has. */
  relay?: boolean;
}

/** A freeDiameterd process with throw-away TLS credentials and the loopback shim; subclasses write its peers. */
abstract class FreeDiameterDaemon {
  readonly dir: string;
  readonly logFile: string;
  private child: ChildProcess | undefined;
  /** Its TCP listen port on 127.0.0.1 (known once started). */
  port = 0;
  /** Its TLS port (TLS from the first byte, RFC 6733 §13). */
  secPort = 0;

  /** `threads`: ThreadsPerServer and AppServThreads (peers.md §8.3 uses 4 for a baseline server). */
  constructor(protected readonly identity: string, protected readonly realm: string, private readonly threads = 1) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'areg-fd-'));
    this.logFile = path.join(this.dir, 'fd.log');
  }

  /** freeDiameter.conf lines after the common ones (Identity ... TLS_CA). */
  protected abstract peerConfig(): string[];

  /** Writes the configuration and credentials and starts the daemon; resolves once it is initialized. A
   * cert.pem / key.pem already in `dir` are used as they are (cert.pem is also TLS_CA: append the CA to it). */
  async start(): Promise<void> {
    const bin = requireFreeDiameter();
    const d = this.dir;
    if (!fs.existsSync(path.join(d, 'cert.pem'))) {
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '30', '-subj', `/CN=${this.identity}`,
        '-keyout', path.join(d, 'key.pem'), '-out', path.join(d, 'cert.pem')], { stdio: 'pipe', timeout: 30_000 });
    }
    const [port, secPort] = [await freePort(), await freePort()];
    this.port = port;
    this.secPort = secPort;
    const conf = [
      `Identity = "${this.identity}";`,
      `Realm = "${this.realm}";`,
      `Port = ${port};`,
      `SecPort = ${secPort};`,
      'No_SCTP;',
      'ListenOn = "127.0.0.1";',
      `ThreadsPerServer = ${this.threads};`,
      `AppServThreads = ${this.threads};`,
      `TLS_Cred = "${d}/cert.pem", "${d}/key.pem";`,
      `TLS_CA = "${d}/cert.pem";`,
      ...this.peerConfig(),
    ];
    fs.writeFileSync(path.join(d, 'freeDiameter.conf'), conf.join('\n') + '\n');
    const shim = bindLoopbackShim();
    const out = fs.openSync(this.logFile, 'a');
    this.child = spawn(bin, ['-c', path.join(d, 'freeDiameter.conf')], {
      env: { ...process.env, ...(shim ? { LD_PRELOAD: shim } : {}) },
      stdio: ['ignore', out, out],
    });
    fs.closeSync(out);
    await this.waitForLog(/freeDiameterd daemon initialized|FATAL|Error/, 15_000);
    if (!/daemon initialized/.test(this.log())) throw new Error(`freeDiameterd did not start:\n${this.log()}`);
  }

  protected extraLines(extra: ExtraLines | undefined): string[] {
    return typeof extra === 'function' ? extra(this.dir) : extra ?? [];
  }

  /** The daemon's pid while it runs (for its CPU time). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  log(): string {
    try {
      return fs.readFileSync(this.logFile, 'utf8');
    } catch {
      return '';
    }
  }

  /** Resolves with the first match of `re` in the daemon's log (from character `from` on). */
  async waitForLog(re: RegExp, ms: number, from = 0): Promise<RegExpMatchArray> {
    const deadline = Date.now() + ms;
    for (;;) {
      const m = this.log().slice(from).match(re);
      if (m) return m;
      if (this.child?.exitCode !== null && this.child?.exitCode !== undefined) {
        throw new Error(`freeDiameterd exited (${this.child.exitCode}) while waiting for ${re}:\n${this.log()}`);
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${re} in freeDiameterd's log:\n${this.log()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Sends `signal` to the daemon (SIGSTOP / SIGCONT make a silent peer). */
  signal(signal: NodeJS.Signals): void {
    this.child?.kill(signal);
  }

  /** SIGTERM (freeDiameter sends DPR and exits), SIGKILL after 5 s; then the temp dir goes. */
  async stop(): Promise<void> {
    const c = this.child;
    this.child = undefined;
    if (c && c.exitCode === null && c.signalCode === null) {
      const exited = new Promise<void>((r) => c.once('exit', () => r()));
      c.kill('SIGCONT');
      c.kill('SIGTERM');
      const t = setTimeout(() => c.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

export class FreeDiameterClient extends FreeDiameterDaemon {
  constructor(private readonly opts: FreeDiameterClientOptions) {
    super(opts.identity, opts.realm);
  }

  protected peerConfig(): string[] {
    return [
      ...(this.opts.relay === false ? ['NoRelay;'] : []),
      ...this.extraLines(this.opts.extra),
      `ConnectPeer = "${this.opts.serverIdentity}" { ConnectTo = "127.0.0.1"; Port = ${this.opts.serverPort}; No_TLS; No_SCTP; TcTimer = 5; TwTimer = ${this.opts.twTimer ?? 30}; Realm = "${this.opts.realm}"; };`,
    ];
  }
}

export interface FreeDiameterServerOptions {
  /** Its Identity (the HostName of areg's RemoteServer entry). */
  identity: string;
  realm: string;
  /** Peers allowed to connect without being configured (acl_wl ALLOW_IPSEC), e.g. `*.test`. */
  allow: string;
  /** TwTimer in seconds for incoming peers (freeDiameter's minimum is 6; default 30). */
  twTimer?: number;
  /** Extra lines for freeDiameter.conf (LoadExtension ...), or a function of the daemon's directory giving them. */
  extra?: ExtraLines;
  /** ThreadsPerServer and AppServThreads (default 1). */
  threads?: number;
}

/** freeDiameter as a baseline server (peers.md §8.4) listening on 127.0.0.1:`port` (TCP, no TLS, no SCTP). */
export class FreeDiameterServer extends FreeDiameterDaemon {
  constructor(private readonly opts: FreeDiameterServerOptions) {
    super(opts.identity, opts.realm, opts.threads);
  }

  protected peerConfig(): string[] {
    fs.writeFileSync(path.join(this.dir, 'acl_wl.conf'), `ALLOW_IPSEC ${this.opts.allow}\n`);
    return [
      ...(this.opts.twTimer ? [`TwTimer = ${this.opts.twTimer};`] : []),
      `LoadExtension = "/usr/lib/freeDiameter/acl_wl.fdx" : "${this.dir}/acl_wl.conf";`,
      ...this.extraLines(this.opts.extra),
    ];
  }
}
