import type { Kysely, Selectable, Transaction } from 'kysely';
import type { ConfigMethod } from '../drivers/contract.js';
import type {
  ApplyStatus,
  ApprovalRecord,
  ChangeNodeRecord,
  ChangeRecord,
  ChangeState,
  EventRecord,
  Person,
  PlanStatus,
  StoredError,
} from '../model/change.js';
import { nodeKey, type NodeRef } from '../model/node-ref.js';
import type { ConfigFormat, HashedSource } from '../model/config-source.js';
import type { ChangeRequestsTable, Database } from './schema.js';
import { redactText } from '../redact/index.js';

/**
 * The change-request repository: every read and write of change_requests, change_nodes,
 * change_approvals, change_events and change_locks. State writes are compare-and-set on
 * (state, version) and land in one transaction with their event row (and, for terminal states,
 * the release of the node locks), so two buttons, two approvers or two bot processes sharing
 * the database move a change at most once.
 *
 * SQLite note: every transaction here starts with a write, so a second process waits on
 * busy_timeout instead of failing with SQLITE_BUSY on a read-to-write upgrade.
 */

export interface NewChange {
  readonly requestId: string;
  readonly requester: Person;
  readonly channel: string | undefined;
  readonly targets: readonly NodeRef[];
  readonly source: HashedSource;
  readonly method: ConfigMethod;
  readonly confirmMinutes: number;
  readonly checkCommand: string | undefined;
  readonly comment: string | undefined;
  readonly requiredApprovals: number;
  readonly rollbackOf: number | undefined;
  readonly at: string;
  readonly expiresAt: string;
  /** Already redacted. */
  readonly detail: Record<string, unknown>;
}

/** A plan result ready to store: diff and messages already redacted by the caller. */
export interface NodePlanUpdate extends NodeRef {
  readonly status: Exclude<PlanStatus, 'pending'>;
  readonly diff: string | undefined;
  readonly diffHash: string | undefined;
  readonly base: string | undefined;
  readonly check: { readonly ok: boolean; readonly warnings: readonly string[]; readonly errors: readonly string[] } | undefined;
  readonly error: StoredError | undefined;
  /** Whether the driver could commit confirmed (capabilities at plan time); undefined when the plan failed. */
  readonly commitConfirmed: boolean | undefined;
  readonly at: string;
}

export interface NodeApplyUpdate extends NodeRef {
  readonly status: ApplyStatus;
  readonly commitId: string | undefined;
  readonly commits: number;
  readonly error: StoredError | undefined;
  readonly at: string;
}

export interface TransitionWrite {
  readonly id: number;
  readonly from: ChangeState;
  readonly to: ChangeState;
  /** The version the caller read; the write happens only if it is still current. */
  readonly version: number;
  readonly actor: Person;
  readonly at: string;
  /** Already redacted. */
  readonly detail: Record<string, unknown>;
  readonly reason?: string | undefined;
  /** Terminal states give their nodes back. */
  readonly releaseLocks: boolean;
  readonly expiresAt?: string;
  /** A re-plan: new per-node plans, and the approvals given to the old plan are void. */
  readonly plans?: readonly NodePlanUpdate[];
  readonly clearApprovals?: boolean;
  /** Nodes still `pending` get this apply status (crash recovery marks them unknown). */
  readonly pendingApplyStatus?: ApplyStatus;
  /** Per node, an apply status found out later (recovery asking the device, an admin's resolve): set where still pending or unknown. */
  readonly applyStatuses?: readonly (NodeRef & { readonly status: ApplyStatus; readonly error?: StoredError | undefined })[];
  /** Takes (owner) or gives up (null) the apply lease in the same write. */
  readonly lease?: { readonly ownerId: string; readonly expiresAt: string } | null;
}

export type ApprovalWrite =
  /** The change was no longer planned at the version the caller checked: nothing written. */
  | { readonly result: 'moved' }
  /** This approver had already approved: nothing written. */
  | { readonly result: 'duplicate'; readonly count: number }
  /** Approval stored; `approved` when it reached the required count and the change moved to approved. */
  | { readonly result: 'recorded'; readonly count: number; readonly approved: boolean };

export interface ListQuery {
  readonly states?: readonly ChangeState[];
  readonly requesterId?: string;
  readonly limit: number;
}

/** Thrown inside a transaction to roll it back when a lock is taken; never escapes this module. */
class LockTaken extends Error {
  constructor(readonly keys: readonly string[]) {
    super('lock taken');
  }
}

