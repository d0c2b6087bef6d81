import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitUntil, type FakeMessage, type FakeSlack } from '../fakes/slack/index.js';
import { CLI, REPO, TSX } from './cli.js';
import { OPEN_POLICY, shownText } from './slack-app.js';

/**
 * The environment of a `clab-bot serve` an operator starts against the fake Slack in Socket Mode:
 * the fake's tokens and API URL, a settings file in `dir` naming an open policy, no labs of its
 * own, and `extra` (the database, Redis, timings). Redis and a signing secret come only from `extra`.
 */
export function serveEnv(fake: FakeSlack, dir: string, extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  writeFileSync(join(dir, 'policy.yaml'), OPEN_POLICY);
  writeFileSync(join(dir, 'clab-bot.yaml'), 'policy: policy.yaml\n');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NO_COLOR: '1',
    SLACK_BOT_TOKEN: fake.botToken,
    SLACK_APP_TOKEN: fake.appToken,
    SLACK_API_URL: fake.apiUrl,
    CLAB_BOT_CONFIG: join(dir, 'clab-bot.yaml'),
    CLAB_LABS: '',
  };
  delete env.CLAB_BOT_REDIS;
  delete env.SLACK_SIGNING_SECRET;
  return { ...env, ...extra };
}

/** A `clab-bot serve` or `clab-bot agent` child process and what it logged. */
export interface Proc {
  readonly name: string;
  readonly child: ChildProcess;
  log(): string;
  exited(): Promise<void>;
}

/** Starts `clab-bot ARGS` as an operator would; resolves once its log matches `ready`. */
export async function startProc(name: string, args: readonly string[], env: NodeJS.ProcessEnv, ready: RegExp): Promise<Proc> {
  const child = spawn(process.execPath, ['--import', TSX, CLI, ...args], { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  child.stdout!.on('data', (d: Buffer) => (log += d.toString()));
  const exit = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const proc: Proc = { name, child, log: () => log, exited: () => exit };
  await waitUntil(() => ready.test(log) || child.exitCode !== null, { timeoutMs: 60_000, what: `${name} ready (log so far: ${log})` });
  if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}: ${log}`);
  return proc;
}

/** A serve replica and the number of its Socket Mode connection on the fake (1 for the first accepted, …). */
export interface Replica extends Proc {
  readonly connection: number;
}

/** `clab-bot serve`, resolved once it is ready and its Socket Mode connection is open. */
export async function startReplica(fake: FakeSlack, name: string, env: NodeJS.ProcessEnv): Promise<Replica> {
  const before = fake.socketConnections;
  const proc = await startProc(name, ['serve'], env, /clab-bot ready/);
  await waitUntil(() => fake.socketConnections > before, { timeoutMs: 10_000, what: `${name}'s Socket Mode connection` });
  return { ...proc, connection: fake.socketConnections };
}

/** Kills every process still running (a stopped one is woken first so the kill lands). */
export async function killAll(procs: readonly Proc[]): Promise<void> {
  for (const p of procs) {
    if (p.child.exitCode !== null || p.child.signalCode !== null) continue;
    p.child.kill('SIGCONT');
    p.child.kill('SIGKILL');
    await p.exited();
  }
}

/** The channel's root messages (one per request). */
export function roots(fake: FakeSlack, channel: string): FakeMessage[] {
  return fake.messages(channel).filter((m) => m.thread_ts === undefined);
}

/** Resolves with the channel's roots once `count` exist and each has been updated to its final state. */
export function finishedRoots(fake: FakeSlack, channel: string, count = 1, timeoutMs = 30_000): Promise<FakeMessage[]> {
  return waitUntil(
    () => {
      const r = roots(fake, channel);
      return r.length >= count && r.every((m) => m.updates > 0 && !shownText(m).includes('running:')) && r;
    },
    { timeoutMs, what: `${count} finished root message(s) in ${channel}` },
  );
}

/** The connection the fake's latest delivery went to. */
export function lastConnection(fake: FakeSlack): number {
  return fake.deliveries().at(-1)!.connection;
}

/**
 * Makes the fake's next delivery go to `target`: it takes the connections in turn, so `help`
 * (answered privately, no device work) is sent until the last one landed elsewhere.
 */
export async function steerNextTo(fake: FakeSlack, target: Replica, user = { user_id: 'UALICE1', user_name: 'alice' }): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await fake.sendSlashCommand({ text: 'help', channel_id: 'C_STEER', ...user });
    if (lastConnection(fake) !== target.connection) return;
  }
  throw new Error(`could not steer the next delivery to ${target.name}`);
}
