// Text form of a counters snapshot, as `stats` and `dia-stats` print it (aregcmd.md §13):
// `Name = value` lines under section headings.
import type { CountersSnapshot, GaugeValue, ObjectSnapshot } from './registry.js';
import { RADIUS_GLOBAL_COUNTERS, SECTIONS } from './names.js';

function value(v: GaugeValue): string {
  if (v === null) return '';
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  return String(v);
}

function objectLines(name: string, o: ObjectSnapshot, indent: string): string[] {
  const out = [`${indent}${name}:`];
  const tallies: [string, Record<string, number>][] = [];
  for (const [k, v] of Object.entries(o)) {
    if (v !== null && typeof v === 'object') tallies.push([k, v]);
    else out.push(`${indent}  ${k} = ${value(v)}`);
  }
  for (const [, t] of tallies) {
    for (const [k, n] of Object.entries(t)) out.push(`${indent}  ${k} = ${n}`);
  }
  return out;
}

/** `stats`: global RADIUS counters, then clients and remote servers (when any exist). */
export function formatRadiusStats(s: CountersSnapshot, server = 'Radius'): string[] {
  const out = [`Global Statistics for ${server}:`];
  out.push(`    serverStartTime = ${s.serverStartTime}`);
  out.push(`    serverResetTime = ${s.serverResetTime}`);
  out.push(`    serverState = ${s.serverState}`);
  if ('totalPacketsInPool' in s.radius) out.push(`    totalPacketsInPool = ${value(s.radius.totalPacketsInPool ?? 0)}`);
  for (const name of RADIUS_GLOBAL_COUNTERS) out.push(`    ${name} = ${value(s.radius[name] ?? 0)}`);
  for (const [k, v] of Object.entries(s.radius)) {
    if (k !== 'totalPacketsInPool' && !(RADIUS_GLOBAL_COUNTERS as readonly string[]).includes(k)) {
      out.push(`    ${k} = ${value(v)}`);
    }
  }
  const section = (title: string, name: string): void => {
    const objs = s.sections[name];
    if (!objs || Object.keys(objs).length === 0) return;
    out.push(title);
    for (const [k, o] of Object.entries(objs)) out.push(...objectLines(k, o, '  '));
  };
  section('Remote Server Statistics:', SECTIONS.remoteServers);
  section('Client Statistics:', SECTIONS.clients);
  section('Service Statistics:', SECTIONS.services);
  return out;
}

/** `dia-stats [<peer>]`: one block per Diameter peer, from the engine's `{ peers }` reply. */
export function formatDiameterPeers(peers: CountersSnapshot['sections'][string], peer?: string): string[] {
  const names = Object.keys(peers).filter((p) => peer === undefined || p.toLowerCase() === peer.toLowerCase());
  if (names.length === 0) return [peer === undefined ? 'No Diameter peers' : `No Diameter peer named ${peer}`];
  const out = ['Diameter Peer Statistics:'];
  for (const n of names) out.push(...objectLines(n, peers[n]!, '  '));
  return out;
}
