import type { Kysely } from 'kysely';
import { idColumn } from './dialect.js';

export async function up(db: Kysely<any>): Promise<void> {
  const [idType, id] = idColumn(db);
  await db.schema
    .createTable('audit_log')
    .addColumn('id', idType, id)
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('request_id', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('actor_name', 'text')
    .addColumn('channel', 'text')
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('verb', 'text')
    .addColumn('command', 'text')
    .addColumn('targets', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('detail', 'text')
    .execute();
  await db.schema.createIndex('audit_log_actor_at').on('audit_log').columns(['actor', 'at']).execute();
  await db.schema.createIndex('audit_log_request').on('audit_log').column('request_id').execute();

  const [idType2, id2] = idColumn(db);
  await db.schema
    .createTable('executions')
    .addColumn('id', idType2, id2)
    .addColumn('request_id', 'text', (c) => c.notNull())
    .addColumn('lab', 'text', (c) => c.notNull())
    .addColumn('node', 'text', (c) => c.notNull())
    .addColumn('command', 'text', (c) => c.notNull())
    .addColumn('ok', 'integer', (c) => c.notNull())
    .addColumn('error_code', 'text')
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .addColumn('output_bytes', 'integer', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('executions_request').on('executions').column('request_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('executions').execute();
  await db.schema.dropTable('audit_log').execute();
}
