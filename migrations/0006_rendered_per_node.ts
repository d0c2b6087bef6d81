import type { Kysely } from 'kysely';

/**
 * A change from a template (`config --template`) loads a different text on each node: the node's
 * own rendering is stored with its row, with its sha256, so approval binds to exactly what was
 * rendered and apply loads exactly that (a template edited after the proposal changes nothing).
 * Null for every other source, whose one text stays in change_requests.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('change_nodes').addColumn('source_content', 'text').execute();
  await db.schema.alterTable('change_nodes').addColumn('source_sha256', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('change_nodes').dropColumn('source_sha256').execute();
  await db.schema.alterTable('change_nodes').dropColumn('source_content').execute();
}
