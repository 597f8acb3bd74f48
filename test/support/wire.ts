// tshark as an independent decoder of what the engine sends (peers.md §6): a capture on lo restricted to the
// engine's ports, read once at the end with those ports mapped to RADIUS / Diameter. Every packet the engine
// sent must decode as its protocol with no malformed frame and no expert item of severity error, and tshark
// must decode at least as many engine packets as the test saw replies (so an empty capture cannot pass).
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { requireTool, TsharkCapture, TSHARK_PACKAGE } from './tools.js';

export interface EnginePorts {
  /** UDP ports the engine serves RADIUS on: what leaves them is the engine's. */
  radius?: number[];
  /** TCP ports the engine listens on for Diameter. */
  diameter?: number[];
  /** TCP ports of Diameter peers the engine dials: what goes to them is the engine's. */
  diameterPeers?: number[];
  /** The RADIUS clients' shared secret: tshark then verifies Response Authenticators against the requests. */
  secret?: string;
  /** The Diameter ports carry TLS whose keys the engine writes to this file (node --tls-keylog). */
  tlsKeylog?: string;
  /** Capture only what the engine sends: for floods, whose requests would only cost capture and decoding time. */
  engineOnly?: boolean;
}

/** One frame the engine sent, as tshark decoded it. */
export interface WireFrame {
  frame: number;
  radiusCode?: number;
  /** Per Diameter message in the frame (a TCP segment can carry several). */
  diameterCommands: number[];
  resultCodes: number[];
}

const FIELDS = ['frame.number', 'frame.protocols', 'udp.srcport', 'tcp.srcport', 'tcp.dstport', 'tcp.len', 'tcp.reassembled_in',
  'tls.record.length', 'tls.record.content_type', 'tls.reassembled_in',
  'radius.code', 'radius.authenticator.invalid', 'diameter.cmd.code', 'diameter.Result-Code',
  '_ws.malformed', '_ws.expert.message', '_ws.expert.severity', '_ws.expert.group'] as const;
