/**
 * The one-shot CLI as an on-call engineer types it: `clab-bot nodes` and `clab-bot exec NODE
 * show version` as separate processes through the `clab-bot` launcher (src/launcher.mjs), against
 * `node -e 0` as the floor. For exec, the device's own time (the result's durationMs: connect
 * and RPC) is taken off as well, so what remains is clab-bot's process overhead.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { SimFarm } from './farm-client.js';
import { writeBotLab } from './bot-lab.js';
import { median } from './stats.js';

const LAUNCHER = fileURLToPath(new URL('../src/launcher.mjs', import.meta.url));
const BUNDLE = fileURLToPath(new URL('../dist/cli/cli.mjs', import.meta.url));
const RUN_TIMEOUT_MS = 60_000;

export interface CliRow {
  readonly what: string;
  /** Median wall time of the process, ms. */
  readonly wallMs: number;
  /** Median wall time minus the floor's median and the device time, ms. */
  readonly overheadMs: number;
  /** Median device time inside the process (exec), ms. */
  readonly deviceMs: number;
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
    opts.log(`cli: ${opts.repeats} runs each of node -e 0, clab-bot nodes, clab-bot exec ${sim.name} show version`);
    // One untimed run of each: the first start pays the file cache and the database migration.
    await run(['-e', '0']);
    const first = await run(cli('nodes'));
    await run(cli('exec', sim.name, '--output', 'json', 'show', 'version'));
    const floors: Run[] = [];
    const nodes: Run[] = [];
    const execs: (Run & { deviceMs: number })[] = [];
    for (let i = 0; i < opts.repeats; i++) {
      floors.push(await run(['-e', '0']));
      nodes.push(await run(cli('nodes')));
      const exec = await run(cli('exec', sim.name, '--output', 'json', 'show', 'version'));
      const json = JSON.parse(exec.stdout) as { results: { ok: boolean; durationMs: number }[] };
      const result = json.results[0];
      if (result === undefined || !result.ok) throw new Error(`clab-bot exec ${sim.name} failed: ${exec.stdout}`);
      execs.push({ ...exec, deviceMs: result.durationMs });
    }
    const floorMs = median(floors.map((f) => f.wallMs));
    const cpu = (runs: readonly Run[]) => (runs.every((r) => r.cpuMs !== undefined) ? median(runs.map((r) => r.cpuMs!)) : undefined);
    const floorCpuMs = cpu(floors);
    const cpuOver = (runs: readonly Run[]) => {
      const c = cpu(runs);
      return c === undefined || floorCpuMs === undefined ? undefined : c - floorCpuMs;
    };
    const execWall = median(execs.map((e) => e.wallMs));
    const execDevice = median(execs.map((e) => e.deviceMs));
    const execOverhead = median(execs.map((e) => e.wallMs - e.deviceMs)) - floorMs;
    return {
      floorMs,
      floorCpuMs,
      bundled: existsSync(BUNDLE) && !first.stderr.includes('running them through tsx'),
      rows: [
        { what: 'clab-bot nodes', wallMs: median(nodes.map((n) => n.wallMs)), overheadMs: median(nodes.map((n) => n.wallMs)) - floorMs, deviceMs: 0, cpuOverheadMs: cpuOver(nodes) },
        { what: `clab-bot exec ${sim.name} show version`, wallMs: execWall, overheadMs: execOverhead, deviceMs: execDevice, cpuOverheadMs: cpuOver(execs) },
      ],
    };
  } finally {
    lab.remove();
  }
}
