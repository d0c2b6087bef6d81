/**
 * The IOS-XR driver against the XRd simulator over a real SSH shell on loopback: the channel
 * (paging off, echo and timestamp gone, failures as RejectedError), configuration sessions that
 * never stay behind, commit confirmed and its timer, rollback, locks and lost connections.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { NodeSource } from '../../../src/drivers/contract.js';
import { diffHash } from '../../../src/drivers/diff-hash.js';
import { ConnectionLostError, LockedError, RejectedError, StaleError, TimeoutError } from '../../../src/drivers/errors.js';
import { IosXrDriver } from '../../../src/drivers/ssh-cli/index.js';
import { ManualClock } from '../../../src/sim/clock.js';
import { startXrSim, xrChainNode, type XrSim, type XrSimOptions } from '../../../src/sim/ios-xr/index.js';
import { makeNode } from '../../helpers/nodes.js';

const sims: XrSim[] = [];
const drivers: IosXrDriver[] = [];
afterEach(async () => {
  await Promise.all(drivers.splice(0).map((d) => d.close()));
  await Promise.all(sims.splice(0).map((s) => s.close()));
});

const text = (content: string): NodeSource => ({ type: 'text', content });

async function connected(simOpts: Partial<XrSimOptions> = {}): Promise<{ sim: XrSim; driver: IosXrDriver; clock: ManualClock }> {
  const clock = new ManualClock();
  const topo = xrChainNode(1, 2, 'xrd1', 'clab');
  const sim = await startXrSim({ hostname: 'xrd1', clock, initialConfig: topo.initialConfig, neighbors: topo.neighbors, ...simOpts });
  sims.push(sim);
  const driver = new IosXrDriver(makeNode({ name: 'xrd1', kind: 'cisco_xrd', host: sim.host, port: sim.port, username: 'clab', password: 'clab@123' }));
  drivers.push(driver);
  await driver.open();
  return { sim, driver, clock };
}

const CHANGE = `interface GigabitEthernet0/0/0/3
 description to r9
 ipv4 address 10.9.9.0 255.255.255.254
!
router ospf 1
 area 0
  interface GigabitEthernet0/0/0/3
   network point-to-point
  !
 !
!
`;

describe('IOS-XR driver over the SSH CLI', () => {
  it('exec returns the output without echo, timestamp or prompt; a long output arrives whole (paging is off)', async () => {
    const { driver } = await connected();
    const version = await driver.exec('show version');
    expect(version.output.split('\n')[0]).toBe('Cisco IOS XR Software, Version 24.1.1 LNT');
    expect(version.output).not.toMatch(/RP\/0\/RP0\/CPU0:xrd1#/);
    expect(version.output).not.toMatch(/UTC$/m);
    const running = await driver.exec('show running-config');
    expect(running.output.split('\n').length).toBeGreaterThan(30);
    expect(running.output).not.toContain('--More--');
    expect(running.output.trimEnd().endsWith('end')).toBe(true);
    const neighbors = await driver.exec('show ospf neighbor | include FULL');
    expect(neighbors.output.trim()).toMatch(/^10\.255\.0\.2\s+1\s+FULL/);
  });

  it('a command the device does not know is RejectedError with the device message; the channel stays usable', async () => {
    const { driver } = await connected();
    const err = await driver.exec('show nonsense').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RejectedError);
    expect((err as RejectedError).deviceErrors.join(' ')).toContain("% Invalid input detected at '^' marker.");
    expect((await driver.exec('show ipv4 interface brief')).output).toContain('Loopback0');
  });

  it('plan shows show commit changes diff and leaves no configuration session behind', async () => {
    const { sim, driver } = await connected();
    const before = sim.runningConfig();
    const plan = await driver.plan(text(CHANGE), 'merge');
    expect(plan.diff).toContain('+  interface GigabitEthernet0/0/0/3\n+   description to r9');
    expect(plan.diff).toContain('   router ospf 1\n    area 0\n+    interface GigabitEthernet0/0/0/3\n+     network point-to-point');
    expect(plan.statements).toContain('set interface GigabitEthernet0/0/0/3 description to r9');
    expect(plan.statements).toContain('set router ospf 1 area 0 interface GigabitEthernet0/0/0/3 network point-to-point');
    expect(sim.configSessions()).toBe(0);
    expect(sim.runningConfig()).toBe(before);
  });

  it('a line the device refuses is RejectedError naming it; the session is aborted', async () => {
    const { sim, driver } = await connected();
    const err = await driver.plan(text('interface Loopback9\n descripton typo\n'), 'merge').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RejectedError);
    expect((err as RejectedError).message).toContain('descripton typo');
    expect(sim.configSessions()).toBe(0);
  });

  it('apply with commit confirmed: pending until confirm; the commit id is XR’s; without confirm the timer reverts', async () => {
    const { sim, driver, clock } = await connected();
    const plan = await driver.plan(text(CHANGE), 'merge');
    const applied = await driver.apply(text(CHANGE), { method: 'merge', expectDiffHash: plan.diffHash, confirmSeconds: 120, comment: 'clab-bot #7 by alice' });
    expect(applied).toMatchObject({ committed: true, pendingConfirm: true, commitId: '1000000001', diff: plan.diff });
    expect(sim.pendingConfirm()).toBe(true);
    await driver.confirm();
    expect(sim.pendingConfirm()).toBe(false);
    clock.advance(10 * 60_000);
    expect(sim.runningConfig()).toContain('description to r9');
    expect(sim.configSessions()).toBe(0);

    const other = 'hostname xrd1-new\n';
    const p2 = await driver.plan(text(other), 'merge');
    await driver.apply(text(other), { method: 'merge', expectDiffHash: p2.diffHash, confirmSeconds: 60 });
    expect(sim.runningConfig()).toContain('hostname xrd1-new');
    clock.advance(61_000);
    expect(sim.runningConfig()).not.toContain('hostname xrd1-new');
    await expect(driver.confirm()).rejects.toBeInstanceOf(RejectedError);
  });

  it('rollback 1 undoes the last commit with rollback configuration last 1', async () => {
    const { sim, driver } = await connected();
    const before = sim.runningConfig();
    const plan = await driver.plan(text(CHANGE), 'merge');
    await driver.apply(text(CHANGE), { method: 'merge', expectDiffHash: plan.diffHash });
    const undo = await driver.plan({ type: 'rollback', index: 1 }, 'override');
    expect(undo.diff).toContain('-  interface GigabitEthernet0/0/0/3');
    const result = await driver.rollback(1);
    expect(result.committed).toBe(true);
    expect(sim.runningConfig().replace(/!! Last.*\n/, '')).toBe(before);
    expect(sim.commits()).toHaveLength(2);
  });

  it('a stale hash commits nothing; the lock held by another user is LockedError', async () => {
    const { sim, driver } = await connected();
    await expect(driver.apply(text(CHANGE), { method: 'merge', expectDiffHash: diffHash('other') })).rejects.toBeInstanceOf(StaleError);
    expect(sim.commits()).toHaveLength(0);
    expect(sim.configSessions()).toBe(0);
    sim.setFaults({ busy: 'operator' });
    await expect(driver.plan(text(CHANGE), 'merge')).rejects.toBeInstanceOf(LockedError);
  });

  it('a timeout closes the channel; the next open gets a fresh one', async () => {
    const { sim, driver } = await connected();
    sim.setFaults({ latencyMs: 1_000 });
    await expect(driver.exec('show version', { timeoutMs: 100 })).rejects.toBeInstanceOf(TimeoutError);
    expect(driver.isAlive()).toBe(false);
    sim.setFaults({ latencyMs: 0 });
    await expect(driver.exec('show version')).rejects.toBeInstanceOf(ConnectionLostError);
    await driver.open();
    expect((await driver.exec('show version')).output).toContain('IOS XR');
  });

  it('a connection lost after the commit was sent is ConnectionLostError with the request sent: the outcome is unknown, never retried', async () => {
    const { sim, driver } = await connected();
    const plan = await driver.plan(text(CHANGE), 'merge');
    sim.setFaults({ dropOnCommand: /^commit/ });
    const err = await driver.apply(text(CHANGE), { method: 'merge', expectDiffHash: plan.diffHash }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionLostError);
    expect((err as ConnectionLostError).requestSent).toBe(true);
    // The device did commit; only the answer was lost.
    expect(sim.commits()).toHaveLength(1);
    expect(driver.isAlive()).toBe(false);
  });
});
