import { afterEach, describe, expect, it } from 'vitest';
import { AuditLog } from '../../../src/db/audit-log.js';
import { BackupsRepo } from '../../../src/db/backups-repo.js';
import { migrateToLatest } from '../../../src/db/migrate.js';
import type { DialectName } from '../../../src/db/connect.js';
import { SessionPool } from '../../../src/drivers/pool.js';
import { driverFactoryFor } from '../../../src/drivers/registry.js';
import type { LabNode } from '../../../src/inventory/types.js';
import {
  ChangeConflictError,
  ChangeService,
  IllegalTransitionError,
  SelfApprovalRefusedError,
  type ChangeServiceOptions,
} from '../../../src/ops/changes/index.js';
import { Scheduler } from '../../../src/ops/scheduler.js';
import { ManualClock, type SimClock } from '../../../src/sim/clock.js';
import { startJunosSim, type JunosSim } from '../../../src/sim/junos/index.js';
import { DIALECTS, dialectAvailable, freshDatabase, type TestDatabase } from '../../helpers/databases.js';
import { makeNode } from '../../helpers/nodes.js';
import { disposeDatabase } from './harness.js';
import { resultOf, startWorker, type Worker } from './worker-process.js';

const ALICE = { id: 'U0ALICE', name: 'alice' };
const BOB = { id: 'U0BOB', name: 'bob' };
const CAROL = { id: 'U0CAROL', name: 'carol' };
const UPLINK = 'set interfaces ge-0/0/1 description uplink';

interface SimLab {
  readonly t: TestDatabase;
  readonly sims: readonly JunosSim[];
  readonly nodes: readonly LabNode[];
  readonly audit: AuditLog;
  readonly service: ChangeService;
  /** A fresh service on the same database and devices (a restarted bot). */
  restart(): ChangeService;
  advance(ms: number): void;
  dispose(): Promise<void>;
}

/** Two Junos simulators on loopback, the real Junos driver over SSH through the real session pool, a migrated database. */
async function simLab(dialect: DialectName, opts: { simClock?: SimClock; service?: Partial<ChangeServiceOptions> } = {}): Promise<SimLab> {
  const t = await freshDatabase(dialect);
  await migrateToLatest(t.db);
  const sims: JunosSim[] = [];
  for (const hostname of ['r1', 'r2']) sims.push(await startJunosSim({ hostname, port: 0, ...(opts.simClock ? { clock: opts.simClock } : {}) }));
  const nodes = sims.map((s) => makeNode({ name: s.hostname, host: s.host, port: s.port, lab: 'dc1' }));
  const pool = new SessionPool({ factory: driverFactoryFor() });
  const scheduler = new Scheduler({ globalConcurrency: 8, perNodeConcurrency: 1 });
  const audit = new AuditLog(t.db);
  let now = new Date();
  const make = () =>
    new ChangeService({
      db: t.db,
      audit,
      pool,
      scheduler,
      clock: () => now,
      resolveNode: (ref) => nodes.find((n) => n.lab === ref.lab && n.name === ref.name),
      ...opts.service,
    });
  return {
    t,
    sims,
    nodes,
    audit,
    service: make(),
    restart: make,
    advance: (ms) => {
      now = new Date(now.getTime() + ms);
    },
    dispose: async () => {
      await pool.close();
      await scheduler.stop();
      await Promise.all(sims.map((s) => s.close()));
      await disposeDatabase(t);
    },
  };
}

