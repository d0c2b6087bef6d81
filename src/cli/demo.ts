import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { startConsole } from '../handlers/console/start.js';
import { processIo, type TerminalIo } from '../handlers/terminal/one-shot.js';
import { loadSettings } from '../settings.js';
import { DEFAULT_DEMO_ROUTERS, DEMO_LAB, DEMO_SAMPLES, DEMO_VENDORS, MAX_DEMO_ROUTERS, startDemoLab, type DemoLab, type DemoVendor } from '../sim/demo-lab.js';
import { guarded } from './guarded.js';
import { UsageError } from '../errors.js';

export interface DemoFlags {
  nodes: number;
  /** Default ['junos']. */
  vendors?: DemoVendor[];
  latency: number;
  tour: boolean;
  as?: string;
  color: boolean;
  baseIp?: string;
  /** Routers whose simulators are stopped once the lab is up: they show as down (graph, exec). */
  down?: string[];
}

/**
 * The demo's own policy: everyone may do everything and approve their own changes. It only
 * matters with `--as user:U…`; the unbound terminal is trusted anyway.
 */
const DEMO_POLICY = `# clab-bot demo: a permissive policy for a throw-away simulated lab. Never use it for a real one.
roles:
  admin: { exec: ["*"], config: apply, approve: true, admin: true }
grants:
  - { role: admin, subjects: ["*"] }
approvals: { required: 1, self_approval: true }
`;

const MAX_LATENCY_MS = 60_000;

function routerCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > MAX_DEMO_ROUTERS) throw new InvalidArgumentError(`a whole number from 1 to ${MAX_DEMO_ROUTERS}`);
  return n;
}

function vendorList(value: string): DemoVendor[] {
  const names = value.split(',').map((v) => v.trim().toLowerCase()).filter((v) => v !== '');
  const known = Object.keys(DEMO_VENDORS);
  const bad = names.filter((n) => !known.includes(n));
  if (names.length === 0 || bad.length > 0)
    throw new InvalidArgumentError(`a comma-separated list of ${known.join(', ')}${bad.length > 0 ? ` (not ${bad.join(', ')})` : ''}`);
  return [...new Set(names)] as DemoVendor[];
}

function nameList(value: string): string[] {
  const names = value.split(',').map((v) => v.trim()).filter((v) => v !== '');
  if (names.length === 0) throw new InvalidArgumentError('a comma-separated list of router names, e.g. router2');
  return names;
}

function latencyMs(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > MAX_LATENCY_MS) throw new InvalidArgumentError(`milliseconds from 0 to ${MAX_LATENCY_MS}`);
  return n;
}

/** `clab-bot demo`: a simulated lab in a temporary directory and the console over it. */
export function registerDemoCommand(program: Command, exit: (code: number) => void): void {
  program
    .command('demo')
    .description('try clab-bot without containerlab: simulated vJunos routers running OSPF on loopback, and the console with a short tour')
    .option('--nodes <n>', `routers in the lab, per vendor (1-${MAX_DEMO_ROUTERS})`, routerCount, DEFAULT_DEMO_ROUTERS)
    .option('--vendors <list>', 'simulated vendors, comma-separated: junos, srlinux, eos, iosxr, ios (a mixed lab: junos,srlinux,eos)', vendorList)
    .option('--latency <ms>', 'delay of every simulated reply, to watch progress and Ctrl-C at work', latencyMs, 0)
    .option('--base-ip <addr>', 'first loopback address of the routers (default 127.20.20.1); give each demo on a shared host its own')
    .option('--down <names>', 'stop these routers (comma-separated, e.g. router2) once the lab is up, to see them down in graph and exec', nameList)
    .option('--no-tour', 'skip the tour text')
    .option('--as <subject>', 'act as this policy user (user:U…) instead of the trusted terminal')
    .option('--no-color', 'plain output')
    .action(async (o: DemoFlags) => {
      exit(await guarded(() => runDemo(o, processIo())));
    });
}

/**
 * Starts the lab, opens the console, and removes everything when the console ends (exit, EOF,
 * Ctrl-C twice, SIGTERM). A signal during start-up is honoured once the lab is up.
 */
