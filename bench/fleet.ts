/**
 * Benchmark: the fleet. N simulated vJunos devices split over A agents (child processes on
 * loopback, PostgreSQL + Redis), `exec --all show version` warm from a bot process, against the
 * floor: the same N devices exec'd warm by one process without agents, in the same run, with the
 * same limits and device latency. While the fleet runs, the devices count the RPCs they answer at
 * once: the shared global limit must hold across the agents, and one at a time per device.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createApp } from '../src/app.js';
import { parse } from '../src/grammar/index.js';
import { terminalSubject } from '../src/permissions/subject.js';
import { loadSettings } from '../src/settings.js';
import { freshDatabase, type TestDatabase } from '../test/helpers/databases.js';
import { startRedis, type TestRedis } from '../test/helpers/redis.js';
import { requireOutcomes, startBot, writeBotLab, type BotLab } from './bot-lab.js';
import { startSimFarm, tsxArgs, type SimFarm } from './farm-client.js';
import { startFakeSlack } from '../test/fakes/slack/index.js';
import { OPEN_POLICY } from './bot-lab.js';
import { isFinal, slashBurst, startServe, stopServe, waitFor } from './slack.js';
import { percentile } from './stats.js';
import { median } from './stats.js';
import { timed, within } from './timing.js';

const CLI = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
const AGENT_READY_MS = 90_000;
const RUN_TIMEOUT_MS = 120_000;

export interface FleetPlan {
  readonly nodes: number;
  readonly agents: number;
  readonly latencyMs: number;
  readonly warmRuns: number;
  readonly globalConcurrency: number;
  /** Slash commands sent at once to the two serve replicas (0: skip that part). */
  readonly slashCommands: number;
  readonly nodesPerCommand: number;
  readonly log: (line: string) => void;
}

export interface FleetResult {
  readonly nodes: number;
  readonly agents: number;
  readonly latencyMs: number;
  readonly globalConcurrency: number;
  /** One process, no agents: warm runs (ms) and their median. */
  readonly floorRuns: readonly number[];
  readonly floorMs: number;
  /** Through the agents: cold run, warm runs and their median. */
  readonly fleetColdMs: number;
  readonly fleetRuns: readonly number[];
  readonly fleetMs: number;
  /** Counted on the devices during the fleet's warm runs. */
  readonly maxInflight: number;
  readonly maxPerDevice: number;
  /** The same counted during the floor's warm runs (one process, local limits only). */
  readonly floorMaxInflight: number;
  /** Two `serve` replicas (Socket Mode, each its own connection) under a burst of slash commands. */
  readonly slack: { readonly commands: number; readonly nodesPerCommand: number; readonly ackP50Ms: number; readonly ackP99Ms: number; readonly ackMaxMs: number; readonly doneP99Ms: number } | undefined;
}

export async function benchFleet(plan: FleetPlan): Promise<FleetResult> {
  if (!process.env.CLAB_BOT_TEST_PG) throw new Error('the fleet bench needs PostgreSQL: set CLAB_BOT_TEST_PG=postgres://user:pass@127.0.0.1:5432/db');
  // Every session stays pooled in both modes (the default max_sessions, 500, would make the one process close and reopen half).
  const limits = { global_concurrency: plan.globalConcurrency, max_sessions: Math.max(500, plan.nodes + 100) };
  const cleanups: (() => Promise<void> | void)[] = [];
  try {
    plan.log(`fleet: starting ${plan.nodes} simulated devices`);
    // Addresses of their own (127.23.60.x…), away from the other sections' farm.
    const farm: SimFarm = await startSimFarm({ count: plan.nodes, latencyMs: plan.latencyMs, firstOctet: 60, prefix: 'fleet' });
    cleanups.push(() => farm.close());
    const text = 'exec --all show version';

    // The floor: one process reaching every device itself.
    plan.log(`fleet: floor, one process on ${plan.nodes} devices`);
    const floorLab = writeBotLab(farm.sims, { limits });
    cleanups.push(() => floorLab.remove());
    const floorRuns: number[] = [];
    let floorMaxInflight = 0;
    {
      const bot = await startBot(floorLab);
      try {
        requireOutcomes(await within(bot.run(text), RUN_TIMEOUT_MS, 'floor cold run'), plan.nodes);
        await farm.watchInflight();
        for (let i = 0; i < plan.warmRuns; i++) {
          const run = await timed(() => within(bot.run(text), RUN_TIMEOUT_MS, 'floor warm run'));
          requireOutcomes(run.value, plan.nodes);
          floorRuns.push(run.ms);
        }
        floorMaxInflight = (await farm.maxInflight()).total;
      } finally {
        await bot.close();
      }
    }

    plan.log('fleet: PostgreSQL database, Redis and agents');
    const db: TestDatabase = await freshDatabase('postgres');
    cleanups.push(() => db.dispose());
    const redis: TestRedis = await startRedis();
    cleanups.push(() => redis.dispose());
    const env = { CLAB_BOT_DB: db.url, CLAB_BOT_REDIS: redis.url };
    const per = Math.ceil(plan.nodes / plan.agents);
    const agentLabs: BotLab[] = [];
    for (let a = 0; a < plan.agents; a++) {
      const lab = writeBotLab(farm.sims.slice(a * per, (a + 1) * per), { limits, logLevel: 'info' });
      agentLabs.push(lab);
      cleanups.push(() => lab.remove());
    }
    const children = await Promise.all(agentLabs.map((lab, a) => startAgent(`fleet-a${a + 1}`, lab, env)));
    cleanups.push(() => Promise.all(children.map(stopChild)).then(() => undefined));

    const settings = loadSettings({ configPath: floorLab.configFile, env, cwd: floorLab.dir });
    const app = await createApp(settings);
    cleanups.push(() => app.close());
    const run = async () => {
      const parsed = parse(text, { source: 'terminal' });
      if (!parsed.ok) throw parsed.error;
      return app.runner.run(parsed.request, { subject: terminalSubject(undefined, { id: 'terminal:bench' }), source: 'terminal' });
    };
    plan.log(`fleet: ${plan.nodes} devices through ${plan.agents} agents`);
    const cold = await timed(() => within(run(), RUN_TIMEOUT_MS, 'fleet cold run'));
    requireOutcomes(cold.value, plan.nodes);
    await farm.watchInflight();
    const fleetRuns: number[] = [];
    for (let i = 0; i < plan.warmRuns; i++) {
      const r = await timed(() => within(run(), RUN_TIMEOUT_MS, 'fleet warm run'));
      requireOutcomes(r.value, plan.nodes);
      fleetRuns.push(r.ms);
    }
    const seen = await farm.maxInflight();
    const slack = plan.slashCommands > 0 ? await slackReplicas(plan, farm, env) : undefined;
    return {
      slack,
      nodes: plan.nodes,
      agents: plan.agents,
      latencyMs: plan.latencyMs,
      globalConcurrency: plan.globalConcurrency,
      floorRuns,
      floorMs: median(floorRuns),
      fleetColdMs: cold.ms,
      fleetRuns,
      fleetMs: median(fleetRuns),
      maxInflight: seen.total,
      maxPerDevice: seen.perDevice,
      floorMaxInflight,
    };
  } finally {
    for (const c of cleanups.reverse()) await Promise.resolve(c()).catch(() => undefined);
  }
}

