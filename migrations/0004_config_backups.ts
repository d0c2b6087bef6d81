import type { Kysely } from 'kysely';
import { idColumn } from './dialect.js';

/**
 * Saved running configurations (`backup`): one row per version per node, redacted text only.
 * (lab, node, version) is unique, so two processes backing up one node at once cannot both
 * write version N: the second insert fails and is retried by the repository.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const [idType, id] = idColumn(db);
  await db.schema
    .createTable('config_backups')
    .addColumn('id', idType, id)
    .addColumn('lab', 'text', (c) => c.notNull())
    .addColumn('node', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('bytes', 'integer', (c) => c.notNull())
    .addColumn('taken_at', 'text', (c) => c.notNull())
    .addColumn('taken_by', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addUniqueConstraint('config_backups_node_version', ['lab', 'node', 'version'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('config_backups').execute();
}
