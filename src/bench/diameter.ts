// `npm run bench -- diameter [--requests N] [--window W] [--duration S] [--runs R] [--servers L] [--workloads L]`
// Starts areg and freeDiameter 1.2.1 (one at a time, diameter-servers.ts) and drives each with the same windowed
// generator in its own process (diameter-loadgen.ts) over one TCP connection per run: AA-Requests (freeDiameter:
// test_app's Test-Request, the nearest auth-style exchange it serves), ACRs, optionally DWRs. Prints answers/s,
// p50/p99 latency, errors and the server's CPU per answer (medians over the runs) and the ratio areg/freeDiameter.
// Every server started here is stopped when the run ends, fails or is interrupted.
import { fileURLToPath } from 'node:url';
import type { DiameterLoadOptions, DiameterLoadResult } from './diameter-loadgen.js';
import { median, runGenerator } from './process.js';
import { REALM, startAregDiameter, startFreeDiameter, type DiameterBenchServer, type DiameterWorkload } from './diameter-servers.js';
import type { Mode } from './diameter-wire.js';
import { benchUser, PASSWORD, processCpuSec } from './servers.js';

export const DIAMETER_USAGE = `Usage: npm run bench -- diameter [options]
  --requests N   requests per run and workload (default 50000)
  --window W     outstanding requests on the connection, 1..4096 (default 32)
  --duration S   cap on one run in seconds (default 60)
  --runs R       runs per workload and server; the table shows medians (default 1)
  --servers L    comma list of areg,freediameter (default both)
  --workloads L  comma list of aar,acr,dwr (default aar,acr)
  --timeout MS   a request unanswered after MS counts as a timeout (default 5000)`;

interface Options {
  requests: number;
  window: number;
  duration: number;
  runs: number;
  timeoutMs: number;
  servers: string[];
  workloads: DiameterWorkload[];
  users: number;
}

const INTEGERS: Record<string, { key: 'requests' | 'window' | 'duration' | 'runs' | 'timeoutMs'; min: number; max: number }> = {
  '--requests': { key: 'requests', min: 1, max: 10_000_000 },
  '--window': { key: 'window', min: 1, max: 4096 },
  '--duration': { key: 'duration', min: 1, max: 3600 },
  '--runs': { key: 'runs', min: 1, max: 20 },
  '--timeout': { key: 'timeoutMs', min: 100, max: 60_000 },
};
const LISTS: Record<string, { key: 'servers' | 'workloads'; known: string[] }> = {
  '--servers': { key: 'servers', known: ['areg', 'freediameter'] },
  '--workloads': { key: 'workloads', known: ['aar', 'acr', 'dwr'] },
};

function parse(argv: string[]): Options {
  const o: Options = { requests: 50_000, window: 32, duration: 60, runs: 1, timeoutMs: 5000, servers: ['areg', 'freediameter'], workloads: ['aar', 'acr'], users: 1000 };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value = ''] = [argv[i]!, argv[i + 1]];
    const int = INTEGERS[flag];
    const list = LISTS[flag];
    if (int) {
      const n = Number(value);
      if (!Number.isInteger(n) || n < int.min || n > int.max) throw new Error(`${flag} wants an integer ${int.min}..${int.max}, got '${value}'`);
      o[int.key] = n;
    } else if (list) {
      const items = value.split(',').filter(Boolean);
      if (items.length === 0 || items.some((x) => !list.known.includes(x))) throw new Error(`${flag} wants a comma list of ${list.known.join(',')}`);
      (o[list.key] as string[]) = items;
    } else {
      throw new Error(`unknown option '${flag}'\n${DIAMETER_USAGE}`);
    }
  }
  return o;
}

function generator(opts: DiameterLoadOptions): Promise<DiameterLoadResult> {
  const script = fileURLToPath(new URL('./diameter-loadgen.js', import.meta.url));
  return runGenerator<DiameterLoadResult>(script, [JSON.stringify(opts)], (opts.durationSec * 2 + 60) * 1000, 'Diameter load generator');
}

type Run = DiameterLoadResult & { serverCpuUs: number | undefined };

interface Row {
  workload: DiameterWorkload;
  server: string;
  mode: Mode;
  runs: Run[];
}

const EXCHANGE: Record<Mode, string> = {
  aar: 'AA-Request PAP (Auth-Request-Type 3) → AA-Answer',
  test: 'Test-Request → Test-Answer (test_app)',
  acr: 'ACR START/STOP → ACA',
  dwr: 'DWR → DWA',
};
const WORKLOAD: Record<DiameterWorkload, string> = { aar: 'auth', acr: 'accounting', dwr: 'watchdog' };
const fmt = (n: number): string => n.toLocaleString('en-US');
const cpu = (r: Row): string => (r.runs.every((x) => x.serverCpuUs !== undefined) ? String(median(r.runs.map((x) => x.serverCpuUs!))) : '?');

