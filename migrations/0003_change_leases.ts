import type { Kysely } from 'kysely';

/**
 * An owner lease on a change while it is applied: which process applies it (owner_id) and until
 * when that process vouches for it (lease_expires_at, renewed by its heartbeat). Recovery touches
 * only an `applying` change whose lease ran out: its process is gone, not merely slow.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('change_requests').addColumn('owner_id', 'text').execute();
  await db.schema.alterTable('change_requests').addColumn('lease_expires_at', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('change_requests').dropColumn('lease_expires_at').execute();
  await db.schema.alterTable('change_requests').dropColumn('owner_id').execute();
}