for (const dialect of DIALECTS) {
  describe.runIf(dialectAvailable(dialect))(`changes on the Junos simulator over SSH (${dialect})`, () => {
    let lab: SimLab | undefined;
    let worker: Worker | undefined;
    afterEach(async () => {
      await worker?.kill();
      await lab?.dispose();
      lab = undefined;
      worker = undefined;
    });

    const propose = (l: SimLab, names: string[], extra: Partial<Parameters<ChangeService['propose']>[0]> = {}) =>
      l.service.propose({
        requestId: 'req-1',
        requester: ALICE,
        channel: 'C0LAB',
        targets: l.nodes.filter((n) => names.includes(n.name)),
        source: { type: 'text', content: UPLINK },
        method: 'set',
        requiredApprovals: 1,
        ...extra,
      });

    it('propose on two devices, approved by another user: both commit with the change id in the commit comment', async () => {
      lab = await simLab(dialect);
      const planned = await propose(lab, ['r1', 'r2'], { comment: 'uplink description' });
      expect(planned.state).toBe('planned');
      expect(planned.targets.map((t) => t.plan.diff)).toEqual([
        '[edit interfaces]\n+  ge-0/0/1 {\n+      description uplink;\n+  }',
        '[edit interfaces]\n+  ge-0/0/1 {\n+      description uplink;\n+  }',
      ]);
      const historyBefore = lab.sims.map((s) => s.commitHistory().length);

      const done = await lab.service.approve(planned.id, BOB, { selfApproval: false });
      expect(done.state).toBe('committed');
      const comment = `clab-bot #${planned.id} by alice approved by bob: uplink description`;
      for (const [i, sim] of lab.sims.entries()) {
        expect(sim.runningConfig()).toContain('description uplink;');
        const history = sim.commitHistory();
        // commit confirmed, then the confirming commit: both carry the comment.
        expect(history.length).toBe(historyBefore[i]! + 2);
        expect(history.slice(0, 2).map((c) => [c.user, c.client, c.comment])).toEqual([
          ['admin', 'netconf', comment],
          ['admin', 'netconf', comment],
        ]);
      }
      // The running config saved before the commit, with the device's password hashes redacted.
      const before = await lab.service.beforeConfig(planned.id, { lab: 'dc1', name: 'r1' });
      expect(before).toContain('host-name r1;');
      expect(before).toContain('encrypted-password "<redacted>"');
      expect(before).not.toMatch(/\$6\$/);

      // A second approval does nothing new.
      await expect(lab.service.approve(planned.id, { id: 'U0CAROL', name: 'carol' }, { selfApproval: false })).rejects.toThrow(
        `change #${planned.id} is already committed`,
      );
      expect(lab.sims.map((s) => s.commitHistory().length)).toEqual(historyBefore.map((n) => n + 2));
    });

    it('an approved commit stores the configuration before and after it as backup versions, redacted, marked with the change', async () => {
      let backups: BackupsRepo | undefined;
      lab = await simLab(dialect, {
        service: {
          saveBackup: (node, running, origin, takenBy) =>
            backups!.save({ lab: node.lab, name: node.name, content: running, secrets: [node.credentials.password], takenBy, reason: origin, keep: 50 }),
        },
      });
      backups = new BackupsRepo(lab.t.db);
      const r1 = { lab: 'dc1', name: 'r1' };
      const planned = await propose(lab, ['r1']);
      const done = await lab.service.approve(planned.id, BOB, { selfApproval: false });
      expect(done.state).toBe('committed');
      const versions = await backups.list(r1);
      expect(versions.map((v) => [v.version, v.reason, v.takenBy])).toEqual([
        [2, `after change #${planned.id}`, 'bob'],
        [1, `before change #${planned.id}`, 'bob'],
      ]);
      const before = (await backups.get(r1, 1))!.content;
      const after = (await backups.get(r1, 2))!.content;
      expect(before).not.toContain('description uplink;');
      expect(after).toContain('description uplink;');
      const strip = (text: string) => text.replace(/^## Last commit.*\n/m, '').trimEnd();
      expect(strip(after)).toBe(strip(lab.sims[0]!.runningConfig()).replace(/\$6\$[^"]*/g, '<redacted>'));
      for (const text of [before, after]) expect(text).not.toMatch(/\$6\$/);
      // r2 was not in the change: no versions.
      expect(await backups.list({ lab: 'dc1', name: 'r2' })).toEqual([]);

      // A second change whose before equals the last after: one new version only (after), no duplicate before.
      const second = await propose(lab, ['r1'], { source: { type: 'text', content: 'set interfaces ge-0/0/1 description core' } });
      await lab.service.approve(second.id, BOB, { selfApproval: false });
      expect((await backups.list(r1)).map((v) => v.reason)).toEqual([`after change #${second.id}`, `after change #${planned.id}`, `before change #${planned.id}`]);
    });

    it('drift between plan and approval: that node is stale and nothing is committed there', async () => {
      lab = await simLab(dialect);
      const planned = await propose(lab, ['r1', 'r2']);
      const r2 = lab.sims[1]!;
      r2.commitLocal('set interfaces ge-0/0/1 description other', 'set', 'by hand');
      const drifted = r2.commitHistory().length;
      const done = await lab.service.approve(planned.id, BOB, { selfApproval: false });
      expect(done.state).toBe('partial');
      expect(done.targets.map((t) => [t.node, t.apply.status])).toEqual([
        ['r1', 'committed'],
        ['r2', 'stale'],
      ]);
      expect(done.targets[1]!.apply.error?.message).toContain('configuration changed since the plan was approved');
      expect(r2.commitHistory().length).toBe(drifted);
      expect(r2.runningConfig()).toContain('description other;');
      expect(r2.runningConfig()).not.toContain('description uplink;');
    });

    it('a failing --check: the commit is not confirmed, the device rolls itself back, the change is failed with the reason', async () => {
      // The routers' own clock: the unconfirmed commit's one minute passes when the test says so.
      const routerClock = new ManualClock();
      lab = await simLab(dialect, { simClock: routerClock });
      const r1 = lab.sims[0]!;
      const before = r1.runningConfig();
      const planned = await propose(lab, ['r1'], { confirmMinutes: 1, check: 'show bogus thing' });
      const done = await lab.service.approve(planned.id, BOB, { selfApproval: false, checkCommands: new Map([[planned.targets[0]!.key, 'show bogus thing']]) });
      expect(done.state).toBe('failed');
      expect(done.reason).toContain('check `show bogus thing` failed');
      expect(done.reason).toContain('syntax error');
      expect(done.reason).toContain('rolls back to the previous configuration by itself within 1 min');
      expect(r1.runningConfig()).not.toBe(before);
      routerClock.advance(59_000);
      expect(r1.runningConfig()).not.toBe(before);
      routerClock.advance(1_000);
      expect(r1.runningConfig()).toBe(before);
      expect(r1.commitHistory()[0]).toMatchObject({ client: 'other', comment: 'automatic rollback: commit confirmed was not confirmed' });
      expect(r1.commitHistory()[1]!.comment).toBe(`clab-bot #${planned.id} by alice approved by bob`);
    });

    it('the confirm refused after the commit confirmed landed: the result says the change is live and when the device rolls it back', async () => {
      lab = await simLab(dialect, { simClock: new ManualClock(Date.UTC(2026, 0, 1, 0, 0)) });
      const r1 = lab.sims[0]!;
      const planned = await propose(lab, ['r1'], { confirmMinutes: 5 });
      r1.setFaults({ holdCommitReplies: true });
      const approving = lab.service.approve(planned.id, BOB, { selfApproval: false });
      await r1.whenCommitHeld();
      // The commit confirmed is on the device; the confirm that follows is refused.
      r1.setFaults({ commitError: 'commit failed: (statements constraint check failed)' });
      r1.setFaults({ holdCommitReplies: false });
      const done = await approving;
      expect(done.state).toBe('failed');
      expect(r1.runningConfig()).toContain('description uplink;');
      const applying = done.events.find((e) => e.to === 'applying')!;
      const rollsBack = new Date(Date.parse(applying.at) + 5 * 60_000).toISOString().slice(11, 16);
      expect(done.reason).toBe(
        `committed on 0 of 1 node; 1 more holds it unconfirmed until the device rolls it back; dc1/r1 failed: dc1/r1: committed with commit confirmed, but the confirm did not arrive (r1 rejected confirm: commit failed: (statements constraint check failed)): the device rolls back to the previous configuration by itself at ${rollsBack} UTC unless confirmed`,
      );
      r1.setFaults({ commitError: null });
    });

    it('a bot killed between approve and commit: the next start asks the device, which never saw it: failed, nodes free', async () => {
      lab = await simLab(dialect);
      const r1 = lab.sims[0]!;
      const planned = await propose(lab, ['r1']);
      const before = r1.runningConfig();
      const history = r1.commitHistory().length;
      r1.setFaults({ latencyMs: 400 });
      worker = await startWorker({
        db: lab.t.url,
        changeId: planned.id,
        approver: BOB,
        nodes: [{ lab: 'dc1', name: 'r1', host: r1.host, port: r1.port }],
        driver: 'junos',
      });
      worker.go();
      await worker.waitFor((m) => (m['transition'] === 'applying' ? true : undefined));
      await worker.kill();
      r1.setFaults({ latencyMs: 0 });

      const recovered = await lab.restart().sweeper.recoverAfterCrash();
      expect(recovered.map((c) => [c.id, c.state])).toEqual([[planned.id, 'failed']]);
      expect(recovered[0]!.reason).toContain(`dc1/r1: no commit of #${planned.id} in the device's commit history`);
      expect(recovered[0]!.targets[0]!.apply).toMatchObject({ status: 'failed', error: { code: 'device_says' } });
      expect(r1.commitHistory().length).toBe(history);
      expect(r1.runningConfig()).toBe(before);
      // The node is free again.
      expect((await propose(lab, ['r1'], { requester: BOB })).state).toBe('planned');
    });

    /** Starts a worker that approves `id` on r1 and waits until its commit confirmed is in flight (its reply held back). */
    const killMidCommit = async (l: SimLab, id: number, opts: { afterConfirm?: boolean } = {}): Promise<void> => {
      const r1 = l.sims[0]!;
      r1.setFaults({ holdCommitReplies: true });
      worker = await startWorker({ db: l.t.url, changeId: id, approver: BOB, nodes: [{ lab: 'dc1', name: 'r1', host: r1.host, port: r1.port }], driver: 'junos' });
      worker.go();
      await r1.whenCommitHeld();
      if (opts.afterConfirm) {
        // Let the commit confirmed answer; hold the confirming commit that follows it.
        r1.setFaults({ holdCommitReplies: false });
        r1.setFaults({ holdCommitReplies: true });
        await r1.whenCommitHeld();
      }
      await worker.kill();
      r1.setFaults({ holdCommitReplies: false });
    };

    it('killed with the commit confirmed in flight: unknown, with the device waiting for its confirm and when it rolls back; an admin then resolves it', async () => {
      // The routers' clock stands still at 2026-01-01 00:00 UTC: the rollback time is known.
      lab = await simLab(dialect, { simClock: new ManualClock(Date.UTC(2026, 0, 1, 0, 0)) });
      const planned = await propose(lab, ['r1'], { confirmMinutes: 7 });
      await killMidCommit(lab, planned.id);
      expect(lab.sims[0]!.runningConfig()).toContain('description uplink;');

      const recovered = await lab.restart().sweeper.recoverAfterCrash();
      expect(recovered.map((c) => [c.id, c.state])).toEqual([[planned.id, 'unknown']]);
      const reason = recovered[0]!.reason ?? '';
      expect(reason).toContain('dc1/r1: committed with commit confirmed at 2026-01-01 00:00:00 UTC; the confirm did not arrive: the device rolls back at 00:07 UTC unless confirmed');
      expect(reason).toContain(`an admin records it with \`change ${planned.id} resolve --committed\``);
      expect(recovered[0]!.targets[0]!.apply).toMatchObject({ status: 'unknown', error: { code: 'device_says' } });
      expect((await propose(lab, ['r2'], { requester: BOB })).state).toBe('planned');

      // The admin checks the device and records what it holds; the audit log keeps who and why.
      const resolved = await lab.service.resolve(planned.id, CAROL, { outcome: 'not-committed', reason: 'let it roll back at 00:07' });
      expect(resolved.state).toBe('failed');
      expect(resolved.targets[0]!.apply.status).toBe('failed');
      expect(resolved.reason).toMatch(/^resolved by carol as not committed: let it roll back at 00:07 \(before: the clab-bot process applying this change stopped mid-commit/);
      const audit = await lab.audit.query({ limit: 1 });
      expect([audit[0]!.event, audit[0]!.outcome, audit[0]!.actor]).toEqual(['resolve', 'failed', CAROL.id]);
      expect(audit[0]!.detail).toMatchObject({ outcome: 'not-committed', note: 'let it roll back at 00:07', nodes: ['dc1/r1'] });
      // Only once: the outcome is known now.
      await expect(lab.service.resolve(planned.id, CAROL, { outcome: 'committed' })).rejects.toThrow(
        `change #${planned.id} is already finished (it failed): only a change whose outcome is unknown can be resolved`,
      );
    });

    it('killed after the commit confirmed landed but before the device rolled back by itself: failed, in the device\'s words', async () => {
      const routerClock = new ManualClock(Date.UTC(2026, 0, 1, 0, 0));
      lab = await simLab(dialect, { simClock: routerClock });
      const r1 = lab.sims[0]!;
      const before = r1.runningConfig();
      const planned = await propose(lab, ['r1'], { confirmMinutes: 1 });
      await killMidCommit(lab, planned.id);
      // The confirm never comes: a minute later the device rolls back by itself.
      routerClock.advance(60_000);
      expect(r1.runningConfig()).toBe(before);

      const recovered = await lab.restart().sweeper.recoverAfterCrash();
      expect(recovered.map((c) => [c.id, c.state])).toEqual([[planned.id, 'failed']]);
      expect(recovered[0]!.reason).toContain('dc1/r1: committed with commit confirmed at 2026-01-01 00:00:00 UTC; the confirm did not arrive and the device rolled back by itself at 2026-01-01 00:01:00 UTC');
      expect(recovered[0]!.targets[0]!.apply.status).toBe('failed');
    });

    it('killed while its confirm was in flight: the device holds the confirmed commit, so the change is committed', async () => {
      lab = await simLab(dialect);
      const planned = await propose(lab, ['r1']);
      await killMidCommit(lab, planned.id, { afterConfirm: true });

      const recovered = await lab.restart().sweeper.recoverAfterCrash();
      expect(recovered.map((c) => [c.id, c.state])).toEqual([[planned.id, 'committed']]);
      expect(recovered[0]!.reason).toMatch(/dc1\/r1: committed at .+ UTC \(commit 0 in its history\), confirmed; its nodes are free for a new change$/);
      const audit = await lab.audit.query({ limit: 1 });
      expect([audit[0]!.event, audit[0]!.outcome]).toEqual(['commit', 'ok']);
    });

    it('a device that does not answer does not hold recovery up: unknown after the bounded wait, locks released', async () => {
      lab = await simLab(dialect, { service: { recoveryTimeoutMs: 700 } });
      const r1 = lab.sims[0]!;
      const planned = await propose(lab, ['r1']);
      await killMidCommit(lab, planned.id);
      r1.setFaults({ latencyMs: 60_000 });

      const recovered = await lab.restart().sweeper.recoverAfterCrash();
      r1.setFaults({ latencyMs: 0 });
      expect(recovered.map((c) => [c.id, c.state])).toEqual([[planned.id, 'unknown']]);
      expect(recovered[0]!.reason).toContain('dc1/r1: the device could not be asked (no answer within 700 ms)');
      expect(recovered[0]!.reason).toContain('run `show system commit` on dc1/r1 to see whether it was committed');
      const next = await propose(lab, ['r1'], { requester: BOB, source: { type: 'text', content: 'set interfaces ge-0/0/1 description other' } });
      expect(next.state).toBe('planned');
    });

    it('a second proposal on an overlapping node is refused, naming the open change', async () => {
      lab = await simLab(dialect);
      const first = await propose(lab, ['r1']);
      await lab.service.setThread(first.id, 'C0LAB', '1700000000.000200');
      const err = await propose(lab, ['r1', 'r2'], { requester: BOB }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ChangeConflictError);
      expect((err as Error).message).toBe(`dc1/r1 is held by change #${first.id} (requested by alice): a node can be in one open change at a time`);
      expect((err as ChangeConflictError).holders[0]).toMatchObject({ changeId: first.id, channel: 'C0LAB', threadTs: '1700000000.000200' });
    });

    it('expiry (fake clock): an unapproved change expires and releases its nodes', async () => {
      lab = await simLab(dialect, { service: { expiryMinutes: 30 } });
      const planned = await propose(lab, ['r1', 'r2']);
      lab.advance(31 * 60_000);
      const expired = await lab.service.sweeper.expireDue();
      expect(expired.map((c) => [c.id, c.state, c.reason])).toEqual([[planned.id, 'expired', 'expired: not approved within 30 min']]);
      await expect(lab.service.approve(planned.id, BOB, { selfApproval: false })).rejects.toThrow(IllegalTransitionError);
      expect((await propose(lab, ['r2'], { requester: BOB })).state).toBe('planned');
    });

    it('Rollback button: a rollback proposal, approved and applied, restores the configuration from before the change', async () => {
      lab = await simLab(dialect);
      const r1 = lab.sims[0]!;
      const before = r1.runningConfig();
      const planned = await propose(lab, ['r1']);
      await lab.service.approve(planned.id, BOB, { selfApproval: false });
      expect(r1.runningConfig()).not.toBe(before);

      const rb = await lab.service.rollbackChange(planned.id, ALICE);
      expect(rb.state).toBe('planned');
      expect(rb.targets[0]!.plan.diff).toContain('-  ge-0/0/1 {');
      const done = await lab.service.approve(rb.id, BOB, { selfApproval: false });
      expect(done.state).toBe('committed');
      expect(r1.runningConfig()).toBe(before);
      expect(r1.commitHistory()[0]!.comment).toBe(`clab-bot #${rb.id} by alice approved by bob: rollback of #${planned.id}`);
      const audit = await lab.audit.query({ limit: 1 });
      expect([audit[0]!.event, audit[0]!.outcome]).toEqual(['rollback', 'ok']);
    });

    it('the requester cannot approve their own change', async () => {
      lab = await simLab(dialect);
      const planned = await propose(lab, ['r1']);
      const history = lab.sims[0]!.commitHistory().length;
      await expect(lab.service.approve(planned.id, ALICE, { selfApproval: false })).rejects.toThrow(SelfApprovalRefusedError);
      expect(lab.sims[0]!.commitHistory().length).toBe(history);
      expect((await lab.service.get(planned.id)).state).toBe('planned');
    });

    it('two approvers at once on real devices: one commit per device', async () => {
      lab = await simLab(dialect);
      const planned = await propose(lab, ['r1', 'r2']);
      const history = lab.sims.map((s) => s.commitHistory().length);
      const results = await Promise.allSettled([
        lab.service.approve(planned.id, BOB, { selfApproval: false }),
        lab.service.approve(planned.id, { id: 'U0CAROL', name: 'carol' }, { selfApproval: false }),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect(lab.sims.map((s) => s.commitHistory().length)).toEqual(history.map((n) => n + 2));
    });

    it('a worker process racing the bot to approve: the device gets one commit', async () => {
      lab = await simLab(dialect);
      const r1 = lab.sims[0]!;
      const planned = await propose(lab, ['r1']);
      const history = r1.commitHistory().length;
      worker = await startWorker({
        db: lab.t.url,
        changeId: planned.id,
        approver: { id: 'U0CAROL', name: 'carol' },
        nodes: [{ lab: 'dc1', name: 'r1', host: r1.host, port: r1.port }],
        driver: 'junos',
      });
      worker.go();
      const [mine, theirs] = await Promise.all([
        lab.service.approve(planned.id, BOB, { selfApproval: false }).then(
          () => true,
          () => false,
        ),
        worker.waitFor(resultOf),
      ]);
      expect([mine, theirs.ok].filter(Boolean)).toHaveLength(1);
      expect(r1.commitHistory().length).toBe(history + 2);
    });
  });
}
