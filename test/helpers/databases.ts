import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type DatabaseHandle, type DialectName } from '../../src/db/connect.js';

/**
 * The database tests run once per dialect (kysely's DIALECTS pattern). Postgres comes from
 * CLAB_BOT_TEST_PG (set by .ci/run, which starts a real server). In CI a missing Postgres is a
 * failure, not a skip; elsewhere the Postgres variant is skipped with a visible notice.
 */
export const PG_URL = process.env.CLAB_BOT_TEST_PG;
export const DIALECTS: readonly DialectName[] = ['sqlite', 'postgres'];

export function dialectAvailable(d: DialectName): boolean {
  if (d === 'sqlite' || PG_URL) return true;
  if (process.env.CI) throw new Error('CI must run the Postgres tests: CLAB_BOT_TEST_PG is not set (see .ci/run)');
  console.warn('NOTICE: CLAB_BOT_TEST_PG is not set: the Postgres variants of the database tests are skipped here');
  return false;
}

export interface TestDatabase extends DatabaseHandle {
  /** The URL another process can open (sqlite:PATH or postgres://…). */
  readonly url: string;
  dispose(): Promise<void>;
}

/** A fresh, empty database: a new SQLite file, or a new Postgres database dropped on dispose. */
export async function freshDatabase(dialect: DialectName): Promise<TestDatabase> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'clab-bot-db-'));
    const url = `sqlite:${join(dir, 'test.db')}`;
    const h = await openDatabase(url);
    return { ...h, url, dispose: async () => { await h.close(); rmSync(dir, { recursive: true, force: true }); } };
  }
  const { default: pg } = await import('pg');
  const name = `clabbot_t_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = PG_URL!.replace(/\/[^/?]+(\?|$)/, `/${name}$1`);
  const h = await openDatabase(url);
  return {
    ...h,
    url,
    dispose: async () => {
      await h.close();
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      try {
        // pg's Pool.end() resolves before its sockets close; dropping WITH (FORCE) while they close
        // makes the server kill a closing session, which surfaces as an unhandled 57P01. Wait (≤ 5 s).
        for (let i = 0; i < 100; i++) {
          await c.query('select pg_stat_clear_snapshot()');
          const { rows } = await c.query<{ n: string }>('select count(*) as n from pg_stat_activity where datname = $1', [name]);
          if (Number(rows[0]?.n) === 0) break;
          await new Promise((r) => setTimeout(r, 50));
        }
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