export async function runDemo(o: DemoFlags, io: TerminalIo): Promise<number> {
  // Registered for the whole run: a signal during start-up is honoured once the lab is up, and
  // one during the final cleanup cannot cut it short (the console handles them in between).
  let interrupted = false;
  const onSignal = () => {
    interrupted = true;
  };
  for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(s, onSignal);
  const interactive = io.stdin.isTTY === true && io.stdout.isTTY === true;
  let demo: DemoLab | undefined;
  try {
    const vendors = o.vendors ?? ['junos'];
    if (interactive) io.stderr.write(`starting ${vendors.map((v) => plural(o.nodes, `simulated ${DEMO_VENDORS[v].title}`)).join(' and ')}...\n`);
    demo = await startDemoLab({ routers: o.nodes, latencyMs: o.latency, vendors, ...(o.baseIp !== undefined ? { baseIp: o.baseIp } : {}) });
    const policyFile = join(demo.root, 'policy.yaml');
    writeFileSync(policyFile, DEMO_POLICY);
    // Settings of the demo alone: the user's clab-bot.yaml, database and labs are left alone.
    const settings = loadSettings({
      cwd: demo.root,
      env: {
        CLAB_BOT_DB: `sqlite:${join(demo.root, 'demo.db')}`,
        CLAB_BOT_POLICY: policyFile,
        CLAB_LABS: demo.labDir,
        ...(io.env.CLAB_BOT_LOG_LEVEL ? { CLAB_BOT_LOG_LEVEL: io.env.CLAB_BOT_LOG_LEVEL } : {}),
      },
    });
    for (const note of demo.notes) io.stderr.write(`note: ${note}\n`);
    await stopRouters(demo, o.down ?? []);
    const count = demo.labs.reduce((n, l) => n + l.lab.nodes.length, 0);
    if (!interactive) io.stderr.write(`demo lab ready: ${plural(count, demo.labs.length > 1 ? 'node' : 'router')}, files in ${demo.labDir}\n`);
    if (interrupted) return 130;
    const lab = demo;
    return await startConsole({
      settings,
      io,
      as: o.as,
      noColor: !o.color,
      intro: () => demoIntro(lab, o.tour),
    });
  } finally {
    await demo?.close();
    for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.off(s, onSignal);
  }
}

/** `--down`: stops the named routers' simulators, as if they had crashed. An unknown name is refused with the names there are. */
async function stopRouters(demo: DemoLab, names: readonly string[]): Promise<void> {
  const nodes = demo.labs.flatMap((l) => l.lab.nodes);
  const unknown = names.filter((n) => !nodes.some((x) => x.name === n));
  if (unknown.length > 0) throw new UsageError(`--down names no router of the demo: ${unknown.join(', ')}`, { hint: `the routers are ${nodes.map((n) => n.name).join(', ')}` });
  await Promise.all(nodes.filter((n) => names.includes(n.name)).map((n) => n.sim.close()));
}

/** What the user sees first: the lab, then (with the tour) what to type. */
export function demoIntro(demo: DemoLab, tour: boolean): string {
  if (demo.labs.length > 1) return mixedIntro(demo, tour);
  const nodes = demo.lab.nodes;
  const first = nodes[0];
  const last = nodes[nodes.length - 1];
  const names = nodes.length === 1 ? first?.name : `${first?.name}..${last?.name}`;
  const hosts = nodes.length === 1 ? first?.host : `${first?.host}-${last?.host?.split('.').pop()}`;
  const ports = [...new Set(nodes.map((n) => n.port))];
  const portText = ports.length === 1 ? `port ${ports[0]}` : `ports ${Math.min(...ports)}-${Math.max(...ports)}`;
  const lines = [
    `clab-bot demo: ${plural(nodes.length, 'simulated vJunos router')} (${names}) in lab "${DEMO_LAB}", a chain running OSPF area 0`,
    `NETCONF over SSH on ${hosts}, ${portText}; lab files in ${demo.labDir} (removed when you leave)`,
  ];
  if (!tour) return [...lines, 'type help for the commands, exit to leave'].join('\n');
  const target = first?.name ?? 'router1';
  const rows: [string, string][] = [
    ['nodes', 'the lab as clab-bot found it'],
    ['exec --all show ospf neighbor', 'OSPF adjacencies on every router'],
    [`exec ${nodes[1]?.name ?? target} show route protocol ospf`, 'routes learnt from the neighbours'],
    [`config ${target} --file ${DEMO_SAMPLES.change} --dry-run`, 'the diff a change would make; nothing is committed'],
    [`config ${target} --file ${DEMO_SAMPLES.change}`, 'propose it as a change; approve it at the prompt to commit'],
    ['changes --all', 'the change requests and their state'],
    ['graph --lab demo --check ospf --out demo.png', 'a picture of the lab: routers, links, what is up (demo --down router2 stops one)'],
    [`config ${target} --file ${DEMO_SAMPLES.broken} --dry-run`, 'a change the commit check refuses'],
    ['help', 'every command, with examples'],
  ];
  return withTour(lines, rows);
}

