import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { SettingsError } from '../errors.js';
import type { Database } from './schema.js';

export type DialectName = 'sqlite' | 'postgres';

export interface DatabaseHandle {
  readonly db: Kysely<Database>;
  readonly dialect: DialectName;
  /** Where, with any password masked: safe for logs. */
  readonly describe: string;
  close(): Promise<void>;
}

/** Opens the database named by CLAB_BOT_DB: `sqlite:PATH` (default) or `postgres://…`. */
export async function openDatabase(url: string, opts: { onError?: (err: Error) => void } = {}): Promise<DatabaseHandle> {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length);
    if (!path) throw new SettingsError('CLAB_BOT_DB', 'sqlite: needs a file path, e.g. sqlite:./clab-bot.db');
    const { default: SQLite } = await import('better-sqlite3');
    if (path !== ':memory:') privateDatabaseFile(path);
    const sqlite = new SQLite(path);
    // WAL lets a second process (a CLI next to the bot) read while the bot writes; busy_timeout
    // makes concurrent writers wait instead of failing with SQLITE_BUSY.
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('foreign_keys = ON');
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
    return { db, dialect: 'sqlite', describe: `sqlite:${path}`, close: () => db.destroy() };
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    const { default: pg } = await import('pg');
    const pool = new pg.Pool({ connectionString: url, max: 10 });
    // An idle client the server closed (restart, pg_terminate_backend) emits 'error' on the pool;
    // unheard, that kills the process. The pool drops that client and opens a new one when needed.
    pool.on('error', (err) => opts.onError?.(err));
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, dialect: 'postgres', describe: url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@'), close: () => db.destroy() };
  }
  throw new SettingsError('CLAB_BOT_DB', 'must be sqlite:PATH or postgres://user:pass@host/db');
}

/**
 * The SQLite file holds open changes' configuration text: readable by the bot's own user only.
 * The file is created 0600 before SQLite opens it (SQLite gives its -wal and -shm files the
 * database file's mode), and an existing file, -wal or -shm is narrowed to 0600. A directory the
 * bot creates for it is 0700.
 */
function privateDatabaseFile(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  if (!existsSync(path)) closeSync(openSync(path, 'a', 0o600));
  for (const file of [path, `${path}-wal`, `${path}-shm`]) {
    try {
      if (existsSync(file)) chmodSync(file, 0o600);
    } catch {
      // Not ours to change (another owner): the operator's choice stands.
    }
  }
}
