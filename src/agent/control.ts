// What `arserver` does to the agent: start it as a daemon, stop it, read its status; and the text of
// `arserver status`.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import fs from 'node:fs';
import path from 'node:path';
import type { AregHome } from '../home.js';
import { serverStatusLine } from '../engine/process/health.js';
import { agentRequest, AgentNotRunningError } from './client.js';
import { isAlive, livePid, readPidFile, socketAnswers } from './pidfile.js';
import type { AgentStatus } from './protocol.js';

/** Pid of a live agent, cleaning a stale pid file and socket when the process is gone. */
export function runningAgentPid(home: AregHome): number | undefined {
  const pid = livePid(home.agentPid);
  if (pid === undefined) {
    cleanStale(home);
    return undefined;
  }
  return pid;
}

/** Removes pid files and the socket of dead processes. */
export function cleanStale(home: AregHome): void {
  if (livePid(home.agentPid) === undefined) {
    fs.rmSync(home.agentSock, { force: true });
  }
  livePid(home.enginePid);
}

function agentEntry(): { script: string; execArgv: string[] } {
  const here = fileURLToPath(import.meta.url);
  const ts = here.endsWith('.ts');
  return { script: path.join(path.dirname(here), ts ? 'main.ts' : 'main.js'), execArgv: ts ? ['--import', 'tsx'] : [] };
}

export type StartResult =
  | { result: 'started'; pid: number; status: AgentStatus }
  | { result: 'already-running'; pid: number; status: AgentStatus | undefined }
  | { result: 'failed'; error: string; status?: AgentStatus };

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Spawns the agent detached and waits until its socket answers and the engine has either started or
 * failed its first start. The agent's early stdout/stderr go to `run/agent.out`. */
export async function startAgentDaemon(home: AregHome, opts: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<StartResult> {
  const timeoutMs = opts.timeoutMs ?? 45_000;
  const existing = runningAgentPid(home);
  if (existing !== undefined) {
    const status = await agentRequest<AgentStatus>(home, 'status').catch(() => undefined);
    return { result: 'already-running', pid: existing, status };
  }
  fs.mkdirSync(home.run, { recursive: true, mode: 0o700 });
  const outFile = path.join(home.run, 'agent.out');
  const out = fs.openSync(outFile, 'w');
  const { script, execArgv } = agentEntry();
  const child = spawn(process.execPath, [...execArgv, script], {
    detached: true,
    stdio: ['ignore', out, out],
    env: { ...(opts.env ?? process.env), AREG_HOME: home.root },
  });
  fs.closeSync(out);
  let exited: { code: number | null; signal: string | null } | undefined;
  child.once('exit', (code, signal) => (exited = { code, signal }));
  child.once('error', (e) => (exited = { code: null, signal: e.message }));

  const deadline = Date.now() + timeoutMs;
  const output = (): string => {
    try {
      return fs.readFileSync(outFile, 'utf8').trim();
    } catch {
      return '';
    }
  };
  try {
    // 1. The agent is up when its socket answers.
    let status: AgentStatus | undefined;
    while (Date.now() < deadline) {
      if (exited) {
        const text = output();
        if (exited.code === 1) {
          const pid = readPidFile(home.agentPid);
          if (pid !== undefined && isAlive(pid)) return { result: 'already-running', pid, status: undefined };
        }
        return { result: 'failed', error: text || `the Server Agent exited (${exited.signal ?? `code ${exited.code}`})` };
      }
      if (await socketAnswers(home.agentSock, 500)) {
        status = await agentRequest<AgentStatus>(home, 'status').catch(() => undefined);
        if (status) break;
      }
      await sleep(100);
    }
    if (!status) return { result: 'failed', error: `the Server Agent did not come up within ${timeoutMs / 1000} s` };
    // 2. Wait for the engine's first start to finish one way or the other.
    while (status.engine.state === 'starting' && Date.now() < deadline) {
      await sleep(100);
      status = await agentRequest<AgentStatus>(home, 'status');
    }
    if (!status.engine.running) {
      return { result: 'failed', error: `the RADIUS server failed to start: ${status.engine.lastError ?? status.engine.lastExit?.reason ?? 'unknown reason'}`, status };
    }
    return { result: 'started', pid: status.agent.pid, status };
  } finally {
    child.unref();
  }
}

/** Asks the agent to shut down (falls back to SIGTERM) and waits for it to exit; kills it (and the engine)
 * after `timeoutMs`. Resolves false if no agent was running. */
export async function stopAgent(home: AregHome, opts: { timeoutMs?: number } = {}): Promise<boolean> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const pid = runningAgentPid(home);
  if (pid === undefined) return false;
  try {
    await agentRequest(home, 'shutdown', {}, { timeoutMs: 5000 });
  } catch {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid) && Date.now() < deadline) await sleep(100);
  if (isAlive(pid)) {
    const enginePid = readPidFile(home.enginePid);
    for (const p of [pid, enginePid]) {
      if (p !== undefined && isAlive(p)) {
        try {
          process.kill(p, 'SIGKILL');
        } catch {
          // gone
        }
      }
    }
    await sleep(200);
  }
  cleanStale(home);
  return true;
}

