import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { ClabBotError, SettingsError } from '../errors.js';
import type { Database } from './schema.js';

export type DialectName = 'sqlite' | 'postgres';

export interface DatabaseHandle {
  readonly db: Kysely<Database>;
  readonly dialect: DialectName;
  /** Where, with any password masked: safe for logs. */
  readonly describe: string;
  close(): Promise<void>;
}

/**
 * The database cannot be opened or written: which file, why, and what to do. A setup problem of
 * the host, like a bad setting, so the terminal exits 2 for it.
 */
export class DatabaseError extends ClabBotError {
  readonly path: string;
  constructor(path: string, reason: string, hint: string, cause?: unknown) {
    super('database', `cannot use the database ${path}: ${reason}`, { hint, ...(cause === undefined ? {} : { cause }) });
    this.path = path;
  }
}

const MOVE_IT = 'point CLAB_BOT_DB (or --db, or db: in clab-bot.yaml) at another file';

/** An error from opening or first writing a SQLite file, as something the operator can act on. */
export function sqliteOpenError(path: string, err: unknown): DatabaseError {
  const code = (err as { code?: string } | undefined)?.code ?? '';
  const message = err instanceof Error ? err.message : String(err);
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
    return new DatabaseError(path, 'the file is not a SQLite database', `${MOVE_IT}, or move this file away and run again to start a new one`, err);
  }
  if (code === 'SQLITE_READONLY' || code === 'SQLITE_CANTOPEN' || code === 'EACCES' || code === 'EROFS' || code === 'EPERM') {
    return new DatabaseError(
      path,
      code === 'SQLITE_READONLY' ? 'it is read-only' : `it cannot be created or opened (${message})`,
      `clab-bot writes its audit log and changes there: make the file and its directory writable for this user, or ${MOVE_IT}`,
      err,
    );
  }
  if (code === 'ENOTDIR' || code === 'EEXIST') return new DatabaseError(path, `part of the path is not a directory (${message})`, MOVE_IT, err);
  return new DatabaseError(path, message, MOVE_IT, err);
}

/** Opens the database named by CLAB_BOT_DB: `sqlite:PATH` (default) or `postgres://…`. */
export async function openDatabase(url: string, opts: { onError?: (err: Error) => void } = {}): Promise<DatabaseHandle> {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length);
    if (!path) throw new SettingsError('CLAB_BOT_DB', 'sqlite: needs a file path, e.g. sqlite:./clab-bot.db');
    const { default: SQLite } = await import('better-sqlite3');
    let sqlite: InstanceType<typeof SQLite> | undefined;
    try {
      if (path !== ':memory:') privateDatabaseFile(path);
      sqlite = new SQLite(path);
      // busy_timeout first: the probe below waits for a writer in another process instead of failing.
      sqlite.pragma('busy_timeout = 5000');
      // WAL lets a second process (a CLI next to the bot) read while the bot writes; busy_timeout
      // makes concurrent writers wait instead of failing with SQLITE_BUSY.
      sqlite.pragma('journal_mode = WAL');
      sqlite.pragma('foreign_keys = ON');
      // SQLite opens a write-protected file read-only without a word; find out now, not at the first
      // audit row: rewrite the header's user_version with its own value inside a transaction rolled back.
      const version = Number(sqlite.pragma('user_version', { simple: true }));
      sqlite.exec(`BEGIN IMMEDIATE; PRAGMA user_version = ${version}; ROLLBACK`);
    } catch (err) {
      sqlite?.close();
      throw sqliteOpenError(path, err);
    }
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
    return { db, dialect: 'sqlite', describe: `sqlite:${path}`, close: () => db.destroy() };
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    const { default: pg } = await import('pg');
    const pool = new pg.Pool({ connectionString: url, max: 10 });
    // An idle client the server closed (restart, pg_terminate_backend) emits 'error' on the pool;
    // unheard, that kills the process. The pool drops that client and opens a new one when needed.
    pool.on('error', (err) => opts.onError?.(err));
    // A client checked out while the server drops it (a replica's advisory-lock connection, held
    // idle during its sweep) emits 'error' on itself, not the pool; heard here, its query fails instead.
    pool.on('connect', (client) => client.on('error', (err) => opts.onError?.(err)));
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
      // Group and others lose access; the owner's bits stay (a file made read-only stays read-only).
      if (existsSync(file)) chmodSync(file, statSync(file).mode & 0o700);
    } catch {
      // Not ours to change (another owner): the operator's choice stands.
    }
  }
}
