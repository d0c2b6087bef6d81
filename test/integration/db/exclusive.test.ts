import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openDatabase, type DatabaseHandle } from '../../../src/db/connect.js';
import { exclusiveFor, type Exclusive } from '../../../src/db/exclusive.js';
import { migrateToLatest } from '../../../src/db/migrate.js';
import { waitFor } from '../../lab/run.js';
import { dialectAvailable, freshDatabase, type TestDatabase } from '../../helpers/databases.js';

/** A promise the test opens when it chooses: work that stays running until then. */
function gate(): { wait: Promise<void>; open: () => void } {
  let open!: () => void;
  const wait = new Promise<void>((resolve) => (open = resolve));
  return { wait, open };
}

/**
 * Two replicas on one PostgreSQL database, each with its own connection pool (as two `serve`
 * processes have): background work under the same name runs on one of them at a time, and a
 * scheduled job's tick runs once.
 */
describe.runIf(dialectAvailable('postgres'))('background work once across replicas (PostgreSQL advisory locks)', () => {
  let t: TestDatabase;
  let a: DatabaseHandle;
  let b: DatabaseHandle;
  let onA: Exclusive;
  let onB: Exclusive;

  beforeAll(async () => {
    t = await freshDatabase('postgres');
    await migrateToLatest(t.db);
    a = await openDatabase(t.url);
    b = await openDatabase(t.url);
    onA = exclusiveFor(a);
    onB = exclusiveFor(b);
  }, 30_000);

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await t?.dispose();
  });

  it('while replica A runs the sweep, replica B skips it; afterwards B runs it', async () => {
    const running = gate();
    const release = gate();
    const ran: string[] = [];
    const first = onA.run('change-sweep', async () => {
      ran.push('a');
      running.open();
      await release.wait;
    });
    await running.wait;
    expect(await onB.run('change-sweep', async () => void ran.push('b'))).toBe(false);
    // Another duty's lock is its own.
    expect(await onB.run('other-duty', async () => void ran.push('b-other'))).toBe(true);
    release.open();
    expect(await first).toBe(true);
    expect(await onB.run('change-sweep', async () => void ran.push('b'))).toBe(true);
    expect(ran).toEqual(['a', 'b-other', 'b']);
  });

  it('two replicas racing for the same tick of a scheduled job: it runs once, and the next tick runs again', async () => {
    const tick = new Date('2026-12-07T02:00:00.000Z');
    let runs = 0;
    const job = async () => {
      runs += 1;
    };
    const raced = await Promise.all([onA.runTick('schedule:backup', tick, job), onB.runTick('schedule:backup', tick, job)]);
    expect(raced.filter(Boolean)).toHaveLength(1);
    expect(runs).toBe(1);
    // A replica whose timer fired later (the first one is done by then) finds the tick taken.
    expect(await onB.runTick('schedule:backup', tick, job)).toBe(false);
    expect(await onA.runTick('schedule:backup', new Date('2026-12-08T02:00:00.000Z'), job)).toBe(true);
    expect(runs).toBe(2);
    const rows = await sql<{ job: string; tick: string }>`select job, tick from scheduled_runs order by tick`.execute(t.db);
    expect(rows.rows).toEqual([
      { job: 'schedule:backup', tick: '2026-12-07T02:00:00.000Z' },
      { job: 'schedule:backup', tick: '2026-12-08T02:00:00.000Z' },
    ]);
  });

  it('a failed run releases the lock (the error reaches the caller); a replica whose connection dies releases it too', async () => {
    await expect(onA.run('change-sweep', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await onB.run('change-sweep', async () => undefined)).toBe(true);

    // A third "replica" takes the lock and dies (its backend is terminated, as when the process is killed).
    const c = await openDatabase(t.url);
    const holding = gate();
    const after = gate();
    const dead = exclusiveFor(c)
      .run('change-sweep', async () => {
        holding.open();
        await after.wait;
      })
      .catch(() => 'connection lost');
    await holding.wait;
    expect(await onB.run('change-sweep', async () => undefined)).toBe(false);
    await sql`select pg_terminate_backend(pid) from pg_locks where locktype = 'advisory' and granted and pid <> pg_backend_pid() and database = (select oid from pg_database where datname = current_database())`.execute(a.db);
    // The server drops the lock as the terminated backend exits (a moment after the call returns).
    await waitFor(
      'the terminated backend to exit',
      async () => ((await sql<{ n: number }>`select count(*)::int as n from pg_locks where locktype = 'advisory' and database = (select oid from pg_database where datname = current_database())`.execute(a.db)).rows[0]?.n === 0 ? true : undefined),
      { timeoutMs: 5000, intervalMs: 20 },
    );
    expect(await onB.run('change-sweep', async () => undefined)).toBe(true);
    // The dead replica's own unlock then fails on its lost connection.
    after.open();
    expect(await dead).toBe('connection lost');
    await c.close().catch(() => undefined);
  });
});