/** A node row before its plan: every column the plan and apply fill, empty. */
const PENDING_NODE = {
  plan_status: 'pending',
  diff: null,
  diff_hash: null,
  base: null,
  check_ok: null,
  check_warnings: '[]',
  check_errors: '[]',
  plan_error: null,
  commit_confirmed: null,
  before_config: null,
  apply_status: 'pending',
  commit_id: null,
  commits: 0,
  apply_error: null,
  planned_at: null,
  applied_at: null,
} as const;

export class ChangesRepo {
  readonly #db: Kysely<Database>;
  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /**
   * Inserts the change (state planned, version 0), its nodes with pending plans, its creation
   * event, and one lock per node, all or nothing. Returns the keys already held when any is.
   */
  async create(input: NewChange): Promise<{ readonly id: number } | { readonly conflicts: readonly string[] }> {
    // Sorted: two requests locking overlapping nodes take them in the same order (no deadlock on Postgres).
    const keys = [...new Set(input.targets.map(nodeKey))].sort();
    try {
      return await this.#db.transaction().execute(async (trx) => {
        const row = await trx
          .insertInto('change_requests')
          .values({
            request_id: input.requestId,
            requester_id: input.requester.id,
            requester_name: input.requester.name ?? null,
            channel: input.channel ?? null,
            thread_ts: null,
            root_ts: null,
            decision_ts: null,
            // Stored as {lab, node}, the column's form since the first migration.
            targets: JSON.stringify(input.targets.map((t) => ({ lab: t.lab, node: t.name }))),
            ...sourceColumns(input.source),
            method: input.method,
            confirm_minutes: input.confirmMinutes,
            check_command: input.checkCommand ?? null,
            comment: input.comment ?? null,
            required_approvals: input.requiredApprovals,
            state: 'planned',
            reason: null,
            rollback_of: input.rollbackOf ?? null,
            created_at: input.at,
            expires_at: input.expiresAt,
            updated_at: input.at,
            version: 0,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        const id = Number(row.id);
        const taken: string[] = [];
        for (const key of keys) {
          const r = await trx
            .insertInto('change_locks')
            .values({ lock_key: key, change_id: id, at: input.at })
            .onConflict((oc) => oc.column('lock_key').doNothing())
            .executeTakeFirst();
          if (Number(r.numInsertedOrUpdatedRows ?? 0n) === 0) taken.push(key);
        }
        if (taken.length > 0) throw new LockTaken(taken);
        await trx
          .insertInto('change_nodes')
          .values(input.targets.map((t) => ({ change_id: id, lab: t.lab, node: t.name, ...PENDING_NODE, ...renderedColumns(input.source, t) })))
          .execute();
        await insertEvent(trx, id, undefined, 'planned', input.requester, input.at, input.detail);
        return { id };
      });
    } catch (err) {
      if (err instanceof LockTaken) return { conflicts: err.keys };
      throw err;
    }
  }

  /** The open changes holding `keys`, with where to find them (requester, thread). */
  async lockHolders(keys: readonly string[]): Promise<
    { changeId: number; requesterId: string; requesterName: string | undefined; channel: string | undefined; threadTs: string | undefined; nodes: string[] }[]
  > {
    if (keys.length === 0) return [];
    const rows = await this.#db
      .selectFrom('change_locks as l')
      .innerJoin('change_requests as c', 'c.id', 'l.change_id')
      .select(['l.lock_key', 'c.id', 'c.requester_id', 'c.requester_name', 'c.channel', 'c.thread_ts'])
      .where('l.lock_key', 'in', [...keys])
      .orderBy('c.id')
      .execute();
    const byChange = new Map<
      number,
      { changeId: number; requesterId: string; requesterName: string | undefined; channel: string | undefined; threadTs: string | undefined; nodes: string[] }
    >();
    for (const r of rows) {
      const id = Number(r.id);
      const holder = byChange.get(id) ?? {
        changeId: id,
        requesterId: r.requester_id,
        requesterName: r.requester_name ?? undefined,
        channel: r.channel ?? undefined,
        threadTs: r.thread_ts ?? undefined,
        nodes: [],
      };
      holder.nodes.push(r.lock_key);
      byChange.set(id, holder);
    }
    return [...byChange.values()];
  }

  async get(id: number): Promise<ChangeRecord | undefined> {
    if (!Number.isSafeInteger(id)) return undefined;
    const row = await this.#db.selectFrom('change_requests').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : (await this.#toChanges([row]))[0];
  }

