import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimLab, type SimLab } from '../../../src/sim/lab.js';
import { startFakeSlack, waitUntil, type FakeMessage, type FakeSlack } from '../../fakes/slack/index.js';
import { dialectAvailable, freshDatabase, type TestDatabase } from '../../helpers/databases.js';
import { redisAvailability, startRedis, type TestRedis } from '../../helpers/redis.js';
import { availableOrSkip } from '../../helpers/requirements.js';
import { waitFor } from '../../lab/run.js';
import {
  finishedRoots,
  killAll,
  lastConnection as lastConnectionOf,
  roots,
  serveEnv,
  startProc,
  startReplica,
  steerNextTo,
  type Proc,
  type Replica,
} from '../../helpers/serve-replicas.js';
import { shownText } from '../../helpers/slack-app.js';

const run = availableOrSkip('serve replicas (Redis)', redisAvailability()) && dialectAvailable('postgres');

/** The request id on a message's Cancel button, if it has one. */
function cancelOf(m: FakeMessage): string | undefined {
  let found: string | undefined;
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (typeof v === 'object' && v !== null) {
      const o = v as Record<string, unknown>;
      if (o.action_id === 'clab_cancel' && typeof o.value === 'string') found = o.value;
      Object.values(o).forEach(walk);
    }
  };
  walk(m.blocks ?? []);
  return found;
}

/**
 * Two `clab-bot serve` replicas on one PostgreSQL database and one Redis, each with its own Socket
 * Mode connection to the fake Slack, which spreads envelopes over both and sends an unacked one
 * again on the other (as Slack does). The nodes are simulated Junos routers behind one
 * `clab-bot agent` (processes on loopback).
 */
