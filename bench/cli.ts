/**
 * The one-shot CLI as an on-call engineer types it: `clab-bot nodes` and `clab-bot exec NODE
 * show version` as separate processes through the `clab-bot` launcher (src/launcher.mjs), against
 * `node -e 0` as the floor. For exec, the device time is taken off as well, so what remains is
 * clab-bot's process overhead. The device time is measured apart, in this process, between the
 * runs: a new SSH session and the RPC from a client that has already loaded and run its code, so
 * it holds the handshake and the device's replies but none of the new process's start-up. (The
 * result's own durationMs would also count loading ssh2 and running the handshake code cold.)
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { SimFarm } from './farm-client.js';
import { requireOutcomes, startBot, writeBotLab } from './bot-lab.js';
import { median } from './stats.js';

const LAUNCHER = fileURLToPath(new URL('../src/launcher.mjs', import.meta.url));
const BUNDLE = fileURLToPath(new URL('../dist/cli/cli.cjs', import.meta.url));
const RUN_TIMEOUT_MS = 60_000;

export interface CliRow {
  readonly what: string;
  /** Median wall time of the process, ms. */
  readonly wallMs: number;
  /** Median wall time minus the floor's median and the device time, ms. */
  readonly overheadMs: number;
  /** Median device time (exec): a new session and the RPC from a warm client, measured apart, ms. */
  readonly deviceMs: number;
  /** Median connect + RPC time the process itself reported (exec: its result's durationMs), ms. */
  readonly inProcessDeviceMs: number;
  /** Median CPU time (user + system) of the process beyond the floor's, ms: steadier than wall time on a busy machine. */
  readonly cpuOverheadMs: number | undefined;
}

export interface CliResult {
  readonly floorMs: number;
  readonly floorCpuMs: number | undefined;
  readonly rows: readonly CliRow[];
  /** The launcher ran the bundle (false: sources through tsx, because dist/cli is missing or older than src). */
  readonly bundled: boolean;
}

interface Run {
  readonly wallMs: number;
  /** CPU time of the finished child (Linux: this process's cutime + cstime), undefined elsewhere. */
  readonly cpuMs: number | undefined;
  readonly stdout: string;
  readonly stderr: string;
}

/** CPU time of this process's reaped children, ms (Linux /proc; 10 ms ticks). */
function childrenCpuMs(): number | undefined {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').replace(/^.*\) /, '').split(' ');
    // After the command name: field 16 cutime and 17 cstime, counted from 1 with pid and comm first.
    return (Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    return undefined;
  }
}

function run(args: readonly string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const cpuBefore = childrenCpuMs();
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), RUN_TIMEOUT_MS);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const wallMs = performance.now() - started;
      const cpuAfter = childrenCpuMs();
      const cpuMs = cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore;
      if (code !== 0) reject(new Error(`node ${args.join(' ')} exited ${code}: ${stderr.trim()}`));
      else resolve({ wallMs, cpuMs, stdout, stderr });
    });
  });
}

export async function benchCli(farm: SimFarm, opts: { repeats: number; log: (line: string) => void }): Promise<CliResult> {
  const sim = farm.sims[0]!;
  const lab = writeBotLab([sim]);
  try {
    const cli = (verb: string, ...words: string[]) => [LAUNCHER, verb, '--config', lab.configFile, ...words];
    opts.log(`cli: ${opts.repeats} runs each of node -e 0, clab-bot nodes, clab-bot exec ${sim.name} show version, and the device time from this process`);
    // One untimed run of each: the first start pays the file cache and the database migration.
    await run(['-e', '0']);
    const first = await run(cli('nodes'));
    await run(cli('exec', sim.name, '--output', 'json', 'show', 'version'));
    const floors: Run[] = [];
    const nodes: Run[] = [];
    const execs: (Run & { deviceMs: number })[] = [];
    const device: number[] = [];
    await deviceTime(lab, sim.name); // untimed: this process's first session warms its code
    for (let i = 0; i < opts.repeats; i++) {
      floors.push(await run(['-e', '0']));
      nodes.push(await run(cli('nodes')));
      const exec = await run(cli('exec', sim.name, '--output', 'json', 'show', 'version'));
      const json = JSON.parse(exec.stdout) as { results: { ok: boolean; durationMs: number }[] };
      const result = json.results[0];
      if (result === undefined || !result.ok) throw new Error(`clab-bot exec ${sim.name} failed: ${exec.stdout}`);
      execs.push({ ...exec, deviceMs: result.durationMs });
      device.push(await deviceTime(lab, sim.name));
    }
    const floorMs = median(floors.map((f) => f.wallMs));
    const cpu = (runs: readonly Run[]) => (runs.every((r) => r.cpuMs !== undefined) ? median(runs.map((r) => r.cpuMs!)) : undefined);
    const floorCpuMs = cpu(floors);
    const cpuOver = (runs: readonly Run[]) => {
      const c = cpu(runs);
      return c === undefined || floorCpuMs === undefined ? undefined : c - floorCpuMs;
    };
    const nodesWall = median(nodes.map((n) => n.wallMs));
    const execWall = median(execs.map((e) => e.wallMs));
    const deviceMs = median(device);
    return {
      floorMs,
      floorCpuMs,
      bundled: existsSync(BUNDLE) && !first.stderr.includes('running them through tsx'),
      rows: [
        { what: 'clab-bot nodes', wallMs: nodesWall, overheadMs: nodesWall - floorMs, deviceMs: 0, inProcessDeviceMs: 0, cpuOverheadMs: cpuOver(nodes) },
        {
          what: `clab-bot exec ${sim.name} show version`,
          wallMs: execWall,
          overheadMs: execWall - floorMs - deviceMs,
          deviceMs,
          inProcessDeviceMs: median(execs.map((e) => e.deviceMs)),
          cpuOverheadMs: cpuOver(execs),
        },
      ],
    };
  } finally {
    lab.remove();
  }
}

/**
 * The device's share of one `exec NODE show version`: a fresh app (so a new SSH session: handshake,
 * login, NETCONF hello) runs it in this already warm process; the node's durationMs, ms.
 */
async function deviceTime(lab: ReturnType<typeof writeBotLab>, node: string): Promise<number> {
  const bot = await startBot(lab);
  try {
    const result = await bot.run(`exec ${node} show version`);
    requireOutcomes(result, 1);
    if (result.kind !== 'exec') throw new Error(`expected an exec result, got ${result.kind}`);
    if (bot.app.pool.stats().created !== 1) throw new Error('the device-time run reused a session: it must open a new one');
    return result.outcomes[0]!.durationMs;
  } finally {
    await bot.close();
  }
}

