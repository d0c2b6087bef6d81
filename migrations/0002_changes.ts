import type { Kysely } from 'kysely';
import { idColumn } from './dialect.js';

/** Change requests (approval-gated config changes): requests, per-node plans, approvals, events, node locks. */
export async function up(db: Kysely<any>): Promise<void> {
  const [idType, id] = idColumn(db);
  await db.schema
    .createTable('change_requests')
    .addColumn('id', idType, id)
    .addColumn('request_id', 'text', (c) => c.notNull())
    .addColumn('requester_id', 'text', (c) => c.notNull())
    .addColumn('requester_name', 'text')
    .addColumn('channel', 'text')
    .addColumn('thread_ts', 'text')
    .addColumn('root_ts', 'text')
    .addColumn('targets', 'text', (c) => c.notNull())
    .addColumn('source_type', 'text', (c) => c.notNull())
    .addColumn('source_content', 'text')
    .addColumn('source_format', 'text')
    .addColumn('source_sha256', 'text')
    .addColumn('source_path', 'text')
    .addColumn('rollback_index', 'integer')
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('confirm_minutes', 'integer', (c) => c.notNull())
    .addColumn('check_command', 'text')
    .addColumn('comment', 'text')
    .addColumn('required_approvals', 'integer', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('rollback_of', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('change_requests_state').on('change_requests').columns(['state', 'expires_at']).execute();
  await db.schema.createIndex('change_requests_requester').on('change_requests').columns(['requester_id', 'id']).execute();

  const [idType2, id2] = idColumn(db);
  await db.schema
    .createTable('change_nodes')
    .addColumn('id', idType2, id2)
    .addColumn('change_id', 'integer', (c) => c.notNull().references('change_requests.id').onDelete('cascade'))
    .addColumn('lab', 'text', (c) => c.notNull())
    .addColumn('node', 'text', (c) => c.notNull())
    .addColumn('plan_status', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('diff', 'text')
    .addColumn('diff_hash', 'text')
    .addColumn('base', 'text')
    .addColumn('check_ok', 'integer')
    .addColumn('check_warnings', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('check_errors', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('plan_error', 'text')
    .addColumn('before_config', 'text')
    .addColumn('apply_status', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('commit_id', 'text')
    .addColumn('commits', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('apply_error', 'text')
    .addColumn('planned_at', 'text')
    .addColumn('applied_at', 'text')
    .addUniqueConstraint('change_nodes_change_node', ['change_id', 'lab', 'node'])
    .execute();

  const [idType3, id3] = idColumn(db);
  await db.schema
    .createTable('change_approvals')
    .addColumn('id', idType3, id3)
    .addColumn('change_id', 'integer', (c) => c.notNull().references('change_requests.id').onDelete('cascade'))
    .addColumn('approver_id', 'text', (c) => c.notNull())
    .addColumn('approver_name', 'text')
    .addColumn('at', 'text', (c) => c.notNull())
    .addUniqueConstraint('change_approvals_change_approver', ['change_id', 'approver_id'])
    .execute();

  const [idType4, id4] = idColumn(db);
  await db.schema
    .createTable('change_events')
    .addColumn('id', idType4, id4)
    .addColumn('change_id', 'integer', (c) => c.notNull().references('change_requests.id').onDelete('cascade'))
    .addColumn('from_state', 'text')
    .addColumn('to_state', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .addColumn('actor_name', 'text')
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('detail', 'text')
    .execute();
  await db.schema.createIndex('change_events_change').on('change_events').columns(['change_id', 'id']).execute();

  await db.schema
    .createTable('change_locks')
    .addColumn('lock_key', 'text', (c) => c.primaryKey())
    .addColumn('change_id', 'integer', (c) => c.notNull().references('change_requests.id').onDelete('cascade'))
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('change_locks_change').on('change_locks').column('change_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('change_locks').execute();
  await db.schema.dropTable('change_events').execute();
  await db.schema.dropTable('change_approvals').execute();
  await db.schema.dropTable('change_nodes').execute();
  await db.schema.dropTable('change_requests').execute();
}
