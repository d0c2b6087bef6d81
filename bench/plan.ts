/**
 * Benchmark 2: config dry-run on N nodes. PyEZ as the seed ran it (pool of 5; per node open, lock,
 * load merge, diff, commit_check, rollback, unlock, close) against `clab-bot config --dry-run`
 * (planOnNodes: private candidate, load, diff, commit check, discard) cold and warm.
 */
import type { RequestResult } from '../src/ops/results.js';
import { BENCH_CHANGE, BENCH_CHANGE_FILE, requireOutcomes, startBot, writeBotLab } from './bot-lab.js';
import type { SimFarm } from './farm-client.js';
import { requirePyezOk, runPyez } from './pyez-runner.js';
import { median, phaseMeans } from './stats.js';
import { timed, within } from './timing.js';

export const PYEZ_PLAN_WORKERS = 5;
/** open-configuration private, get-commit-information, load-configuration, diff, commit check, close-configuration. */
export const PLAN_RPCS = 6;

export interface PlanRow {
  readonly nodes: number;
  readonly latencyMs: number;
  readonly pyezMs: number | undefined;
  readonly pyezPhases: Record<string, number>;
  readonly coldMs: number;
  readonly coldRuns: readonly number[];
  readonly warmMs: number;
  readonly warmRuns: readonly number[];
  /** PLAN_RPCS × latency (every node at once under the default global limit when nodes ≤ it). */
  readonly deviceFloorMs: number;
  readonly globalConcurrency: number;
}

/** Every node planned, changed something and passed commit check: otherwise the timing compares nothing. */
function requirePlans(result: RequestResult, nodes: number): void {
  requireOutcomes(result, nodes);
  if (result.kind !== 'plan') throw new Error(`expected plan results, got ${result.kind}`);
  const bad = result.outcomes.find((o) => o.value === undefined || o.value.diff === '' || !o.value.check.ok);
  if (bad) throw new Error(`${bad.node.name}: plan without a diff or with a failed check: ${JSON.stringify(bad.value?.check)}`);
}

export async function benchPlan(
  farm: SimFarm,
  opts: { nodes: number; latencyMs: number; globalConcurrency: number; cold: number; warm: number; pyez: boolean; log: (line: string) => void },
): Promise<PlanRow> {
  const targets = farm.sims.slice(0, opts.nodes);
  let pyezMs: number | undefined;
  let pyezPhases: Record<string, number> = {};
  if (opts.pyez) {
    opts.log(`plan: PyEZ on ${opts.nodes} nodes (pool of ${PYEZ_PLAN_WORKERS})`);
    const run = await runPyez('plan.py', { targets, user: 'admin', passwd: 'admin@123', workers: PYEZ_PLAN_WORKERS, config: BENCH_CHANGE }, 150_000);
    requirePyezOk(run, `plan on ${opts.nodes} nodes`);
    pyezMs = run.totalMs;
    pyezPhases = phaseMeans(run.results);
  }
  opts.log(`plan: clab-bot on ${opts.nodes} nodes`);
  const lab = writeBotLab(farm.sims);
  const text = `config --nodes ${targets.map((s) => s.name).join(',')} --file ${BENCH_CHANGE_FILE} --dry-run`;
  const cold: number[] = [];
  const warm: number[] = [];
  let bot;
  try {
    for (let i = 0; i < opts.cold; i++) {
      await bot?.close();
      bot = await startBot(lab);
      const live = bot;
      const run = await timed(() => within(live.run(text), 60_000, 'cold plan'));
      requirePlans(run.value, opts.nodes);
      cold.push(run.ms);
    }
    for (let i = 0; i < opts.warm; i++) {
      const live = bot!;
      const run = await timed(() => within(live.run(text), 60_000, 'warm plan'));
      requirePlans(run.value, opts.nodes);
      warm.push(run.ms);
    }
  } finally {
    await bot?.close();
    lab.remove();
  }
  return {
    nodes: opts.nodes,
    latencyMs: opts.latencyMs,
    pyezMs,
    pyezPhases,
    coldMs: median(cold),
    coldRuns: cold,
    warmMs: median(warm),
    warmRuns: warm,
    deviceFloorMs: Math.ceil(opts.nodes / opts.globalConcurrency) * PLAN_RPCS * opts.latencyMs,
    globalConcurrency: opts.globalConcurrency,
  };
}
