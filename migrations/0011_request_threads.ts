import type { Kysely } from 'kysely';

/**
 * Where each chat request was answered: the root message of its thread (channel and ts), so a
 * user's App Home can link to their last requests. The request text is stored redacted. Also an
 * index for "the last exec on each node", which the App Home's reachability reads.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('request_threads')
    .addColumn('request_id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('ts', 'text', (c) => c.notNull())
    /** The request as typed (formatRequest), redacted. */
    .addColumn('what', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('request_threads_user_at').on('request_threads').columns(['user_id', 'at']).execute();
  await db.schema.createIndex('executions_node').on('executions').columns(['lab', 'node', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('executions_node').execute();
  await db.schema.dropTable('request_threads').execute();
}