/** The agent's status, or undefined if it is not running. */
export async function agentStatus(home: AregHome): Promise<AgentStatus | undefined> {
  if (runningAgentPid(home) === undefined) return undefined;
  try {
    return await agentRequest<AgentStatus>(home, 'status');
  } catch (e) {
    if (e instanceof AgentNotRunningError) return undefined;
    throw e;
  }
}

/** Socket present and answering (for callers that only need a yes/no). */
export function agentAnswers(home: AregHome): Promise<boolean> {
  return socketAnswers(home.agentSock);
}

function duration(sec: number): string {
  const d = Math.floor(sec / 86400);
  const h = Math.floor((sec % 86400) / 3600);
  const m = Math.floor((sec % 3600) / 60);
  const s = sec % 60;
  const hms = `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
  return d > 0 ? `${d}d ${hms}` : hms;
}

/** The three lines of aregcmd.md §12. */
export function statusSummary(status: AgentStatus | undefined): string[] {
  if (!status) {
    return ['areg Server Agent is not running', 'areg RADIUS server is not running', serverStatusLine(false, 0)];
  }
  const e = status.engine;
  return [
    `areg Server Agent running (pid: ${status.agent.pid})`,
    e.running ? `areg RADIUS server running (pid: ${e.pid})` : `areg RADIUS server is not running (${describeState(status)})`,
    status.statusLine,
  ];
}

function describeState(status: AgentStatus): string {
  const e = status.engine;
  switch (e.state) {
    case 'waiting':
      return `restarting at ${e.nextRestartAt ?? '?'}`;
    case 'starting':
      return 'starting';
    case 'stopping':
      return 'stopping';
    default:
      return 'stopped';
  }
}

/** The detail lines under the summary: engine, configuration, ports, restarts, counters. */
export function statusDetail(status: AgentStatus): string[] {
  const e = status.engine;
  const out: string[] = [''];
  out.push(`Server Agent: pid ${status.agent.pid}, up ${duration(status.agent.uptimeSec)}, home ${status.agent.home}${status.agent.foreground ? ', foreground' : ''}`);
  if (e.running) {
    out.push(`RADIUS server: pid ${e.pid}, up ${duration(e.uptimeSec ?? 0)}, configuration revision ${e.revision ?? '?'} (saved ${e.savedAt ?? '?'})`);
    out.push(`Health: ${e.health} out of 10; trace level ${e.traceLevel ?? '?'}`);
  } else {
    out.push(`RADIUS server: ${e.state}${e.lastError ? `; last error: ${e.lastError}` : ''}`);
  }
  if (e.endpoints.length > 0) {
    out.push('Listening:');
    for (const p of e.endpoints) {
      const addr = p.address.includes(':') ? `[${p.address}]` : p.address;
      const note = p.state === 'failed' ? ` FAILED: ${p.error ?? ''}` : p.state === 'unserved' ? ' (no listener in this build)' : '';
      out.push(`    ${addr}:${p.bound?.port ?? p.port}/${p.transport} ${p.label} ${p.state}${note}`);
    }
  }
  const last = e.lastExit;
  out.push(
    `Restarts: ${e.restarts}` +
      (last ? `; last exit: pid ${last.pid} ${last.reason} at ${last.at}${last.expected ? ' (requested)' : ''}` : '') +
      (e.nextRestartAt ? `; next start at ${e.nextRestartAt}` : ''),
  );
  if (e.counters) {
    out.push('Counters:');
    for (const [k, v] of Object.entries(e.counters)) out.push(`    ${k} = ${String(v)}`);
  }
  return out;
}
