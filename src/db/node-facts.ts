import type { Kysely } from 'kysely';
import type { Facts } from '../drivers/contract.js';
import { nodeKey, type NodeRef } from '../model/node-ref.js';
import { redactText } from '../redact/index.js';
import type { Database, NodeFactsTable } from './schema.js';

/** What the cache holds for one node: its last facts (if a read ever succeeded) and the last failure after them. */
export interface CachedFacts extends NodeRef {
  readonly facts: Facts | undefined;
  /** When `facts` were read. */
  readonly readAt: Date | undefined;
  /** The last failed read since `readAt` (cleared by the next good read). */
  readonly error: { readonly code: string; readonly message: string; readonly at: Date } | undefined;
}

/** The node facts cache (migrations/0005_node_facts.ts): one row per node, upserted. */
export class NodeFactsRepo {
  readonly #db: Kysely<Database>;
  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /** The cached rows of these nodes, by `lab/name`; a node never read has none. */
  async get(refs: readonly NodeRef[]): Promise<Map<string, CachedFacts>> {
    const out = new Map<string, CachedFacts>();
    const labs = [...new Set(refs.map((r) => r.lab))];
    if (labs.length === 0) return out;
    const wanted = new Set(refs.map(nodeKey));
    // One query per lab set; the few nodes of other selections in those labs are dropped here.
    const rows = await this.#db.selectFrom('node_facts').selectAll().where('lab', 'in', labs).execute();
    for (const row of rows) {
      const cached = fromRow(row);
      if (wanted.has(nodeKey(cached))) out.set(nodeKey(cached), cached);
    }
    return out;
  }

  /** A good read: the facts replace the old ones and clear any error. */
  async saveFacts(ref: NodeRef, facts: Facts, at: Date): Promise<void> {
    const values = {
      hostname: facts.hostname,
      vendor: facts.vendor,
      model: facts.model,
      version: facts.version,
      serial: facts.serial,
      uptime_seconds: facts.uptimeSeconds === undefined ? null : Math.round(facts.uptimeSeconds),
      read_at: at.toISOString(),
      error_code: null,
      error_message: null,
      error_at: null,
    };
    await this.#db
      .insertInto('node_facts')
      .values({ lab: ref.lab, node: ref.name, ...values })
      .onConflict((oc) => oc.columns(['lab', 'node']).doUpdateSet(values))
      .execute();
  }

  /** A failed read: the last good facts stay, the error (redacted) is recorded next to them. */
  async saveError(ref: NodeRef, error: { readonly code: string; readonly message: string }, at: Date): Promise<void> {
    const values = { error_code: error.code, error_message: redactText(error.message), error_at: at.toISOString() };
    await this.#db
      .insertInto('node_facts')
      .values({
        lab: ref.lab,
        node: ref.name,
        hostname: null,
        vendor: null,
        model: null,
        version: null,
        serial: null,
        uptime_seconds: null,
        read_at: null,
        ...values,
      })
      .onConflict((oc) => oc.columns(['lab', 'node']).doUpdateSet(values))
      .execute();
  }
}

function fromRow(row: NodeFactsTable): CachedFacts {
  const facts: Facts | undefined =
    row.read_at === null
      ? undefined
      : {
          hostname: row.hostname ?? '',
          vendor: row.vendor ?? '',
          model: row.model ?? '',
          version: row.version ?? '',
          serial: row.serial ?? '',
          uptimeSeconds: row.uptime_seconds ?? undefined,
        };
  return {
    lab: row.lab,
    name: row.node,
    facts,
    readAt: row.read_at === null ? undefined : new Date(row.read_at),
    error:
      row.error_code === null || row.error_at === null
        ? undefined
        : { code: row.error_code, message: row.error_message ?? '', at: new Date(row.error_at) },
  };
}
