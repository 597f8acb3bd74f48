// The data directory ($AREG_HOME) and the fixed places inside it. Every process
// (shell, agent, engine) derives its paths from here so that they always agree.
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import path from 'node:path';

/** The package root (found from src/ under tsx and from dist/src/ when built): the default AREG_HOME,
 * as the original installs into /opt/CSCOar. */
export const packageRoot = findPackageRoot(path.dirname(fileURLToPath(import.meta.url)));

function findPackageRoot(dir: string): string {
  for (let d = dir; ; d = path.dirname(d)) {
    if (existsSync(path.join(d, 'package.json'))) return d;
    if (path.dirname(d) === d) return dir;
  }
}

export interface AregHome {
  root: string;
  /** data/db/store.json: the saved configuration tree (lowdb). */
  store: string;
  dbDir: string;
  /** data/radius: session backing files. */
  sessionDir: string;
  logs: string;
  run: string;
  agentSock: string;
  agentPid: string;
  enginePid: string;
  sessions: string;
  scripts: string;
  /** data/db/secret.key: the per-install key that encrypts stored secrets. */
  keyFile: string;
}

export function resolveHome(explicit?: string): AregHome {
  const root = path.resolve(explicit ?? process.env.AREG_HOME ?? packageRoot);
  const dbDir = path.join(root, 'data', 'db');
  const run = path.join(root, 'run');
  return {
    root,
    store: path.join(dbDir, 'store.json'),
    dbDir,
    sessionDir: path.join(root, 'data', 'radius'),
    logs: path.join(root, 'logs'),
    run,
    agentSock: path.join(run, 'agent.sock'),
    agentPid: path.join(run, 'agent.pid'),
    enginePid: path.join(run, 'engine.pid'),
    sessions: path.join(run, 'sessions'),
    scripts: path.join(root, 'scripts'),
    keyFile: path.join(dbDir, 'secret.key'),
  };
}
