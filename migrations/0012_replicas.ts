import type { Kysely } from 'kysely';

/**
 * Several `serve` replicas on one database. `scheduled_runs`: one row per scheduled job and tick
 * (its cron time), written by the replica that runs it, so a backup or drift check due at 02:00 runs
 * once however many replicas fire at 02:00. `change_requests.decision_ts`: the message holding a
 * proposal's Approve/Reject buttons, so whichever replica sees the change move updates it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('scheduled_runs')
    .addColumn('job', 'text', (c) => c.notNull())
    /** ISO-8601 UTC of the cron tick. */
    .addColumn('tick', 'text', (c) => c.notNull())
    /** host:pid of the replica that ran it. */
    .addColumn('runner', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('scheduled_runs_pk', ['job', 'tick'])
    .execute();
  await db.schema.alterTable('change_requests').addColumn('decision_ts', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('change_requests').dropColumn('decision_ts').execute();
  await db.schema.dropTable('scheduled_runs').execute();
}
