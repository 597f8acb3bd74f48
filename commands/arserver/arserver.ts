// `arserver start | stop [--force] | restart | status [--json]` (aregcmd.md §12): controls the Server Agent.
// Run through bin/arserver with Command.run (no oclif manifest or discovery).
import { Args, Command, Flags } from '@oclif/core';
import { resolveHome, type AregHome } from '../../src/home.js';
import {
  agentStatus,
  runningAgentPid,
  startAgentDaemon,
  statusDetail,
  statusSummary,
  stopAgent,
} from '../../src/agent/control.js';
import { listShellSessions } from '../../src/agent/sessions.js';
import { runAgent } from '../../src/agent/main.js';
import { AgentAlreadyRunningError } from '../../src/agent/agent.js';
import type { AgentStatus } from '../../src/agent/protocol.js';

/** Exit statuses (aregcmd.md §12). */
export const EXIT = {
  ok: 0,
  alreadyRunning: 1,
  refused: 1,
  failed: 2,
  /** status: not running (LSB). */
  stopped: 3,
} as const;

export default class ArServer extends Command {
  static override description = 'Start, stop, restart or show the status of the areg Server Agent and its RADIUS server.';
  static override enableJsonFlag = true;
  static override examples = [
    '<%= config.bin %> start',
    '<%= config.bin %> start --foreground',
    '<%= config.bin %> stop --force',
    '<%= config.bin %> status --json',
  ];
  static override args = {
    action: Args.string({
      description: 'what to do',
      required: true,
      options: ['start', 'stop', 'restart', 'status'],
    }),
  };
  static override flags = {
    force: Flags.boolean({ description: 'stop even while aregcmd sessions are open (stop, restart)', default: false }),
    foreground: Flags.boolean({
      description: 'start: run the agent attached (systemd, containers); logs also go to stderr; exits on SIGTERM after a clean stop',
      default: false,
    }),
  };

  private home!: AregHome;

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(ArServer);
    this.home = resolveHome();
    switch (args.action) {
      case 'start':
        return flags.foreground ? this.foreground() : this.start();
      case 'stop':
        return this.stop(flags.force);
      case 'restart': {
        const stopped = await this.stop(flags.force);
        if (process.exitCode) return stopped;
        return this.start();
      }
      default:
        return this.status();
    }
  }

  private say(lines: string[]): void {
    if (!this.jsonEnabled()) for (const l of lines) this.log(l);
  }

  private fail(code: number, message: string): void {
    if (!this.jsonEnabled()) process.stderr.write(`ERROR: ${message}\n`);
    process.exitCode = code;
  }

  private async start(): Promise<unknown> {
    this.say(['Starting areg Server Agent...']);
    const r = await startAgentDaemon(this.home);
    switch (r.result) {
      case 'started':
        this.say(statusSummary(r.status));
        process.exitCode = EXIT.ok;
        return { result: r.result, status: r.status };
      case 'already-running':
        this.fail(EXIT.alreadyRunning, `areg Server Agent is already running (pid: ${r.pid})`);
        this.say(statusSummary(r.status));
        return { result: r.result, pid: r.pid, status: r.status ?? null };
      default:
        this.fail(EXIT.failed, r.error);
        this.say(statusSummary(r.status ?? (await agentStatus(this.home).catch(() => undefined))));
        return { result: r.result, error: r.error, status: r.status ?? null };
    }
  }

  private async foreground(): Promise<unknown> {
    this.say(['Starting areg Server Agent...']);
    const code = await runAgent({
      home: this.home,
      foreground: true,
      onReady: (agent) => {
        agent.log.info('Server', 'Running in the foreground; SIGTERM or Ctrl-C stops');
      },
    }).catch((e: unknown) => {
      this.fail(e instanceof AgentAlreadyRunningError ? EXIT.alreadyRunning : EXIT.failed, (e as Error).message);
      return undefined;
    });
    if (code === undefined) return { result: 'failed' };
    if (code !== 0) {
      process.exitCode = code;
      return { result: code === EXIT.alreadyRunning ? 'already-running' : 'failed' };
    }
    this.say(['areg Server Agent shutdown complete.']);
    return { result: 'stopped' };
  }

  private async stop(force: boolean): Promise<unknown> {
    if (runningAgentPid(this.home) === undefined) {
      this.say(['areg Server Agent is not running']);
      process.exitCode = EXIT.ok;
      return { result: 'not-running' };
    }
    const sessions = listShellSessions(this.home);
    if (sessions.length > 0 && !force) {
      if (!this.jsonEnabled()) {
        process.stderr.write(
          'ERROR: The server cannot be shut down while the CLI (aregcmd) is in use; ' +
            "close these sessions or use 'arserver stop --force':\n",
        );
        for (const s of sessions) process.stderr.write(`${s.pid} ${s.commandLine}\n`);
      }
      process.exitCode = EXIT.refused;
      return { result: 'refused', sessions };
    }
    const stopped = await stopAgent(this.home);
    if (runningAgentPid(this.home) !== undefined) {
      this.fail(EXIT.refused, 'the Server Agent did not stop');
      return { result: 'failed' };
    }
    this.say(['areg Server Agent shutdown complete.']);
    process.exitCode = EXIT.ok;
    return { result: stopped ? 'stopped' : 'not-running', sessions };
  }

  private async status(): Promise<unknown> {
    let status: AgentStatus | undefined;
    try {
      status = await agentStatus(this.home);
    } catch (e) {
      this.fail(EXIT.stopped, `the Server Agent does not answer: ${(e as Error).message}`);
      return { agent: null, engine: null, statusLine: "Server 'Radius' is Stopped" };
    }
    this.say(statusSummary(status));
    if (status) this.say(statusDetail(status));
    process.exitCode = status?.engine.running ? EXIT.ok : EXIT.stopped;
    return status ?? { agent: null, engine: null, statusLine: "Server 'Radius' is Stopped" };
  }
}

/** Entry used by bin/arserver. */
export const USAGE = `Usage: arserver start [--foreground] | stop [--force] | restart [--force] | status [--json]

  start     start the Server Agent (a daemon; attached with --foreground, for systemd and containers),
            which starts the RADIUS server on the saved configuration
  stop      stop the RADIUS server (in-flight requests drain up to 5 s) and the Server Agent;
            refused while aregcmd sessions are open, unless --force
  restart   stop, then start (needed after Diameter transport changes)
  status    state of the agent and the RADIUS server, health, ports, restarts and counters

Exit status: start 0 started, 1 already running, 2 failed; stop 0 stopped, 1 refused or failed;
status 0 running, 3 stopped. Environment: AREG_HOME, the data directory.
`;

export async function main(argv: string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h') || argv[0] === 'help') {
    process.stdout.write(USAGE);
    return;
  }
  try {
    await ArServer.run(argv, import.meta.url);
  } catch (e) {
    // Usage errors (unknown action or flag) exit 2, anything else 1.
    const err = e as Error & { oclif?: { exit?: number } };
    process.stderr.write(`ERROR: ${err.message.split('\n')[0]}\n${err.oclif?.exit === 2 ? "See 'arserver --help'\n" : ''}`);
    process.exitCode = err.oclif?.exit ?? 1;
  }
}
