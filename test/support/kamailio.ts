// A real Kamailio (Debian kamailio + kamailio-radius-modules, radcli) for the interop tests: auth_radius
// (radius_www_authorize: draft-sterman digest) and misc_radius (radius_is_user_in, radius_load_caller_avps)
// against an areg engine, in a temporary directory, foreground, one worker, small memory. Plus a minimal
// SIP client over UDP that answers the digest challenge (RFC 2617, computed here with node:crypto).
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import fs from 'node:fs';
import path from 'node:path';
import { needTool } from './kamailio-tools.js';

export interface Kamailio {
  sipPort: number;
  /** Everything Kamailio wrote (stderr log). */
  output(): string;
  stop(): Promise<void>;
}

const MODULES = ['/usr/lib/x86_64-linux-gnu/kamailio/modules', '/usr/lib/kamailio/modules', '/usr/lib64/kamailio/modules'];

/** The aregcmd lines that make the engine's `localhost` client the Kamailio of startKamailio: radcli sends no
 *  Message-Authenticator, the draft-sterman dialect, and misc_radius's check-only requests (protocols.md §2). */
export function kamailioClientSetup(secret: string): string[] {
  return [
    `set /Radius/Clients/localhost/SharedSecret ${secret}`,
    'set /Radius/Clients/localhost/RequireMessageAuthenticator No',
    'set /Radius/Clients/localhost/Dialect kamailio',
    'set /Radius/Clients/localhost/AllowCheckOnlyRequests TRUE',
  ];
}

/** Starts Kamailio on 127.0.0.1:`sipPort` with radcli pointed at the engine's auth/acct ports. */
export async function startKamailio(dir: string, sipPort: number, radius: { auth: number; acct: number; secret: string }): Promise<Kamailio> {
  const kamailio = needTool('kamailio', 'kamailio');
  const mpath = MODULES.find((m) => fs.existsSync(path.join(m, 'auth_radius.so')));
  if (!mpath) throw new Error('Kamailio RADIUS modules are not installed: apt-get install -y --no-install-recommends kamailio-radius-modules');
  for (const f of ['/etc/radcli/dictionary', '/etc/radcli/dictionary.sip', '/etc/kamailio/dictionary.kamailio']) {
    if (!fs.existsSync(f)) throw new Error(`${f} is missing: apt-get install -y --no-install-recommends kamailio-radius-modules`);
  }
  fs.mkdirSync(dir, { recursive: true });
  // radcli's dictionary.sip names Service-Type 15 "SIP"; auth_radius resolves "Sip-Session" (protocols.md §2.6).
  fs.writeFileSync(path.join(dir, 'dictionary'), [
    '$INCLUDE /etc/radcli/dictionary', '$INCLUDE /etc/radcli/dictionary.sip', '$INCLUDE /etc/kamailio/dictionary.kamailio',
    'VALUE Service-Type Sip-Session 15', '',
  ].join('\n'));
  fs.writeFileSync(path.join(dir, 'servers'), `127.0.0.1 ${radius.secret}\n`);
  fs.writeFileSync(path.join(dir, 'radiusclient.conf'), [
    `authserver 127.0.0.1:${radius.auth}`, `acctserver 127.0.0.1:${radius.acct}`,
    `servers ${path.join(dir, 'servers')}`, `dictionary ${path.join(dir, 'dictionary')}`,
    'radius_timeout 2', 'radius_retries 1', 'bindaddr *', '',
  ].join('\n'));
  const conf = path.join(dir, 'radiusclient.conf');
  fs.writeFileSync(path.join(dir, 'kamailio.cfg'), `#!KAMAILIO
debug=2
log_stderror=yes
children=1
disable_tcp=yes
listen=udp:127.0.0.1:${sipPort}
mpath="${mpath}"
loadmodule "sl.so"
loadmodule "pv.so"
loadmodule "textops.so"
loadmodule "auth.so"
loadmodule "auth_radius.so"
loadmodule "misc_radius.so"
modparam("auth_radius", "radius_config", "${conf}")
modparam("misc_radius", "radius_config", "${conf}")

request_route {
  if (!radius_www_authorize("$td")) {
    www_challenge("$td", "0");
    exit;
  }
  if (radius_is_user_in("$fu", "voip")) append_to_reply("X-Group: voip\\r\\n");
  else append_to_reply("X-Group: none\\r\\n");
  if (radius_load_caller_avps("$fu")) append_to_reply("X-Email: $avp(s:email)\\r\\n");
  sl_send_reply("200", "OK");
}
`);
  const child: ChildProcess = spawn(
    kamailio,
    ['-f', path.join(dir, 'kamailio.cfg'), '-DD', '-E', '-m', '32', '-M', '4', '-Y', dir, '-w', dir],
    { stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  // Ready when it answers an OPTIONS (challenged: 401).
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`kamailio exited (${child.exitCode}):\n${out}`);
    const r = await sipRequest(sipPort, 'OPTIONS', 'probe', 'testrealm', 300).catch(() => undefined);
    if (r) break;
    if (Date.now() > deadline) {
      process.kill(-child.pid!, 'SIGKILL');
      throw new Error(`kamailio did not answer on ${sipPort}:\n${out}`);
    }
  }
  return {
    sipPort,
    output: () => out,
    async stop() {
      if (child.exitCode !== null) return;
      process.kill(-child.pid!, 'SIGTERM');
      const t = setTimeout(() => child.exitCode === null && process.kill(-child.pid!, 'SIGKILL'), 5_000);
      await exited;
      clearTimeout(t);
    },
  };
}

