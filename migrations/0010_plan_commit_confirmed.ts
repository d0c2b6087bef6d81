import type { Kysely } from 'kysely';

/**
 * Whether the node's driver could commit confirmed when the change was planned (IOS without a
 * configuration archive and plain Linux hosts cannot): the approval message must not promise a
 * revert timer the device will not run. Null on rows planned before this column: read as "yes",
 * which is what those plans told their approvers.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('change_nodes').addColumn('commit_confirmed', 'integer').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('change_nodes').dropColumn('commit_confirmed').execute();
}
