// `npm run bench -- radius [--requests N] [--window W] [--sockets S] [--duration S] [--runs R]`
// Starts areg and FreeRADIUS 3.2 (one at a time, each on free 127.0.0.1 ports in a throw-away directory), drives
// each with the same windowed generator (a separate process: loadgen.ts) for PAP authentication and for
// accounting, prints one row per workload and server (medians over the runs) and the ratio areg/FreeRADIUS.
// Every server started here is killed by its recorded pid when the run ends, fails or is interrupted.
import { fileURLToPath } from 'node:url';
import { runLoad, type LoadOptions, type LoadResult, type Workload } from './loadgen.js';
import { median, runGenerator } from './process.js';
import { killPids, PASSWORD, processCpuSec, SECRET, startAreg, startFreeradius, type BenchServer } from './servers.js';

const USAGE = `Usage: npm run bench -- radius [options]
  --requests N   requests per run and workload (default 50000)
  --window W     outstanding requests per socket, 1..256 (default 32)
  --sockets S    client UDP sockets (default 1)
  --duration S   cap on one run in seconds (default 60)
  --runs R       runs per workload and server; the table shows medians (default 1)
  --servers L    comma list of areg,freeradius (default both)
  --workloads L  comma list of pap,acct (default both)
  --timeout MS   a request unanswered after MS counts as lost (default 3000)
  --sync-interval MS  also run areg with AAAFileServiceSyncInterval MS (extra wait of an idle accounting
                 writer; factory 0. Accounting-Responses always wait for their fsync)`;

interface BenchOptions {
  requests: number;
  window: number;
  sockets: number;
  duration: number;
  runs: number;
  servers: string[];
  workloads: Workload[];
  timeoutMs: number;
  users: number;
  syncIntervals: number[];
}

type IntegerOption = 'requests' | 'window' | 'sockets' | 'duration' | 'runs' | 'timeoutMs';

const INTEGER_OPTIONS: Record<string, { key: IntegerOption; min: number; max: number }> = {
  '--requests': { key: 'requests', min: 1, max: 10_000_000 },
  '--window': { key: 'window', min: 1, max: 256 },
  '--sockets': { key: 'sockets', min: 1, max: 64 },
  '--duration': { key: 'duration', min: 1, max: 3600 },
  '--runs': { key: 'runs', min: 1, max: 20 },
  '--timeout': { key: 'timeoutMs', min: 100, max: 60_000 },
};

