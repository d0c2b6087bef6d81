import { sql } from 'kysely';
import { hostname } from 'node:os';
import type { DatabaseHandle } from './connect.js';

/**
 * Background duties that several `serve` replicas on one PostgreSQL database must not all do:
 * the expiry sweep, crash recovery and the scheduled jobs. On PostgreSQL each runs under a
 * session advisory lock (pg_try_advisory_lock on one pooled connection, released when the work
 * ends or with the connection if the process dies), so while one replica runs it the others skip
 * it. A scheduled job also records its cron tick (table scheduled_runs), so a replica whose timer
 * fires a moment after the first one finished does not run the same tick again. SQLite has one
 * serving process (the serve lock), so there the work just runs.
 */
export interface Exclusive {
  /** Runs `work` unless another process runs `name` now; false when it was skipped. */
  run(name: string, work: () => Promise<void>): Promise<boolean>;
  /** Runs job `name` for the cron tick `tick` unless another process runs it now or already ran that tick. */
  runTick(name: string, tick: Date, work: () => Promise<void>): Promise<boolean>;
}

/** Ticks older than this are forgotten when a new one is recorded. */
const KEEP_TICKS_MS = 30 * 24 * 3_600_000;

export function exclusiveFor(database: DatabaseHandle): Exclusive {
  if (database.dialect !== 'postgres') {
    return {
      run: async (_name, work) => {
        await work();
        return true;
      },
      runTick: async (_name, _tick, work) => {
        await work();
        return true;
      },
    };
  }
  const db = database.db;
  const runner = `${hostname()}:${process.pid}`;
  const locked = (name: string, work: () => Promise<boolean>): Promise<boolean> =>
    db.connection().execute(async (conn) => {
      // hashtext: the lock's key is a number; the prefix keeps clab-bot's keys apart from other users of the database.
      const key = `clab-bot:${name}`;
      const { rows } = await sql<{ ok: boolean }>`select pg_try_advisory_lock(hashtext(${key})) as ok`.execute(conn);
      if (rows[0]?.ok !== true) return false;
      try {
        return await work();
      } finally {
        await sql`select pg_advisory_unlock(hashtext(${key}))`.execute(conn);
      }
    });
  return {
    run: (name, work) =>
      locked(name, async () => {
        await work();
        return true;
      }),
    runTick: (name, tick, work) =>
      locked(name, async () => {
        const at = new Date();
        const inserted = await db
          .insertInto('scheduled_runs')
          .values({ job: name, tick: tick.toISOString(), runner, at: at.toISOString() })
          .onConflict((oc) => oc.columns(['job', 'tick']).doNothing())
          .returning('job')
          .executeTakeFirst();
        if (inserted === undefined) return false;
        await db
          .deleteFrom('scheduled_runs')
          .where('job', '=', name)
          .where('tick', '<', new Date(at.getTime() - KEEP_TICKS_MS).toISOString())
          .execute();
        await work();
        return true;
      }),
  };
}
