import type { Kysely } from 'kysely';
import { redactObject, redactText } from '../redact/index.js';
import type { Database } from './schema.js';

export interface AuditEntry {
  readonly requestId: string;
  readonly actor: string;
  readonly actorName?: string | undefined;
  readonly channel?: string | undefined;
  readonly event: string;
  readonly verb?: string | undefined;
  readonly command?: string | undefined;
  /** `lab/node` names. */
  readonly targets?: readonly string[];
  readonly outcome: string;
  readonly detail?: Record<string, unknown> | undefined;
  readonly at?: Date;
}

export interface AuditRecord extends Omit<AuditEntry, 'at' | 'detail'> {
  readonly id: number;
  readonly at: string;
  readonly targets: readonly string[];
  readonly detail: Record<string, unknown> | undefined;
}

export interface AuditQuery {
  /** Only this actor's rows (non-admins see only their own). */
  readonly actor?: string;
  /** Only rows touching one of these `lab/node` names. */
  readonly targets?: readonly string[];
  readonly limit?: number;
}

/**
 * The audit trail. Append-only by construction: this repository has no update or delete.
 * Everything written passes through redaction first, so a secret cannot reach a row.
 */
export class AuditLog {
  readonly #db: Kysely<Database>;
  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async append(entry: AuditEntry): Promise<void> {
    await this.#db
      .insertInto('audit_log')
      .values({
        at: (entry.at ?? new Date()).toISOString(),
        request_id: entry.requestId,
        actor: entry.actor,
        actor_name: entry.actorName ?? null,
        channel: entry.channel ?? null,
        event: entry.event,
        verb: entry.verb ?? null,
        command: entry.command === undefined ? null : redactText(entry.command),
        targets: JSON.stringify(entry.targets ?? []),
        outcome: entry.outcome,
        detail: entry.detail === undefined ? null : JSON.stringify(redactObject(entry.detail)),
      })
      .execute();
  }

  /** Newest first. */
  async query(q: AuditQuery = {}): Promise<AuditRecord[]> {
    const limit = Math.min(Math.max(q.limit ?? 20, 1), 500);
    let query = this.#db.selectFrom('audit_log').selectAll().orderBy('id', 'desc');
    if (q.actor) query = query.where('actor', '=', q.actor);
    if (q.targets && q.targets.length > 0) {
      // targets is a JSON array of "lab/node"; match the quoted name so r1 does not match r10.
      const names = q.targets;
      query = query.where((eb) => eb.or(names.map((t) => eb('targets', 'like', `%${JSON.stringify(t)}%`))));
    }
    const rows = await query.limit(limit).execute();
    return rows.map((r) => ({
      id: Number(r.id),
      at: r.at,
      requestId: r.request_id,
      actor: r.actor,
      actorName: r.actor_name ?? undefined,
      channel: r.channel ?? undefined,
      event: r.event,
      verb: r.verb ?? undefined,
      command: r.command ?? undefined,
      targets: JSON.parse(r.targets) as string[],
      outcome: r.outcome,
      detail: r.detail ? (JSON.parse(r.detail) as Record<string, unknown>) : undefined,
    }));
  }
}