function parseArgs(argv: string[]): BenchOptions {
  const o: BenchOptions = { requests: 50_000, window: 32, sockets: 1, duration: 60, runs: 1, servers: ['areg', 'freeradius'], workloads: ['pap', 'acct'], timeoutMs: 3000, users: 1000, syncIntervals: [] };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = argv[i + 1];
    const int = (min: number, max: number): number => {
      const n = Number(value);
      if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${flag} wants an integer ${min}..${max}, got '${value ?? ''}'`);
      i++;
      return n;
    };
    const numeric = INTEGER_OPTIONS[flag];
    if (numeric) {
      o[numeric.key] = int(numeric.min, numeric.max);
      continue;
    }
    switch (flag) {
      case '--sync-interval':
        o.syncIntervals.push(int(0, 10_000));
        break;
      case '--servers':
      case '--workloads': {
        const list = (value ?? '').split(',').filter(Boolean);
        const known = flag === '--servers' ? ['areg', 'freeradius'] : ['pap', 'acct'];
        if (list.length === 0 || list.some((x) => !known.includes(x))) throw new Error(`${flag} wants a comma list of ${known.join(',')}`);
        if (flag === '--servers') o.servers = list;
        else o.workloads = list as Workload[];
        i++;
        break;
      }
      default:
        throw new Error(`unknown option '${flag}'\n${USAGE}`);
    }
  }
  return o;
}

/** Runs the generator in its own process and returns its result. */
function loadProcess(opts: LoadOptions): Promise<LoadResult> {
  return runGenerator<LoadResult>(fileURLToPath(import.meta.url), ['loadgen', JSON.stringify(opts)], (opts.durationSec * 2 + 30) * 1000, 'load generator');
}

/** A run's result with the CPU the server used per request (warm-up included in both). */
type RunResult = LoadResult & { serverCpuUsPerReq: number | undefined };

interface Row {
  workload: Workload;
  server: string;
  runs: RunResult[];
}

const WORKLOAD_LABEL: Record<Workload, string> = { pap: 'PAP Access-Request + Message-Authenticator', acct: 'Accounting-Request Start/Stop', status: 'Status-Server' };

function table(rows: Row[], o: BenchOptions): string {
  const head = ['Workload', 'Server', 'req/s', 'p50 µs', 'p99 µs', 'max µs', 'lost', 'bad', 'server CPU µs/req', o.runs > 1 ? 'req/s per run' : ''];
  const body = rows.map((r) => {
    const lost = r.runs.reduce((n, x) => n + x.timeouts, 0);
    const bad = r.runs.reduce((n, x) => n + x.badAuthenticators + x.malformed, 0);
    return [
      WORKLOAD_LABEL[r.workload],
      r.server,
      median(r.runs.map((x) => x.reqPerSec)).toLocaleString('en-US'),
      median(r.runs.map((x) => x.p50us)).toLocaleString('en-US'),
      median(r.runs.map((x) => x.p99us)).toLocaleString('en-US'),
      Math.max(...r.runs.map((x) => x.maxus)).toLocaleString('en-US'),
      String(lost),
      String(bad),
      r.runs.every((x) => x.serverCpuUsPerReq !== undefined) ? String(median(r.runs.map((x) => x.serverCpuUsPerReq!))) : '?',
      o.runs > 1 ? r.runs.map((x) => x.reqPerSec.toLocaleString('en-US')).join(' / ') : '',
    ];
  });
  const shown = (_: string, i: number): boolean => i < 9 || o.runs > 1;
  const lines = [head, ...body].map((cells) => `| ${cells.filter(shown).join(' | ')} |`);
  lines.splice(1, 0, `|${head.filter(shown).map((_, i) => (i >= 2 && i <= 8 ? '---:' : '---')).join('|')}|`);
  const ratios: string[] = [];
  for (const a of rows.filter((r) => r.server.startsWith('areg'))) {
    const f = rows.find((r) => r.workload === a.workload && r.server === 'FreeRADIUS');
    if (!f) continue;
    const ra = median(a.runs.map((x) => x.reqPerSec));
    const rf = median(f.runs.map((x) => x.reqPerSec));
    ratios.push(`Ratio ${a.server}/FreeRADIUS, ${WORKLOAD_LABEL[a.workload]}: ${rf > 0 ? (ra / rf).toFixed(2) : 'n/a'} (req/s ${ra.toLocaleString('en-US')} / ${rf.toLocaleString('en-US')})`);
  }
  return [...lines, '', ...ratios].join('\n');
}

async function benchRadius(o: BenchOptions): Promise<void> {
  const rows: Row[] = [];
  const live = new Set<BenchServer>();
  let interrupted = false;
  const onSignal = (sig: NodeJS.Signals): void => {
    if (interrupted) return;
    interrupted = true;
    process.stderr.write(`\n${sig}: stopping the servers\n`);
    void Promise.all([...live].map((s) => killPids(s.pids, 2000))).finally(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const log = (s: string): void => void process.stderr.write(`${s}\n`);
  log(`radius bench: ${o.requests} requests, window ${o.window} x ${o.sockets} socket(s), cap ${o.duration} s, ${o.runs} run(s), ${o.users} users`);
  try {
    // The extra areg configurations (--sync-interval) only change accounting: they run that workload only.
    const launchers = o.servers.flatMap((name) =>
      name === 'areg'
        ? [
            { launch: () => startAreg(o.users), workloads: o.workloads },
            ...o.syncIntervals.map((ms) => ({ launch: () => startAreg(o.users, { syncIntervalMs: ms }), workloads: o.workloads.filter((w) => w === 'acct') })),
          ]
        : [{ launch: () => startFreeradius(o.users), workloads: o.workloads }],
    );
    for (const { launch, workloads } of launchers) {
      if (workloads.length === 0) continue;
      const server = await launch();
      live.add(server);
      log(`started ${server.name}`);
      try {
        for (const w of workloads) {
          const row: Row = { workload: w, server: server.name, runs: [] };
          rows.push(row);
          for (let run = 1; run <= o.runs; run++) {
            const warmup = Math.min(2000, Math.ceil(o.requests / 10));
            const cpu0 = processCpuSec(server.servingPid);
            const load = await loadProcess({
              host: '127.0.0.1',
              port: w === 'acct' ? server.acct : server.auth,
              workload: w,
              secret: SECRET,
              requests: o.requests,
              window: o.window,
              sockets: o.sockets,
              durationSec: o.duration,
              timeoutMs: o.timeoutMs,
              warmup,
              users: o.users,
              password: PASSWORD,
            });
            const cpu1 = processCpuSec(server.servingPid);
            const serverCpuUsPerReq = cpu0 === undefined || cpu1 === undefined ? undefined : Math.round(((cpu1 - cpu0) * 1e6) / (load.requests + warmup));
            const r: RunResult = { ...load, serverCpuUsPerReq };
            row.runs.push(r);
            log(
              `  ${server.name} ${w} run ${run}: ${r.reqPerSec} req/s, ${r.answered}/${r.requests} answered (accept ${r.accepts}, reject ${r.rejects}, acct ${r.accountingResponses}), ` +
                `timeouts ${r.timeouts}, bad authenticators ${r.badAuthenticators}, malformed ${r.malformed}, p50 ${r.p50us} µs, p99 ${r.p99us} µs, max ${r.maxus} µs, ${r.elapsedSec} s, generator CPU ${r.clientCpuSec} s, server CPU ${r.serverCpuUsPerReq ?? '?'} µs/request`,
            );
          }
        }
      } finally {
        await server.stop();
        live.delete(server);
      }
    }
  } finally {
    for (const s of live) await killPids(s.pids, 2000);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  process.stdout.write(
    `\nnpm run bench -- radius --requests ${o.requests} --window ${o.window} --sockets ${o.sockets} --duration ${o.duration} --runs ${o.runs}` +
      o.syncIntervals.map((ms) => ` --sync-interval ${ms}`).join('') +
      `${o.servers.length < 2 ? ` --servers ${o.servers.join(',')}` : ''}${o.workloads.length < 2 ? ` --workloads ${o.workloads.join(',')}` : ''}\n` +
      `(127.0.0.1, secret ${SECRET}, ${o.users} users; medians over ${o.runs} run(s); lost = unanswered after ${o.timeoutMs} ms; bad = failed Response/Message-Authenticator or framing)\n\n` +
      table(rows, o) +
      '\n',
  );
  const failed = rows.some((r) => r.runs.some((x) => x.badAuthenticators + x.malformed > 0 || (r.workload === 'pap' && x.rejects > 0)));
  if (failed) {
    process.stderr.write('FAILED: bad replies or rejected valid users\n');
    process.exitCode = 1;
  }
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command === 'loadgen') {
    const result = await runLoad(JSON.parse(rest[0] ?? '{}') as LoadOptions);
    process.stdout.write(JSON.stringify(result) + '\n');
    return;
  }
  if (command === 'diameter') {
    await (await import('./diameter.js')).benchDiameter(rest);
    return;
  }
  if (command !== 'radius') {
    process.stderr.write(`${USAGE}\n   or: npm run bench -- diameter --help\n`);
    process.exitCode = 2;
    return;
  }
  await benchRadius(parseArgs(rest));
}

main(process.argv.slice(2)).catch((e: unknown) => {
  process.stderr.write(`ERROR: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
