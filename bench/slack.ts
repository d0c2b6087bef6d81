/**
 * Benchmark 3: a burst of `/clab exec` slash commands against the fake Slack. The bot is the real
 * `clab-bot serve` (Bolt in Socket Mode + createApp) in its own process, reaching the fake through
 * SLACK_API_URL and the simulated devices through a containerlab lab directory. The fake, in this
 * process, times each ack from sending the envelope to receiving the ack on the socket.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { AckTimeoutError, startFakeSlack, type FakeMessage, type FakeSlack } from '../test/fakes/slack/index.js';
import { OPEN_POLICY, writeBotLab } from './bot-lab.js';
import { compileEntry } from './compile.js';
import type { SimFarm } from './farm-client.js';
import { percentile } from './stats.js';
import { within } from './timing.js';

const CLI = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
/** Calls the bot makes once at start, not per request. */
const START_METHODS = new Set(['auth.test', 'apps.connections.open']);

export interface SlackResult {
  readonly requests: number;
  readonly nodesPerRequest: number;
  readonly channels: number;
  readonly ackP50Ms: number;
  readonly ackP99Ms: number;
  readonly ackMaxMs: number;
  /** Acks slower than Slack's 3 s limit (or never sent). */
  readonly acksOver3s: number;
  /** Time from the burst to each request's final status in its root message. */
  readonly doneP50Ms: number;
  readonly doneP99Ms: number;
  /** Every Web API call during the burst (start-up calls excluded) over the number of requests. */
  readonly callsPerRequest: number;
  /** The most calls one request made that name its root message (its post, updates, thread replies). */
  readonly maxCallsPerRequest: number;
  readonly callsByMethod: Record<string, number>;
  readonly rateLimited: number;
}

export interface SlackPlan {
  readonly requests: number;
  readonly nodesPerRequest: number;
  readonly channels: number;
  readonly timeoutMs: number;
  readonly log: (line: string) => void;
}

/** A root message's final status is in: updated at least once and no longer "running". */
export function isFinal(message: FakeMessage): boolean {
  return message.updates > 0 && /done in/.test(JSON.stringify(message.blocks ?? message.text));
}

export async function benchSlack(farm: SimFarm, plan: SlackPlan): Promise<SlackResult> {
  const fake = await startFakeSlack({ botToken: 'xoxb-bench', appToken: 'xapp-bench' });
  const lab = writeBotLab(farm.sims, { policy: OPEN_POLICY, logLevel: 'warn' });
  let bot: ChildProcess | undefined;
  try {
    plan.log('slack: starting clab-bot serve (compiled) against the fake Slack');
    bot = await startServe(fake, lab.configFile, plan.timeoutMs);
    const names = farm.sims.map((s) => s.name);
    const textFor = (i: number) => {
      const nodes = Array.from({ length: plan.nodesPerRequest }, (_, k) => names[(i * plan.nodesPerRequest + k) % names.length]);
      return `exec ${nodes.join(',')} show version`;
    };
    // One request first, so the burst does not also time the bot's first-request JIT work.
    await fake.sendSlashCommand({ text: textFor(0), user_id: 'UWARMUP', channel_id: 'CWARMUP' });
    await waitFor(() => fake.messages('CWARMUP').some(isFinal), plan.timeoutMs, 'the warm-up request');
    fake.resetCalls();

    plan.log(`slack: ${plan.requests} slash commands at once in ${plan.channels} channels`);
    const channelOf = (i: number) => `CBENCH${String(i % plan.channels).padStart(3, '0')}`;
    const { acks, doneAt } = await slashBurst(fake, {
      count: plan.requests,
      textFor: (i) => textFor(i + 1),
      userOf: (i) => `UBENCH${String(i).padStart(3, '0')}`,
      channelOf,
      channelPrefix: 'CBENCH',
      timeoutMs: plan.timeoutMs,
    });
    const calls = fake.calls().filter((c) => !START_METHODS.has(c.method));
    const byMethod: Record<string, number> = {};
    for (const c of calls) byMethod[c.method] = (byMethod[c.method] ?? 0) + 1;
    // A request's calls: its root post, plus every call naming the root (updates, thread replies, file shares).
    const perRoot = new Map<string, number>([...doneAt.keys()].map((ts) => [ts, 1]));
    for (const c of calls) {
      const ts = typeof c.args.ts === 'string' ? c.args.ts : typeof c.args.thread_ts === 'string' ? c.args.thread_ts : undefined;
      if (ts !== undefined && perRoot.has(ts)) perRoot.set(ts, perRoot.get(ts)! + 1);
    }
    const done = [...doneAt.values()];
    return {
      requests: plan.requests,
      nodesPerRequest: plan.nodesPerRequest,
      channels: plan.channels,
      ackP50Ms: percentile(acks, 50),
      ackP99Ms: percentile(acks, 99),
      ackMaxMs: Math.max(...acks),
      acksOver3s: acks.filter((ms) => ms > 3000).length,
      doneP50Ms: percentile(done, 50),
      doneP99Ms: percentile(done, 99),
      callsPerRequest: calls.length / plan.requests,
      maxCallsPerRequest: Math.max(...perRoot.values()),
      callsByMethod: byMethod,
      rateLimited: calls.filter((c) => c.status === 429).length,
    };
  } finally {
    await stopServe(bot);
    await fake.close();
    lab.remove();
  }
}