/** Wireshark's PI_ERROR and PI_MALFORMED (epan/proto.h). */
const SEVERITY_ERROR = 0x00800000;
const GROUP_MALFORMED = 0x07000000;
/** Between the occurrences of a field: expert messages may hold commas. */
const AGGREGATOR = '\x1f';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** How many times the global `re` matches `text` (e.g. radclient's "Received …" lines). */
export const matches = (text: string, re: RegExp): number => (text.match(re) ?? []).length;

export class EngineWire {
  /** Replies the test saw from the engine; add with saw(). */
  replies = 0;
  private capture: TsharkCapture | undefined;
  private ports: EnginePorts = {};
  private dir: string | undefined;
  /** Set when check() failed: the capture file stays for a look with Wireshark. */
  private keep = false;
  private tshark = '';

  saw(n = 1): void {
    this.replies += n;
  }

  /** Starts capturing the engine's ports on lo (counting replies from 0); call before the engine sends anything the test counts. */
  async start(ports: EnginePorts): Promise<void> {
    this.tshark = requireTool('tshark', TSHARK_PACKAGE);
    this.ports = ports;
    this.replies = 0;
    this.keep = false;
    const [src, dst] = ports.engineOnly ? ['src ', 'dst '] : ['', ''];
    const filter = [...(ports.radius ?? []).map((p) => `udp ${src}port ${p}`), ...(ports.diameter ?? []).map((p) => `tcp ${src}port ${p}`),
      ...(ports.diameterPeers ?? []).map((p) => `tcp ${dst}port ${p}`)].join(' or ');
    assert.ok(filter, 'no engine port to capture');
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'areg-wire-'));
    this.capture = new TsharkCapture(this.tshark, filter, this.pcap());
    await this.capture.start(600);
  }

  /** Stops the capture, decodes it once and asserts; returns the engine's frames for further checks. */
  async check(): Promise<WireFrame[]> {
    assert.ok(this.capture && this.dir, 'the capture was not started');
    // Let the last replies reach the capture file before it is closed.
    await sleep(1000);
    await this.capture.stop();
    const { radius = [], diameter = [], diameterPeers = [], secret, tlsKeylog } = this.ports;
    const opts = [
      '-2', '-n', ...radius.map((p) => ['-d', `udp.port==${p},radius`]).flat(),
      ...[...diameter, ...diameterPeers].map((p) => (tlsKeylog ? ['-d', `tcp.port==${p},tls`, '-d', `tls.port==${p},diameter`] : ['-d', `tcp.port==${p},diameter`])).flat(),
      ...(tlsKeylog ? ['-o', `tls.keylog_file:${tlsKeylog}`] : []),
      '-o', 'tcp.desegment_tcp_streams:TRUE', '-o', 'diameter.desegment:TRUE',
      ...(secret ? ['-o', `radius.shared_secret:${secret}`, '-o', 'radius.validate_authenticator:TRUE'] : []),
    ];
    const out = await this.read([...opts, '-T', 'fields', '-E', 'separator=/t', '-E', 'occurrence=a', '-E', `aggregator=${AGGREGATOR}`, ...FIELDS.flatMap((f) => ['-e', f])]);
    const frames: WireFrame[] = [];
    const bad: { frame: number; why: string }[] = [];
    for (const line of out.split('\n')) {
      if (!line) continue;
      const v = Object.fromEntries(line.split('\t').map((x, i) => [FIELDS[i]!, x])) as Record<(typeof FIELDS)[number], string>;
      const list = (f: (typeof FIELDS)[number]): string[] => (v[f] ? v[f].split(AGGREGATOR) : []);
      const frame = Number(v['frame.number']);
      const udp = Number(v['udp.srcport']);
      const fromEngine = radius.includes(udp) || diameter.includes(Number(v['tcp.srcport'])) || diameterPeers.includes(Number(v['tcp.dstport']));
      if (!fromEngine) continue;
      const protocols = v['frame.protocols'].split(':');
      const [severities, groups] = [list('_ws.expert.severity').map(Number), list('_ws.expert.group').map(Number)];
      const flagged = list('_ws.expert.message').map((message, i) => ({ message, error: severities[i]! >= SEVERITY_ERROR, malformed: groups[i] === GROUP_MALFORMED }))
        .filter((e) => e.error || e.malformed);
      const why = flagged.map((e) => `${e.message} (${[e.error ? 'error' : '', e.malformed ? 'malformed' : ''].filter(Boolean).join(', ')})`);
      if (v['_ws.malformed'] && flagged.length === 0) why.push('malformed');
      if (list('radius.authenticator.invalid').some((b) => b === '1' || b === 'True')) why.push('invalid Response Authenticator');
      if (udp && !protocols.includes('radius')) why.push(`not decoded as RADIUS (${v['frame.protocols']})`);
      // A Diameter message (or TLS record) spread over several segments is decoded in its last one.
      const diameterOk = protocols.includes('diameter') || v['tcp.reassembled_in'];
      if (protocols.includes('tls')) {
        // Each record has a Length; a record the keys did not decrypt has no (inner) Content Type.
        const types = list('tls.record.content_type');
        if (types.length < list('tls.record.length').length) why.push('TLS record not decrypted');
        if (types.includes('23') && !diameterOk && !v['tls.reassembled_in']) why.push(`TLS application data not decoded as Diameter (${v['frame.protocols']})`);
      } else if (!udp && Number(v['tcp.len']) > 0 && !diameterOk) why.push(`not decoded as Diameter (${v['frame.protocols']})`);
      if (why.length) bad.push({ frame, why: why.join(', ') });
      frames.push({
        frame,
        radiusCode: v['radius.code'] ? Number(v['radius.code']) : undefined,
        diameterCommands: list('diameter.cmd.code').map(Number),
        resultCodes: list('diameter.Result-Code').map(Number),
      });
    }
    const pcap = `tshark -r ${this.pcap()} ${opts.join(' ')}`;
    this.keep = true;
    if (bad.length) {
      const shown = bad.slice(0, 3);
      const detail = await this.read([...opts, '-V', '-Y', `frame.number in {${shown.map((b) => b.frame).join(', ')}}`]);
      assert.fail(`tshark flags ${bad.length} packet(s) the engine sent: ${bad.map((b) => `frame ${b.frame}: ${b.why}`).slice(0, 10).join('; ')}\n` +
        `${pcap}\n${detail.slice(0, 20_000)}`);
    }
    const decoded = frames.reduce((n, f) => n + (f.radiusCode !== undefined ? 1 : 0) + f.diameterCommands.length, 0);
    assert.ok(this.replies > 0, 'the test counted no reply from the engine');
    assert.ok(decoded >= this.replies,
      `tshark decoded ${decoded} packet(s) from the engine, the test saw ${this.replies} replies: ${pcap}\n${this.capture.output.trim()}`);
    this.keep = false;
    return frames;
  }

  /** Ends the capture (if check() did not) and removes the capture file unless check() failed or `discard`. */
  async stop(discard = false): Promise<void> {
    await this.capture?.stop();
    if (this.dir && (discard || !this.keep)) fs.rmSync(this.dir, { recursive: true, force: true });
    this.dir = undefined;
  }

  private pcap(): string {
    return path.join(this.dir!, 'engine.pcap');
  }

  private read(args: string[]): Promise<string> {
    return new Promise((resolve, reject) => {
      execFile(this.tshark, ['-r', this.pcap(), ...args], { maxBuffer: 1 << 30, timeout: 120_000 }, (err, stdout, stderr) => {
        if (err) reject(new Error(`tshark -r failed: ${err.message}\n${stderr}`));
        else resolve(stdout);
      });
    });
  }
}

/**
 * Checks the wire of the calling describe block: call it after the hook that starts the engine (its before hook
 * runs after those registered earlier) and after the block's tests (its test runs last). `ports` is read when the
 * capture starts; `more` gets the engine's decoded frames for test-specific checks.
 */
export function checkEngineWire(ports: () => EnginePorts, more?: (frames: WireFrame[]) => void): EngineWire {
  const wire = new EngineWire();
  before(async function () {
    this.timeout(30_000);
    await wire.start(ports());
  });
  it('tshark decodes every packet the engine sent, none malformed or with an error expert item, at least one per reply seen', async function () {
    this.timeout(150_000);
    const frames = await wire.check();
    more?.(frames);
  });
  after(async () => wire.stop());
  return wire;
}