function table(rows: Row[], o: Options): string {
  const perRun = o.runs > 1;
  const head = ['Workload', 'Server', 'Exchange', 'answers/s', 'p50 µs', 'p99 µs', 'max µs', 'errors', 'timeouts', 'server CPU µs/answer', ...(perRun ? ['answers/s per run'] : [])];
  const body = rows.map((r) => [
    WORKLOAD[r.workload], r.server, EXCHANGE[r.mode],
    fmt(median(r.runs.map((x) => x.answersPerSec))), fmt(median(r.runs.map((x) => x.p50us))), fmt(median(r.runs.map((x) => x.p99us))),
    fmt(Math.max(...r.runs.map((x) => x.maxus))),
    String(r.runs.reduce((n, x) => n + x.errors + (r.mode === 'aar' ? x.rejects : 0), 0)), String(r.runs.reduce((n, x) => n + x.timeouts, 0)),
    cpu(r),
    ...(perRun ? [r.runs.map((x) => fmt(x.answersPerSec)).join(' / ')] : []),
  ]);
  const lines = [head, ...body].map((cells) => `| ${cells.join(' | ')} |`);
  lines.splice(1, 0, `|${head.map((_, i) => (i >= 3 && i <= 9 ? '---:' : '---')).join('|')}|`);
  const ratios: string[] = [];
  for (const w of o.workloads) {
    const a = rows.find((r) => r.workload === w && r.server === 'areg');
    const f = rows.find((r) => r.workload === w && r.server === 'freeDiameter');
    if (!a || !f) continue;
    const [ra, rf] = [median(a.runs.map((x) => x.answersPerSec)), median(f.runs.map((x) => x.answersPerSec))];
    const note = a.mode !== f.mode ? ` (${EXCHANGE[a.mode]} vs ${EXCHANGE[f.mode]}: freeDiameter has no NASREQ server, the Test-Request is its nearest auth-style exchange)` : '';
    ratios.push(`Ratio areg/freeDiameter, ${WORKLOAD[w]}: ${rf > 0 ? (ra / rf).toFixed(2) : 'n/a'} (answers/s ${fmt(ra)} / ${fmt(rf)}; server CPU µs/answer ${cpu(a)} / ${cpu(f)})${note}`);
  }
  return [...lines, '', ...ratios].join('\n');
}

export async function benchDiameter(argv: string[]): Promise<void> {
  if (argv.includes('--help')) {
    process.stdout.write(`${DIAMETER_USAGE}\n`);
    return;
  }
  const o = parse(argv);
  const log = (s: string): void => void process.stderr.write(`${s}\n`);
  const users = Array.from({ length: o.users }, (_, i) => benchUser(i + 1));
  const rows: Row[] = [];
  let live: DiameterBenchServer | undefined;
  const onSignal = (sig: NodeJS.Signals): void => {
    log(`\n${sig}: stopping the server`);
    void (live?.stop() ?? Promise.resolve()).finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  log(`diameter bench: ${o.requests} requests, window ${o.window}, one TCP connection, cap ${o.duration} s, ${o.runs} run(s), ${o.users} users`);
  let connection = 0;
  try {
    for (const name of o.servers) {
      const server = (live = await (name === 'areg' ? startAregDiameter(o.users) : startFreeDiameter()));
      log(`started ${server.name} (127.0.0.1:${server.port})`);
      try {
        for (const w of o.workloads) {
          const row: Row = { workload: w, server: server.name, mode: server.exchange[w], runs: [] };
          rows.push(row);
          for (let run = 1; run <= o.runs; run++) {
            const warmup = Math.min(2000, Math.ceil(o.requests / 10));
            const cpu0 = processCpuSec(server.servingPid);
            const r = await generator({
              port: server.port, mode: row.mode, requests: o.requests, window: o.window, durationSec: o.duration, timeoutMs: o.timeoutMs,
              warmup, users, password: PASSWORD, identity: { originHost: server.originHost(++connection), originRealm: REALM, destRealm: REALM },
            });
            const cpu1 = processCpuSec(server.servingPid);
            const serverCpuUs = cpu0 === undefined || cpu1 === undefined ? undefined : Math.round(((cpu1 - cpu0) * 1e6) / (r.answered + warmup));
            row.runs.push({ ...r, serverCpuUs });
            log(`  ${server.name} ${w} (${row.mode}) run ${run}: ${r.answersPerSec} answers/s, ${r.answered}/${r.requests} answered (2001 ${r.success}, 4001 ${r.rejects}, ` +
              `errors ${r.errors}${r.errorCodes.length ? ` [${r.errorCodes.join(',')}]` : ''}), timeouts ${r.timeouts}, p50 ${r.p50us} µs, p99 ${r.p99us} µs, ` +
              `max ${r.maxus} µs, ${r.elapsedSec} s, generator CPU ${r.clientCpuSec} s, server CPU ${serverCpuUs ?? '?'} µs/answer`);
          }
        }
      } finally {
        await server.stop();
        live = undefined;
      }
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  const defaults = o.servers.length === 2 ? '' : ` --servers ${o.servers.join(',')}`;
  process.stdout.write(
    `\nnpm run bench -- diameter --requests ${o.requests} --window ${o.window} --duration ${o.duration} --runs ${o.runs} --workloads ${o.workloads.join(',')}${defaults}\n` +
      `(127.0.0.1, one TCP connection per run, ${o.users} users; medians over ${o.runs} run(s), warm-up excluded; errors = answers other than 2001; ` +
      'areg writes every ACR to its accounting file and fsyncs it before the ACA, test_acct writes nothing)\n\n' +
      table(rows, o) + '\n',
  );
  if (rows.some((r) => r.runs.some((x) => x.errors + x.timeouts + x.rejects > 0))) {
    process.stderr.write('FAILED: errors, timeouts or rejected valid users\n');
    process.exitCode = 1;
  }
}
