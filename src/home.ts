// The data directory ($AREG_HOME) and the fixed places inside it. Every process
// (shell, agent, engine) derives its paths from here so that they always agree.
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The package root: the default AREG_HOME, as the original installs into /opt/CSCOar. */
export const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

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