/** The intro of a lab with several vendors: one line per lab, and a tour that compares them. */
function mixedIntro(demo: DemoLab, tour: boolean): string {
  const lines = [
    `clab-bot demo: a mixed lab of ${demo.labs.map((l) => plural(l.lab.nodes.length, DEMO_VENDORS[l.vendor].title)).join(' and ')}, each a chain running OSPF area 0`,
    ...demo.labs.map((l) => {
      const n = l.lab.nodes;
      return `  lab "${l.lab.lab}" (${l.lab.kind}): ${n[0]?.name}${n.length > 1 ? `..${n[n.length - 1]?.name}` : ''} on ${n[0]?.host}${n.length > 1 ? `-${n[n.length - 1]?.host.split('.').pop()}` : ''}`;
    }),
    `lab files in ${demo.labDir} (removed when you leave)`,
  ];
  if (!tour) return [...lines, 'type help for the commands, exit to leave'].join('\n');
  const first = (v: DemoVendor) => demo.labs.find((l) => l.vendor === v)?.lab.nodes[0]?.name;
  const rows: [string, string][] = [['nodes', 'every node of every vendor'], ['exec --all show version', 'one command on every vendor']];
  const junos = first('junos');
  const srl = first('srlinux');
  if (junos !== undefined) rows.push([`config ${junos} --file ${DEMO_SAMPLES.change} --dry-run`, 'a Junos diff; nothing is committed']);
  if (srl !== undefined) {
    rows.push([`config --kind srl --file ${DEMO_SAMPLES.srlChange} --dry-run`, 'an SR Linux diff per node; nothing is committed']);
    rows.push([`config ${srl} --file ${DEMO_SAMPLES.srlChange}`, 'propose it; approve at the prompt to commit']);
    rows.push([`exec ${srl} show network-instance default protocols ospf neighbor`, 'SR Linux OSPF adjacencies']);
  }
  if (first('eos') !== undefined) {
    rows.push([`config --kind ceos --file ${DEMO_SAMPLES.eosChange} --dry-run`, 'a cEOS configuration-session diff per node; nothing is committed']);
  }
  if (first('iosxr') !== undefined) {
    rows.push([`config --kind xrd --file ${DEMO_SAMPLES.xrChange} --dry-run`, 'IOS-XR show commit changes diff per node; no session is left behind']);
  }
  if (first('ios') !== undefined) {
    rows.push([`config --kind iol --file ${DEMO_SAMPLES.iosChange} --dry-run`, 'an IOS diff computed from running (IOS has no candidate)']);
  }
  rows.push(['help', 'every command, with examples']);
  return withTour(lines, rows);
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** The intro lines, then the tour: each command padded to one column with what it shows. */
function withTour(lines: readonly string[], rows: readonly (readonly [string, string])[]): string {
  const width = Math.max(...rows.map(([c]) => c.length)) + 3;
  return [
    ...lines,
    '',
    'try:',
    ...rows.map(([c, what]) => `  ${c.padEnd(width)}${what}`),
    '',
    'Tab completes commands, node names and kinds; Up/Down recall; Ctrl-C cancels; exit or Ctrl-D leaves.',
    '',
  ].join('\n');
}
