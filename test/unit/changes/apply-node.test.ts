import { describe, expect, it } from 'vitest';
import type { Driver } from '../../../src/drivers/contract.js';
import { ConnectionLostError, RejectedError, TimeoutError } from '../../../src/drivers/errors.js';
import { applyOnNode, ConfirmFailedError, type NodeApplyInput } from '../../../src/ops/changes/apply-node.js';
import { CheckFailedError, CommitOutcomeUnknownError } from '../../../src/ops/changes/errors.js';
import { makeNode } from '../../helpers/nodes.js';
import { hashOf, SCRIPTED_CAPABILITIES, ScriptedDevice, scriptedDriver } from '../../helpers/scripted-driver.js';

const LINE = 'set system ntp server 10.0.0.1';
const node = makeNode({ name: 'r1', host: '127.0.0.1' });

function setup(capabilities = SCRIPTED_CAPABILITIES) {
  const device = new ScriptedDevice('r1', ['set system host-name r1']);
  const driver = scriptedDriver(node, device, capabilities);
  const order: string[] = [];
  const input: NodeApplyInput = {
    changeId: 4,
    key: 'test/r1',
    source: { type: 'text', content: LINE },
    method: 'set',
    expectDiffHash: hashOf(`+ ${LINE}`),
    confirmMinutes: 3,
    comment: 'clab-bot #4 by alice approved by bob',
    check: undefined,
    signal: new AbortController().signal,
    saveBeforeConfig: async (text) => {
      order.push(`saved ${device.commits.length} commits: ${text.split('\n').length} lines`);
    },
  };
  return { device, driver, input, order };
}

/** A driver whose one method fails with `err` (the rest delegate to the scripted device). */
function failing(driver: Driver, method: 'apply' | 'confirm', err: Error): Driver {
  return { ...driver, [method]: async () => Promise.reject(err) };
}

describe('applying one node', () => {
  it('saves the running config before the commit, commits confirmed, then confirms', async () => {
    const { device, driver, input, order } = setup();
    const value = await applyOnNode(driver, input);
    expect(order).toEqual(['saved 0 commits: 1 lines']);
    expect(value).toMatchObject({ committed: true, commitId: '1', problem: undefined });
    expect(device.commits).toEqual([{ comment: input.comment, confirmMinutes: 3 }]);
    expect(device.confirms).toBe(1);
  });

  it('a driver without commit confirmed commits plainly and has nothing to confirm', async () => {
    const { device, driver, input } = setup({ ...SCRIPTED_CAPABILITIES, commitConfirmed: false });
    await applyOnNode(driver, input);
    expect(device.commits[0]!.confirmMinutes).toBe(0);
    expect(device.confirms).toBe(0);
  });

  it('lost contact or a timeout while committing or confirming: outcome unknown', async () => {
    const { driver, input } = setup();
    const lost = new ConnectionLostError({ node: 'r1', operation: 'apply' }, 'socket closed');
    await expect(applyOnNode(failing(driver, 'apply', lost), input)).rejects.toThrow(CommitOutcomeUnknownError);
    const timeout = new TimeoutError({ node: 'r1', operation: 'confirm' }, 5000);
    const at = new Date('2026-12-07T12:30:00Z');
    const err = await applyOnNode(failing(driver, 'confirm', timeout), { ...input, now: () => at }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CommitOutcomeUnknownError);
    // Contact lost on the confirm: the commit confirmed is live, and when it rolls back is known.
    expect((err as Error).message).toBe(
      'test/r1: committed with commit confirmed, then contact was lost while confirming change #4: if the confirm did not arrive, the device rolls back at 12:33 UTC; run `show system commit` on test/r1 to see which',
    );
  });

  it('a session gone before the request left is a plain failure (nothing reached the device)', async () => {
    const { driver, input } = setup();
    const notSent = new ConnectionLostError({ node: 'r1', operation: 'apply' }, 'session closed', { requestSent: false });
    await expect(applyOnNode(failing(driver, 'apply', notSent), input)).rejects.toBe(notSent);
  });

  it('a confirm the device refuses: the commit rolls back by itself, said so', async () => {
    const { driver, input } = setup();
    const refused = new RejectedError({ node: 'r1', operation: 'confirm' }, ['configuration database locked by root']);
    const err = await applyOnNode(failing(driver, 'confirm', refused), { ...input, now: () => new Date('2026-12-07T12:30:00Z') }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfirmFailedError);
    // What is on the device, and when it goes: the commit confirmed (3 min) is live until 12:33.
    expect((err as Error).message).toBe(
      'test/r1: committed with commit confirmed, but the confirm did not arrive (r1 rejected confirm: configuration database locked by root): the device rolls back to the previous configuration by itself at 12:33 UTC unless confirmed',
    );
  });

  it('a failing check after a plain commit whose rollback also fails: reported committed, with the problem', async () => {
    const { device, driver, input } = setup();
    device.failingCommand = 'show bgp summary';
    const broken: Driver = { ...driver, rollback: async () => Promise.reject(new RejectedError({ node: 'r1', operation: 'rollback' }, ['rollback 1 not found'])) };
    const value = await applyOnNode(broken, { ...input, confirmMinutes: 0, check: 'show bgp summary' });
    expect(value.committed).toBe(true);
    expect(value.problem).toContain('the change is still in place; roll back by hand');
  });

  it('a failing check after commit confirmed: not confirmed, CheckFailedError', async () => {
    const { device, driver, input } = setup();
    device.failingCommand = 'show bgp summary';
    await expect(applyOnNode(driver, { ...input, check: 'show bgp summary' })).rejects.toThrow(CheckFailedError);
    expect(device.confirms).toBe(0);
  });
});
