import type { Kysely } from 'kysely';
import { redactText } from '../redact/index.js';
import type { Database } from './schema.js';
import type { NodeRef } from '../model/node-ref.js';

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

  async forRequest(requestId: string): Promise<ExecutionRecord[]> {
    const rows = await this.#db.selectFrom('executions').selectAll().where('request_id', '=', requestId).orderBy('id').execute();
    return rows.map((r) => ({
      requestId: r.request_id,
      lab: r.lab,
      name: r.node,
      command: r.command,
      ok: r.ok === 1,
      errorCode: r.error_code ?? undefined,
      durationMs: r.duration_ms,
      outputBytes: r.output_bytes,
      startedAt: new Date(r.started_at),
    }));
  }
}
