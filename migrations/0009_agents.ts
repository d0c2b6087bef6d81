import type { Kysely } from 'kysely';

/**
 * Agents (`clab-bot agent`, one per containerlab host) and the inventory each one serves. An
 * agent's row is renewed by its heartbeat; its nodes are replaced as a whole when its labs change.
 * heartbeat_ms is the database server's clock (epoch ms), so ages compare across hosts whose
 * clocks differ. No credentials are stored: they stay on the agent's host.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('agents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('host', 'text', (c) => c.notNull())
    .addColumn('pid', 'integer', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('heartbeat_ms', 'bigint', (c) => c.notNull())
    /** Set when the agent stopped cleanly (its nodes are gone, not lost). */
    .addColumn('stopped', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createTable('agent_nodes')
    .addColumn('agent_id', 'text', (c) => c.notNull().references('agents.id').onDelete('cascade'))
    .addColumn('lab', 'text', (c) => c.notNull())
    .addColumn('node', 'text', (c) => c.notNull())
    .addColumn('long_name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('vendor', 'text', (c) => c.notNull())
    .addColumn('driver', 'text', (c) => c.notNull())
    .addColumn('mgmt_ipv4', 'text')
    .addColumn('mgmt_ipv6', 'text')
    /** JSON object of containerlab labels. */
    .addColumn('labels', 'text', (c) => c.notNull())
    .addColumn('node_group', 'text')
    .addColumn('image', 'text')
    .addPrimaryKeyConstraint('agent_nodes_pk', ['agent_id', 'lab', 'node'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('agent_nodes').execute();
  await db.schema.dropTable('agents').execute();
}
