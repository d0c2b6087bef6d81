/**
 * Benchmark 1: `show version` on N nodes. PyEZ as the seed ran it (pool of 10; per node a new
 * connection, default open, cli, close) against clab-bot cold (fresh app: every session is new)
 * and warm (the same app again: pooled sessions), on the same simulated devices in the same run.
 */
import type { Limits } from '../src/settings.js';
import { requireOutcomes, startBot, writeBotLab, type Bot } from './bot-lab.js';
import type { SimFarm } from './farm-client.js';
import { requirePyezOk, runPyez } from './pyez-runner.js';
import { median, phaseMeans } from './stats.js';
import { timed, within } from './timing.js';

/** The seed's thread pool for exec. */
export const PYEZ_EXEC_WORKERS = 10;
/** Device round trips one warm exec needs: the `<command>` RPC. */
export const EXEC_RPCS = 1;

export interface BotRuns {
  /** Median of the cold runs (fresh app, no session open), ms. */
  readonly coldMs: number;
  readonly coldRuns: readonly number[];
  /** CPU this process used in the median cold run, ms. */
  readonly coldCpuMs: number;
  /** CPU the device farm used across the cold runs, per run, ms. */
  readonly farmCpuColdMs: number;
  readonly warmMs: number;
  readonly warmRuns: readonly number[];
  readonly warmCpuMs: number;
  /** Warm runs with the devices answering at once (latency 0): the bot's own work plus the devices' processing. */
  readonly zeroMs: number;
  readonly zeroRuns: readonly number[];
  /** Sessions the pool opened for the warm runs beyond the cold one (0 = every warm run reused them). */
  readonly warmNewSessions: number;
}

export interface FanoutRow extends BotRuns {
  readonly nodes: number;
  readonly globalConcurrency: number;
  readonly latencyMs: number;
  readonly pyezMs: number | undefined;
  /** Mean per-node milliseconds in each PyEZ step (open, cli, close). */
  readonly pyezPhases: Record<string, number>;
  /** Device waits a warm run cannot avoid: ceil(nodes / global limit) waves × RPCs × latency. */
  readonly deviceFloorMs: number;
  /** deviceFloorMs + zeroMs: the floor (device latency plus the work of the bot itself). */
  readonly floorMs: number;
}

export interface RepeatCounts {
  readonly cold: number;
  readonly warm: number;
  readonly zero: number;
}

export const DEFAULT_REPEATS: RepeatCounts = { cold: 3, warm: 5, zero: 3 };

/**
 * Runs `text` cold `repeats.cold` times (a fresh app each time), then warm and at zero latency on the
 * last app. Every run must succeed on every node, or the timing is worthless and this throws.
 */
export async function measureBot(
  farm: SimFarm,
  lab: ReturnType<typeof writeBotLab>,
  text: string,
  expectNodes: number,
  latencyMs: number,
  repeats: RepeatCounts,
): Promise<BotRuns> {
  const cold: { ms: number; cpuMs: number }[] = [];
  let farmCpu = 0;
  let bot: Bot | undefined;
  try {
    for (let i = 0; i < repeats.cold; i++) {
      await bot?.close();
      bot = await startBot(lab);
      const live = bot;
      const f0 = await farm.cpuMs();
      const run = await timed(() => within(live.run(text), 60_000, `cold ${text.slice(0, 40)}`));
      farmCpu += (await farm.cpuMs()) - f0;
      requireOutcomes(run.value, expectNodes);
      cold.push(run);
    }
    const live = bot!;
    const created = live.app.pool.stats().created;
    const warm: { ms: number; cpuMs: number }[] = [];
    for (let i = 0; i < repeats.warm; i++) {
      const run = await timed(() => within(live.run(text), 60_000, 'warm run'));
      requireOutcomes(run.value, expectNodes);
      warm.push(run);
    }
    const warmNewSessions = live.app.pool.stats().created - created;
    const zero: number[] = [];
    await farm.setLatency(0);
    try {
      for (let i = 0; i < repeats.zero; i++) {
        const run = await timed(() => within(live.run(text), 60_000, 'zero-latency run'));
        requireOutcomes(run.value, expectNodes);
        zero.push(run.ms);
      }
    } finally {
      await farm.setLatency(latencyMs);
    }
    const coldMedian = median(cold.map((r) => r.ms));
    const warmMedian = median(warm.map((r) => r.ms));
    return {
      coldMs: coldMedian,
      coldRuns: cold.map((r) => r.ms),
      coldCpuMs: cold.find((r) => r.ms === coldMedian)!.cpuMs,
      farmCpuColdMs: farmCpu / cold.length,
      warmMs: warmMedian,
      warmRuns: warm.map((r) => r.ms),
      warmCpuMs: warm.find((r) => r.ms === warmMedian)!.cpuMs,
      zeroMs: median(zero),
      zeroRuns: zero,
      warmNewSessions,
    };
  } finally {
    await bot?.close();
  }
}

