import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { DatabaseError } from './connect.js';

/**
 * One serving process per SQLite file. Two `serve` on one file would both sweep and recover the
 * same changes and both answer Slack; SQLite cannot share that work (PostgreSQL with Redis can).
 * The lock is an exclusive SQLite lock on a small file next to the database, held open for the
 * process's life: the kernel drops it when the process ends in any way (kill -9 included), so it
 * never goes stale. Who holds it is written next to it, for the refusal's message.
 */
export interface ServeLock {
  release(): void;
}

export const SQLITE_ONE_SERVER_HINT =
  'SQLite allows one serving process: stop the other one, or give each its own CLAB_BOT_DB file; ' +
  'to run several replicas use PostgreSQL (CLAB_BOT_DB=postgres://...) with CLAB_BOT_REDIS=redis://...';

export const POSTGRES_ONE_SERVER_HINT =
  'several serve replicas on one PostgreSQL database share their Slack state through Redis: set CLAB_BOT_REDIS=redis://... on every replica, ' +
  'or stop the other one';

/**
 * The serve lock for `dbUrl`: SQLite allows one serving process per file; PostgreSQL without Redis
 * one per database (replicas would neither see each other's handled Slack actions nor their Cancel
 * presses); PostgreSQL with Redis any number (undefined: no lock).
 */
export async function acquireServeLock(dbUrl: string, redisUrl: string | undefined): Promise<ServeLock | undefined> {
  if (dbUrl.startsWith('sqlite:')) return acquireSqliteServeLock(dbUrl);
  if (redisUrl === undefined && /^postgres(ql)?:\/\//.test(dbUrl)) return acquirePostgresServeLock(dbUrl);
  return undefined;
}

/**
 * PostgreSQL without Redis: a session advisory lock on a connection of its own, held for the
 * process's life (the server drops it when the process ends in any way). The connection's
 * application_name says who holds it, for the refusal's message.
 */
async function acquirePostgresServeLock(dbUrl: string): Promise<ServeLock> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: dbUrl, application_name: `clab-bot serve, pid ${process.pid} on ${hostname()}` });
  // A dropped connection surfaces here instead of killing the process; the lock goes with it.
  client.on('error', () => undefined);
  const describe = dbUrl.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
  try {
    await client.connect();
    const taken = await client.query<{ ok: boolean }>(`select pg_try_advisory_lock(hashtext('clab-bot:serve-without-redis')) as ok`);
    if (taken.rows[0]?.ok !== true) {
      const holder = await client.query<{ name: string }>(
        `select a.application_name as name from pg_locks l join pg_stat_activity a on a.pid = l.pid
          where l.locktype = 'advisory' and l.granted and a.application_name like 'clab-bot serve,%' and a.datname = current_database()`,
      );
      throw new DatabaseError(describe, `another process already serves this database without Redis (${holder.rows[0]?.name || 'another clab-bot'})`, POSTGRES_ONE_SERVER_HINT);
    }
  } catch (err) {
    await client.end().catch(() => undefined);
    if (err instanceof DatabaseError) throw err;
    throw new DatabaseError(describe, `cannot take the serve lock: ${(err as Error).message}`, 'check CLAB_BOT_DB and that PostgreSQL is up', err);
  }
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      void client.end().catch(() => undefined);
    },
  };
}

export async function acquireSqliteServeLock(dbUrl: string, what = 'clab-bot serve'): Promise<ServeLock | undefined> {
  if (!dbUrl.startsWith('sqlite:')) return undefined;
  const path = dbUrl.slice('sqlite:'.length);
  if (path === ':memory:' || path === '') return undefined;
  const lockFile = `${path}.serve-lock`;
  const ownerFile = `${lockFile}.owner`;
  const { default: SQLite } = await import('better-sqlite3');
  let lock: InstanceType<typeof SQLite> | undefined;
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    lock = new SQLite(lockFile, { timeout: 0 });
    lock.pragma('locking_mode = EXCLUSIVE');
    lock.exec('BEGIN EXCLUSIVE');
  } catch (err) {
    lock?.close();
    if ((err as { code?: string }).code === 'SQLITE_BUSY') {
      const owner = readOwner(ownerFile);
      const who = owner ? `${owner.what}, pid ${owner.pid} on ${owner.host}` : 'another clab-bot';
      throw new DatabaseError(path, `another process already serves this SQLite file (${who}; lock ${lockFile})`, SQLITE_ONE_SERVER_HINT);
    }
    throw new DatabaseError(path, `cannot lock ${lockFile}: ${(err as Error).message}`, 'make the directory writable for this user', err);
  }
  writeFileSync(ownerFile, JSON.stringify({ host: hostname(), pid: process.pid, what }), { mode: 0o600 });
  const held = lock;
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      rmSync(ownerFile, { force: true });
      held.close();
    },
  };
}

function readOwner(file: string): { host: string; pid: number; what: string } | undefined {
  try {
    const o = JSON.parse(readFileSync(file, 'utf8')) as { host?: unknown; pid?: unknown; what?: unknown };
    return typeof o.pid === 'number' && typeof o.host === 'string' ? { host: o.host, pid: o.pid, what: String(o.what ?? 'clab-bot') } : undefined;
  } catch {
    return undefined;
  }
}
