import { afterEach, describe, expect, it } from 'vitest';
import { ChangeRequestError } from '../../../src/ops/changes/errors.js';
import { ALICE, DESCRIPTION, harness, type Harness } from './harness.js';

/**
 * A change is checked against each target's own driver limits (DriverTraits), not Junos numbers:
 * SR Linux takes a commit confirmed of at most a day and keeps ten checkpoints.
 */
describe('per-driver limits at proposal', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.dispose();
    h = undefined;
  });

  const srl = (x: Harness, name: string) => ({ ...x.node(name), kind: 'nokia_srlinux', vendor: 'nokia', driver: 'srlinux' as const });

  it('--confirm beyond an SR Linux node limit is refused naming the node; within it, and on Junos, it is planned', async () => {
    h = await harness('sqlite');
    const base = { requestId: 'req-limits', requester: ALICE, channel: 'C0LAB', source: { type: 'text' as const, content: DESCRIPTION }, method: 'set' as const, requiredApprovals: 1 };
    const err = await h.service.propose({ ...base, targets: [h.node('r1'), srl(h, 'r2')], confirmMinutes: 1441 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChangeRequestError);
    expect((err as Error).message).toBe('--confirm 1441: dc1/r2 takes at most 1440 minutes');
    expect((await h.service.propose({ ...base, requestId: 'req-j', targets: [h.node('r1')], confirmMinutes: 1441 })).state).toBe('planned');
  });

  it('a rollback deeper than the node keeps is refused before anything is planned', async () => {
    h = await harness('sqlite');
    const err = await h.service
      .proposeRollback({ requestId: 'req-rb', requester: ALICE, channel: 'C0LAB', targets: [srl(h, 'r3')], index: 11, requiredApprovals: 1 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChangeRequestError);
    expect((err as Error).message).toBe('rollback 11: dc1/r3 keeps at most 10 earlier configurations');
  });
});
