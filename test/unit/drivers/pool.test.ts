import { describe, expect, it } from 'vitest';
import type { Driver, DriverCapabilities, ExecResult, Plan } from '../../../src/drivers/contract.js';
import { CancelledError, ConnectionLostError, UnreachableError } from '../../../src/drivers/errors.js';
import { poolKey, SessionPool } from '../../../src/drivers/pool.js';
import type { LabNode } from '../../../src/inventory/types.js';
import { makeNode } from '../../helpers/nodes.js';

const CAPS: DriverCapabilities = {
  commitConfirmed: false,
  privateCandidate: false,
  rollback: false,
  deviceFiles: false,
  configMethods: [],
  execFormats: ['text'],
};

/**
 * A driver whose session is a flag: the pool is generic over the Driver contract, and these tests
 * are about its bookkeeping. (Real sessions are exercised in test/integration/drivers.)
 */
class FakeDriver implements Driver {
  readonly capabilities = CAPS;
  readonly traits = { maxConfirmSeconds: 600, maxRollback: 1, commitHistoryCommand: 'history', configHint: 'none' };
  alive = false;
  opens = 0;
  closes = 0;
  /** Scripted failures for the next exec/apply/plan calls, consumed in order. */
  failures: unknown[] = [];
  constructor(
    readonly node: LabNode,
    readonly serial: number,
    readonly openDelayMs: number,
    readonly openError: unknown,
  ) {}
  async open(): Promise<void> {
    this.opens += 1;
    await new Promise((r) => setTimeout(r, this.openDelayMs));
    if (this.openError !== undefined) throw this.openError;
    this.alive = true;
  }
  isAlive(): boolean {
    return this.alive;
  }
  #maybeFail(): void {
    const failure = this.failures.shift();
    if (failure !== undefined) {
      this.alive = false;
      throw failure;
    }
  }
  async exec(command: string): Promise<ExecResult> {
    this.#maybeFail();
    return { output: `${this.serial}:${command}`, format: 'text', warnings: [], durationMs: 0 };
  }
  async plan(): Promise<Plan> {
    this.#maybeFail();
    return { diff: '', diffHash: '', base: String(this.serial), check: { ok: true, warnings: [], errors: [] } };
  }
  async apply(): Promise<never> {
    this.#maybeFail();
    throw new Error('not scripted');
  }
  async confirm(): Promise<void> {}
  async rollback(): Promise<never> {
    throw new Error('not scripted');
  }
  async undoLastCommit(): Promise<never> {
    throw new Error('not scripted');
  }
  async facts(): Promise<never> {
    throw new Error('not scripted');
  }
  async runningConfig(): Promise<string> {
    return '';
  }
  async close(): Promise<void> {
    this.closes += 1;
    this.alive = false;
  }
}

function setup(options: { maxOpen?: number; idleMs?: number; openDelayMs?: number; openError?: (n: number) => unknown } = {}) {
  const made: FakeDriver[] = [];
  /** Failures to script into the next driver the factory makes. */
  const nextFailures: unknown[][] = [];
  const pool = new SessionPool({
    factory: (node) => {
      const driver = new FakeDriver(node, made.length + 1, options.openDelayMs ?? 5, options.openError?.(made.length + 1));
      driver.failures = nextFailures.shift() ?? [];
      made.push(driver);
      return driver;
    },
    ...(options.maxOpen === undefined ? {} : { maxOpen: options.maxOpen }),
    ...(options.idleMs === undefined ? {} : { idleMs: options.idleMs }),
  });
  return { pool, made, nextFailures };
}

const r1 = makeNode({ name: 'r1', host: '127.0.0.1', port: 10830 });
const r2 = makeNode({ name: 'r2', host: '127.0.0.1', port: 10831 });
const notSent = (node = 'r1') => new ConnectionLostError({ node, operation: 'exec' }, 'the device closed the session', { requestSent: false });
const sent = (operation: string) => new ConnectionLostError({ node: 'r1', operation }, 'the device closed the session');

