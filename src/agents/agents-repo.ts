import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DialectName } from '../db/connect.js';
import type { Database } from '../db/schema.js';
import type { DriverName, LabNode } from '../inventory/types.js';

/** An agent as the fleet sees it: where it runs and how long ago it last spoke. */
export interface AgentRow {
  readonly id: string;
  readonly host: string;
  readonly pid: number;
  readonly startedAt: string;
  /** Age of the last heartbeat, by the database's clock. */
  readonly heartbeatAgeMs: number;
}

/** A node an agent serves: the inventory's own fields, without credentials (they never leave the agent's host). */
export type AgentNodeRow = Pick<LabNode, 'lab' | 'name' | 'longName' | 'kind' | 'vendor' | 'driver' | 'mgmtIpv4' | 'mgmtIpv6' | 'labels' | 'group' | 'image'> & {
  readonly agentId: string;
};

/** The agents and their inventories (migrations/0009_agents.ts). Heartbeats use the database's clock. */
export class AgentsRepo {
  readonly #db: Kysely<Database>;
  readonly #now: RawBuilder<number>;
  constructor(db: Kysely<Database>, dialect: DialectName) {
    this.#db = db;
    this.#now =
      dialect === 'postgres'
        ? sql<number>`(extract(epoch from clock_timestamp()) * 1000)::bigint`
        : sql<number>`cast((julianday('now') - 2440587.5) * 86400000 as integer)`;
  }

  /** Registers (or re-registers) an agent with its nodes; the previous node list is replaced. */
  async register(agent: { readonly id: string; readonly host: string; readonly pid: number }, nodes: readonly LabNode[]): Promise<void> {
    await this.#db.transaction().execute(async (tx) => {
      await tx
        .insertInto('agents')
        .values({ id: agent.id, host: agent.host, pid: agent.pid, started_at: new Date().toISOString(), heartbeat_ms: this.#now, stopped: 0 })
        .onConflict((oc) => oc.column('id').doUpdateSet({ heartbeat_ms: this.#now, stopped: 0, host: agent.host, pid: agent.pid }))
        .execute();
      await tx.deleteFrom('agent_nodes').where('agent_id', '=', agent.id).execute();
      // Chunks keep each insert under the engines' parameter limits (12 columns a row).
      for (let i = 0; i < nodes.length; i += 500) {
        await tx
          .insertInto('agent_nodes')
          .values(
            nodes.slice(i, i + 500).map((n) => ({
              agent_id: agent.id,
              lab: n.lab,
              node: n.name,
              long_name: n.longName,
              kind: n.kind,
              vendor: n.vendor,
              driver: n.driver,
              mgmt_ipv4: n.mgmtIpv4 ?? null,
              mgmt_ipv6: n.mgmtIpv6 ?? null,
              labels: JSON.stringify(n.labels),
              node_group: n.group ?? null,
              image: n.image ?? null,
            })),
          )
          .execute();
      }
    });
  }

  /** Renews the agent's heartbeat; false when its row is gone (then it registers again). */
  async heartbeat(id: string): Promise<boolean> {
    const r = await this.#db.updateTable('agents').set({ heartbeat_ms: this.#now }).where('id', '=', id).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /** A clean stop: the agent and its nodes leave the fleet (they are not "lost"). */
  async deregister(id: string): Promise<void> {
    await this.#db.transaction().execute(async (tx) => {
      await tx.deleteFrom('agent_nodes').where('agent_id', '=', id).execute();
      await tx.deleteFrom('agents').where('id', '=', id).execute();
    });
  }

  /** Every registered agent with its heartbeat age (live and lost alike). */
  async agents(): Promise<AgentRow[]> {
    const rows = await this.#db
      .selectFrom('agents')
      .select(['id', 'host', 'pid', 'started_at', sql<string>`${this.#now} - heartbeat_ms`.as('age_ms')])
      .where('stopped', '=', 0)
      .orderBy('host')
      .orderBy('id')
      .execute();
    return rows.map((r) => ({ id: r.id, host: r.host, pid: Number(r.pid), startedAt: r.started_at, heartbeatAgeMs: Math.max(0, Number(r.age_ms)) }));
  }

  /** The age of one agent's heartbeat, or undefined when it is not registered any more. */
  async heartbeatAge(id: string): Promise<number | undefined> {
    const r = await this.#db
      .selectFrom('agents')
      .select(sql<string>`${this.#now} - heartbeat_ms`.as('age_ms'))
      .where('id', '=', id)
      .executeTakeFirst();
    return r === undefined ? undefined : Math.max(0, Number(r.age_ms));
  }

  /** Every agent's nodes. */
  async nodes(): Promise<AgentNodeRow[]> {
    const rows = await this.#db.selectFrom('agent_nodes').selectAll().orderBy('lab').orderBy('node').execute();
    return rows.map((r) => ({
      agentId: r.agent_id,
      lab: r.lab,
      name: r.node,
      longName: r.long_name,
      kind: r.kind,
      vendor: r.vendor,
      driver: r.driver as DriverName,
      mgmtIpv4: r.mgmt_ipv4 ?? undefined,
      mgmtIpv6: r.mgmt_ipv6 ?? undefined,
      labels: JSON.parse(r.labels) as Record<string, string>,
      group: r.node_group ?? undefined,
      image: r.image ?? undefined,
    }));
  }
}
