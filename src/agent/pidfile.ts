// Pid files and the control socket file: liveness checks and stale-file cleanup.
import fs from 'node:fs';
import net from 'node:net';

/** True if a process with this pid exists (EPERM: exists but not ours — still alive). A zombie (exited,
 * not yet reaped — a daemon whose parent is a slow or absent reaper) counts as dead. */
export function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !isZombie(pid);
}

function isZombie(pid: number): boolean {
  try {
    // /proc/<pid>/stat: `pid (comm) S …` — comm may contain spaces and parentheses: take the last ')'.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
  } catch {
    return false;
  }
}

/** The pid in `file`, or undefined if it is missing or unreadable. */
export function readPidFile(file: string): number | undefined {
  try {
    const pid = Number.parseInt(fs.readFileSync(file, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** The pid in `file` if that process is alive; otherwise removes a stale file and returns undefined. */
export function livePid(file: string): number | undefined {
  const pid = readPidFile(file);
  if (pid !== undefined && isAlive(pid)) return pid;
  if (fs.existsSync(file)) fs.rmSync(file, { force: true });
  return undefined;
}

/** Creates `file` holding `pid`, failing with EEXIST if it already exists (two agents starting at once). */
export function writePidFileExclusive(file: string, pid: number = process.pid): void {
  fs.writeFileSync(file, `${pid}\n`, { flag: 'wx', mode: 0o644 });
}

export function writePidFile(file: string, pid: number): void {
  fs.writeFileSync(file, `${pid}\n`, { mode: 0o644 });
}

/** Removes `file` only if it still holds `pid` (never another process's file). */
export function removePidFile(file: string, pid: number = process.pid): void {
  if (readPidFile(file) === pid) fs.rmSync(file, { force: true });
}

/** True if something accepts connections on the unix socket `file`. */
export function socketAnswers(file: string, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    if (!fs.existsSync(file)) return resolve(false);
    const s = net.createConnection(file);
    const done = (ok: boolean): void => {
      clearTimeout(t);
      s.destroy();
      resolve(ok);
    };
    const t = setTimeout(() => done(false), timeoutMs);
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}
