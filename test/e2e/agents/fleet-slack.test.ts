import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSlack, waitUntil, type FakeSlack } from '../../fakes/slack/index.js';
import { waitFor } from '../../lab/run.js';
import { AgentHosts, agentHostsCanRun, type AgentHost } from '../../helpers/agent-hosts.js';
import { freshDatabase, type TestDatabase } from '../../helpers/databases.js';
import { startRedis, type TestRedis } from '../../helpers/redis.js';
import {
  finishedRoots,
  killAll,
  lastConnection,
  roots,
  serveEnv,
  startReplica,
  steerNextTo,
  type Proc,
  type Replica,
} from '../../helpers/serve-replicas.js';
import { shownText } from '../../helpers/slack-app.js';

const run = agentHostsCanRun('fleet from Slack');

const TIMING = { CLAB_BOT_AGENT_HEARTBEAT_SEC: '0.5', CLAB_BOT_AGENT_LOST_AFTER_SEC: '3', CLAB_BOT_LOG_LEVEL: 'info' };
const ALICE = { user_id: 'UALICE1', user_name: 'alice' };

/**
 * The whole fleet as a lab team meets it: two containerlab hosts (network namespaces) whose labs
 * sit on the SAME management addresses, each with its `clab-bot agent`; two `clab-bot serve`
 * replicas on one PostgreSQL and one Redis, each with its own Socket Mode connection to the fake
 * Slack, which spreads envelopes over both and redelivers an unacked one on the other, as Slack does.
 */
describe.runIf(run)('/clab across two agents and two serve replicas', () => {
  let dir: string;
  let db: TestDatabase;
  let redis: TestRedis;
  let hosts: AgentHosts;
  let fake: FakeSlack;
  let b: AgentHost;
  let one: Replica;
  let two: Replica;
  const procs: Proc[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'clab-bot-fleet-slack-'));
    db = await freshDatabase('postgres');
    redis = await startRedis();
    hosts = new AgentHosts();
    const common = { count: 2, pgUrl: db.url, redisPort: redis.port, env: TIMING };
    await hosts.start({ ...common, index: 1, name: 'host-a', lab: 'dc', prefix: 'ra', dir: join(dir, 'a') });
    // host-b's devices answer in 4 s: its part of a request is still running when something is killed.
    b = await hosts.start({ ...common, index: 2, name: 'host-b', lab: 'dc', prefix: 'rb', dir: join(dir, 'b'), latencyMs: 4000 });
    fake = await startFakeSlack({ botToken: 'xoxb-fleet-3j8d', appToken: 'xapp-fleet-6q1v', socketRetries: 2 });
    const env = serveEnv(fake, dir, {
      CLAB_BOT_DB: db.url,
      CLAB_BOT_REDIS: redis.url,
      ...TIMING,
    });
    one = await startReplica(fake, 'replica-1', env);
    procs.push(one);
    two = await startReplica(fake, 'replica-2', env);
    procs.push(two);
    expect(fake.openSockets).toBe(2);
  }, 240_000);

  afterAll(async () => {
    await killAll(procs);
    await hosts?.stop();
    await fake?.close();
    await redis?.dispose();
    await db?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('one slash command reaches the nodes behind both agents, though they share 172.20.20.2, and posts one thread', async () => {
    const sent = await fake.sendSlashCommand({ text: 'exec --all show version', channel_id: 'C_ALL', ...ALICE });
    expect(sent.attempt).toBe(0);
    const [root] = await finishedRoots(fake, 'C_ALL', 1, 60_000);
    expect(roots(fake, 'C_ALL')).toHaveLength(1);
    expect(shownText(root!)).toMatch(/4 of 4 ok/);
    const thread = fake.thread('C_ALL', root!.ts).map(shownText).join('\n');
    for (const node of ['ra1', 'ra2', 'rb1', 'rb2']) expect(thread).toContain(`Hostname: ${node}`);
    expect(fake.acks().filter((x) => x.envelopeId === sent.envelopeId)).toEqual([expect.objectContaining({ expected: true })]);
  }, 90_000);

  it('kill -9 of the replica running a request: the other keeps answering, each command acked at its first delivery', async () => {
    await steerNextTo(fake, one, ALICE);
    await fake.sendSlashCommand({ text: 'exec --all show version', channel_id: 'C_DOOMED', ...ALICE });
    expect(lastConnection(fake)).toBe(one.connection);
    // Acked and running (its root is posted and updated with host-a's results; host-b's nodes take
    // 4 s): then the replica dies.
    await waitUntil(() => roots(fake, 'C_DOOMED').find((m) => m.updates > 0 && shownText(m).includes('running')), {
      timeoutMs: 30_000,
      what: 'the root of the running request with its first progress',
    });
    one.child.kill('SIGKILL');
    await one.exited();
    await waitUntil(() => fake.openSockets === 1, { timeoutMs: 10_000, what: 'the killed replica\'s connection closing' });

    for (const n of [1, 2]) {
      const next = await fake.sendSlashCommand({ text: 'exec --all show version', channel_id: `C_AFTER${n}`, ...ALICE });
      expect(next.attempt).toBe(0);
      expect(lastConnection(fake)).toBe(two.connection);
      const [root] = await finishedRoots(fake, `C_AFTER${n}`, 1, 60_000);
      expect(shownText(root!)).toMatch(/4 of 4 ok/);
    }
    const commands = fake.deliveries().filter((d) => d.type === 'slash_commands');
    expect(commands.filter((d) => d.outcome !== 'acked')).toEqual([]);
    // The request the dead replica was running does not hang as "running": the survivor closes it
    // once that replica's heartbeat is gone, and its Cancel button goes.
    const doomed = await waitUntil(() => roots(fake, 'C_DOOMED').find((m) => shownText(m).includes('went away before it finished')), {
      timeoutMs: 30_000,
      what: 'the dead replica\'s request closed by the survivor',
    });
    expect(shownText(doomed)).toContain('its results are lost; run it again');
    expect(JSON.stringify(doomed.blocks ?? [])).not.toContain('clab_cancel');
  }, 120_000);

  it('kill -9 of an agent mid-request: its nodes are reported "agent lost" in the thread, the other agent\'s nodes ok', async () => {
    const watcher = new Redis(redis.url);
    try {
      await fake.sendSlashCommand({ text: 'exec --all show version', channel_id: 'C_LOST', ...ALICE });
      await waitFor('host-b running the exec', async () => ((await watcher.llen('bull:clab-bot-agent-host-b:active')) > 0 ? true : undefined), {
        timeoutMs: 30_000,
        intervalMs: 50,
      });
      b.agent.kill('SIGKILL');
    } finally {
      watcher.disconnect();
    }
    const [root] = await finishedRoots(fake, 'C_LOST', 1, 60_000);
    expect(shownText(root!)).toMatch(/2 of 4 ok/);
    const thread = fake.thread('C_LOST', root!.ts).map(shownText).join('\n');
    expect(thread).toContain('Hostname: ra1');
    expect(thread).toContain('Hostname: ra2');
    expect(thread).toMatch(/rb1[^\n]*\n?[^\n]*agent lost: host-b/);
    expect(thread).toMatch(/rb2[^\n]*\n?[^\n]*agent lost: host-b/);
  }, 120_000);
});