export interface SipResponse {
  status: number;
  headers: Map<string, string[]>;
  raw: string;
}

function parseResponse(text: string): SipResponse {
  const lines = text.split('\r\n');
  const status = Number(/^SIP\/2\.0 (\d{3})/.exec(lines[0] ?? '')?.[1] ?? 0);
  const headers = new Map<string, string[]>();
  for (const l of lines.slice(1)) {
    const i = l.indexOf(':');
    if (i <= 0) continue;
    const k = l.slice(0, i).trim().toLowerCase();
    headers.set(k, [...(headers.get(k) ?? []), l.slice(i + 1).trim()]);
  }
  return { status, headers, raw: text };
}

/** One SIP request (no retransmission) from an ephemeral UDP port; rejects after `timeoutMs`. */
export async function sipRequest(port: number, method: string, user: string, domain: string, timeoutMs = 5_000, authorization?: string): Promise<SipResponse> {
  const sock = dgram.createSocket('udp4');
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
  const local = sock.address().port;
  const tag = randomBytes(4).toString('hex');
  const msg = [
    `${method} sip:${domain} SIP/2.0`,
    `Via: SIP/2.0/UDP 127.0.0.1:${local};branch=z9hG4bK${randomBytes(6).toString('hex')};rport`,
    'Max-Forwards: 70',
    `From: <sip:${user}@${domain}>;tag=${tag}`,
    `To: <sip:${user}@${domain}>`,
    `Call-ID: ${randomBytes(8).toString('hex')}@127.0.0.1`,
    `CSeq: 1 ${method}`,
    `Contact: <sip:${user}@127.0.0.1:${local}>`,
    ...(authorization ? [`Authorization: ${authorization}`] : []),
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
  try {
    return await new Promise<SipResponse>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no SIP answer to ${method} in ${timeoutMs} ms`)), timeoutMs);
      sock.on('message', (m) => {
        const r = parseResponse(m.toString());
        if (r.status >= 200) {
          clearTimeout(t);
          resolve(r);
        }
      });
      sock.send(msg, port, '127.0.0.1');
    });
  } finally {
    sock.close();
  }
}

const md5 = (s: string): string => createHash('md5').update(s).digest('hex');

/** REGISTER, answer the 401's digest challenge with `password`, return the final response. */
export async function register(port: number, user: string, domain: string, password: string): Promise<{ challenge: SipResponse; final: SipResponse }> {
  const challenge = await sipRequest(port, 'REGISTER', user, domain);
  const www = challenge.headers.get('www-authenticate')?.[0] ?? '';
  const param = (n: string): string => new RegExp(`${n}="?([^",]+)"?`, 'i').exec(www)?.[1] ?? '';
  const realm = param('realm');
  const nonce = param('nonce');
  const uri = `sip:${domain}`;
  const response = md5(`${md5(`${user}:${realm}:${password}`)}:${nonce}:${md5(`REGISTER:${uri}`)}`);
  const auth = `Digest username="${user}", realm="${realm}", nonce="${nonce}", uri="${uri}", response="${response}", algorithm=MD5`;
  const final = await sipRequest(port, 'REGISTER', user, domain, 5_000, auth);
  return { challenge, final };
}