/** `clab-bot serve` (compiled) against the fake Slack; `env` adds settings (a replica's database and Redis). */
export async function startServe(fake: FakeSlack, configFile: string, timeoutMs: number, extraEnv: Record<string, string> = {}): Promise<ChildProcess> {
  const cli = await compileEntry(CLI);
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    SLACK_BOT_TOKEN: fake.botToken,
    SLACK_APP_TOKEN: fake.appToken,
    SLACK_API_URL: fake.apiUrl,
    CLAB_BOT_CONFIG: configFile,
    ...extraEnv,
  };
  const child = spawn(process.execPath, [cli, 'serve'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`clab-bot serve exited (${code}): ${stderr.trim()}`))));
  const sockets = fake.socketConnections;
  try {
    await within(Promise.race([fake.waitForSocket(timeoutMs), exited]), timeoutMs, 'clab-bot serve connecting to the fake Slack');
    // A second replica: wait for its own connection, not the first one's.
    await within(Promise.race([waitFor(() => fake.socketConnections > sockets, timeoutMs, 'a new Socket Mode connection'), exited]), timeoutMs, 'clab-bot serve connecting');
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  exited.catch(() => undefined);
  return child;
}

export async function stopServe(child: ChildProcess | undefined): Promise<void> {
  if (child === undefined || child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  await within(exited, 20_000, 'clab-bot serve stopping').catch(() => child.kill('SIGKILL'));
}

/**
 * `count` slash commands sent at once: each one's ack time (Infinity when Slack's 3 s passed
 * unanswered), and when each root reached its final status, from the start of the burst, by root ts.
 */
export async function slashBurst(
  fake: FakeSlack,
  o: {
    readonly count: number;
    readonly textFor: (i: number) => string;
    readonly userOf: (i: number) => string;
    readonly channelOf: (i: number) => string;
    /** Every channel of the burst starts with this (and no other channel does). */
    readonly channelPrefix: string;
    readonly timeoutMs: number;
  },
): Promise<{ acks: number[]; doneAt: Map<string, number> }> {
  const started = performance.now();
  const acks = await Promise.all(
    Array.from({ length: o.count }, (_, i) =>
      fake
        .sendSlashCommand({ text: o.textFor(i), user_id: o.userOf(i), channel_id: o.channelOf(i) })
        .then((sent) => sent.ackMs)
        .catch((err: unknown) => {
          if (err instanceof AckTimeoutError) return Number.POSITIVE_INFINITY;
          throw err;
        }),
    ),
  );
  const doneAt = new Map<string, number>();
  await waitFor(
    () => {
      for (const m of fake.messages()) {
        if (m.channel.startsWith(o.channelPrefix) && m.thread_ts === undefined && !doneAt.has(m.ts) && isFinal(m)) doneAt.set(m.ts, performance.now() - started);
      }
      return doneAt.size >= o.count;
    },
    o.timeoutMs,
    `${o.count} final statuses`,
  );
  return { acks, doneAt };
}

export async function waitFor(probe: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`slack: no ${what} within ${Math.round(timeoutMs / 1000)} s`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
