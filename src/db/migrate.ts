import { Migrator, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely';
import { sql, type Kysely } from 'kysely';
import { ClabBotError } from '../errors.js';
import { migrations } from '../../migrations/index.js';

/** The migrations in migrations/, compiled in: no directory scan, so the built image and tsx behave alike. */
class StaticMigrationProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    return migrations;
  }
}

export class MigrationError extends ClabBotError {
  constructor(name: string, cause: unknown) {
    super('migration', `database migration ${name} failed: ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause,
      hint: 'check CLAB_BOT_DB points at a database clab-bot owns, then run `clab-bot migrate`',
    });
  }
}

/** Network errors on the way to the server: retrying may help, unlike a refused login or a bad schema. */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

/** The database server did not answer: a run-time failure (exit 1, like a node that is down). */
export class DatabaseUnreachableError extends ClabBotError {
  constructor(cause: unknown) {
    super('database_unreachable', `cannot reach the database: ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause,
      hint: 'check that the database server is running and reachable from here, then try again',
    });
  }
}

function unreachable(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && UNREACHABLE.has(code)) return true;
  // pg reports a server it could not reach as an AggregateError of one attempt per address.
  return err instanceof AggregateError && err.errors.some(unreachable);
}

/** Brings the schema to the latest version. Returns the names applied now (empty when up to date). */
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  if (await atLatest(db)) return [];
  // Unordered: a database that already ran a later-numbered migration (from a newer build or a
  // branch) still takes the earlier ones it lacks; each migration touches its own columns/tables.
  const migrator = new Migrator({ db, provider: new StaticMigrationProvider(), allowUnorderedMigrations: true });
  const result: MigrationResultSet = await migrator.migrateToLatest();
  const failed = result.results?.find((r) => r.status === 'Error');
  if (result.error !== undefined && unreachable(result.error)) throw new DatabaseUnreachableError(result.error);
  if (result.error || failed) throw new MigrationError(failed?.migrationName ?? 'unknown', result.error ?? 'see log');
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/**
 * Whether the database holds exactly the migrations this build knows: one query, where the
 * migrator checks tables and takes its lock on every start (a one-shot verb pays that each run).
 * Anything else (no table yet, other names, an error) goes through the migrator, which explains it.
 */
async function atLatest(db: Kysely<any>): Promise<boolean> {
  try {
    const { rows } = await sql<{ name: string }>`select name from kysely_migration`.execute(db);
    const known = Object.keys(migrations);
    const applied = new Set(rows.map((r) => r.name));
    return applied.size === known.length && known.every((name) => applied.has(name));
  } catch {
    return false;
  }
}
