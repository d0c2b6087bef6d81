import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../lab/run.js';
import { AgentHosts, agentHostsCanRun, type AgentHost } from '../../helpers/agent-hosts.js';
import { CLI, REPO, TSX, runCli } from '../../helpers/cli.js';
import { freshDatabase, type TestDatabase } from '../../helpers/databases.js';
import { startRedis, type TestRedis } from '../../helpers/redis.js';

const run = agentHostsCanRun('agent tests');

/** Heartbeat every 0.5 s, lost after 3 s: the failure tests end in seconds. */
const TIMING = { CLAB_BOT_AGENT_HEARTBEAT_SEC: '0.5', CLAB_BOT_AGENT_LOST_AFTER_SEC: '3', CLAB_BOT_LOG_LEVEL: 'info' };

/**
 * Two containerlab hosts, each a network namespace with a simulated Junos lab named `dc` on the
 * SAME management addresses (172.20.20.2 and .3 on both, as containerlab gives every host), each
 * with its `clab-bot agent`. A terminal on the test's host, given only CLAB_BOT_DB and
 * CLAB_BOT_REDIS, reaches the nodes behind both.
 */
describe.runIf(run)('clab-bot agent: two hosts with overlapping management addresses', () => {
  let dir: string;
  let db: TestDatabase;
  let redis: TestRedis;
  let hosts: AgentHosts;
  let a: AgentHost;
  let b: AgentHost;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'clab-bot-agents-'));
    db = await freshDatabase('postgres');
    redis = await startRedis();
    hosts = new AgentHosts();
    const common = { count: 2, pgUrl: db.url, redisPort: redis.port, env: TIMING };
    a = await hosts.start({ ...common, index: 1, name: 'host-a', lab: 'dc', prefix: 'ra', dir: join(dir, 'a') });
    // host-b's devices answer slowly, so its work is still running when its agent is killed.
    b = await hosts.start({ ...common, index: 2, name: 'host-b', lab: 'dc', prefix: 'rb', dir: join(dir, 'b'), latencyMs: 700 });
    env = { CLAB_BOT_DB: db.url, CLAB_BOT_REDIS: redis.url, ...TIMING, CLAB_BOT_LOG_LEVEL: 'error', CLAB_LABS: '' };
  }, 240_000);

  afterAll(async () => {
    await hosts?.stop();
    await redis?.dispose();
    await db?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('labs and nodes list both hosts\' labs as HOST:lab with their agent alive', async () => {
    const labs = await runCli(['labs'], { env, timeoutMs: 60_000 });
    expect(labs.stderr).toBe('');
    expect(labs.stdout).toMatch(/host-a:dc\s+2\s+agent host-a \(alive, heartbeat \d+s ago\)/);
    expect(labs.stdout).toMatch(/host-b:dc\s+2\s+agent host-b \(alive, heartbeat \d+s ago\)/);
    const nodes = await runCli(['nodes', '--all'], { env, timeoutMs: 60_000 });
    expect(nodes.stdout).toMatch(/host-a:dc\s+ra1\s+juniper_vjunosrouter\s+juniper\s+172\.20\.20\.2\s+host-a \(alive\)/);
    expect(nodes.stdout).toMatch(/host-b:dc\s+rb1\s+juniper_vjunosrouter\s+juniper\s+172\.20\.20\.2\s+host-b \(alive\)/);
  }, 120_000);

  it('exec --all show version reaches the nodes behind both agents, though they share 172.20.20.2', async () => {
    const r = await runCli(['exec', '--all', '--output', 'json', 'show version'], { env, timeoutMs: 90_000 });
    expect(r.stderr).toBe('');
    const outcomes = (JSON.parse(r.stdout) as { results: { lab: string; node: string; status: string; output?: string; error: unknown }[] }).results;
    expect(outcomes.map((o) => `${o.lab}/${o.node} ${o.status} ${JSON.stringify(o.error)}`)).toEqual([
      'host-a:dc/ra1 ok null',
      'host-a:dc/ra2 ok null',
      'host-b:dc/rb1 ok null',
      'host-b:dc/rb2 ok null',
    ]);
    expect(r.code).toBe(0);
    // Each device answered as itself: the agent in each namespace reached its own 172.20.20.2.
    for (const o of outcomes) expect(o.output).toContain(`Hostname: ${o.node}`);

    const one = await runCli(['exec', 'host-b:dc/rb2', 'show version'], { env, timeoutMs: 90_000 });
    expect(one.code).toBe(0);
    expect(one.stdout).toContain('Hostname: rb2');
  }, 180_000);

  it('kill -9 of one agent mid-exec: its nodes end "agent lost", the other agent\'s results arrive', async () => {
    const watcher = new Redis(redis.url);
    const exec = spawn(process.execPath, ['--import', TSX, CLI, 'exec', '--all', 'show version'], {
      cwd: REPO,
      env: { ...process.env, NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    exec.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const exited = new Promise<number | null>((resolve) => exec.on('close', resolve));
    try {
      // The moment host-b's agent holds the job (BullMQ's active list of its queue), it dies.
      await waitFor('host-b running the exec', async () => ((await watcher.llen('bull:clab-bot-agent-host-b:active')) > 0 ? true : undefined), {
        timeoutMs: 60_000,
        intervalMs: 50,
      });
      b.agent.kill('SIGKILL');
      const code = await exited;
      expect(code).not.toBe(0);
      expect(stdout).toMatch(/ra1\s+ok/);
      expect(stdout).toMatch(/ra2\s+ok/);
      expect(stdout).toMatch(/rb1\s+FAILED\s+\S+ ms\s+agent lost: host-b \(no heartbeat for \d+ s\)/);
      expect(stdout).toMatch(/rb2\s+FAILED\s+\S+ ms\s+agent lost: host-b/);
    } finally {
      exec.kill('SIGKILL');
      watcher.disconnect();
    }

    // Afterwards host-b is listed as lost, and new work for its nodes is answered at once.
    const labs = await runCli(['labs'], { env, timeoutMs: 60_000 });
    expect(labs.stdout).toMatch(/host-b:dc\s+2\s+agent host-b \(LOST: no heartbeat for \d+s\)/);
    const nodes = await runCli(['nodes', '--all'], { env, timeoutMs: 60_000 });
    expect(nodes.stdout).toMatch(/host-b:dc\s+rb1\s+.*host-b \(LOST\)/);
    expect(nodes.stdout).toMatch(/host-a:dc\s+ra1\s+.*host-a \(alive\)/);
    const again = await runCli(['exec', 'host-b:dc/rb1', 'show version'], { env, timeoutMs: 60_000 });
    expect(again.stdout).toContain('agent lost: host-b');
  }, 180_000);

  it('Redis stopped: new device work is refused with a clear message and nothing is sent; the inventory still reads; back, the agent takes work again without a restart', async () => {
    await redis.stop();
    try {
      const r = await runCli(['exec', 'host-a:dc/ra1', 'show version'], { env, timeoutMs: 60_000 });
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain(`cannot reach Redis at ${redis.url}`);
      expect(r.stderr).toContain('device work through the agents is refused until it answers');
      expect(r.stderr).toContain('nothing was sent to any node');
      const nodes = await runCli(['nodes', '--all'], { env, timeoutMs: 60_000 });
      expect(nodes.stdout).toContain('ra1');
    } finally {
      await redis.restart();
    }

    // Redis back (empty: it keeps nothing): the agent that rode out the outage takes work again
    // without a restart, and the refused request left nothing queued behind.
    const back = await waitFor(
      'host-a taking work again after Redis returned',
      async () => {
        const r = await runCli(['exec', 'host-a:dc/ra1', 'show version'], { env, timeoutMs: 60_000 });
        return r.code === 0 ? r : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    expect(back.stdout).toContain('Hostname: ra1');
    const probe = new Redis(redis.url);
    try {
      expect(await probe.llen('bull:clab-bot-agent-host-a:wait')).toBe(0);
    } finally {
      probe.disconnect();
    }

    await redis.stop();
    try {
      // An agent told to stop while its Redis is gone still exits, saying why it could not close cleanly.
      const exited = new Promise<number | null>((done) => a.agent.once('exit', (code) => done(code)));
      a.agent.kill('SIGTERM');
      expect(await exited).not.toBeNull();
      expect(a.agentLog()).toContain('SIGTERM: agent host-a stopping');
    } finally {
      await redis.restart();
    }
  }, 240_000);
});
