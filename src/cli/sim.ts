import type { Command } from 'commander';
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { MAX_SIM_NODES, simulatedKinds, startSimLab } from '../sim/lab.js';
import { guarded } from './guarded.js';

interface SimFlags {
  lab: string;
  kind: string;
  count: string;
  dir: string;
  prefix: string;
  baseIp: string;
  port?: string;
  username?: string;
  password?: string;
  latency?: string;
}

/**
 * `clab-bot sim`: simulated nodes on loopback plus the files containerlab would write for them,
 * so every other command can be tried without containerlab (DESIGN.md §10).
 */
export function registerSimCommand(program: Command, exit: (code: number) => void): void {
  program
    .command('sim')
    .description('start simulated lab nodes on loopback and write clab-LAB/topology-data.json for them; prints "ready", runs until Ctrl-C')
    .requiredOption('--lab <name>', 'lab name')
    .requiredOption('--kind <kind>', 'node kind, e.g. juniper_vjunosrouter (or vjunosrouter), nokia_srlinux (or srl), arista_ceos (or ceos), cisco_xrd (or xrd), cisco_iol (or iol)')
    .requiredOption('--count <n>', `number of nodes (1-${MAX_SIM_NODES})`)
    .requiredOption('--dir <dir>', 'directory that receives the lab files')
    .option('--prefix <p>', 'node name prefix: P1..PN', 'node')
    .option('--base-ip <addr>', 'first loopback address', '127.20.20.1')
    .option('--port <port>', "port for every node (default: the kind's standard port, or a high port when that cannot be bound)")
    .option('--username <user>', "login user (default: the kind's containerlab default, e.g. admin)")
    .option('--password <pass>', "login password (default: the kind's containerlab default: admin@123 for vJunos, NokiaSrl1! for SR Linux, admin for cEOS and IOL, clab@123 for XRd)")
    .option('--latency <ms>', 'added reply latency per request, to imitate real devices')
    .action(async (o: SimFlags) => {
      exit(await guarded(() => runSim(o)));
    });
}

async function runSim(o: SimFlags): Promise<number> {
  const count = int(o.count, '--count', 1, MAX_SIM_NODES);
  const lab = await startSimLab({
    lab: o.lab,
    kind: o.kind,
    count,
    dir: resolve(o.dir),
    prefix: o.prefix,
    baseIp: o.baseIp,
    ...(o.port ? { port: int(o.port, '--port', 1, 65535) } : {}),
    ...(o.username ? { username: o.username } : {}),
    ...(o.password ? { password: o.password } : {}),
    ...(o.latency ? { latencyMs: int(o.latency, '--latency', 0, 60_000) } : {}),
  }).catch((err: unknown) => {
    if (err instanceof Error && /kind/i.test(err.message) && !(err instanceof UsageError)) {
      throw new UsageError(`${err.message}`, { hint: `simulated kinds: ${simulatedKinds().join(', ')}` });
    }
    throw err;
  });
  for (const n of lab.nodes) process.stderr.write(`${n.name} ${n.host}:${n.port}\n`);
  for (const note of lab.notes) process.stderr.write(`note: ${note}\n`);
  process.stderr.write(`lab files: ${lab.labDir}; try: clab-bot exec --all --labs ${lab.dir} show version\n`);
  process.stdout.write('ready\n');
  const signal = await new Promise<NodeJS.Signals>((done) => {
    process.once('SIGINT', () => done('SIGINT'));
    process.once('SIGTERM', () => done('SIGTERM'));
  });
  process.stderr.write(`${signal}: stopping ${lab.nodes.length} simulated nodes\n`);
  await lab.close();
  return 0;
}

function int(value: string, flag: string, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`${flag} must be a whole number from ${min} to ${max} (got ${value})`);
  return n;
}
