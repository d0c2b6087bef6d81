import { afterEach, describe, expect, it } from 'vitest';
import type { DriverFactory } from '../../../src/drivers/contract.js';
import { ConnectionLostError } from '../../../src/drivers/errors.js';
import { SessionPool } from '../../../src/drivers/pool.js';
import { driverFactoryFor } from '../../../src/drivers/registry.js';
import { startJunosSim, type JunosSim } from '../../../src/sim/junos/index.js';
import { makeNode } from '../../helpers/nodes.js';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy.js';

/** The session pool with real Junos drivers over SSH to simulators, some behind a cuttable TCP relay. */
const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function sim(hostname: string): Promise<JunosSim> {
  const device = await startJunosSim({ hostname, port: 0 });
  cleanup.push(() => device.close());
  return device;
}

async function proxyTo(device: JunosSim): Promise<TcpProxy> {
  const proxy = await startTcpProxy(device);
  cleanup.push(() => proxy.close());
  return proxy;
}

/** Counts drivers the pool asks for, so "no retry" can be asserted. */
function countingFactory(): { factory: DriverFactory; made: () => number } {
  const base = driverFactoryFor();
  let made = 0;
  return {
    factory: (node) => {
      made += 1;
      return base(node);
    },
    made: () => made,
  };
}

function pool(options: Partial<ConstructorParameters<typeof SessionPool>[0]> = {}): { pool: SessionPool; made: () => number } {
  const counting = countingFactory();
  const p = new SessionPool({ factory: counting.factory, ...options });
  cleanup.push(() => p.close());
  return { pool: p, made: counting.made };
}

async function eventually(check: () => boolean, ms = 2_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

const nodeFor = (name: string, at: { host: string; port: number }) => makeNode({ name, host: at.host, port: at.port });

describe('SessionPool over real sessions', () => {
  it('reuses one NETCONF session per node across requests', async () => {
    const r1 = await sim('r1');
    const { pool: p } = pool();
    const node = nodeFor('r1', r1);
    for (let i = 0; i < 10; i += 1) {
      expect((await p.withDriver(node, (d) => d.exec('show version'))).output).toContain('Hostname: r1');
    }
    expect(p.stats()).toMatchObject({ open: 1, created: 1, reused: 9, reconnected: 0 });
    expect(r1.activeSessions()).toBe(1);
  });

  it('two callers racing for one node share a single session', async () => {
    const r1 = await sim('r1');
    const { pool: p, made } = pool();
    const node = nodeFor('r1', r1);
    const results = await Promise.all(Array.from({ length: 5 }, () => p.withDriver(node, (d) => d.facts())));
    expect(results.map((f) => f.hostname)).toEqual(['r1', 'r1', 'r1', 'r1', 'r1']);
    expect(made()).toBe(1);
    expect(r1.activeSessions()).toBe(1);
  });

  it('a session killed under the idle driver is replaced on the next request', async () => {
    const r1 = await sim('r1');
    const relay = await proxyTo(r1);
    const { pool: p } = pool();
    const node = nodeFor('r1', relay);
    await p.withDriver(node, (d) => d.exec('show version'));
    relay.cutAll();
    await eventually(() => p.stats().open === 0);
    expect((await p.withDriver(node, (d) => d.exec('show version'))).output).toContain('Hostname: r1');
    expect(p.stats()).toMatchObject({ created: 2, reconnected: 1, open: 1 });
  });

  it('a repeatable request whose session dies mid-call runs once more on a new session', async () => {
    const r1 = await sim('r1');
    const { pool: p, made } = pool();
    const node = nodeFor('r1', r1);
    await p.withDriver(node, (d) => d.exec('show version'));
    r1.setFaults({ dropMidRpc: true });
    const facts = await p.withDriver(node, (d) => d.facts());
    expect(facts.hostname).toBe('r1');
    expect(made()).toBe(2);
    expect(p.stats().reconnected).toBe(1);
  });

  it('never repeats an apply whose connection died: outcome unknown, reported as such', async () => {
    const r1 = await sim('r1');
    const { pool: p, made } = pool();
    const node = nodeFor('r1', r1);
    const content = 'system { host-name r1-new; }';
    const plan = await p.withDriver(node, (d) => d.plan({ type: 'text', content }, 'merge'));
    r1.setFaults({ dropMidRpc: true });
    const pending = p.withDriver(node, (d) => d.apply({ type: 'text', content }, { method: 'merge', expectDiffHash: plan.diffHash }));
    await expect(pending).rejects.toBeInstanceOf(ConnectionLostError);
    await expect(pending).rejects.toMatchObject({ requestSent: true });
    expect(made()).toBe(1);
    expect(r1.commitHistory()).toHaveLength(1);
    // The next request finds the session dead and opens a new one.
    expect((await p.withDriver(node, (d) => d.exec('show version'))).output).toContain('r1');
    expect(made()).toBe(2);
  });

  it('closes idle sessions, and close() ends every session', async () => {
    const [r1, r2] = [await sim('r1'), await sim('r2')];
    const { pool: idle } = pool({ idleMs: 150 });
    await idle.withDriver(nodeFor('r1', r1), (d) => d.exec('show version'));
    expect(r1.activeSessions()).toBe(1);
    await eventually(() => r1.activeSessions() === 0);
    expect(idle.stats()).toMatchObject({ open: 0, closedIdle: 1 });

    const { pool: p } = pool();
    await p.withDriver(nodeFor('r1', r1), (d) => d.exec('show version'));
    await p.withDriver(nodeFor('r2', r2), (d) => d.exec('show version'));
    expect(r1.activeSessions() + r2.activeSessions()).toBe(2);
    await p.close();
    await eventually(() => r1.activeSessions() + r2.activeSessions() === 0);
  });

  it('holds at most maxOpen sessions across nodes', async () => {
    const sims = [await sim('r1'), await sim('r2'), await sim('r3')];
    const { pool: p } = pool({ maxOpen: 2 });
    const outputs = await Promise.all(
      sims.flatMap((s, i) => [0, 1].map(() => p.withDriver(nodeFor(`r${i + 1}`, s), (d) => d.exec('show version')))),
    );
    expect(outputs).toHaveLength(6);
    expect(p.stats().open).toBeLessThanOrEqual(2);
    await eventually(() => sims.reduce((n, s) => n + s.activeSessions(), 0) <= 2);
  });
});
