/** Starts bench/sim-farm.ts in a child process and talks to it. */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createInterface, type Interface } from 'node:readline';
import type { FarmCommand, FarmConfig, FarmSim } from './sim-farm.js';

const FARM_SCRIPT = fileURLToPath(new URL('./sim-farm.ts', import.meta.url));
const START_TIMEOUT_MS = 60_000;
const COMMAND_TIMEOUT_MS = 10_000;

export interface SimFarm {
  readonly sims: readonly FarmSim[];
  readonly pid: number;
  /** NETCONF sessions open on all the farm's devices now. */
  sessions(): Promise<number>;
  /** CPU time the farm process has used so far (user + system), in ms. */
  cpuMs(): Promise<number>;
  setLatency(ms: number): Promise<void>;
  /** Starts counting the RPCs the devices answer at once. */
  watchInflight(): Promise<void>;
  /** Stops counting: the most RPCs in flight across all devices, and on any one device. */
  maxInflight(): Promise<{ total: number; perDevice: number }>;
  close(): Promise<void>;
}

/** Node's own flags to run a TypeScript entry point through tsx (used for every bench child). */
export function tsxArgs(script: string, nodeFlags: readonly string[] = []): string[] {
  return [...nodeFlags, '--import', 'tsx', script];
}

export interface StartFarmOptions extends Partial<FarmConfig> {
  readonly count: number;
  readonly latencyMs: number;
  /** Extra flags for the farm's node process (e.g. `--cpu-prof` to see where the devices spend time). */
  readonly nodeFlags?: readonly string[];
}

export async function startSimFarm(options: StartFarmOptions): Promise<SimFarm> {
  const { nodeFlags = [], ...config } = options;
  const full: FarmConfig = { prefix: 'vjunos', firstOctet: 1, port: 830, username: 'admin', password: 'admin@123', ...config };
  const child = spawn(process.execPath, [...tsxArgs(FARM_SCRIPT, nodeFlags), JSON.stringify(full)], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const lines = createInterface({ input: child.stdout });
  const replies: Array<(line: string) => void> = [];
  const first = new Promise<string>((resolve, reject) => {
    replies.push(resolve);
    child.once('exit', (code) => reject(new Error(`sim farm exited (code ${code}) before it was ready: ${stderr.trim()}`)));
  });
  lines.on('line', (line) => replies.shift()?.(line));
  const sims = await withTimeout(first, START_TIMEOUT_MS, `sim farm of ${config.count} devices did not start`, child).then(
    (line) => (JSON.parse(line) as { sims: FarmSim[] }).sims,
  );
  return farmHandle(child, lines, replies, sims);
}

function farmHandle(child: ChildProcessWithoutNullStreams, lines: Interface, replies: Array<(line: string) => void>, sims: FarmSim[]): SimFarm {
  const ask = async (command: FarmCommand): Promise<Record<string, number>> => {
    const answer = new Promise<string>((resolve) => replies.push(resolve));
    child.stdin.write(`${JSON.stringify(command)}\n`);
    return JSON.parse(await withTimeout(answer, COMMAND_TIMEOUT_MS, `sim farm did not answer ${command.cmd}`)) as Record<string, number>;
  };
  return {
    sims,
    pid: child.pid ?? 0,
    sessions: async () => (await ask({ cmd: 'sessions' })).sessions ?? 0,
    cpuMs: async () => (await ask({ cmd: 'cpu' })).cpuMs ?? 0,
    setLatency: async (ms) => {
      await ask({ cmd: 'latency', ms });
    },
    watchInflight: async () => {
      await ask({ cmd: 'inflight', watch: true });
    },
    maxInflight: async () => {
      const r = await ask({ cmd: 'inflight', watch: false });
      return { total: r.maxTotal ?? 0, perDevice: r.maxOne ?? 0 };
    },
    close: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.stdin.end();
      await withTimeout(exited, COMMAND_TIMEOUT_MS, 'sim farm did not exit').catch(() => child.kill('SIGKILL'));
      lines.close();
    },
  };
}

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string, child?: ChildProcessWithoutNullStreams): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      child?.kill('SIGKILL');
      reject(new Error(`${what} within ${ms} ms`));
    }, ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
