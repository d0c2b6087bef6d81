import type { Kysely } from 'kysely';

/**
 * What each node said about itself the last time it was asked (driver facts()): one row per node,
 * kept with the time it was read. A failed read keeps the last good facts and adds the error, so
 * an unreachable node still shows what it was.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('node_facts')
    .addColumn('lab', 'text', (c) => c.notNull())
    .addColumn('node', 'text', (c) => c.notNull())
    .addColumn('hostname', 'text')
    .addColumn('vendor', 'text')
    .addColumn('model', 'text')
    .addColumn('version', 'text')
    .addColumn('serial', 'text')
    .addColumn('uptime_seconds', 'integer')
    /** When the facts above were read (ISO-8601 UTC); null until a read succeeds. */
    .addColumn('read_at', 'text')
    /** The last failed read, when it came after read_at. */
    .addColumn('error_code', 'text')
    .addColumn('error_message', 'text')
    .addColumn('error_at', 'text')
    .addPrimaryKeyConstraint('node_facts_pk', ['lab', 'node'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('node_facts').execute();
}
