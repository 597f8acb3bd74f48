// The engine's typed configuration, built once per loaded revision from the saved tree.
// Protocol modules read the sections they need; the generic `radius` object gives access
// to everything else by path.
import path from 'node:path';
import type { AregHome } from '../home.js';
import type { TreeNode } from '../schema/model.js';
import type { SecretBox } from '../store/secrets.js';
import { ConfigObject } from './object.js';
import { layerDictionary, treeDictionaryData } from './radius-dictionary.js';
import { dialects, dictionaryForDialect, PacketCode, type Dialect, type Dictionary } from '../radius/index.js';

export type PortType = 'auth' | 'acct' | 'dynauth';

export interface AdvancedConfig {
  traceLevel: number;
  /** Absolute. */
  logDirectory: string;
  logFileSize: number;
  logFileCount: number;
  traceFileSize: number;
  traceFileCount: number;
  logServerActivity: boolean;
  maxRadiusPackets: number;
  fileSyncIntervalMs: number;
  defaultReplyMessage: string;
  duplicateDetection: boolean;
  duplicateIntervalSec: number;
  udpReceiveBufferSize: number;
  accessRejectDelayMs: number;
}

export interface DiameterTransportConfig {
  identity: string;
  realm: string;
  tcpListenPort: number;
  tlsListenPort: number | undefined;
  useIPv6: boolean;
  watchdogTimeoutMs: number;
  reconnectIntervalMs: number;
  validateIncoming: boolean;
}

export interface EngineConfig {
  /** /Radius with every descendant. */
  radius: ConfigObject;
  advanced: AdvancedConfig;
  ports: { port: number; type: PortType }[];
  interfaces: string[];
  diameter: { transport: DiameterTransportConfig | undefined; general: ConfigObject };
  /** The dictionary for packets of `code` from a client of `dialect`: built-in, plus what the tree defines. */
  radiusDictionary(dialect: Dialect, code?: number): Dictionary;
  /** Tree dictionary entries that do not fit a dialect's built-in dictionary (the RADIUS server logs them). */
  radiusDictionaryProblems: string[];
}

const DEFAULT_PORTS: { port: number; type: PortType }[] = [
  { port: 1812, type: 'auth' },
  { port: 1813, type: 'acct' },
];

export function buildEngineConfig(root: TreeNode, box: SecretBox, home: AregHome): EngineConfig {
  const radius = new ConfigObject('Radius', '/Radius', root.$children!.Radius, box);
  const adv = radius.child('Advanced')!;
  const advanced: AdvancedConfig = {
    traceLevel: adv.num('TraceLevel'),
    logDirectory: path.resolve(home.root, adv.str('LogDirectory') || 'logs'),
    logFileSize: adv.num('LogFileSize'),
    logFileCount: adv.num('LogFileCount'),
    traceFileSize: adv.num('TraceFileSize'),
    traceFileCount: adv.num('TraceFileCount'),
    logServerActivity: adv.bool('LogServerActivity'),
    maxRadiusPackets: adv.num('MaximumNumberOfRadiusPackets'),
    fileSyncIntervalMs: adv.num('AAAFileServiceSyncInterval'),
    defaultReplyMessage: adv.str('DefaultReplyMessage'),
    duplicateDetection: adv.bool('AdvancedDuplicateDetectionEnabled'),
    duplicateIntervalSec: adv.num('AdvancedDuplicateDetectionMemoryInterval'),
    udpReceiveBufferSize: adv.num('UDPReceiveBufferSize'),
    accessRejectDelayMs: adv.num('AccessRejectDelay'),
  };
  const portObjects = [...(adv.child('Ports')?.children.values() ?? [])];
  const ports = portObjects.length
    ? portObjects.map((p) => ({ port: Number(p.name), type: p.str('Type') as PortType }))
    : DEFAULT_PORTS;
  const interfaces = (adv.child('Interfaces')?.list ?? []).map(String);
  const dia = adv.child('Diameter')!;
  const tm = dia.child('TransportManagement')!;
  const transport: DiameterTransportConfig | undefined = tm.str('Identity') && tm.str('Realm')
    ? {
      identity: tm.str('Identity'),
      realm: tm.str('Realm'),
      tcpListenPort: tm.num('TCPListenPort'),
      tlsListenPort: tm.props.TLSListenPort === undefined || tm.props.TLSListenPort === '' ? undefined : tm.num('TLSListenPort'),
      useIPv6: tm.bool('UseIPv6'),
      watchdogTimeoutMs: tm.num('WatchdogTimeout'),
      reconnectIntervalMs: tm.num('ReconnectInterval'),
      validateIncoming: tm.bool('ValidateIncomingMessages'),
    }
    : undefined;
  const layer = treeDictionaryData(root.$children!.Radius.$children!.Advanced);
  // Built once per revision and built-in base (the bases are shared process-wide), before any packet needs one,
  // so that entries of the tree that do not fit a dialect are known at load.
  const layered = new Map<Dictionary, Dictionary>();
  const radiusDictionaryProblems: string[] = [];
  const hasLayer = layer.attributes.length > 0 || layer.values.length > 0 || layer.vendors.length > 0;
  if (hasLayer) {
    for (const dialect of dialects) {
      for (const code of [PacketCode.AccessRequest, PacketCode.AccountingRequest]) {
        const base = dictionaryForDialect(dialect, code);
        if (layered.has(base)) continue;
        const r = layerDictionary(base, layer);
        for (const p of r.problems) radiusDictionaryProblems.push(`${dialect}: ${p}`);
        layered.set(base, r.dictionary);
      }
    }
  }
  const radiusDictionary = (dialect: Dialect, code?: number): Dictionary => {
    const base = dictionaryForDialect(dialect, code);
    return layered.get(base) ?? base;
  };
  return { radius, advanced, ports, interfaces, diameter: { transport, general: dia.child('General')! }, radiusDictionary, radiusDictionaryProblems };
}
