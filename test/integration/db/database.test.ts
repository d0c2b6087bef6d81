import { afterEach, describe, expect, it } from 'vitest';
import { Migrator, sql } from 'kysely';
import { migrations } from '../../../migrations/index.js';
import { AuditLog } from '../../../src/db/audit-log.js';
import { Executions } from '../../../src/db/executions.js';
import { migrateToLatest } from '../../../src/db/migrate.js';
import { openDatabase } from '../../../src/db/connect.js';
import { DIALECTS, dialectAvailable, freshDatabase, type TestDatabase } from '../../helpers/databases.js';

for (const dialect of DIALECTS) {
  describe.runIf(dialectAvailable(dialect))(`database on ${dialect}`, () => {
    let t: TestDatabase | undefined;
    afterEach(async () => {
      await t?.dispose();
      t = undefined;
    });

    it('migrates a fresh database, and a second run on the existing one applies nothing', async () => {
      t = await freshDatabase(dialect);
      expect(await migrateToLatest(t.db)).toContain('0001_audit_and_executions');
      expect(await migrateToLatest(t.db)).toEqual([]);
      // The tables are there and usable.
      const { rows } = await sql<{ n: number }>`select count(*) as n from audit_log`.execute(t.db);
      expect(Number(rows[0]!.n)).toBe(0);
    });

    it('a database that ran a later-numbered migration first still takes the earlier one it lacks', async () => {
      // As after running a newer build or branch: every migration but one earlier one is applied.
      t = await freshDatabase(dialect);
      const names = Object.keys(migrations);
      const skipped = names.at(-2)!;
      const partial = Object.fromEntries(Object.entries(migrations).filter(([name]) => name !== skipped));
      const first = await new Migrator({ db: t.db, provider: { getMigrations: async () => partial } }).migrateToLatest();
      expect(first.error).toBeUndefined();
      expect(await migrateToLatest(t.db)).toEqual([skipped]);
      expect(await migrateToLatest(t.db)).toEqual([]);
    });

    it('keeps data across a reopen (an existing database is migrated in place)', async () => {
      t = await freshDatabase(dialect);
      await migrateToLatest(t.db);
      await new AuditLog(t.db).append({ requestId: 'r1', actor: 'U1', event: 'request', outcome: 'ok', targets: ['dc1/r1'] });
      const again = await openDatabase(t.url);
      try {
        expect(await migrateToLatest(again.db)).toEqual([]);
        const rows = await new AuditLog(again.db).query();
        expect(rows.map((r) => r.requestId)).toEqual(['r1']);
      } finally {
        await again.close();
      }
    });

    it('audit log: newest first, filters by actor and exact target, redacts secrets', async () => {
      t = await freshDatabase(dialect);
      await migrateToLatest(t.db);
      const audit = new AuditLog(t.db);
      await audit.append({ requestId: 'a', actor: 'U1', event: 'request', verb: 'exec', command: 'exec r1 show version', targets: ['dc1/r1'], outcome: 'ok' });
      await audit.append({ requestId: 'b', actor: 'U2', event: 'request', verb: 'exec', command: 'exec r10 show version', targets: ['dc1/r10'], outcome: 'denied', detail: { reason: 'no role' } });
      await audit.append({
        requestId: 'c',
        actor: 'U1',
        event: 'plan',
        verb: 'config',
        command: 'config r1 --file x.conf',
        targets: ['dc1/r1'],
        outcome: 'ok',
        detail: { diff: '+ authentication-key "s3cr3t-key";' },
      });
      const mine = await audit.query({ actor: 'U1' });
      expect(mine.map((r) => r.requestId)).toEqual(['c', 'a']);
      const r1 = await audit.query({ targets: ['dc1/r1'] });
      expect(r1.map((r) => r.requestId)).toEqual(['c', 'a']);
      expect(JSON.stringify(await audit.query())).not.toContain('s3cr3t-key');
      expect((await audit.query({ limit: 1 })).length).toBe(1);
    });

    it('executions are recorded per node and read back per request', async () => {
      t = await freshDatabase(dialect);
      await migrateToLatest(t.db);
      const ex = new Executions(t.db);
      const startedAt = new Date('2026-01-01T00:00:00Z');
      await ex.recordMany([
        { requestId: 'q', lab: 'dc1', name: 'r1', command: 'show version', ok: true, errorCode: undefined, durationMs: 12.4, outputBytes: 300, startedAt },
        { requestId: 'q', lab: 'dc1', name: 'r2', command: 'show version', ok: false, errorCode: 'timeout', durationMs: 30000, outputBytes: 0, startedAt },
      ]);
      const rows = await ex.forRequest('q');
      expect(rows.map((r) => [r.name, r.ok, r.errorCode, r.durationMs])).toEqual([
        ['r1', true, undefined, 12],
        ['r2', false, 'timeout', 30000],
      ]);
    });
  });
}

describe.runIf(dialectAvailable('postgres'))('postgres connection loss', () => {
  it('a connection the server closes does not crash the process; the next query reconnects', async () => {
    const { freshDatabase: fresh } = await import('../../helpers/databases.js');
    const t = await fresh('postgres');
    const errors: Error[] = [];
    const again = await openDatabase(t.url, { onError: (e) => errors.push(e) });
    try {
      await migrateToLatest(again.db);
      const name = new URL(t.url).pathname.slice(1);
      const { default: pg } = await import('pg');
      const admin = new pg.Client({ connectionString: process.env.CLAB_BOT_TEST_PG });
      await admin.connect();
      await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [name]);
      await admin.end();
      for (let i = 0; i < 100 && errors.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(errors.length).toBeGreaterThan(0);
      await new AuditLog(again.db).append({ requestId: 'after', actor: 'U1', event: 'request', outcome: 'ok' });
      expect((await new AuditLog(again.db).query()).map((r) => r.requestId)).toEqual(['after']);
    } finally {
      await again.close();
      await t.dispose();
    }
  });
});
