import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { IllegalTransitionError } from '../../../src/ops/changes/index.js';
import { DIALECTS, dialectAvailable } from '../../helpers/databases.js';
import { ALICE, BOB, CAROL, DESCRIPTION, harness, SECRET_LINE, type Harness } from './harness.js';
import { resultOf, startWorker, type Worker } from './worker-process.js';

/** Commits any process made, from the shared journal file. */
function journal(path: string): { device: string; pid: number; comment: string }[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as { device: string; pid: number; comment: string });
}

/**
 * Takes the database's write lock from a connection of its own (SQLite: BEGIN IMMEDIATE; Postgres:
 * an EXCLUSIVE table lock, which still lets plain reads through). `bothWaiting` resolves once both
 * workers queue on it: Postgres shows them in pg_stat_activity; SQLite waiters are invisible there,
 * so each worker announces its first write (it has read the change and blocks on that write next).
 */
async function holdWriteLock(h: Harness): Promise<{ bothWaiting(workers: readonly Worker[]): Promise<void>; release(): Promise<void> }> {
  if (h.t.dialect === 'sqlite') {
    const { default: SQLite } = await import('better-sqlite3');
    const conn = new SQLite(h.t.url.slice('sqlite:'.length));
    conn.exec('BEGIN IMMEDIATE');
    return {
      bothWaiting: async (workers) => {
        await Promise.all(workers.map((w) => w.waitFor((m) => (m['writing'] === true ? true : undefined), 20_000)));
      },
      release: async () => {
        conn.exec('ROLLBACK');
        conn.close();
      },
    };
  }
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: h.t.url });
  await client.connect();
  await client.query('BEGIN');
  await client.query('LOCK TABLE change_requests IN EXCLUSIVE MODE');
  return {
    bothWaiting: async () => {
      const until = Date.now() + 20_000;
      for (;;) {
        // Inside a transaction pg_stat_activity is a snapshot taken at first use: refresh it each time.
        await client.query('select pg_stat_clear_snapshot()');
        const { rows } = await client.query<{ n: string }>(
          "select count(*) as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'",
        );
        if (Number(rows[0]?.n) >= 2) return;
        if (Date.now() > until) throw new Error('the two workers never queued on the lock');
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    release: async () => {
      await client.query('ROLLBACK');
      await client.end();
    },
  };
}

for (const dialect of DIALECTS) {
  describe.runIf(dialectAvailable(dialect))(`two bot processes on one ${dialect} database`, () => {
    let h: Harness | undefined;
    let worker: Worker | undefined;
    let second: Worker | undefined;
    let dir: string | undefined;
    afterEach(async () => {
      await worker?.kill();
      await second?.kill();
      second = undefined;
      await h?.dispose();
      if (dir) rmSync(dir, { recursive: true, force: true });
      worker = h = dir = undefined;
    });

    const workerArgs = (x: Harness, changeId: number, extra: Record<string, unknown>) => ({
      db: x.t.url,
      changeId,
      approver: CAROL,
      nodes: x.nodes.map((n) => ({ lab: n.lab, name: n.name, host: n.host, port: n.port, password: n.credentials.password })),
      driver: 'scripted',
      lines: ['set system host-name r1', SECRET_LINE],
      ...extra,
    });

    it('two processes approving at the same moment (both past the state check, both waiting on the database): one applies', async () => {
      h = await harness(dialect);
      dir = mkdtempSync(join(tmpdir(), 'clab-bot-race-'));
      const log = join(dir, 'commits.jsonl');
      const planned = await h.service.propose({
        requestId: 'race',
        requester: ALICE,
        targets: [h.node('r1')],
        source: { type: 'text', content: DESCRIPTION },
        method: 'set',
        requiredApprovals: 1,
      });
      const args = workerArgs(h, planned.id, { journal: log, lines: h.devices.get('r1')!.lines });
      worker = await startWorker({ ...args, approver: BOB });
      second = await startWorker({ ...args, approver: CAROL });
      // Hold the database's write lock so both workers read the change as planned and then queue on their first write.
      const blocker = await holdWriteLock(h);
      try {
        worker.go();
        second.go();
        await blocker.bothWaiting([worker, second]);
      } finally {
        await blocker.release();
      }
      const results = await Promise.all([worker.waitFor(resultOf), second.waitFor(resultOf)]);
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(results.find((r) => !r.ok)?.code).toBe('illegal_transition');
      expect(journal(log).map((c) => c.comment)).toEqual([`clab-bot #${planned.id} by alice approved by ${results[0]!.ok ? 'bob' : 'carol'}`]);
      const final = await h.service.get(planned.id);
      expect(final.state).toBe('committed');
      expect(final.approvals).toHaveLength(1);
    });

    it('the bot and a second process racing to approve: at most one applies', async () => {
      h = await harness(dialect);
      dir = mkdtempSync(join(tmpdir(), 'clab-bot-race-'));
      const log = join(dir, 'commits.jsonl');
      h.devices.get('r1')!.journal = log;
      const planned = await h.service.propose({
        requestId: 'race-bot',
        requester: ALICE,
        targets: [h.node('r1')],
        source: { type: 'text', content: DESCRIPTION },
        method: 'set',
        requiredApprovals: 1,
      });
      // The child's device starts from the same configuration the plan was made on.
      worker = await startWorker(workerArgs(h, planned.id, { journal: log, lines: h.devices.get('r1')!.lines }));
      worker.go();
      const [mine, theirs] = await Promise.all([
        h.service.approve(planned.id, BOB, { selfApproval: false }).then(
          (v) => ({ ok: true as const, state: v.state }),
          (e: unknown) => ({ ok: false as const, error: e }),
        ),
        worker.waitFor(resultOf),
      ]);
      expect([mine.ok, theirs.ok].filter(Boolean)).toHaveLength(1);
      if (!mine.ok) expect(mine.error).toBeInstanceOf(IllegalTransitionError);
      if (!theirs.ok) expect(theirs.code).toBe('illegal_transition');
      expect(journal(log)).toHaveLength(1);
      expect((await h.service.get(planned.id)).state).toBe('committed');
    });

    it('a process killed mid-apply: the next start recovers the change as unknown and frees its nodes', async () => {
      h = await harness(dialect);
      dir = mkdtempSync(join(tmpdir(), 'clab-bot-crash-'));
      const log = join(dir, 'commits.jsonl');
      const planned = await h.service.propose({
        requestId: 'crash',
        requester: ALICE,
        targets: [h.node('r1')],
        source: { type: 'text', content: DESCRIPTION },
        method: 'set',
        requiredApprovals: 1,
      });
      worker = await startWorker(workerArgs(h, planned.id, { journal: log, holdBeforeCommitMs: 60_000 }));
      worker.go();
      await worker.waitFor((m) => (m['transition'] === 'applying' ? true : undefined));
      await worker.kill();
      expect((await h.service.get(planned.id)).state).toBe('applying');

      const restarted = h.replica();
      const recovered = await restarted.sweeper.recoverAfterCrash();
      expect(recovered.map((c) => [c.id, c.state])).toEqual([[planned.id, 'unknown']]);
      expect(recovered[0]!.targets[0]!.apply.status).toBe('unknown');
      // The worker's lease was live when it died; its process being gone is what frees the change at once.
      // The scripted driver cannot read a commit history: the user is told where to look.
      expect(recovered[0]!.reason).toMatch(/^the clab-bot process applying this change stopped mid-commit \(\S+:\d+:\w+\): run `show system commit` on dc1\/r1 to see whether it was committed; once the outcome is known an admin records it with `change \d+ resolve --committed` or `--not-committed`; its nodes are free for a new change$/);
      expect(journal(log)).toEqual([]);
      expect(await restarted.sweeper.recoverAfterCrash()).toEqual([]);
      const next = await restarted.propose({
        requestId: 'after',
        requester: BOB,
        targets: [h.node('r1')],
        source: { type: 'text', content: DESCRIPTION },
        method: 'set',
        requiredApprovals: 1,
      });
      expect(next.state).toBe('planned');
    });
  });
}
