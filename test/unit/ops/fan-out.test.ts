import { describe, expect, it } from 'vitest';
import { RejectedError } from '../../../src/drivers/errors.js';
import { fanOut } from '../../../src/ops/fan-out.js';
import { Scheduler } from '../../../src/ops/scheduler.js';
import { makeNode } from '../../helpers/nodes.js';

const nodes = (n: number) => Array.from({ length: n }, (_, i) => makeNode({ name: `r${i + 1}`, host: '127.0.0.1' }));

/** Resolves when `release` is called: lets a test decide the order nodes finish in, without timing. */
function gate() {
  let release!: () => void;
  const promise = new Promise<void>((r) => (release = r));
  return { promise, release };
}

describe('fanOut', () => {
  it('streams outcomes as nodes finish, returns them in target order, and a slow node holds nobody', async () => {
    const s = new Scheduler({ globalConcurrency: 10, perNodeConcurrency: 1 });
    const slow = gate();
    const seen: string[] = [];
    const result = fanOut(
      s,
      nodes(3),
      async (node) => {
        if (node.name === 'r1') await slow.promise;
        return node.name.toUpperCase();
      },
      {
        onOutcome: (o, done, total) => {
          seen.push(`${o.node.name}:${done}/${total}`);
          if (done === 2) slow.release();
        },
      },
    );
    const outcomes = await result;
    expect(seen).toEqual(['r2:1/3', 'r3:2/3', 'r1:3/3']);
    expect(outcomes.map((o) => [o.node.name, o.status, o.value])).toEqual([
      ['r1', 'ok', 'R1'],
      ['r2', 'ok', 'R2'],
      ['r3', 'ok', 'R3'],
    ]);
  });

  it('turns a driver error into per-node data with the device messages; the others still succeed', async () => {
    const s = new Scheduler({ globalConcurrency: 4, perNodeConcurrency: 1 });
    const outcomes = await fanOut(s, nodes(2), async (node) => {
      if (node.name === 'r2') throw new RejectedError({ node: 'r2', operation: 'exec' }, ['syntax error, expecting <command>']);
      return 'fine';
    });
    expect(outcomes[0]!.status).toBe('ok');
    expect(outcomes[1]).toMatchObject({ status: 'failed', error: { code: 'rejected', deviceErrors: ['syntax error, expecting <command>'] } });
  });

  it('never runs more than the global limit at once, and one operation at a time per node', async () => {
    const s = new Scheduler({ globalConcurrency: 3, perNodeConcurrency: 1 });
    let running = 0;
    let peak = 0;
    const perNode = new Map<string, number>();
    let perNodePeak = 0;
    const work = async (node: { name: string }) => {
      running++;
      peak = Math.max(peak, running);
      perNode.set(node.name, (perNode.get(node.name) ?? 0) + 1);
      perNodePeak = Math.max(perNodePeak, perNode.get(node.name)!);
      // Long enough for the scheduler to admit every job it is allowed to run at once.
      await new Promise((r) => setTimeout(r, 20));
      perNode.set(node.name, perNode.get(node.name)! - 1);
      running--;
    };
    const same = nodes(10);
    await Promise.all([fanOut(s, same, work), fanOut(s, same, work)]);
    expect(peak).toBe(3);
    expect(perNodePeak).toBe(1);
  });

  it('a per-node timeout fails that node with a timeout error and aborts its work', async () => {
    const s = new Scheduler({ globalConcurrency: 4, perNodeConcurrency: 1 });
    let aborted = false;
    const outcomes = await fanOut(
      s,
      nodes(2),
      (node, signal) =>
        node.name === 'r1'
          ? new Promise<string>((_, reject) => signal.addEventListener('abort', () => ((aborted = true), reject(signal.reason))))
          : Promise.resolve('ok'),
      { perNodeTimeoutMs: 50 },
    );
    expect(outcomes[0]).toMatchObject({ status: 'failed', error: { code: 'timeout' } });
    expect(outcomes[0]!.error!.message).toMatch(/r1 did not answer/);
    expect(aborted).toBe(true);
    expect(outcomes[1]!.status).toBe('ok');
  });

  it('cancellation stops queued work (never started) and aborts running work', async () => {
    const s = new Scheduler({ globalConcurrency: 1, perNodeConcurrency: 1 });
    const ctl = new AbortController();
    const started: string[] = [];
    const outcomes = await fanOut(
      s,
      nodes(3),
      (node, signal) => {
        started.push(node.name);
        ctl.abort(new Error('user pressed Cancel'));
        return new Promise<string>((_, reject) => (signal.aborted ? reject(signal.reason) : signal.addEventListener('abort', () => reject(signal.reason))));
      },
      { signal: ctl.signal },
    );
    expect(started).toEqual(['r1']);
    expect(outcomes.map((o) => o.status)).toEqual(['cancelled', 'cancelled', 'cancelled']);
    expect(outcomes[2]!.error!.message).toMatch(/cancelled/);
  });

  it('the request deadline ends unfinished nodes as cancelled, naming the deadline', async () => {
    const s = new Scheduler({ globalConcurrency: 4, perNodeConcurrency: 1 });
    const outcomes = await fanOut(
      s,
      nodes(2),
      (node, signal) =>
        node.name === 'r2' ? new Promise<string>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))) : Promise.resolve('ok'),
      { deadlineMs: 30 },
    );
    expect(outcomes[0]!.status).toBe('ok');
    expect(outcomes[1]).toMatchObject({ status: 'cancelled' });
    expect(outcomes[1]!.error!.message).toMatch(/deadline/);
  });
});

describe('Scheduler.stop', () => {
  it('refuses new work and drops queued work with a cancelled error; running work finishes', async () => {
    const s = new Scheduler({ globalConcurrency: 1, perNodeConcurrency: 1 });
    const [a, b] = nodes(2);
    const first = gate();
    const running = s.run(a!, async () => {
      await first.promise;
      return 'done';
    });
    const queued = s.run(b!, async () => 'never');
    await new Promise((r) => setImmediate(r));
    expect(s.counts()).toEqual({ queued: 1, running: 1 });
    await s.stop();
    await expect(queued).rejects.toMatchObject({ code: 'cancelled' });
    await expect(s.run(b!, async () => 'late')).rejects.toMatchObject({ code: 'cancelled' });
    first.release();
    await expect(running).resolves.toBe('done');
  });
});
