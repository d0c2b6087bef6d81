/**
 * The IOS driver against the IOL simulator over a real SSH shell on loopback: enable with a
 * secret, the computed plan (IOS has no candidate) and its honesty, the archive-backed commit
 * confirmed (revert timer) and rollback (configure replace), and what is off without an archive.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { NodeSource } from '../../../src/drivers/contract.js';
import { diffHash } from '../../../src/drivers/diff-hash.js';
import { AuthFailedError, LockedError, RejectedError, StaleError, UnsupportedError } from '../../../src/drivers/errors.js';
import { IosDriver } from '../../../src/drivers/ssh-cli/index.js';
import { NO_ARCHIVE_WARNING, NO_CANDIDATE_WARNING } from '../../../src/drivers/ssh-cli/ios-driver.js';
import { ManualClock } from '../../../src/sim/clock.js';
import { iosChainNode, startIosSim, type IosSim, type IosSimOptions } from '../../../src/sim/ios/index.js';
import { makeNode } from '../../helpers/nodes.js';

const sims: IosSim[] = [];
const drivers: IosDriver[] = [];
afterEach(async () => {
  await Promise.all(drivers.splice(0).map((d) => d.close()));
  await Promise.all(sims.splice(0).map((s) => s.close()));
});

const text = (content: string): NodeSource => ({ type: 'text', content });

async function connected(o: { archive?: boolean; sim?: Partial<IosSimOptions>; enableSecret?: string } = {}): Promise<{ sim: IosSim; driver: IosDriver; clock: ManualClock }> {
  const clock = new ManualClock();
  const topo = iosChainNode(1, 2, 'r1', 'admin', { archive: o.archive ?? true });
  const sim = await startIosSim({ hostname: 'r1', clock, initialConfig: topo.initialConfig, neighbors: topo.neighbors, ...o.sim });
  sims.push(sim);
  const driver = new IosDriver(makeNode({ name: 'r1', kind: 'cisco_iol', host: sim.host, port: sim.port, username: 'admin', password: 'admin' }), o.enableSecret === undefined ? {} : { enableSecret: o.enableSecret });
  drivers.push(driver);
  await driver.open();
  return { sim, driver, clock };
}

const CHANGE = `interface Ethernet0/3
 description to r9
 ip address 10.9.9.0 255.255.255.254
!
router ospf 1
 network 10.9.9.0 0.0.0.1 area 0
!
ntp server 10.0.0.100
`;

describe('IOS driver over the SSH CLI', () => {
  it('an unprivileged login is raised with enable and the secret; a wrong secret is AuthFailedError', async () => {
    const { driver } = await connected({ sim: { privilege: 1, enableSecret: 'en-secret' }, enableSecret: 'en-secret' });
    expect((await driver.exec('show running-config | include hostname')).output).toBe('hostname r1\n');
    const sim = sims[0] as IosSim;
    const wrong = new IosDriver(makeNode({ name: 'r1', kind: 'cisco_iol', host: sim.host, port: sim.port, username: 'admin', password: 'admin' }), { enableSecret: 'nope' });
    drivers.push(wrong);
    await expect(wrong.open()).rejects.toBeInstanceOf(AuthFailedError);
  });

  it('the plan is the running configuration with the lines merged, as a diff, and says IOS has no candidate', async () => {
    const { sim, driver } = await connected();
    const before = sim.runningConfig();
    const plan = await driver.plan(text(CHANGE), 'merge');
    expect(plan.diff).toBe(
      ['   router ospf 1', '+   network 10.9.9.0 0.0.0.1 area 0', '+  interface Ethernet0/3', '+   description to r9', '+   ip address 10.9.9.0 255.255.255.254', '+  ntp server 10.0.0.100', ''].join('\n'),
    );
    expect(plan.check.warnings).toEqual([NO_CANDIDATE_WARNING]);
    expect(plan.statements).toEqual(['set router ospf 1 network 10.9.9.0 0.0.0.1 area 0', 'set interface Ethernet0/3 description to r9', 'set interface Ethernet0/3 ip address 10.9.9.0 255.255.255.254', 'set ntp server 10.0.0.100']);
    expect(sim.runningConfig()).toBe(before);
    expect(driver.capabilities).toMatchObject({ commitConfirmed: true, rollback: true, privateCandidate: false });
  });

  it('apply types the lines under a revert timer; configure confirm keeps them; without it the device restores the archive', async () => {
    const { sim, driver, clock } = await connected();
    const plan = await driver.plan(text(CHANGE), 'merge');
    const applied = await driver.apply(text(CHANGE), { method: 'merge', expectDiffHash: plan.diffHash, confirmSeconds: 90 });
    expect(applied).toMatchObject({ committed: true, pendingConfirm: true, commitId: 'flash:archive-1', diff: plan.diff });
    expect(sim.pendingConfirm()).toBe(true);
    await driver.confirm();
    clock.advance(5 * 60_000);
    expect(sim.runningConfig()).toContain(' description to r9');
    expect((await driver.plan(text(CHANGE), 'merge')).diff).toBe('');

    const before = sim.runningConfig();
    const other = 'hostname r1-new\n';
    const p2 = await driver.plan(text(other), 'merge');
    await driver.apply(text(other), { method: 'merge', expectDiffHash: p2.diffHash, confirmSeconds: 60 });
    expect(sim.runningConfig()).toContain('hostname r1-new');
    clock.advance(61_000);
    expect(sim.runningConfig()).toBe(before);
    await expect(driver.confirm()).rejects.toBeInstanceOf(RejectedError);
  });

  it('rollback 1 is configure replace of the archive saved before the last apply', async () => {
    const { sim, driver } = await connected();
    const before = sim.runningConfig();
    const plan = await driver.plan(text(CHANGE), 'merge');
    await driver.apply(text(CHANGE), { method: 'merge', expectDiffHash: plan.diffHash });
    const undo = await driver.plan({ type: 'rollback', index: 1 }, 'override');
    expect(undo.diff).toContain('-  interface Ethernet0/3');
    expect(undo.diff).toContain('-  ntp server 10.0.0.100');
    await driver.rollback(1);
    expect(sim.runningConfig()).toBe(before);
    await expect(driver.plan({ type: 'rollback', index: 5 }, 'override')).rejects.toThrow(/there is no rollback 5: 1 archived configuration is saved/);
  });

  it('a refused line undoes the lines before it (configure replace of the saved archive) and names the line', async () => {
    const { sim, driver } = await connected();
    const before = sim.runningConfig();
    const bad = 'ntp server 10.0.0.100\ninterface Ethernet0/3\n descripton typo\n';
    const plan = await driver.plan(text(bad), 'merge');
    const err = await driver.apply(text(bad), { method: 'merge', expectDiffHash: plan.diffHash }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RejectedError);
    expect((err as RejectedError).message).toContain('descripton typo');
    expect(sim.runningConfig()).toBe(before);
  });

  it('without an archive a refused line cannot be undone: the error says which lines stay in running', async () => {
    const { sim, driver } = await connected({ archive: false });
    const bad = 'ntp server 10.0.0.100\ninterface Ethernet0/3\n descripton typo\n';
    const plan = await driver.plan(text(bad), 'merge');
    const err = (await driver.apply(text(bad), { method: 'merge', expectDiffHash: plan.diffHash }).catch((e: unknown) => e)) as RejectedError;
    expect(err).toBeInstanceOf(RejectedError);
    expect(err.deviceErrors.at(-1)).toBe(
      'the lines typed before it stay in the running configuration (IOS has no candidate and no archive is set up to restore): + ntp server 10.0.0.100; + interface Ethernet0/3',
    );
    expect(sim.runningConfig()).toContain('ntp server 10.0.0.100');
  });

  it('without an archive: capabilities say so, the plan warns, a confirmed apply commits plainly with the warning', async () => {
    const { sim, driver } = await connected({ archive: false });
    expect(driver.capabilities).toMatchObject({ commitConfirmed: false, rollback: false });
    const plan = await driver.plan(text(CHANGE), 'merge');
    expect(plan.check.warnings).toEqual([NO_CANDIDATE_WARNING, NO_ARCHIVE_WARNING]);
    const applied = await driver.apply(text(CHANGE), { method: 'merge', expectDiffHash: plan.diffHash, confirmSeconds: 60 });
    expect(applied).toMatchObject({ committed: true, pendingConfirm: false, warnings: [NO_ARCHIVE_WARNING] });
    expect(sim.runningConfig()).toContain('ntp server 10.0.0.100');
    await expect(driver.plan({ type: 'rollback', index: 1 }, 'override')).rejects.toBeInstanceOf(UnsupportedError);
  });

  it('stale plans, locked configuration mode and non-configuration lines are refused before anything changes', async () => {
    const { sim, driver } = await connected();
    const before = sim.runningConfig();
    await expect(driver.apply(text(CHANGE), { method: 'merge', expectDiffHash: diffHash('other') })).rejects.toBeInstanceOf(StaleError);
    await expect(driver.plan(text('ntp server 1.1.1.1\ndo reload\n'), 'merge')).rejects.toThrow(/line 2 \(`do reload`\) is not a configuration statement/);
    sim.setFaults({ busy: 'operator' });
    const plan = await driver.plan(text(CHANGE), 'merge');
    await expect(driver.apply(text(CHANGE), { method: 'merge', expectDiffHash: plan.diffHash })).rejects.toBeInstanceOf(LockedError);
    expect(sim.runningConfig()).toBe(before);
  });

  it('an exec that arrives while a change is being typed waits for it: it never lands in configuration mode', async () => {
    const { sim, driver } = await connected();
    const plan = await driver.plan(text(CHANGE), 'merge');
    const [applied, version] = await Promise.all([
      driver.apply(text(CHANGE), { method: 'merge', expectDiffHash: plan.diffHash }),
      driver.exec('show version'),
    ]);
    expect(applied.committed).toBe(true);
    expect(version.output).toContain('Version 17.12.1');
    expect(sim.runningConfig()).toContain(' description to r9');
  });
});