describe.runIf(run)('clab-bot serve as two replicas (PostgreSQL + Redis, Socket Mode)', () => {
  let dir: string;
  let db: TestDatabase;
  let redis: TestRedis;
  let fast: SimLab;
  let slow: SimLab;
  let fake: FakeSlack;
  let env: NodeJS.ProcessEnv;
  const procs: Proc[] = [];
  let a: Replica;
  let b: Replica;
  const lastConnection = () => lastConnectionOf(fake);
  const finished = (channel: string) => finishedRoots(fake, channel);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'clab-bot-replicas-'));
    db = await freshDatabase('postgres');
    redis = await startRedis();
    fast = await startSimLab({ lab: 'fast', kind: 'vjunosrouter', count: 2, dir: join(dir, 'labs'), prefix: 'f', baseIp: '127.21.31.1' });
    // Slow devices: an exec there is still running when Cancel is pressed.
    slow = await startSimLab({ lab: 'slow', kind: 'vjunosrouter', count: 2, dir: join(dir, 'labs'), prefix: 's', baseIp: '127.21.32.1', latencyMs: 1500 });
    fake = await startFakeSlack({ botToken: 'xoxb-replicas-7c2k', appToken: 'xapp-replicas-5n8w', socketRetries: 2 });
    env = serveEnv(fake, dir, {
      CLAB_BOT_DB: db.url,
      CLAB_BOT_REDIS: redis.url,
      CLAB_BOT_AGENT_HEARTBEAT_SEC: '0.5',
      CLAB_BOT_AGENT_LOST_AFTER_SEC: '5',
      CLAB_BOT_LOG_LEVEL: 'info',
    });
    procs.push(await startProc('agent', ['agent', '--name', 'host-a', '--labs', join(dir, 'labs')], env, /clab-bot agent \S+ ready/));
    a = await startReplica(fake, 'replica-a', env);
    procs.push(a);
    b = await startReplica(fake, 'replica-b', env);
    procs.push(b);
    expect(fake.openSockets).toBe(2);
  }, 180_000);

  afterAll(async () => {
    await killAll(procs);
    await fake?.close();
    await fast?.close();
    await slow?.close();
    await redis?.dispose();
    await db?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('commands spread over both replicas; each exec reaches the nodes and posts one thread and one ack', async () => {
    const first = await fake.sendSlashCommand({ text: 'exec --all show version', channel_id: 'C_ONE', user_id: 'UALICE1', user_name: 'alice' });
    const firstConnection = lastConnection();
    const second = await fake.sendSlashCommand({ text: 'exec f1 show version', channel_id: 'C_TWO', user_id: 'UALICE1', user_name: 'alice' });
    expect(lastConnection()).not.toBe(firstConnection);
    expect([first.attempt, second.attempt]).toEqual([0, 0]);

    const [one] = await finished('C_ONE');
    const [two] = await finished('C_TWO');
    expect(roots(fake, 'C_ONE')).toHaveLength(1);
    expect(roots(fake, 'C_TWO')).toHaveLength(1);
    const oneThread = fake.thread('C_ONE', one!.ts).map(shownText).join('\n');
    for (const node of ['f1', 'f2', 's1', 's2']) expect(oneThread).toContain(`Hostname: ${node}`);
    expect(fake.thread('C_TWO', two!.ts).map(shownText).join('\n')).toContain('Hostname: f1');
    // One ack per command, each for the delivery that was waiting for it.
    for (const sent of [first, second]) expect(fake.acks().filter((x) => x.envelopeId === sent.envelopeId)).toEqual([expect.objectContaining({ expected: true })]);
    expect(fake.deliveries().filter((d) => d.outcome !== 'acked')).toEqual([]);
  }, 90_000);

  it('Cancel pressed through the other replica stops the exec running on the first', async () => {
    await fake.sendSlashCommand({ text: 'exec --lab slow show version', channel_id: 'C_CANCEL', user_id: 'UALICE1', user_name: 'alice' });
    const runningOn = lastConnection();
    const root = await waitUntil(() => roots(fake, 'C_CANCEL').find((m) => cancelOf(m) !== undefined), { timeoutMs: 20_000, what: 'the root with its Cancel button' });
    const requestId = cancelOf(root)!;
    await fake.sendBlockAction({ action_id: 'clab_cancel', value: requestId, user: 'UALICE1', channel: 'C_CANCEL', message_ts: root.ts });
    expect(lastConnection()).not.toBe(runningOn);

    const [final] = await finished('C_CANCEL');
    const shown = shownText(final!);
    expect(shown).toContain(':no_entry_sign: cancelled by <@UALICE1>');
    expect(shown).toMatch(/0 of 2 ok, 2 cancelled/);
    // The press was audited once, by the replica that took it, under the request's id.
    const rows = await sql<{ event: string; outcome: string }>`select event, outcome from audit_log where request_id = ${requestId} and event = 'cancel'`.execute(db.db);
    expect(rows.rows).toEqual([{ event: 'cancel', outcome: 'ok' }]);
  }, 60_000);

  it('an envelope a frozen replica cannot ack is retried on the other and handled once; the late original is acked and dropped', async () => {
    await steerNextTo(fake, a);
    a.child.kill('SIGSTOP');
    try {
      const sent = await fake.sendSlashCommand({ text: 'exec fast/f1 show version', channel_id: 'C_RETRY', user_id: 'UALICE1', user_name: 'alice' });
      expect(fake.deliveries().filter((d) => d.type === 'slash_commands').at(-2)).toMatchObject({ connection: a.connection, outcome: 'timeout' });
      // Slack's 3 s passed without a's ack: b took the retry.
      expect(sent.attempt).toBe(1);
      expect(fake.deliveries().at(-1)!.connection).toBe(b.connection);
      await finished('C_RETRY');
    } finally {
      a.child.kill('SIGCONT');
    }
    // a wakes up, reads the first delivery, finds the command handled and only acks it.
    const [original] = fake.deliveries().filter((d) => d.type === 'slash_commands' && d.outcome === 'timeout').slice(-1);
    await waitUntil(() => fake.acks().some((x) => x.envelopeId === original!.envelopeId), { timeoutMs: 15_000, what: "a's late ack of the first delivery" });
    await waitUntil(() => a.log().includes('already handled'), { timeoutMs: 5000, what: "a's log of the dropped retry" });
    expect(roots(fake, 'C_RETRY')).toHaveLength(1);
    expect(fake.thread('C_RETRY', roots(fake, 'C_RETRY')[0]!.ts).filter((m) => shownText(m).includes('Hostname: f1'))).toHaveLength(1);
  }, 60_000);

  it('kill -9 of a replica mid-request: its unacked envelope is handled once by the other, which keeps answering; no ack is missed', async () => {
    // a is busy with a slow exec (acked), then stops reading: the next envelope sent to it waits unacked.
    await steerNextTo(fake, a);
    await fake.sendSlashCommand({ text: 'exec slow/s1 show version', channel_id: 'C_BUSY', user_id: 'UALICE1', user_name: 'alice' });
    expect(lastConnection()).toBe(a.connection);
    const busyRoot = await waitUntil(() => roots(fake, 'C_BUSY')[0], { timeoutMs: 20_000, what: "a's root of the slow exec" });
    // a has shared where that root is (so whoever closes the request after a's death can update it).
    const watcher = new Redis(redis.url);
    try {
      await waitFor(
        'the running record with its root',
        async () => {
          const keys = await watcher.keys('clab-bot:running:*');
          const records = await Promise.all(keys.map(async (k) => JSON.parse((await watcher.get(k)) ?? '{}') as { rootTs?: string }));
          return records.some((r) => r.rootTs === busyRoot.ts) ? true : undefined;
        },
        { timeoutMs: 10_000, intervalMs: 20 },
      );
    } finally {
      watcher.disconnect();
    }
    await steerNextTo(fake, a);
    a.child.kill('SIGSTOP');
    const pending = fake.sendSlashCommand({ text: 'exec fast/f2 show version', channel_id: 'C_KILL', user_id: 'UALICE1', user_name: 'alice' });
    expect(fake.deliveries().at(-1)).toMatchObject({ connection: a.connection, outcome: 'pending' });
    a.child.kill('SIGKILL');
    await a.exited();

    // Its connection closed with the envelope unacked: sent again on b at once, and handled there.
    const sent = await pending;
    expect(sent.attempt).toBe(1);
    expect(fake.deliveries().filter((d) => d.outcome === 'connection_closed')).toHaveLength(1);
    const [root] = await finished('C_KILL');
    expect(fake.thread('C_KILL', root!.ts).map(shownText).join('\n')).toContain('Hostname: f2');
    expect(roots(fake, 'C_KILL')).toHaveLength(1);

    // b answers every new command alone, each acked at the first delivery.
    expect(fake.openSockets).toBe(1);
    for (const n of [1, 2, 3]) {
      const next = await fake.sendSlashCommand({ text: 'exec fast/f1 show version', channel_id: `C_AFTER${n}`, user_id: 'UALICE1', user_name: 'alice' });
      expect(next.attempt).toBe(0);
      await finished(`C_AFTER${n}`);
      expect(roots(fake, `C_AFTER${n}`)).toHaveLength(1);
    }
    // The slow exec a was running when it died: once a's heartbeat runs out, b closes its thread.
    const busy = await waitUntil(() => roots(fake, 'C_BUSY').find((m) => shownText(m).includes('went away before it finished')), {
      timeoutMs: 30_000,
      what: "b closing the request a left running",
    });
    expect(shownText(busy)).toMatch(new RegExp(`the clab-bot replica running this request \\(\\S+:${a.child.pid}:[0-9a-f]{8}\\) went away before it finished`));
    expect(cancelOf(busy)).toBeUndefined();
    // Every envelope was acked by some delivery: none failed for good.
    const commands = fake.deliveries().filter((d) => d.type === 'slash_commands');
    const unacked = commands.filter((d) => d.outcome !== 'acked' && !commands.some((x) => x.outcome === 'acked' && x.attempt > d.attempt && x.at >= d.at));
    expect(unacked).toEqual([]);
  }, 120_000);

  it('the surviving replica stops cleanly on SIGTERM (its Redis connections closed), exiting 0', async () => {
    const code = new Promise<number | null>((resolve) => b.child.once('exit', (c) => resolve(c)));
    b.child.kill('SIGTERM');
    expect(await code).toBe(0);
    expect(b.log()).toContain('clab-bot stopping');
    expect(b.log()).not.toContain('xoxb-replicas-7c2k');
    expect(b.log()).not.toContain('xapp-replicas-5n8w');
  }, 30_000);
});