export interface FanoutPlan {
  readonly sizes: readonly number[];
  /** Extra clab-bot runs at these sizes with global_concurrency raised to reach every node at once. */
  readonly allAtOnceSizes: readonly number[];
  readonly latencyMs: number;
  readonly repeats: RepeatCounts;
  readonly pyez: boolean;
  readonly log: (line: string) => void;
}

/** Global limit for the "all at once" variant: above every size the bench uses. */
export const ALL_AT_ONCE = 256;

export async function benchFanout(farm: SimFarm, plan: FanoutPlan, defaults: Limits): Promise<FanoutRow[]> {
  const rows: FanoutRow[] = [];
  const variants: { limits: Partial<Limits>; sizes: readonly number[] }[] = [
    { limits: {}, sizes: plan.sizes },
    { limits: { global_concurrency: ALL_AT_ONCE }, sizes: plan.allAtOnceSizes },
  ];
  const pyezBySize = new Map<number, { ms: number; phases: Record<string, number> }>();
  for (const n of plan.sizes) {
    if (!plan.pyez) break;
    const targets = farm.sims.slice(0, n);
    plan.log(`fan-out: PyEZ on ${n} nodes (pool of ${PYEZ_EXEC_WORKERS})`);
    const run = await runPyez('fanout.py', { targets, user: 'admin', passwd: 'admin@123', workers: PYEZ_EXEC_WORKERS, command: 'show version' }, 150_000);
    requirePyezOk(run, `show version on ${n} nodes`);
    pyezBySize.set(n, { ms: run.totalMs, phases: phaseMeans(run.results) });
  }
  for (const variant of variants) {
    const lab = writeBotLab(farm.sims, { limits: variant.limits });
    const global = variant.limits.global_concurrency ?? defaults.global_concurrency;
    try {
      for (const n of variant.sizes) {
        const names = farm.sims.slice(0, n).map((s) => s.name);
        plan.log(`fan-out: clab-bot on ${n} nodes (global_concurrency ${global})`);
        const runs = await measureBot(farm, lab, `exec --nodes ${names.join(',')} show version`, n, plan.latencyMs, plan.repeats);
        const deviceFloorMs = Math.ceil(n / global) * EXEC_RPCS * plan.latencyMs;
        const pyez = pyezBySize.get(n);
        rows.push({
          ...runs,
          nodes: n,
          globalConcurrency: global,
          latencyMs: plan.latencyMs,
          pyezMs: pyez?.ms,
          pyezPhases: pyez?.phases ?? {},
          deviceFloorMs,
          floorMs: deviceFloorMs + runs.zeroMs,
        });
      }
    } finally {
      lab.remove();
    }
  }
  return rows;
}

/** One untimed cold + warm round over every device, so neither process is measured while its JIT warms up. */
export async function warmUp(farm: SimFarm, latencyMs: number): Promise<void> {
  const lab = writeBotLab(farm.sims, { limits: { global_concurrency: ALL_AT_ONCE } });
  try {
    const names = farm.sims.map((s) => s.name).join(',');
    await measureBot(farm, lab, `exec --nodes ${names} show version`, farm.sims.length, latencyMs, { cold: 1, warm: 1, zero: 1 });
  } finally {
    lab.remove();
  }
}