  async nodes(id: number): Promise<ChangeNodeRecord[]> {
    const rows = await this.#db
      .selectFrom('change_nodes')
      .select([
        'lab', 'node', 'plan_status', 'diff', 'diff_hash', 'base', 'check_ok', 'check_warnings', 'check_errors', 'plan_error',
        'commit_confirmed', 'apply_status', 'commit_id', 'commits', 'apply_error', 'planned_at', 'applied_at',
      ])
      .select((eb) => eb.case().when('before_config', 'is not', null).then(1).else(0).end().as('has_before'))
      .where('change_id', '=', id)
      .orderBy('id')
      .execute();
    return rows.map((r) => ({
      lab: r.lab,
      name: r.node,
      planStatus: r.plan_status as PlanStatus,
      diff: r.diff ?? undefined,
      diffHash: r.diff_hash ?? undefined,
      base: r.base ?? undefined,
      check: r.check_ok === null ? undefined : { ok: r.check_ok === 1, warnings: parseList(r.check_warnings), errors: parseList(r.check_errors) },
      planError: parseError(r.plan_error),
      commitConfirmed: r.commit_confirmed === null ? undefined : r.commit_confirmed === 1,
      hasBeforeConfig: Number(r.has_before) === 1,
      applyStatus: r.apply_status as ApplyStatus,
      commitId: r.commit_id ?? undefined,
      commits: Number(r.commits),
      applyError: parseError(r.apply_error),
      plannedAt: r.planned_at ?? undefined,
      appliedAt: r.applied_at ?? undefined,
    }));
  }

  async beforeConfig(id: number, ref: NodeRef): Promise<string | undefined> {
    const row = await this.#db
      .selectFrom('change_nodes')
      .select('before_config')
      .where('change_id', '=', id)
      .where('lab', '=', ref.lab)
      .where('node', '=', ref.name)
      .executeTakeFirst();
    return row?.before_config ?? undefined;
  }

  async approvals(id: number): Promise<ApprovalRecord[]> {
    const rows = await this.#db.selectFrom('change_approvals').selectAll().where('change_id', '=', id).orderBy('id').execute();
    return rows.map((r) => ({ approverId: r.approver_id, approverName: r.approver_name ?? undefined, at: r.at }));
  }

  async events(id: number): Promise<EventRecord[]> {
    const rows = await this.#db.selectFrom('change_events').selectAll().where('change_id', '=', id).orderBy('id').execute();
    return rows.map((r) => ({
      from: (r.from_state ?? undefined) as ChangeState | undefined,
      to: r.to_state as ChangeState,
      actorId: r.actor_id,
      actorName: r.actor_name ?? undefined,
      at: r.at,
      detail: r.detail === null ? undefined : (JSON.parse(r.detail) as Record<string, unknown>),
    }));
  }

