import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openSharedLimits, type SharedLimits } from '../../../src/limits/shared-limits.js';
import { SharedSlotTimeoutError } from '../../../src/limits/shared-slots.js';
import { silentLogger } from '../../../src/log.js';
import { RateLimitedError } from '../../../src/ops/rate-limit.js';
import { Scheduler } from '../../../src/ops/scheduler.js';
import { ChannelPacer } from '../../../src/handlers/slack/channel-pacer.js';
import { REPO } from '../../helpers/cli.js';
import { makeNode } from '../../helpers/nodes.js';
import { redisAvailability, startRedis, type TestRedis } from '../../helpers/redis.js';
import { availableOrSkip } from '../../helpers/requirements.js';
import { waitFor } from '../../lab/run.js';
import { limitsWith } from '../../helpers/shared-limits.js';

const run = availableOrSkip('shared limits (Redis)', redisAvailability());

describe.runIf(run)('limits shared through Redis by several processes', () => {
  let redis: TestRedis;
  const opened: SharedLimits[] = [];
  const children: ChildProcess[] = [];
  let prefixSeq = 0;
  let prefix = '';

  beforeAll(async () => {
    redis = await startRedis();
  });
  afterEach(async () => {
    for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    for (const s of opened.splice(0)) await s.close();
  });
  afterAll(async () => {
    await redis?.dispose();
  });

  /** One "process" worth of shared limits: its own Redis connections (as a second agent or replica has). */
  const open = async (over: Parameters<typeof limitsWith>[0], scope = 'agent-a') => {
    const s = await openSharedLimits({ redisUrl: redis.url, prefix, scope, logger: silentLogger, limits: limitsWith(over) });
    opened.push(s);
    return s;
  };
  const freshPrefix = () => (prefix = `t${++prefixSeq}`);

  it('two schedulers on one Redis never run more than the global limit, nor two at once on a node', async () => {
    freshPrefix();
    const limits = { global_concurrency: 3, per_node_concurrency: 1 };
    const a = await open(limits);
    const b = await open(limits);
    // Each process alone would allow 3 at once: together, without the shared gate, 6.
    const schedA = new Scheduler({ globalConcurrency: 3, perNodeConcurrency: 1 }, a.deviceSlots);
    const schedB = new Scheduler({ globalConcurrency: 3, perNodeConcurrency: 1 }, b.deviceSlots);
    const nodes = Array.from({ length: 6 }, (_, i) => makeNode({ lab: 'lab1', name: `r${i}`, host: '127.0.0.1' }));
    let running = 0;
    let maxRunning = 0;
    const perNode = new Map<string, number>();
    let maxPerNode = 0;
    const device = async (name: string) => {
      running += 1;
      perNode.set(name, (perNode.get(name) ?? 0) + 1);
      maxRunning = Math.max(maxRunning, running);
      maxPerNode = Math.max(maxPerNode, perNode.get(name)!);
      await sleep(15); // the device working
      perNode.set(name, perNode.get(name)! - 1);
      running -= 1;
      return name;
    };
    const jobs: Promise<string>[] = [];
    for (let round = 0; round < 4; round++) {
      for (const n of nodes) {
        jobs.push(schedA.run(n, () => device(n.name)));
        jobs.push(schedB.run(n, () => device(n.name)));
      }
    }
    const done = await Promise.all(jobs);
    expect(done).toHaveLength(48);
    expect(maxRunning).toBe(3);
    expect(maxPerNode).toBe(1);
    expect(await a.deviceSlots.running()).toBe(0);
  });

  it('a slot held past its lease stays held while its holder lives, and is free once released', async () => {
    freshPrefix();
    const a = await open({ per_node_concurrency: 1, shared_slot_lease_sec: 1, shared_slot_wait_sec: 3 });
    const b = await open({ per_node_concurrency: 1, shared_slot_lease_sec: 1, shared_slot_wait_sec: 3 });
    const node = makeNode({ lab: 'lab1', name: 'r1', host: '127.0.0.1' });
    const release = await a.deviceSlots.acquire(node);
    // Three leases long: without renewal the slot would expire after one and b would get it.
    const err = await b.deviceSlots.acquire(node).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(SharedSlotTimeoutError);
    expect((err as Error).message).toMatch(/^waited 3 s for a slot on agent-a:lab1\/r1 shared with the other agents and replicas$/);
    release();
    const again = await b.deviceSlots.acquire(node);
    again();
  });

  it('the slot of a killed process is given back after the lease, and waiting work then runs', async () => {
    freshPrefix();
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/slot-holder.ts', redis.url, prefix, '1000'], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    await new Promise<void>((resolve, reject) => {
      let out = '';
      let err = '';
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('held')) resolve();
      });
      child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
      child.once('exit', (code) => reject(new Error(`slot holder exited with ${code}: ${err}`)));
    });
    const node = makeNode({ lab: 'lab1', name: 'r1', host: '127.0.0.1' });
    const other = await open({ global_concurrency: 1, per_node_concurrency: 1, shared_slot_lease_sec: 1, shared_slot_wait_sec: 2 }, 'holder');
    // Held by the live holder (it renews its lease): the wait runs out.
    await expect(other.deviceSlots.acquire(node)).rejects.toBeInstanceOf(SharedSlotTimeoutError);
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    const patient = await open({ global_concurrency: 1, per_node_concurrency: 1, shared_slot_lease_sec: 1, shared_slot_wait_sec: 20 }, 'holder');
    const release = await patient.deviceSlots.acquire(node);
    expect(await patient.deviceSlots.running()).toBe(1);
    release();
  });

  it('a waiting acquire is dropped on abort and its slot is not kept', async () => {
    freshPrefix();
    const a = await open({ global_concurrency: 1 });
    const nodes = [0, 1].map((i) => makeNode({ lab: 'lab1', name: `r${i}`, host: '127.0.0.1' }));
    const first = await a.deviceSlots.acquire(nodes[0]!);
    const ctl = new AbortController();
    const waiting = a.deviceSlots.acquire(nodes[1]!, ctl.signal);
    ctl.abort(new Error('cancelled by the user'));
    await expect(waiting).rejects.toThrow('cancelled by the user');
    first();
    const next = await a.deviceSlots.acquire(nodes[1]!);
    expect(await a.deviceSlots.running()).toBe(1);
    next();
  });

  it("a user's request budget is shared by two replicas", async () => {
    freshPrefix();
    const a = await open({ per_user_per_minute: 3 });
    const b = await open({ per_user_per_minute: 3 });
    await a.requests.take('U1');
    await b.requests.take('U1');
    await a.requests.take('U1');
    const err = await Promise.resolve(b.requests.take('U1')).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(RateLimitedError);
    expect((err as Error).message).toMatch(/^slow down: you can start 3 requests a minute; retry in (59|60) s$/);
    await b.requests.take('U2');
    // Node budgets count units: 60 + 50 is over 100 wherever they were taken.
    const c = await open({ per_user_nodes_per_minute: 100 });
    const d = await open({ per_user_nodes_per_minute: 100 });
    await c.nodes.take('U1', 60);
    await expect(Promise.resolve(d.nodes.take('U1', 50))).rejects.toThrow(/touch 100 nodes a minute/);
    await d.nodes.take('U1', 40);
  });

  it('a rate-limit check with Redis gone is refused with a message naming Redis', async () => {
    freshPrefix();
    const a = await open({});
    await redis.stop();
    try {
      await expect(a.requests.take('U1')).rejects.toThrow(/shared rate limits cannot be checked: Redis at redis:\/\/127\.0\.0\.1:\d+ did not answer/);
    } finally {
      await redis.restart();
    }
  });

  it('after Redis restarts empty, slots and budgets work again in the same processes', async () => {
    freshPrefix();
    const a = await open({ global_concurrency: 2, per_node_concurrency: 1, shared_slot_wait_sec: 2 });
    const node = makeNode({ lab: 'lab1', name: 'r1', host: '127.0.0.1' });
    (await a.deviceSlots.acquire(node))();
    await redis.restart();
    const release = await waitFor('a device slot after the restart', async () => a.deviceSlots.acquire(node), { timeoutMs: 20_000 });
    // The limits hold again: the node's one slot is taken.
    await expect(a.deviceSlots.acquire(node)).rejects.toBeInstanceOf(SharedSlotTimeoutError);
    release();
    await a.requests.take('U1');
  });

  it("a Slack channel's pace holds across two replicas' pacers", async () => {
    freshPrefix();
    const a = await open({});
    const b = await open({});
    const id = `${prefix}-slack`;
    // Two tokens of burst, then 5 per second: 6 calls from two replicas need at least 4 refills (800 ms).
    const pa = new ChannelPacer({ perSec: 5, burst: 2, shared: { connection: a.bottleneck.connection, id } });
    const pb = new ChannelPacer({ perSec: 5, burst: 2, shared: { connection: b.bottleneck.connection, id } });
    const at: { channel: string; t: number }[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const post = (channel: string) => async () => {
      if (channel === 'C1') inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      at.push({ channel, t: performance.now() });
      await sleep(5);
      if (channel === 'C1') inFlight -= 1;
    };
    const t0 = performance.now();
    await Promise.all([...[0, 1, 2].flatMap(() => [pa.run('C1', post('C1')), pb.run('C1', post('C1'))]), pb.run('C2', post('C2'))]);
    const c1 = at.filter((p) => p.channel === 'C1').map((p) => p.t);
    expect(c1).toHaveLength(6);
    expect(maxInFlight).toBe(1);
    // Alone, each pacer would send its three within one refill (2 at once + 1 after 200 ms).
    expect(Math.max(...c1) - t0).toBeGreaterThanOrEqual(750);
    // Another channel does not wait for C1's pace.
    expect(at.find((p) => p.channel === 'C2')!.t).toBeLessThan(Math.max(...c1));
  });
});
