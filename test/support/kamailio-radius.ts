// A RADIUS handler without sockets for the SIP (Kamailio / radcli) and MS-CHAP tests: the factory tree plus
// the test's edits, the real handler and pipeline, requests built by our codec as a client of the given
// Dialect would send them, the answer decoded (hidden attributes unhidden) with the client's secret.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildEngineConfig, type EngineConfig } from '../../src/config/view.js';
import { CounterRegistry } from '../../src/counters/index.js';
import { InFlight, type EngineContext } from '../../src/engine/process/context.js';
import { HealthSources } from '../../src/engine/process/health.js';
import type { LoadedConfig } from '../../src/engine/process/config.js';
import type { AregHome } from '../../src/home.js';
import type { Log } from '../../src/log/logger.js';
import { Tracer } from '../../src/log/tracer.js';
import {
  attribute, decodePacket, encodePacket, PacketCode, randomBytes, type AttributeInput, type AttributeValue, type Dialect, type Dictionary, type RadiusPacket,
} from '../../src/radius/index.js';
import { RadiusHandler, RadiusShared, type Source } from '../../src/radius/server/handler.js';
import type { TreeNode } from '../../src/schema/model.js';
import { propOf } from '../../src/schema/registry.js';
import { SecretBox } from '../../src/store/secrets.js';
import { addChild, setPair, setProp } from '../../src/tree/edit.js';
import { seedTree } from '../../src/tree/seed.js';
import { nodeAt } from '../../src/tree/tree.js';

const SECRET = 'secret'; // the factory client localhost (127.0.0.1)
const silentLog: Log = { log() {}, info() {}, warning() {}, error() {}, debug() {} };

/** Tree edits in aregcmd terms: `set` a property, `add` a child, `attr` a reply/check attribute. */
export class TreeEditor {
  constructor(readonly root: TreeNode, readonly box: SecretBox) {}

  node(p: string): TreeNode {
    const n = nodeAt(this.root, p.split('/').filter(Boolean));
    if (!n) throw new Error(`no ${p}`);
    return n;
  }

  set(p: string, prop: string, value: string): this {
    const n = this.node(p);
    setProp(n, propOf(n, prop)!, value, this.box);
    return this;
  }

  add(p: string, name: string, ...positional: string[]): this {
    addChild(this.node(p), name, positional, this.box);
    return this;
  }

  attr(p: string, name: string, ...values: string[]): this {
    setPair(this.node(p), name, values);
    return this;
  }
}

export interface RadiusFixture {
  /** One Access-Request from the `localhost` client (Message-Authenticator included); the decoded answer. */
  request(attributes: (dictionary: Dictionary) => AttributeInput[]): Promise<RadiusPacket>;
  dictionary: Dictionary;
  /** The trace lines written (level 5). */
  trace: string[];
  close(): void;
}

/** The handler over the factory tree after `edit`; the client `localhost` speaks `dialect`. */
export function radiusFixture(dialect: Dialect, edit: (t: TreeEditor) => void = () => {}): RadiusFixture {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'areg-radius-handler-'));
  const box = SecretBox.open(path.join(dir, 'key'));
  const root = seedTree(box, 'server.test');
  const t = new TreeEditor(root, box);
  t.set('Radius/Clients/localhost', 'Dialect', dialect);
  t.set('Radius/Advanced', 'LogDirectory', dir);
  edit(t);
  const home = { root: dir } as unknown as AregHome;
  const config: EngineConfig = buildEngineConfig(root, box, home);
  const trace: string[] = [];
  const tracer = new Tracer({ write: (l: string) => void trace.push(l) }, 5);
  const ctx: EngineContext = {
    home,
    current: { revision: 1, savedAt: new Date().toISOString(), config } as unknown as LoadedConfig,
    log: silentLog,
    tracer,
    counters: new CounterRegistry(),
    health: new HealthSources(),
    inFlight: new InFlight(),
    onReload() {},
    registerVerb() {},
    onStop() {},
  };
  const dictionary = config.radiusDictionary(dialect, PacketCode.AccessRequest);
  let pending: ((b: Buffer) => void) | undefined;
  const handler = new RadiusHandler(ctx, new RadiusShared(ctx), 'auth', (b: Buffer) => pending?.(b));
  let port = 40000;
  return {
    dictionary,
    trace,
    async request(build) {
      const requestAuthenticator = randomBytes(16);
      const msg = encodePacket(
        { code: PacketCode.AccessRequest, identifier: port & 255, authenticator: requestAuthenticator, attributes: build(dictionary) },
        dictionary,
        { secret: SECRET, messageAuthenticator: true },
      );
      const answer = new Promise<Buffer>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no answer; trace:\n${trace.join('\n')}`)), 5_000);
        pending = (b) => {
          clearTimeout(timer);
          resolve(b);
        };
      });
      const from: Source = { address: '127.0.0.1', port: port++ };
      handler.handle(msg, from);
      const out = await answer;
      return decodePacket(out, dictionary, { secret: SECRET, requestAuthenticator: msg.subarray(4, 20) });
    },
    close() {
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** `Name = value` attributes by dictionary name. */
export function attrs(dictionary: Dictionary, pairs: readonly (readonly [string, AttributeValue])[]): AttributeInput[] {
  return pairs.map(([n, v]) => attribute(dictionary, n, v));
}

/** The decoded values of attribute `name` in `packet`. */
export function valuesOf(packet: RadiusPacket, dictionary: Dictionary, name: string): AttributeValue[] {
  const def = dictionary.attribute(name);
  return packet.attributes.filter((a) => a.def === def).map((a) => a.value);
}