  /** Stores first plans (after propose) and bumps the version so an approval checked against pending plans cannot land. */
  async savePlans(id: number, plans: readonly NodePlanUpdate[], at: string): Promise<void> {
    await this.#db.transaction().execute(async (trx) => {
      await trx.updateTable('change_requests').set((eb) => ({ version: eb('version', '+', 1), updated_at: at })).where('id', '=', id).execute();
      for (const p of plans) await writePlan(trx, id, p);
    });
  }

  async saveBeforeConfig(id: number, ref: NodeRef, text: string): Promise<void> {
    await this.#db
      .updateTable('change_nodes')
      .set({ before_config: text })
      .where('change_id', '=', id)
      .where('lab', '=', ref.lab)
      .where('node', '=', ref.name)
      .execute();
  }

  async saveApply(id: number, update: NodeApplyUpdate): Promise<void> {
    await this.#db
      .updateTable('change_nodes')
      .set({
        apply_status: update.status,
        commit_id: update.commitId ?? null,
        commits: update.commits,
        apply_error: update.error === undefined ? null : JSON.stringify(update.error),
        applied_at: update.at,
      })
      .where('change_id', '=', id)
      .where('lab', '=', update.lab)
      .where('node', '=', update.name)
      .execute();
  }

  /**
   * Compare-and-set: moves the change from `from` at `version` to `to` (version + 1) and writes
   * the event, all in one transaction. False when the change had moved on (nothing written).
   */
  async transition(w: TransitionWrite): Promise<boolean> {
    return this.#db.transaction().execute(async (trx) => {
      const r = await trx
        .updateTable('change_requests')
        .set((eb) => ({
          state: w.to,
          version: eb('version', '+', 1),
          updated_at: w.at,
          ...(w.reason === undefined ? {} : { reason: w.reason }),
          ...(w.expiresAt === undefined ? {} : { expires_at: w.expiresAt }),
          ...(w.lease === undefined ? {} : { owner_id: w.lease?.ownerId ?? null, lease_expires_at: w.lease?.expiresAt ?? null }),
        }))
        .where('id', '=', w.id)
        .where('state', '=', w.from)
        .where('version', '=', w.version)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1) return false;
      for (const p of w.plans ?? []) await writePlan(trx, w.id, p);
      if (w.clearApprovals) await trx.deleteFrom('change_approvals').where('change_id', '=', w.id).execute();
      for (const n of w.applyStatuses ?? []) {
        await trx
          .updateTable('change_nodes')
          .set({ apply_status: n.status, applied_at: w.at, ...(n.error === undefined ? {} : { apply_error: JSON.stringify(n.error) }) })
          .where('change_id', '=', w.id)
          .where('lab', '=', n.lab)
          .where('node', '=', n.name)
          .where('apply_status', 'in', ['pending', 'unknown'])
          .execute();
      }
      if (w.pendingApplyStatus !== undefined) {
        await trx
          .updateTable('change_nodes')
          .set({ apply_status: w.pendingApplyStatus, applied_at: w.at })
          .where('change_id', '=', w.id)
          .where('apply_status', '=', 'pending')
          .execute();
      }
      if (w.releaseLocks) {
        await trx.deleteFrom('change_locks').where('change_id', '=', w.id).execute();
        await redactFinishedSource(trx, w.id);
        await redactFinishedRenderings(trx, w.id);
      }
      await insertEvent(trx, w.id, w.from, w.to, w.actor, w.at, w.detail);
      return true;
    });
  }

  /**
   * Records one approval, in one transaction that first takes the change's row (so concurrent
   * approvals count one after the other), and moves planned → approved when the count reaches
   * `required`.
   */
  async approve(args: {
    readonly id: number;
    readonly version: number;
    readonly approver: Person;
    readonly required: number;
    readonly at: string;
    readonly detail: Record<string, unknown>;
  }): Promise<ApprovalWrite> {
    return this.#db.transaction().execute(async (trx): Promise<ApprovalWrite> => {
      const held = await trx
        .updateTable('change_requests')
        .set({ updated_at: args.at })
        .where('id', '=', args.id)
        .where('state', '=', 'planned')
        .where('version', '=', args.version)
        .executeTakeFirst();
      if (Number(held.numUpdatedRows) !== 1) return { result: 'moved' };
      const inserted = await trx
        .insertInto('change_approvals')
        .values({ change_id: args.id, approver_id: args.approver.id, approver_name: args.approver.name ?? null, at: args.at })
        .onConflict((oc) => oc.columns(['change_id', 'approver_id']).doNothing())
        .executeTakeFirst();
      const counted = await trx
        .selectFrom('change_approvals')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('change_id', '=', args.id)
        .executeTakeFirstOrThrow();
      const count = Number(counted.n);
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0) return { result: 'duplicate', count };
      const detail = { ...args.detail, approvals: count, required: args.required };
      if (count < args.required) {
        await insertEvent(trx, args.id, 'planned', 'planned', args.approver, args.at, detail);
        return { result: 'recorded', count, approved: false };
      }
      await trx
        .updateTable('change_requests')
        .set((eb) => ({ state: 'approved', version: eb('version', '+', 1), updated_at: args.at }))
        .where('id', '=', args.id)
        .execute();
      await insertEvent(trx, args.id, 'planned', 'approved', args.approver, args.at, detail);
      return { result: 'recorded', count, approved: true };
    });
  }

  /** Front-end thread coordinates; not a state change (no version bump). False when there is no such change. */
  async setThread(id: number, thread: { channel: string; threadTs: string; rootTs: string | undefined }): Promise<boolean> {
    const r = await this.#db
      .updateTable('change_requests')
      .set({ channel: thread.channel, thread_ts: thread.threadTs, root_ts: thread.rootTs ?? thread.threadTs })
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** The message holding the change's Approve/Reject buttons; not a state change. */
  async setDecision(id: number, ts: string): Promise<boolean> {
    const r = await this.#db.updateTable('change_requests').set({ decision_ts: ts }).where('id', '=', id).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** Newest first. */
  async list(q: ListQuery): Promise<ChangeRecord[]> {
    let query = this.#db.selectFrom('change_requests').selectAll().orderBy('id', 'desc').limit(q.limit);
    if (q.states !== undefined) query = query.where('state', 'in', [...q.states]);
    if (q.requesterId !== undefined) query = query.where('requester_id', '=', q.requesterId);
    return this.#toChanges(await query.execute());
  }

  /** Changes in one of `states` whose expiry is at or before `at` (ISO strings sort as times). */
  async expiring(states: readonly ChangeState[], at: string): Promise<ChangeRecord[]> {
    const rows = await this.#db
      .selectFrom('change_requests')
      .selectAll()
      .where('state', 'in', [...states])
      .where('expires_at', '<=', at)
      .orderBy('id')
      .execute();
    return this.#toChanges(rows);
  }

  /** Extends the apply lease while `ownerId` still holds it; false when it does not (recovered meanwhile). */
  async renewLease(id: number, ownerId: string, expiresAt: string): Promise<boolean> {
    const r = await this.#db
      .updateTable('change_requests')
      .set({ lease_expires_at: expiresAt })
      .where('id', '=', id)
      .where('state', '=', 'applying')
      .where('owner_id', '=', ownerId)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async inState(state: ChangeState): Promise<ChangeRecord[]> {
    const rows = await this.#db.selectFrom('change_requests').selectAll().where('state', '=', state).orderBy('id').execute();
    return this.#toChanges(rows);
  }

  /** Rows as records; a template change's per-node renderings come from its node rows (one query for all). */
  async #toChanges(rows: readonly ChangeRow[]): Promise<ChangeRecord[]> {
    const ids = rows.filter((r) => r.source_type === 'template').map((r) => Number(r.id));
    const rendered = new Map<number, Record<string, { content: string; sha256: string }>>();
    if (ids.length > 0) {
      const nodes = await this.#db
        .selectFrom('change_nodes')
        .select(['change_id', 'lab', 'node', 'source_content', 'source_sha256'])
        .where('change_id', 'in', ids)
        .orderBy('id')
        .execute();
      for (const n of nodes) {
        const own = rendered.get(Number(n.change_id)) ?? {};
        if (n.source_content !== null) own[nodeKey({ lab: n.lab, name: n.node })] = { content: n.source_content, sha256: n.source_sha256 ?? '' };
        rendered.set(Number(n.change_id), own);
      }
    }
    return rows.map((r) => toChange(r, rendered.get(Number(r.id)) ?? {}));
  }
}

type ChangeRow = Selectable<ChangeRequestsTable>;

async function insertEvent(
  trx: Transaction<Database>,
  id: number,
  from: ChangeState | undefined,
  to: ChangeState,
  actor: Person,
  at: string,
  detail: Record<string, unknown>,
): Promise<void> {
  await trx
    .insertInto('change_events')
    .values({
      change_id: id,
      from_state: from ?? null,
      to_state: to,
      actor_id: actor.id,
      actor_name: actor.name ?? null,
      at,
      detail: JSON.stringify(detail),
    })
    .execute();
}

async function writePlan(trx: Transaction<Database>, id: number, p: NodePlanUpdate): Promise<void> {
  await trx
    .updateTable('change_nodes')
    .set({
      plan_status: p.status,
      diff: p.diff ?? null,
      diff_hash: p.diffHash ?? null,
      base: p.base ?? null,
      check_ok: p.check === undefined ? null : p.check.ok ? 1 : 0,
      check_warnings: JSON.stringify(p.check?.warnings ?? []),
      check_errors: JSON.stringify(p.check?.errors ?? []),
      plan_error: p.error === undefined ? null : JSON.stringify(p.error),
      commit_confirmed: p.commitConfirmed === undefined ? null : p.commitConfirmed ? 1 : 0,
      planned_at: p.at,
      apply_status: 'pending',
      commit_id: null,
      commits: 0,
      apply_error: null,
      applied_at: null,
    })
    .where('change_id', '=', id)
    .where('lab', '=', p.lab)
    .where('node', '=', p.name)
    .execute();
}

/** The model → row mapping of a change's source (one column set for every kind). */
function sourceColumns(source: HashedSource): {
  source_type: string;
  source_content: string | null;
  source_format: string | null;
  source_sha256: string | null;
  source_path: string | null;
  rollback_index: number | null;
} {
  const none = { source_content: null, source_format: null, source_sha256: null, source_path: null, rollback_index: null };
  switch (source.type) {
    case 'text':
      return { ...none, source_type: 'text', source_content: source.content, source_format: source.format ?? null, source_sha256: source.sha256 };
    case 'device-file':
      return { ...none, source_type: 'device-file', source_path: source.path };
    case 'rollback':
      return { ...none, source_type: 'rollback', rollback_index: source.index };
    case 'template':
      // The renderings go with the node rows (renderedColumns); the change keeps the template's name and hash.
      return { ...none, source_type: 'template', source_path: source.path, source_format: source.format ?? null, source_sha256: source.sha256 };
    default:
      return source satisfies never;
  }
}

/** A node row's own rendering of a template change; null columns for every other source. */
function renderedColumns(source: HashedSource, ref: NodeRef): { source_content: string | null; source_sha256: string | null } {
  if (source.type !== 'template') return { source_content: null, source_sha256: null };
  const own = source.rendered[nodeKey(ref)];
  return { source_content: own?.content ?? null, source_sha256: own?.sha256 ?? null };
}

/** The row → model mapping of a change's source (a template's renderings read from its node rows). */
function toSource(row: ChangeRow, rendered: Readonly<Record<string, { content: string; sha256: string }>>): HashedSource {
  switch (row.source_type) {
    case 'template':
      return {
        type: 'template',
        path: row.source_path ?? '',
        sha256: row.source_sha256 ?? '',
        format: (row.source_format ?? undefined) as ConfigFormat | undefined,
        rendered,
      };
    case 'text':
      return {
        type: 'text',
        content: row.source_content ?? '',
        format: (row.source_format ?? undefined) as ConfigFormat | undefined,
        sha256: row.source_sha256 ?? '',
      };
    case 'device-file':
      return { type: 'device-file', path: row.source_path ?? '' };
    case 'rollback':
      return { type: 'rollback', index: Number(row.rollback_index ?? 0) };
    default:
      throw new Error(`change ${row.id}: unknown source type ${row.source_type} in the database`);
  }
}

function toChange(row: ChangeRow, rendered: Readonly<Record<string, { content: string; sha256: string }>>): ChangeRecord {
  return {
    id: Number(row.id),
    requestId: row.request_id,
    requesterId: row.requester_id,
    requesterName: row.requester_name ?? undefined,
    channel: row.channel ?? undefined,
    threadTs: row.thread_ts ?? undefined,
    rootTs: row.root_ts ?? undefined,
    decisionTs: row.decision_ts ?? undefined,
    targets: (JSON.parse(row.targets) as { lab: string; node: string }[]).map((t) => ({ lab: t.lab, name: t.node })),
    source: toSource(row, rendered),
    method: row.method as ConfigMethod,
    confirmMinutes: Number(row.confirm_minutes),
    checkCommand: row.check_command ?? undefined,
    comment: row.comment ?? undefined,
    requiredApprovals: Number(row.required_approvals),
    state: row.state as ChangeState,
    reason: row.reason ?? undefined,
    rollbackOf: row.rollback_of === null ? undefined : Number(row.rollback_of),
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    updatedAt: row.updated_at,
    version: Number(row.version),
    ownerId: row.owner_id ?? undefined,
    leaseExpiresAt: row.lease_expires_at ?? undefined,
  };
}

function parseList(text: string): string[] {
  const value: unknown = JSON.parse(text);
  return Array.isArray(value) ? value.map(String) : [];
}

function parseError(text: string | null): StoredError | undefined {
  return text === null ? undefined : (JSON.parse(text) as StoredError);
}

/**
 * A finished change never loads its text again (re-plans happen only while planned; a rollback uses
 * the device's own history), so the secrets in it need not stay at rest: keep the text redacted,
 * for the record, with its original sha256.
 */
async function redactFinishedSource(trx: Transaction<Database>, id: number): Promise<void> {
  const row = await trx.selectFrom('change_requests').select('source_content').where('id', '=', id).executeTakeFirst();
  if (row?.source_content == null) return;
  const redacted = redactText(row.source_content);
  if (redacted !== row.source_content) await trx.updateTable('change_requests').set({ source_content: redacted }).where('id', '=', id).execute();
}

/** The same for a template change's renderings, node by node. */
async function redactFinishedRenderings(trx: Transaction<Database>, id: number): Promise<void> {
  const rows = await trx.selectFrom('change_nodes').select(['id', 'source_content']).where('change_id', '=', id).where('source_content', 'is not', null).execute();
  for (const r of rows) {
    const redacted = redactText(r.source_content ?? '');
    if (redacted !== r.source_content) await trx.updateTable('change_nodes').set({ source_content: redacted }).where('id', '=', r.id).execute();
  }
}
