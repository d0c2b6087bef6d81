/**
 * The driver contract (src/drivers/contract.ts, DESIGN.md §5), run against every driver through
 * its simulator over the real protocol, the way NAPALM's base tests run against each driver.
 * A new driver joins by adding one entry to targets.ts.
 */
import { createServer, type AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { NodeSource } from '../../../../src/drivers/contract.js';
import {
  AuthFailedError,
  CancelledError,
  RejectedError,
  StaleError,
  TimeoutError,
  UnreachableError,
  UnsupportedError,
} from '../../../../src/drivers/errors.js';
import { diffHash } from '../../../../src/drivers/diff-hash.js';
import { CONTRACT_TARGETS, type ContractDevice } from './targets.js';

const text = (content: string): NodeSource => ({ type: 'text', content });

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise((done) => server.close(done));
  return port;
}

for (const target of CONTRACT_TARGETS.filter((t) => t.unavailable !== undefined)) {
  describe(`driver contract: ${target.name}`, () => it.skip(`skipped: ${target.unavailable}`, () => undefined));
}

describe.each(CONTRACT_TARGETS.filter((t) => t.unavailable === undefined))('driver contract: $name', { timeout: 60_000 }, (target) => {
  const devices: ContractDevice[] = [];
  beforeAll(async () => target.setup?.(), 180_000);
  afterAll(async () => target.teardown?.(), 60_000);
  async function device(): Promise<ContractDevice> {
    const d = await target.start();
    devices.push(d);
    await d.driver.open();
    return d;
  }
  afterEach(async () => {
    for (const d of devices.splice(0)) {
      await d.driver.close();
      await d.badLoginDriver.close();
      await d.close();
    }
  });

  it('open, isAlive, close (twice, never throwing)', async () => {
    const { driver } = await device();
    expect(driver.isAlive()).toBe(true);
    await driver.close();
    expect(driver.isAlive()).toBe(false);
    await expect(driver.close()).resolves.toBeUndefined();
  });

  it('declares its capabilities', async () => {
    const { driver } = await device();
    expect(driver.capabilities.configMethods).toContain(target.method);
    expect(driver.capabilities.execFormats).toContain('text');
    expect(driver.capabilities.commitConfirmed).toBe(true);
    expect(driver.capabilities.rollback).toBe(true);
  });

  it('facts: hostname, model, version, serial, uptime', async () => {
    const { driver } = await device();
    const facts = await driver.facts();
    expect(facts.hostname).toBe(target.hostname);
    expect(facts.model).not.toBe('');
    expect(facts.version).not.toBe('');
    if (target.noSerial === undefined) expect(facts.serial).not.toBe('');
    expect(facts.vendor).not.toBe('');
    expect(facts.uptimeSeconds === undefined || facts.uptimeSeconds >= 0).toBe(true);
  });

  it('exec in text names the host; in json parses; a bad command is RejectedError with the device message', async () => {
    const { driver } = await device();
    const plain = await driver.exec(target.showVersion);
    expect(plain.format).toBe('text');
    expect(plain.output).toContain(target.hostname);
    expect(plain.durationMs).toBeGreaterThanOrEqual(0);
    if (driver.capabilities.execFormats.includes('json')) {
      const json = await driver.exec(target.jsonCommand ?? target.showVersion, { format: 'json' });
      expect(json.format).toBe('json');
      expect(() => JSON.parse(json.output)).not.toThrow();
    }
    const err = await driver.exec(target.badCommand).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RejectedError);
    expect((err as RejectedError).deviceErrors.join(' ')).not.toBe('');
  });

  it('an exec format the driver does not declare is UnsupportedError before any IO', async () => {
    const { driver } = await device();
    const missing = (['text', 'json', 'xml'] as const).find((f) => !driver.capabilities.execFormats.includes(f));
    if (missing === undefined) return;
    await expect(driver.exec(target.showVersion, { format: missing })).rejects.toBeInstanceOf(UnsupportedError);
  });

  it('plan shows the diff, passes the check and changes nothing', async () => {
    const d = await device();
    const before = await d.running();
    const plan = await d.driver.plan(text(target.change), target.method);
    expect(plan.diff).toContain(target.changeMarker);
    expect(plan.diffHash).toBe(diffHash(plan.diff));
    expect(plan.check).toEqual({ ok: true, warnings: expect.any(Array), errors: [] });
    expect(await d.running()).toBe(before);
  });

  it.skipIf(target.checkFails === undefined)('a failing commit check is data in the plan, not a throw', async () => {
    const d = await device();
    const before = await d.running();
    const plan = await d.driver.plan(text(target.checkFails ?? ''), target.method);
    expect(plan.check.ok).toBe(false);
    expect(plan.check.errors.length).toBeGreaterThan(0);
    expect(await d.running()).toBe(before);
  });

  it('input that does not load is RejectedError and changes nothing', async () => {
    const d = await device();
    const before = await d.running();
    if (target.unreadableRefusedAt === 'apply') {
      // No candidate: only typing the lines finds the bad one, and the lines before it must not stay.
      const plan = await d.driver.plan(text(target.unreadable), target.method);
      await expect(d.driver.apply(text(target.unreadable), { method: target.method, expectDiffHash: plan.diffHash })).rejects.toBeInstanceOf(RejectedError);
    } else {
      await expect(d.driver.plan(text(target.unreadable), target.method)).rejects.toBeInstanceOf(RejectedError);
    }
    expect(await d.running()).toBe(before);
  });

  it('apply commits exactly the planned diff; the same change again commits nothing', async () => {
    const d = await device();
    const plan = await d.driver.plan(text(target.change), target.method);
    const result = await d.driver.apply(text(target.change), { method: target.method, expectDiffHash: plan.diffHash, comment: 'clab-bot #1 contract' });
    expect(result).toMatchObject({ committed: true, pendingConfirm: false, diff: plan.diff });
    expect(await d.running()).toContain(target.changeMarker);
    const again = await d.driver.plan(text(target.change), target.method);
    expect(again.diff.trim()).toBe('');
    const noop = await d.driver.apply(text(target.change), { method: target.method, expectDiffHash: again.diffHash });
    expect(noop.committed).toBe(false);
  });

  it('apply refuses a stale plan with StaleError and commits nothing', async () => {
    const d = await device();
    const plan = await d.driver.plan(text(target.change), target.method);
    const other = await d.driver.plan(text(target.otherChange), target.method);
    await d.driver.apply(text(target.otherChange), { method: target.method, expectDiffHash: other.diffHash });
    const before = await d.running();
    // The same change against a device that moved on is still fine; a hash for another diff is not.
    await expect(d.driver.apply(text(target.change), { method: target.method, expectDiffHash: diffHash('something else') })).rejects.toBeInstanceOf(StaleError);
    expect(await d.running()).toBe(before);
    expect(plan.diffHash).not.toBe(diffHash('something else'));
  });

  it('commit confirmed: pending until confirm(), then it survives the timeout', async () => {
    const d = await device();
    const plan = await d.driver.plan(text(target.change), target.method);
    const result = await d.driver.apply(text(target.change), { method: target.method, expectDiffHash: plan.diffHash, confirmSeconds: target.confirmSeconds ?? 60 });
    expect(result.pendingConfirm).toBe(true);
    await d.driver.confirm({ comment: 'confirmed by contract' });
    await d.confirmTimeoutPassed();
    expect(await d.running()).toContain(target.changeMarker);
  });

  it('commit confirmed without confirm() reverts when the timeout runs out', async () => {
    const d = await device();
    const before = await d.running();
    const plan = await d.driver.plan(text(target.change), target.method);
    await d.driver.apply(text(target.change), { method: target.method, expectDiffHash: plan.diffHash, confirmSeconds: target.confirmSeconds ?? 60 });
    expect(await d.running()).toContain(target.changeMarker);
    await d.confirmTimeoutPassed();
    expect(await d.running()).toBe(before);
  });

  it('rollback 1 restores the configuration from before the last commit; its plan shows that diff', async () => {
    const d = await device();
    const before = await d.running();
    const plan = await d.driver.plan(text(target.change), target.method);
    await d.driver.apply(text(target.change), { method: target.method, expectDiffHash: plan.diffHash });
    const undo = await d.driver.plan({ type: 'rollback', index: 1 }, 'override');
    expect(undo.diff).toContain(target.changeMarker);
    const result = await d.driver.rollback(1, { comment: 'contract rollback' });
    expect(result.committed).toBe(true);
    expect(await d.running()).toBe(before);
  });

  it('a commit the device refuses is RejectedError with its message; nothing changes', async (context) => {
    const d = await device();
    if (d.failCommits === undefined) return context.skip('a real device cannot be told to refuse a commit with a chosen message');
    const before = await d.running();
    const plan = await d.driver.plan(text(target.change), target.method);
    d.failCommits('contract: commit refused');
    const err = await d.driver.apply(text(target.change), { method: target.method, expectDiffHash: plan.diffHash }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RejectedError);
    expect((err as RejectedError).message).toContain('contract: commit refused');
    d.failCommits(null);
    expect(await d.running()).toBe(before);
  });

  it('runningConfig returns the configuration text', async () => {
    const { driver } = await device();
    expect(await driver.runningConfig()).toContain(target.hostname);
  });

  it('a wrong password is AuthFailedError; nothing listening is UnreachableError', async () => {
    const d = await target.start();
    devices.push(d);
    if (target.noLogin === undefined) await expect(d.badLoginDriver.open({ timeoutMs: 10_000 })).rejects.toBeInstanceOf(AuthFailedError);
    const nobody = target.unreachable(await closedPort());
    await expect(nobody.open({ timeoutMs: 5_000 })).rejects.toBeInstanceOf(UnreachableError);
    await nobody.close();
    await d.driver.open();
  });

  it('a slow device is TimeoutError; an aborted call is CancelledError', async () => {
    const d = await device();
    await d.latency(2_000);
    await expect(d.driver.exec(target.slowCommand ?? target.showVersion, { timeoutMs: 500 })).rejects.toBeInstanceOf(TimeoutError);
    await d.latency(0);
    const controller = new AbortController();
    controller.abort();
    await expect(d.driver.exec(target.showVersion, { signal: controller.signal })).rejects.toBeInstanceOf(CancelledError);
  });
});