describe('SessionPool', () => {
  it('keeps one session per node and reuses it across requests', async () => {
    const { pool, made } = setup();
    for (let i = 0; i < 5; i += 1) {
      expect(await pool.withDriver(r1, (d) => d.exec('show version'))).toMatchObject({ output: '1:show version' });
    }
    await pool.withDriver(r2, (d) => d.exec('x'));
    expect(made).toHaveLength(2);
    expect(pool.stats()).toMatchObject({ open: 2, created: 2, reused: 4 });
    await pool.close();
  });

  it('opens once when two callers ask for the same node at the same moment', async () => {
    const { pool, made } = setup({ openDelayMs: 30 });
    const outputs = await Promise.all([pool.withDriver(r1, (d) => d.exec('a')), pool.withDriver(r1, (d) => d.exec('b'))]);
    expect(outputs.map((o) => o.output)).toEqual(['1:a', '1:b']);
    expect(made).toHaveLength(1);
    expect(made[0]?.opens).toBe(1);
    expect(pool.stats()).toMatchObject({ created: 1, reused: 1 });
    await pool.close();
  });

  it('keys sessions by lab, name and address', () => {
    expect(poolKey(r1)).toBe('test/r1@127.0.0.1:10830');
    expect(poolKey(makeNode({ name: 'r1', host: '127.0.0.1' }))).toBe('test/r1@127.0.0.1:default');
  });

  it('replaces a session found dead at acquire time', async () => {
    const { pool, made } = setup();
    await pool.withDriver(r1, (d) => d.exec('a'));
    made[0]!.alive = false;
    expect((await pool.withDriver(r1, (d) => d.exec('b'))).output).toBe('2:b');
    expect(made[0]?.closes).toBe(1);
    expect(pool.stats()).toMatchObject({ created: 2, reconnected: 1, open: 1 });
    await pool.close();
  });

  it('runs a request again, once, on a new session when the old one died before the request was sent', async () => {
    const { pool, made, nextFailures } = setup();
    nextFailures.push([notSent()]);
    expect((await pool.withDriver(r1, (d) => d.exec('show version'))).output).toBe('2:show version');
    expect(made).toHaveLength(2);
    expect(made[0]?.closes).toBe(1);
    expect(pool.stats()).toMatchObject({ reconnected: 1, created: 2 });
    await pool.close();
  });

  it('gives up after the single reconnect', async () => {
    const { pool, nextFailures } = setup();
    nextFailures.push([notSent()], [notSent()]);
    await expect(pool.withDriver(r1, (d) => d.exec('x'))).rejects.toBeInstanceOf(ConnectionLostError);
    expect(pool.stats().reconnected).toBe(1);
    await pool.close();
  });

  it('never runs an apply again when its outcome is unknown', async () => {
    const { pool, made, nextFailures } = setup();
    nextFailures.push([sent('apply')]);
    const pending = pool.withDriver(r1, (d) => d.apply({ type: 'text', content: 'x' }, { method: 'merge', expectDiffHash: 'h' }));
    await expect(pending).rejects.toMatchObject({ code: 'connection_lost', requestSent: true });
    expect(made).toHaveLength(1);
    await pool.close();
  });

  it('does run a repeatable plan again even if its request may have been sent', async () => {
    const { pool, nextFailures } = setup();
    nextFailures.push([sent('plan')]);
    const plan = await pool.withDriver(r1, (d) => d.plan({ type: 'text', content: 'x' }, 'merge'));
    expect(plan.base).toBe('2');
    await pool.close();
  });

  it('does not repeat a request whose first call already succeeded', async () => {
    const { pool, made, nextFailures } = setup();
    nextFailures.push([undefined, notSent()]);
    const pending = pool.withDriver(r1, async (d) => {
      await d.exec('first');
      return d.exec('second');
    });
    await expect(pending).rejects.toBeInstanceOf(ConnectionLostError);
    expect(made).toHaveLength(1);
    await pool.close();
  });

  it('passes other errors through untouched', async () => {
    const { pool } = setup();
    const boom = new Error('caller bug');
    await expect(pool.withDriver(r1, () => Promise.reject(boom))).rejects.toBe(boom);
    await pool.close();
  });

  it('closes a session left idle', async () => {
    const { pool, made } = setup({ idleMs: 40 });
    await pool.withDriver(r1, (d) => d.exec('a'));
    expect(pool.stats().open).toBe(1);
    for (let waited = 0; made[0]?.closes !== 1 && waited < 2_000; waited += 20) await new Promise((r) => setTimeout(r, 20));
    expect(made[0]?.closes).toBe(1);
    expect(pool.stats()).toMatchObject({ open: 0, closedIdle: 1 });
    await pool.close();
  });

  it('bounds open sessions: evicts the least recently used idle one, or waits for a busy one', async () => {
    const { pool, made } = setup({ maxOpen: 1 });
    await pool.withDriver(r1, (d) => d.exec('a'));
    await pool.withDriver(r2, (d) => d.exec('b'));
    expect(made[0]?.closes).toBe(1);
    let releaseR2!: () => void;
    const holding = pool.withDriver(r2, (d) => new Promise<string>((resolve) => (releaseR2 = () => resolve(d.node.name))));
    await new Promise((r) => setTimeout(r, 5));
    const waiting = pool.withDriver(r1, (d) => d.exec('c'));
    await new Promise((r) => setTimeout(r, 20));
    expect(pool.stats().waiting).toBe(1);
    releaseR2();
    expect(await holding).toBe('r2');
    expect((await waiting).output).toBe('3:c');
    expect(pool.stats()).toMatchObject({ open: 1, waiting: 0 });
    await pool.close();
  });

  it('a caller aborting while waiting for a slot gets CancelledError', async () => {
    const { pool } = setup({ maxOpen: 1 });
    let release!: () => void;
    const holding = pool.withDriver(r1, () => new Promise<void>((resolve) => (release = resolve)));
    await new Promise((r) => setTimeout(r, 10));
    const controller = new AbortController();
    const waiting = pool.withDriver(r2, (d) => d.exec('x'), { signal: controller.signal });
    controller.abort();
    await expect(waiting).rejects.toBeInstanceOf(CancelledError);
    release();
    await holding;
    await pool.close();
  });

  it("one caller's abort while a session opens does not fail the other caller", async () => {
    const { pool } = setup({ openDelayMs: 30 });
    const controller = new AbortController();
    const first = pool.withDriver(r1, (d) => d.exec('a'), { signal: controller.signal });
    const second = pool.withDriver(r1, (d) => d.exec('b'));
    controller.abort();
    await expect(first).rejects.toBeInstanceOf(CancelledError);
    expect((await second).output).toBe('1:b');
    await pool.close();
  });

  it('an open failure reaches every caller and the next request tries again', async () => {
    const { pool, made } = setup({
      openDelayMs: 10,
      openError: (n) => (n === 1 ? new UnreachableError({ node: 'r1', operation: 'open' }, 'connection refused') : undefined),
    });
    const both = await Promise.allSettled([pool.withDriver(r1, (d) => d.exec('a')), pool.withDriver(r1, (d) => d.exec('b'))]);
    expect(both.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect((await pool.withDriver(r1, (d) => d.exec('c'))).output).toBe('2:c');
    expect(made).toHaveLength(2);
    await pool.close();
  });

  it('close() closes every session and refuses new requests', async () => {
    const { pool, made } = setup();
    await pool.withDriver(r1, (d) => d.exec('a'));
    await pool.withDriver(r2, (d) => d.exec('b'));
    await pool.close();
    expect(made.map((d) => d.closes)).toEqual([1, 1]);
    await expect(pool.withDriver(r1, (d) => d.exec('c'))).rejects.toThrow(/pool is closed/);
  });
});
