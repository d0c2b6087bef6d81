import type { Kysely, Selectable } from 'kysely';
import { redactText } from '../redact/index.js';
import type { Database, ExecutionsTable } from './schema.js';
import { nodeKey, type NodeRef } from '../model/node-ref.js';

export interface ExecutionRecord extends NodeRef {
  readonly requestId: string;
  readonly command: string;
  readonly ok: boolean;
  readonly errorCode: string | undefined;
  readonly durationMs: number;
  readonly outputBytes: number;
  readonly startedAt: Date;
}

/** Per-node exec records (metadata only: the output itself stays in Slack/the terminal). */
export class Executions {
  readonly #db: Kysely<Database>;
  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async recordMany(records: readonly ExecutionRecord[]): Promise<void> {
    if (records.length === 0) return;
    await this.#db
      .insertInto('executions')
      .values(
        records.map((r) => ({
          request_id: r.requestId,
          lab: r.lab,
          node: r.name,
          command: redactText(r.command),
          ok: r.ok ? 1 : 0,
          error_code: r.errorCode ?? null,
          duration_ms: Math.round(r.durationMs),
          output_bytes: r.outputBytes,
          started_at: r.startedAt.toISOString(),
        })),
      )
      .execute();
  }

  /** The newest exec record of each of these nodes (by `lab/name`), for `graph`'s reachability overlay. */
  async latestFor(refs: readonly NodeRef[]): Promise<Map<string, ExecutionRecord>> {
    const out = new Map<string, ExecutionRecord>();
    const labs = [...new Set(refs.map((r) => r.lab))];
    if (labs.length === 0) return out;
    const wanted = new Set(refs.map(nodeKey));
    const newest = this.#db.selectFrom('executions').select((eb) => eb.fn.max('id').as('id')).where('lab', 'in', labs).groupBy(['lab', 'node']);
    const rows = await this.#db.selectFrom('executions').selectAll().where('id', 'in', newest).execute();
    for (const r of rows) {
      const record = fromRow(r);
      if (wanted.has(nodeKey(record))) out.set(nodeKey(record), record);
    }
    return out;
  }

  async forRequest(requestId: string): Promise<ExecutionRecord[]> {
    const rows = await this.#db.selectFrom('executions').selectAll().where('request_id', '=', requestId).orderBy('id').execute();
    return rows.map(fromRow);
  }
}

function fromRow(r: Selectable<ExecutionsTable>): ExecutionRecord {
  return {
    requestId: r.request_id,
    lab: r.lab,
    name: r.node,
    command: r.command,
    ok: r.ok === 1,
    errorCode: r.error_code ?? undefined,
    durationMs: r.duration_ms,
    outputBytes: r.output_bytes,
    startedAt: new Date(r.started_at),
  };
}