/** `clab-bot agent --name NAME` over `lab`, resolved once it logs that it is ready. */
function startAgent(name: string, lab: BotLab, env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, [...tsxArgs(CLI), 'agent', '--name', name], {
    env: { ...process.env, ...env, CLAB_BOT_CONFIG: lab.configFile },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`agent ${name} was not ready in ${AGENT_READY_MS / 1000} s: ${out.slice(-2000)}`));
    }, AGENT_READY_MS);
    const onData = (d: Buffer) => {
      out = (out + d.toString()).slice(-8000);
      if (out.includes(`clab-bot agent ${name} ready`)) {
        clearTimeout(timer);
        child.stdout!.removeAllListeners('data');
        child.stderr!.removeAllListeners('data');
        // Keep draining its output so a full pipe never blocks it.
        child.stdout!.resume();
        child.stderr!.resume();
        resolve(child);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`agent ${name} exited with ${code}: ${out.slice(-2000)}`));
    });
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

/** Two `serve` replicas on the fleet's database and Redis, 200 slash commands at once through the fake Slack's Socket Mode. */
async function slackReplicas(plan: FleetPlan, farm: SimFarm, env: Record<string, string>): Promise<NonNullable<FleetResult['slack']>> {
  const timeoutMs = 120_000;
  const fake = await startFakeSlack({ botToken: 'xoxb-bench', appToken: 'xapp-bench' });
  const lab = writeBotLab(farm.sims.slice(0, 1), { policy: OPEN_POLICY, logLevel: 'warn', limits: { per_user_per_minute: 10_000, per_user_nodes_per_minute: 1_000_000 } });
  const replicas: ChildProcess[] = [];
  try {
    plan.log('fleet: two serve replicas (compiled) on the fleet database and Redis, Socket Mode');
    for (let i = 0; i < 2; i++) replicas.push(await startServe(fake, lab.configFile, timeoutMs, env));
    const names = farm.sims.map((s) => s.name);
    const textFor = (i: number) =>
      `exec ${Array.from({ length: plan.nodesPerCommand }, (_, k) => names[(i * plan.nodesPerCommand + k) % names.length]).join(',')} show version`;
    await fake.sendSlashCommand({ text: textFor(0), user_id: 'UWARMUP', channel_id: 'CWARMUP' });
    await waitFor(() => fake.messages('CWARMUP').some(isFinal), timeoutMs, 'the warm-up request');
    plan.log(`fleet: ${plan.slashCommands} slash commands at once, ${plan.nodesPerCommand} nodes each`);
    const { acks, doneAt } = await slashBurst(fake, {
      count: plan.slashCommands,
      textFor: (i) => textFor(i + 1),
      userOf: (i) => `UFLEET${String(i % 50).padStart(3, '0')}`,
      channelOf: (i) => `CFLEET${String(i % 20).padStart(3, '0')}`,
      channelPrefix: 'CFLEET',
      timeoutMs,
    });
    return {
      commands: plan.slashCommands,
      nodesPerCommand: plan.nodesPerCommand,
      ackP50Ms: percentile(acks, 50),
      ackP99Ms: percentile(acks, 99),
      ackMaxMs: Math.max(...acks),
      doneP99Ms: percentile([...doneAt.values()], 99),
    };
  } finally {
    for (const r of replicas) await stopServe(r);
    await fake.close();
    lab.remove();
  }
}
