// Writes man/aregcmd.1 and man/arserver.8 from the command declarations, the oclif flags
// and the schema, so the pages cannot drift from what the programs do. Run by `npm run build`.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Command } from '@oclif/core';
import Aregcmd from '../cli/aregcmd.js';
import ArServer from '../../commands/arserver/arserver.js';
import { commandTable } from '../shell/registry.js';
import { allClasses } from '../schema/registry.js';
import type { ClassDef, PropDef } from '../schema/model.js';
import { isRef } from '../schema/types.js';
import { packageRoot } from '../home.js';
import { AREG_VERSION, PRODUCT_NAME } from '../version.js';
import { Roff } from './roff.js';

const DATE = '2026-11-22';
const SOURCE = `${PRODUCT_NAME} ${AREG_VERSION}`;

type FlagMap = Record<string, { char?: string; description?: string; type: string }>;

function options(page: Roff, flags: FlagMap): void {
  for (const [name, f] of Object.entries(flags)) {
    const arg = f.type === 'option' ? ` <${name}>` : '';
    page.item(`${f.char ? `-${f.char}, ` : ''}--${name}${arg}`, f.description ?? '');
  }
}

function propLine(p: PropDef): string {
  const bits = [p.type.label];
  if (p.default !== undefined && p.default !== '') bits.push(`default ${p.type.format(p.default)}`);
  if (p.required) bits.push('required');
  if (p.readOnly) bits.push('read-only');
  if (p.storedOnly) bits.push('stored only');
  return `${p.help} (${bits.join('; ')})`;
}

function classReference(page: Roff, cls: ClassDef): void {
  page.sub(cls.name);
  page.para(cls.help);
  if (cls.positional) page.para(`add order after the name: ${cls.positional.join(', ')}.`);
  if (cls.collection) page.para(`Holds ${cls.collection.cls} objects.`);
  if (cls.list) page.para(`An ordered list of ${cls.list.item.label} entries.`);
  if (cls.pairs) page.para(cls.pairs.kind === 'attributes' ? 'Attribute = value pairs; an attribute may repeat.' : 'Name = value pairs.');
  for (const p of cls.props) page.item(`${p.name}${isRef(p.type) ? '~' : ''}`, propLine(p));
  for (const [value, variant] of Object.entries(cls.variants ?? {})) {
    const props = variant.props ?? [];
    if (!props.length && !variant.fixed?.length && !variant.storedOnly) continue;
    page.raw(`.PP\n.I ${cls.discriminator} ${value}${variant.storedOnly ? ' (stored only: areg does not execute it)' : ''}`);
    for (const p of props) page.item(`${p.name}${isRef(p.type) ? '~' : ''}`, propLine(p));
  }
  for (const f of cls.fixed ?? []) page.item(`${f.name}/`, `a ${f.cls}`);
}

