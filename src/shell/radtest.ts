// A test Access-Request to the running engine, as radtest does: built and checked with
// areg's own codec, sent from loopback with the secret of the client that covers it.
import dgram from 'node:dgram';
import type { TreeNode } from '../schema/model.js';
import { parseAddressRange, ipToBigInt } from '../schema/types.js';
import type { SecretBox } from '../store/secrets.js';
import {
  attribute, chapPassword, decodePacket, dictionaryForDialect, encodePacket, formatAttribute, packetCodeName,
  randomBytes, verifyMessageAuthenticator, verifyResponseAuthenticator, PacketCode, type Dialect, type Dictionary,
} from '../radius/index.js';
import { layerDictionary, treeDictionaryData } from '../config/radius-dictionary.js';

export interface RadtestRequest {
  user: string;
  password: string;
  method: 'pap' | 'chap';
  /** Source and destination address (the engine listens on it). */
  address: string;
  timeoutMs: number;
  tries: number;
}

export interface RadtestTarget {
  client: string;
  secret: string;
  /** The client's dialect with the saved tree's own attributes on top, as the engine reads its packets. */
  dictionary: Dictionary;
  port: number;
}

/** The client covering `address` and the first auth port of a saved tree. */
export function radtestTarget(root: TreeNode, box: SecretBox, address: string): RadtestTarget | string {
  const radius = root.$children!.Radius;
  const ip = ipToBigInt(address);
  const client = Object.entries(radius.$children?.Clients?.$children ?? {}).find(([, c]) => {
    if (c.Protocol !== 'radius' || typeof c.IPAddress !== 'string') return false;
    const r = parseAddressRange(c.IPAddress);
    return typeof r !== 'string' && ip !== undefined && r.first <= ip && ip <= r.last;
  });
  if (!client) return `no RADIUS client in the saved tree covers ${address}`;
  const ports = Object.entries(radius.$children?.Advanced?.$children?.Ports?.$children ?? {});
  const auth = ports.find(([, p]) => p.Type === 'auth')?.[0] ?? (ports.length ? undefined : '1812');
  if (!auth) return 'the saved tree has no port of Type auth';
  const [name, c] = client;
  const base = dictionaryForDialect(String(c.Dialect ?? 'default') as Dialect, PacketCode.AccessRequest);
  const dictionary = layerDictionary(base, treeDictionaryData(radius.$children!.Advanced)).dictionary;
  return { client: name, secret: box.decrypt(String(c.SharedSecret)), dictionary, port: Number(auth) };
}

export interface RadtestResult {
  lines: string[];
  accepted: boolean;
}

export async function radtest(req: RadtestRequest, target: RadtestTarget): Promise<RadtestResult> {
  const dict = target.dictionary;
  const authenticator = randomBytes(16);
  const identifier = authenticator[0];
  const secret = target.secret;
  const proof = req.method === 'pap'
    ? attribute(dict, 'User-Password', req.password)
    : attribute(dict, 'CHAP-Password', chapPassword(identifier, req.password, authenticator));
  const packet = encodePacket({
    code: PacketCode.AccessRequest,
    identifier,
    authenticator,
    attributes: [attribute(dict, 'User-Name', req.user), proof, attribute(dict, 'NAS-IP-Address', req.address), attribute(dict, 'NAS-Port', 0)],
  }, dict, { secret, messageAuthenticator: true });
  const reply = await exchange(packet, req, target.port);
  if (!reply) return { lines: [`No reply from ${req.address}:${target.port} after ${req.tries} tries (is the engine running with this saved tree?)`], accepted: false };
  if (reply[1] !== identifier || !verifyResponseAuthenticator(reply, authenticator, secret)) {
    return { lines: [`Reply from ${req.address}:${target.port} failed the Response Authenticator check (shared secret of client ${target.client}?)`], accepted: false };
  }
  const decoded = decodePacket(reply, dict, { secret, requestAuthenticator: authenticator });
  if (decoded.messageAuthenticatorOffset >= 0 && !verifyMessageAuthenticator(reply, decoded.messageAuthenticatorOffset, secret, authenticator)) {
    return { lines: ['Reply carries a wrong Message-Authenticator'], accepted: false };
  }
  const lines = [`Received ${packetCodeName(decoded.code)} Id ${identifier} from ${req.address}:${target.port} length ${reply.length}`];
  for (const a of decoded.attributes) lines.push(`    ${formatAttribute(dict, a)}`);
  return { lines, accepted: decoded.code === PacketCode.AccessAccept };
}

function exchange(packet: Buffer, req: RadtestRequest, port: number): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket(req.address.includes(':') ? 'udp6' : 'udp4');
    let tries = 0;
    let timer: NodeJS.Timeout | undefined;
    const done = (b: Buffer | undefined) => {
      clearTimeout(timer);
      socket.close();
      resolve(b);
    };
    const send = () => {
      if (tries++ >= req.tries) return done(undefined);
      socket.send(packet, port, req.address);
      timer = setTimeout(send, req.timeoutMs);
    };
    socket.on('message', (msg) => done(msg));
    socket.on('error', () => done(undefined));
    socket.bind(0, req.address, send);
  });
}
