import { afterEach, describe, expect, it } from 'vitest';
import { ConnectionLostError } from '../../../src/drivers/errors.js';
import {
  AlreadyApprovedError,
  CancelNotAllowedError,
  ChangeConflictError,
  ChangeModifiedError,
  ChangeNotFoundError,
  CheckNotAuthorizedError,
  IllegalTransitionError,
  NotApprovableError,
  SelfApprovalRefusedError,
  type ChangeState,
  type ChangeView,
} from '../../../src/ops/changes/index.js';
import { DIALECTS, dialectAvailable } from '../../helpers/databases.js';
import { hashOf } from '../../helpers/scripted-driver.js';
import { ALICE, BOB, CAROL, DESCRIPTION, harness, SECRET_LINE, type Harness } from './harness.js';

const text = (content: string) => ({ type: 'text' as const, content });

for (const dialect of DIALECTS) {
  describe.runIf(dialectAvailable(dialect))(`change lifecycle on ${dialect}`, () => {
    let h: Harness | undefined;
    afterEach(async () => {
      await h?.dispose();
      h = undefined;
    });

    const propose = (x: Harness, names: string[], extra: Partial<Parameters<Harness['service']['propose']>[0]> = {}) =>
      x.service.propose({
        requestId: `req-${names.join('-')}`,
        requester: ALICE,
        channel: 'C0LAB',
        targets: names.map((n) => x.node(n)),
        source: text(DESCRIPTION),
        method: 'set',
        requiredApprovals: 1,
        ...extra,
      });

    it('propose → approve by another user → committed on every node, with the change id, requester and approver in the commit comment', async () => {
      h = await harness(dialect);
      const seen: [ChangeState | undefined, ChangeState][] = [];
      h.service.onTransition((from, to) => {
        seen.push([from, to]);
      });
      const planned = await propose(h, ['r1', 'r2'], { comment: 'describe uplink' });
      expect(planned.state).toBe('planned');
      expect(planned.ref).toBe(`#${planned.id}`);
      expect(planned.approvable).toBe(true);
      expect(planned.targets.map((t) => [t.key, t.plan.status, t.plan.diff])).toEqual([
        ['dc1/r1', 'ok', `+ ${DESCRIPTION}`],
        ['dc1/r2', 'ok', `+ ${DESCRIPTION}`],
      ]);
      expect(h.devices.get('r1')!.commits).toHaveLength(0);

      const done = await h.service.approve(planned.id, BOB, { selfApproval: false });
      expect(done.state).toBe('committed');
      expect(done.open).toBe(false);
      expect(done.targets.map((t) => t.apply.status)).toEqual(['committed', 'committed']);
      for (const name of ['r1', 'r2']) {
        const dev = h.devices.get(name)!;
        expect(dev.commits).toEqual([{ comment: `clab-bot #${planned.id} by alice approved by bob: describe uplink`, confirmMinutes: 5 }]);
        expect(dev.confirms).toBe(1);
        expect(dev.lines).toContain(DESCRIPTION);
      }
      expect(seen).toEqual([
        [undefined, 'planned'],
        ['planned', 'approved'],
        ['approved', 'applying'],
        ['applying', 'committed'],
      ]);
      expect(done.events.map((e) => e.to)).toEqual(['planned', 'approved', 'applying', 'committed']);
      const audit = await h.audit.query({ limit: 50 });
      expect(audit.map((a) => [a.event, a.outcome]).reverse()).toEqual([
        ['plan', 'ok'],
        ['approve', 'ok'],
        ['apply', 'started'],
        ['commit', 'ok'],
      ]);
      // Locks are released: the same nodes can be proposed again.
      expect((await propose(h, ['r1', 'r2'], { source: text('set system ntp server 10.0.0.1') })).state).toBe('planned');
    });

    it('a second approval after the commit does nothing new: IllegalTransitionError "already committed"', async () => {
      h = await harness(dialect);
      const planned = await propose(h, ['r1']);
      await h.service.approve(planned.id, BOB, { selfApproval: false });
      const again = h.service.approve(planned.id, CAROL, { selfApproval: false });
      await expect(again).rejects.toThrow(IllegalTransitionError);
      await expect(again).rejects.toThrow(`change #${planned.id} is already committed`);
      expect(h.devices.get('r1')!.commits).toHaveLength(1);
      expect((await h.service.get(planned.id)).approvals.map((a) => a.approver.id)).toEqual([BOB.id]);
    });

    it('two approvers at once (Promise.all) apply exactly once', async () => {
      h = await harness(dialect);
      const planned = await propose(h, ['r1', 'r2']);
      const results = await Promise.allSettled([
        h.service.approve(planned.id, BOB, { selfApproval: false }),
        h.service.approve(planned.id, CAROL, { selfApproval: false }),
      ]);
      const ok = results.filter((r): r is PromiseFulfilledResult<ChangeView> => r.status === 'fulfilled');
      const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(ok).toHaveLength(1);
      expect(ok[0]!.value.state).toBe('committed');
      expect(failed).toHaveLength(1);
      expect(failed[0]!.reason).toBeInstanceOf(IllegalTransitionError);
      expect(h.devices.get('r1')!.commits).toHaveLength(1);
      expect(h.devices.get('r2')!.commits).toHaveLength(1);
      expect((await h.service.get(planned.id)).approvals).toHaveLength(1);
    });

    it('the same approver double-clicking applies once', async () => {
      h = await harness(dialect);
      const planned = await propose(h, ['r1']);
      const results = await Promise.allSettled([
        h.service.approve(planned.id, BOB, { selfApproval: false }),
        h.service.approve(planned.id, BOB, { selfApproval: false }),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect(h.devices.get('r1')!.commits).toHaveLength(1);
    });

    it('two required approvals given at the same moment: both counted, applied once', async () => {
      h = await harness(dialect);
      const planned = await propose(h, ['r1'], { requiredApprovals: 2 });
      const results = await Promise.allSettled([
        h.service.approve(planned.id, BOB, { selfApproval: false }),
        h.service.approve(planned.id, CAROL, { selfApproval: false }),
      ]);
      expect(results.every((r) => r.status === 'fulfilled')).toBe(true);
      const final = await h.service.get(planned.id);
      expect(final.state).toBe('committed');
      expect(final.approvals.map((a) => a.approver.id).sort()).toEqual([BOB.id, CAROL.id]);
      expect(h.devices.get('r1')!.commits).toHaveLength(1);
      expect(h.devices.get('r1')!.commits[0]!.comment).toMatch(/approved by (bob, carol|carol, bob)$/);
    });

    it('with two approvals required the first is recorded and the change waits; the same person twice is refused', async () => {
      h = await harness(dialect);
      const planned = await propose(h, ['r1'], { requiredApprovals: 2 });
      const one = await h.service.approve(planned.id, BOB, { selfApproval: false });
      expect(one.state).toBe('planned');
      expect(one.approvals.map((a) => a.approver.name)).toEqual(['bob']);
      await expect(h.service.approve(planned.id, BOB, { selfApproval: false })).rejects.toThrow(AlreadyApprovedError);
      expect(h.devices.get('r1')!.commits).toHaveLength(0);
      expect((await h.service.approve(planned.id, CAROL, { selfApproval: false })).state).toBe('committed');
    });

    it('the requester cannot approve their own change unless the policy allows self-approval', async () => {
      h = await harness(dialect);
      const planned = await propose(h, ['r1']);
      await expect(h.service.approve(planned.id, ALICE, { selfApproval: false })).rejects.toThrow(SelfApprovalRefusedError);
      expect((await h.service.get(planned.id)).state).toBe('planned');
      expect((await h.audit.query({ actor: ALICE.id })).some((a) => a.event === 'approve' && a.outcome === 'denied')).toBe(true);
      expect((await h.service.approve(planned.id, ALICE, { selfApproval: true })).state).toBe('committed');
    });

    it('a node already in an open change refuses a second proposal, naming the holder and its thread', async () => {
      h = await harness(dialect);
      const first = await propose(h, ['r1', 'r2']);
      await h.service.setThread(first.id, 'C0LAB', '1700000000.000100', '1700000000.000100');
      const second = propose(h, ['r2', 'r3'], { requester: BOB });
      await expect(second).rejects.toThrow(ChangeConflictError);
      const err = (await second.catch((e: unknown) => e)) as ChangeConflictError;
      expect(err.message).toContain(`held by change #${first.id} (requested by alice)`);
      expect(err.holders).toEqual([
        { changeId: first.id, requesterId: ALICE.id, requesterName: 'alice', channel: 'C0LAB', threadTs: '1700000000.000100', nodes: ['dc1/r2'] },
      ]);
      // Nothing of the refused proposal was kept: r3 is free.
      expect((await propose(h, ['r3'], { requester: BOB })).state).toBe('planned');
      expect((await h.service.list({ filter: 'all', actorId: ALICE.id })).length).toBe(2);
    });

    it('two proposals racing for one node: exactly one gets it', async () => {
      h = await harness(dialect);
      const results = await Promise.allSettled([propose(h, ['r1', 'r2']), propose(h, ['r2', 'r1'], { requester: BOB })]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const refused = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(refused?.reason).toBeInstanceOf(ChangeConflictError);
    });

    it('diffs are redacted before they are stored; the approval stays bound to the hash of the real diff', async () => {
      h = await harness(dialect);
      const secret = 'set system login user ops authentication encrypted-password "$6$pepper12$ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"';
      const planned = await propose(h, ['r1'], { source: text(secret) });
      const diff = planned.targets[0]!.plan.diff!;
      expect(diff).toContain('encrypted-password "<redacted>"');
      expect(planned.targets[0]!.plan.diffHash).toBe(hashOf(`+ ${secret}`));
      const rows = await h.t.db.selectFrom('change_nodes').selectAll().execute();
      expect(JSON.stringify(rows)).not.toContain('ABCDEFGHIJKLMNOP');
      const done = await h.service.approve(planned.id, BOB, { selfApproval: false });
      expect(done.state).toBe('committed');
      // The running config saved before the commit is stored redacted too.
      const before = await h.service.beforeConfig(planned.id, { lab: 'dc1', name: 'r1' });
      expect(before).toContain('set system host-name r1');
      expect(before).not.toContain('0123456789abcdefghij');
      expect(SECRET_LINE).toContain('0123456789abcdefghij');
      expect(JSON.stringify(await h.audit.query({ limit: 50 }))).not.toContain('ABCDEFGHIJKLMNOP');
    });

    it('drift between plan and approval: that node is stale and nothing is committed there; the others commit (partial)', async () => {
      h = await harness(dialect);
      const planned = await propose(h, ['r1', 'r2']);
      // Someone made the same change by hand: the fresh diff (now empty) no longer matches the approved one.
      h.devices.get('r2')!.lines.push(DESCRIPTION);
      const done = await h.service.approve(planned.id, BOB, { selfApproval: false });
      expect(done.state).toBe('partial');
      expect(done.targets.map((t) => [t.key, t.apply.status])).toEqual([
        ['dc1/r1', 'committed'],
        ['dc1/r2', 'stale'],
      ]);
      expect(h.devices.get('r2')!.commits).toHaveLength(0);
      expect(done.reason).toContain('dc1/r2 stale');
      expect(done.reason).toContain('re-plan');
    });

    it('every node drifted: the change ends stale', async () => {
      h = await harness(dialect);
      const planned = await propose(h, ['r1']);
      h.devices.get('r1')!.lines.push(DESCRIPTION);
      expect((await h.service.approve(planned.id, BOB, { selfApproval: false })).state).toBe('stale');
    });

    it('a failing plan blocks approval until a re-plan succeeds; the re-plan voids earlier approvals', async () => {
      h = await harness(dialect);
      h.devices.get('r2')!.unreachable = true;
      const planned = await propose(h, ['r1', 'r2'], { requiredApprovals: 2 });
      expect(planned.approvable).toBe(false);
      expect(planned.failing.map((f) => f.node)).toEqual(['dc1/r2']);
      expect(planned.failing[0]!.reason).toContain('unreachable');
      await expect(h.service.approve(planned.id, BOB, { selfApproval: false })).rejects.toThrow(NotApprovableError);

      h.devices.get('r2')!.unreachable = false;
      const replanned = await h.service.replan(planned.id, ALICE);
      expect(replanned.state).toBe('planned');
      expect(replanned.approvable).toBe(true);
      await h.service.approve(planned.id, BOB, { selfApproval: false });
      const again = await h.service.replan(planned.id, ALICE);
      expect(again.approvals).toEqual([]);
      // An approval bound to the version shown before the re-plan is refused.
      await expect(h.service.approve(planned.id, CAROL, { selfApproval: false, version: replanned.version })).rejects.toThrow(ChangeModifiedError);
    });

    it('a failing commit check blocks approval', async () => {
      h = await harness(dialect);
      const planned = await propose(h, ['r1'], { source: text('set protocols invalid-thing') });
      expect(planned.failing[0]!.reason).toContain('commit check failed');
      await expect(h.service.approve(planned.id, BOB, { selfApproval: false })).rejects.toThrow(/cannot be approved while its plan fails on dc1\/r1/);
    });

    it('nothing to change anywhere: recorded, cancelled with reason "no changes", nodes free again', async () => {
      h = await harness(dialect);
      const view = await propose(h, ['r1'], { source: text('set system host-name r1') });
      expect(view.state).toBe('cancelled');
      expect(view.nothingToChange).toBe(true);
      expect(view.reason).toMatch(/^no changes/);
      expect((await propose(h, ['r1'])).state).toBe('planned');
    });

    it('expiry (fake clock): planned past its expiry becomes expired, releases its nodes, and can no longer be approved', async () => {
      h = await harness(dialect);
      const planned = await propose(h, ['r1']);
      h.advance(59 * 60_000);
      expect(await h.service.sweeper.expireDue()).toEqual([]);
      h.advance(2 * 60_000);
      const expired = await h.service.sweeper.expireDue();
      expect(expired.map((c) => [c.id, c.state])).toEqual([[planned.id, 'expired']]);
      expect(expired[0]!.reason).toContain('not approved within 60 min');
      await expect(h.service.approve(planned.id, BOB, { selfApproval: false })).rejects.toThrow(`change #${planned.id} is expired`);
      expect((await propose(h, ['r1'], { requester: BOB })).state).toBe('planned');
    });

    it('an approval arriving after the expiry (before any sweep) expires the change instead of applying it', async () => {
      h = await harness(dialect);
      const planned = await propose(h, ['r1']);
      h.advance(60 * 60_000);
      await expect(h.service.approve(planned.id, BOB, { selfApproval: false })).rejects.toThrow(`change #${planned.id} is expired`);
      expect(h.devices.get('r1')!.commits).toHaveLength(0);
      const view = await h.service.get(planned.id);
      expect([view.state, view.reason]).toEqual(['expired', 'expired: not approved within 60 min']);
      expect(await h.service.sweeper.expireDue()).toEqual([]);
    });

    it('reject and cancel: only the requester or an admin cancels; both release the nodes', async () => {
      h = await harness(dialect);
      const a = await propose(h, ['r1']);
      expect((await h.service.reject(a.id, BOB)).state).toBe('rejected');
      await expect(h.service.approve(a.id, BOB, { selfApproval: false })).rejects.toThrow('is already rejected');
      const b = await propose(h, ['r1']);
      await expect(h.service.cancel(b.id, BOB, { isAdmin: false })).rejects.toThrow(CancelNotAllowedError);
      expect((await h.service.cancel(b.id, CAROL, { isAdmin: true })).state).toBe('cancelled');
      const c = await propose(h, ['r1']);
      expect((await h.service.cancel(c.id, ALICE, { isAdmin: false })).state).toBe('cancelled');
      await expect(h.service.cancel(c.id, ALICE, { isAdmin: false })).rejects.toThrow(IllegalTransitionError);
      await expect(h.service.get(9999)).rejects.toThrow(ChangeNotFoundError);
    });

    it('a failing --check leaves a commit confirmed unconfirmed and reports the change failed with the reason', async () => {
      h = await harness(dialect);
      h.devices.get('r1')!.failingCommand = 'show ospf neighbor';
      const planned = await propose(h, ['r1'], { check: 'show ospf neighbor', confirmMinutes: 2 });
      // Without the check authorized for every node the service refuses before recording the approval.
      await expect(h.service.approve(planned.id, BOB, { selfApproval: false })).rejects.toThrow(CheckNotAuthorizedError);
      expect((await h.service.get(planned.id)).approvals).toEqual([]);
      expect(h.devices.get('r1')!.confirms).toBe(0);
      const done = await h.service.approve(planned.id, BOB, { selfApproval: false, checkCommands: new Map([['dc1/r1', 'show ospf neighbor']]) });
      expect(done.state).toBe('failed');
      expect(h.devices.get('r1')!.confirms).toBe(0);
      expect(done.targets[0]!.apply.error?.code).toBe('check_failed');
      expect(done.reason).toContain('check `show ospf neighbor` failed');
      expect(done.reason).toContain('rolls back to the previous configuration by itself within 2 min');
    });

    it('a failing --check after a plain commit rolls back at once', async () => {
      h = await harness(dialect);
      h.devices.get('r1')!.failingCommand = 'show ospf neighbor';
      const before = h.devices.get('r1')!.running();
      const planned = await propose(h, ['r1'], { check: 'show ospf neighbor', confirmMinutes: 0 });
      const done = await h.service.approve(planned.id, BOB, { selfApproval: false, checkCommands: new Map([['dc1/r1', 'show ospf neighbor']]) });
      expect(done.state).toBe('failed');
      expect(h.devices.get('r1')!.rollbacks).toBe(1);
      expect(h.devices.get('r1')!.running()).toBe(before);
      expect(done.reason).toContain('rolled back to the configuration before it');
    });

    it('contact lost during the commit: unknown, never retried, and the user is told what to check', async () => {
      h = await harness(dialect);
      const planned = await propose(h, ['r1', 'r2']);
      let attempts = 0;
      h.devices.get('r2')!.beforeCommit = async () => {
        attempts += 1;
        throw new ConnectionLostError({ node: 'r2', operation: 'apply' }, 'socket closed');
      };
      const done = await h.service.approve(planned.id, BOB, { selfApproval: false });
      expect(done.state).toBe('unknown');
      expect(attempts).toBe(1);
      expect(done.targets.map((t) => t.apply.status)).toEqual(['committed', 'unknown']);
      expect(done.reason).toContain('run `show system commit` on dc1/r2');
      expect((await propose(h, ['r2'], { requester: BOB })).state).toBe('planned');
    });

    it('a second replica recovering while the first applies leaves the live apply alone (its lease holds); the first finishes', async () => {
      h = await harness(dialect);
      const planned = await propose(h, ['r1']);
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      let reached!: () => void;
      const atCommit = new Promise<void>((r) => (reached = r));
      h.devices.get('r1')!.beforeCommit = async () => {
        reached();
        await gate;
      };
      const approving = h.service.approve(planned.id, BOB, { selfApproval: false });
      await atCommit;
      const applying = await h.service.get(planned.id);
      expect(applying.state).toBe('applying');
      expect(await h.replica().sweeper.recoverAfterCrash()).toEqual([]);
      release();
      expect((await approving).state).toBe('committed');
    });

    it('a listener that throws does not fail the change; unsubscribing stops the calls', async () => {
      h = await harness(dialect);
      let calls = 0;
      const off = h.service.onTransition(() => {
        calls += 1;
        throw new Error('slack is down');
      });
      h.service.onTransition(async () => Promise.reject(new Error('slack is down (async)')));
      const planned = await propose(h, ['r1']);
      expect(calls).toBe(1);
      off();
      expect((await h.service.approve(planned.id, BOB, { selfApproval: false })).state).toBe('committed');
      expect(calls).toBe(1);
    });

    it('a re-plan that finds nothing left to change cancels the change with "no changes"', async () => {
      h = await harness(dialect);
      const planned = await propose(h, ['r1']);
      h.devices.get('r1')!.lines.push(DESCRIPTION);
      const replanned = await h.service.replan(planned.id, ALICE);
      expect([replanned.state, replanned.nothingToChange]).toEqual(['cancelled', true]);
      expect(replanned.events.map((e) => [e.from, e.to, e.detail?.['action']])).toEqual([
        [undefined, 'planned', 'propose'],
        ['planned', 'planned', 'replan'],
        ['planned', 'cancelled', 'no-changes'],
      ]);
    });

    it('list: pending, mine, all', async () => {
      h = await harness(dialect);
      const a = await propose(h, ['r1']);
      const b = await propose(h, ['r2'], { requester: BOB });
      await h.service.approve(b.id, CAROL, { selfApproval: false });
      expect((await h.service.list({ filter: 'pending', actorId: ALICE.id })).map((c) => c.id)).toEqual([a.id]);
      expect((await h.service.list({ filter: 'mine', actorId: BOB.id })).map((c) => c.id)).toEqual([b.id]);
      expect((await h.service.list({ filter: 'all', actorId: BOB.id })).map((c) => c.id)).toEqual([b.id, a.id]);
    });

    it('Rollback button: proposes the rollback back to before the change on its committed nodes, approved like any change, restores the config', async () => {
      h = await harness(dialect);
      const before = h.devices.get('r1')!.running();
      const planned = await propose(h, ['r1']);
      const committed = await h.service.approve(planned.id, BOB, { selfApproval: false });
      const rb = await h.service.rollbackChange(committed.id, ALICE);
      expect(rb.state).toBe('planned');
      expect(rb.rollbackOf).toBe(committed.id);
      // Commit confirmed + confirm made two commits: rollback 2 is the configuration before the change.
      expect(rb.source).toEqual({ type: 'rollback', index: 2 });
      expect(rb.targets[0]!.plan.diff).toBe(`- ${DESCRIPTION}`);
      const done = await h.service.approve(rb.id, BOB, { selfApproval: false });
      expect(done.state).toBe('committed');
      expect(h.devices.get('r1')!.running()).toBe(before);
      expect((await h.audit.query({ limit: 1 }))[0]!.event).toBe('rollback');
      await expect(h.service.rollbackChange(planned.id + 100, ALICE)).rejects.toThrow(ChangeNotFoundError);
    });

    it('Rollback button after a plain commit (--confirm 0) proposes rollback 1; an uncommitted change cannot be rolled back', async () => {
      h = await harness(dialect);
      const before = h.devices.get('r2')!.running();
      const planned = await propose(h, ['r2'], { confirmMinutes: 0 });
      await expect(h.service.rollbackChange(planned.id, ALICE)).rejects.toThrow(`change #${planned.id} is planned: only a committed change can be rolled back`);
      await h.service.approve(planned.id, BOB, { selfApproval: false });
      const rb = await h.service.rollbackChange(planned.id, ALICE);
      expect(rb.source).toEqual({ type: 'rollback', index: 1 });
      await h.service.approve(rb.id, BOB, { selfApproval: false });
      expect(h.devices.get('r2')!.running()).toBe(before);
    });

    it('proposeRollback: the device rollback N as a change', async () => {
      h = await harness(dialect);
      const c = await propose(h, ['r1']);
      await h.service.approve(c.id, BOB, { selfApproval: false });
      const rb = await h.service.proposeRollback({ requestId: 'rb', requester: ALICE, targets: [h.node('r1')], index: 2, requiredApprovals: 1 });
      expect(rb.targets[0]!.plan.diff).toBe(`- ${DESCRIPTION}`);
      expect((await h.service.approve(rb.id, CAROL, { selfApproval: false })).state).toBe('committed');
    });
  });
}