export function aregcmdPage(): string {
  const page = new Roff('aregcmd', 1, DATE, SOURCE, 'areg Manual');
  page.section('Name').raw(`aregcmd \\- configuration shell of ${PRODUCT_NAME}`);
  page.section('Synopsis').raw(`.B aregcmd\n${Aregcmd.usage as string}`);
  page.section('Description').para(Aregcmd.description ?? '')
    .para('The shell edits a private working copy of the object tree rooted at //localhost. save validates the copy and writes it as the next revision of the store; reload (or arserver restart) makes the running engine serve the newest saved revision. The engine never sees unsaved edits.')
    .para('Interactive mode (a terminal, no command): login dialogue, prompt "--> ", tab completion of commands, paths, property names and values, history in ~/.aregcmd_history. Batch mode (-f FILE, -f -, or standard input that is not a terminal): one command per line, # comments, stops at the first error with "ERROR: line N: ..." unless --continue. One-shot mode: the words after the options are one command line.')
    .para('Names of commands, objects, properties and enumerated values are case-insensitive and may be abbreviated to a unique prefix. Quote arguments with spaces; "" is an empty argument. At most 255 characters per argument and 511 per line.');
  page.section('Options');
  options(page, Aregcmd.flags as unknown as FlagMap);
  page.section('Commands');
  for (const c of commandTable()) page.item(c.synopsis, [c.summary, c.details].filter(Boolean).join(' '));
  page.section('Object tree').para('Every class of the tree with its properties: type, default and whether it is required. A property shown with ~ names another object. Typed objects (Service Type, Client and RemoteServer Protocol, ResourceManager Type, Script Language) have the properties of their type in addition.');
  for (const cls of allClasses()) classReference(page, cls);
  page.section('Exit status')
    .item('0', 'success').item('1', 'a command failed').item('2', 'usage error on the aregcmd command line').item('3', 'login failed')
    .item('4', 'validate or save found errors; nothing was saved').item('5', 'the Server Agent is not running').item('6', 'the commands ended with unsaved changes, which were discarded');
  page.section('Environment')
    .item('AREG_HOME', 'data directory: data/db/store.json (the saved tree), logs/, run/, scripts/; default the install directory')
    .item('AREG_USER, AREG_PASSWORD', 'administrator credentials for batch and one-shot runs')
    .item('NO_COLOR', 'no colours even on a terminal');
  page.section('Files')
    .item('$AREG_HOME/data/db/store.json', 'the saved configuration (mode 0600); store.json.bak is the previous revision')
    .item('$AREG_HOME/data/db/secret.key', 'key that encrypts shared secrets and user passwords at rest')
    .item('$AREG_HOME/logs/aregcmd_log', 'every command run, secret values hidden')
    .item('~/.aregcmd_history', 'interactive history (500 lines)');
  page.section('See also').raw('.BR arserver (8)');
  return page.toString();
}

export function arserverPage(): string {
  const page = new Roff('arserver', 8, DATE, SOURCE, 'areg Manual');
  page.section('Name').raw(`arserver \\- start, stop and supervise the ${PRODUCT_NAME} AAA engine`);
  page.section('Synopsis').raw('.B arserver\nstart [--foreground] | stop [--force] | restart [--force] | status [--json]');
  page.section('Description').para((ArServer as unknown as typeof Command).description ?? '')
    .para('start launches the Server Agent as a daemon (pid in run/agent.pid, control socket run/agent.sock). The agent forks the engine, which loads the newest saved revision of the tree, validates it again and serves RADIUS and Diameter. An engine that exits unexpectedly is restarted with back-off (1, 2, 4 ... 60 s) and the reason is logged. stop refuses while aregcmd sessions are open (unless --force), drains in-flight requests for up to 5 s and flushes the logs. status shows the agent and engine pids, uptime, the revision served, listening ports, health, restarts and counters.');
  page.section('Options');
  options(page, (ArServer as unknown as { flags: FlagMap }).flags);
  page.item('--json', 'status as a JSON object');
  page.section('Exit status').item('0', 'success (status: running)').item('1', 'already running (start), or stop refused or failed').item('2', 'start failed').item('3', 'status: not running');
  page.section('Files')
    .item('$AREG_HOME/run/agent.pid, run/engine.pid, run/agent.sock', 'pid files and the agent control socket')
    .item('$AREG_HOME/logs/name_radius_1_log', 'engine log').item('$AREG_HOME/logs/name_radius_1_trace', 'per-packet trace')
    .item('$AREG_HOME/logs/agent_server_1_log', 'Server Agent log')
    .item('man/systemd/areg.service', 'example systemd unit running arserver start --foreground');
  page.section('See also').raw('.BR aregcmd (1)');
  return page.toString();
}

export function writeManPages(dir = path.join(packageRoot, 'man')): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'aregcmd.1'), aregcmdPage());
  fs.writeFileSync(path.join(dir, 'arserver.8'), arserverPage());
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) writeManPages();
