import type { Kysely } from 'kysely';
import type { AuditLog } from '../../db/audit-log.js';
import {
  ChangesRepo,
  lockKey,
  type ApplyStatus,
  type ChangeRecord,
  type NodePlanUpdate,
  type NodeRef,
  type StoredError,
} from '../../db/changes-repo.js';
import type { Database } from '../../db/schema.js';
import type { ConfigMethod, ConfigSource, Driver } from '../../drivers/contract.js';
import type { LabNode } from '../../inventory/types.js';
import { silentLogger, type Logger } from '../../log.js';
import { redactObject, redactText } from '../../render/redact.js';
import { fanOut } from '../fan-out.js';
import { statusForError, type NodeOutcome } from '../outcome.js';
import type { Scheduler } from '../scheduler.js';
import { applyOnNode, commitComment, type NodeApplyValue } from './apply-node.js';
import { auditEvent, auditOutcome } from './audit-events.js';
import {
  AlreadyApprovedError,
  CancelNotAllowedError,
  ChangeConflictError,
  ChangeModifiedError,
  ChangeNotFoundError,
  ChangeRequestError,
  changeRef,
  CommitOutcomeUnknownError,
  IllegalTransitionError,
  NodeUnavailableError,
  NotApprovableError,
  SelfApprovalRefusedError,
} from './errors.js';
import { applyStatusOf, finalState } from './final-state.js';
import { countStatuses, planUpdate, storedError, summarise } from './node-results.js';
import { configSource, describeSource, describeSourceView, storedSource } from './source.js';
import { assertTransition, isTerminal, OPEN_STATES, type ChangeState } from './state-machine.js';
import type {
  ApproveOptions,
  ChangeAction,
  ChangeSourceInput,
  ChangeView,
  ListFilter,
  NodePlanView,
  Person,
  ProposeInput,
  ProposeRollbackInput,
  TransitionListener,
} from './types.js';
import { toChangeView } from './view.js';

/** Runs `fn` with the node's pooled driver (drivers/pool.ts SessionPool.withDriver has this shape). */
export type WithDriver = <T>(node: LabNode, fn: (driver: Driver) => Promise<T>, opts?: { signal?: AbortSignal }) => Promise<T>;

export interface ChangeServiceOptions {
  readonly db: Kysely<Database>;
  readonly audit: AuditLog;
  /** The session pool; or give `withDriver` directly. */
  readonly pool?: { withDriver: WithDriver };
  readonly withDriver?: WithDriver;
  readonly scheduler: Scheduler;
  readonly clock?: () => Date;
  /** A planned change not approved within this many minutes expires. Default 60. */
  readonly expiryMinutes?: number;
  /** commit confirmed minutes when a proposal gives none. Default 5. */
  readonly defaultConfirmMinutes?: number;
  readonly logger?: Logger;
  /**
   * Finds a target again when a change is applied or re-planned (the inventory may have reloaded,
   * or another process proposed the change). Falls back to the nodes this process proposed on.
   */
  readonly resolveNode?: (ref: { readonly lab: string; readonly name: string }) => LabNode | undefined;
}

/** The bot itself, as the actor of expiry and crash recovery. */
export const SYSTEM_ACTOR: Person = Object.freeze({ id: 'clab-bot', name: 'clab-bot' });

const MAX_CONFIRM_MINUTES = 65_535;

interface MoveOptions {
  readonly action: ChangeAction;
  readonly reason?: string;
  readonly detail?: Record<string, unknown>;
  readonly plans?: readonly NodePlanUpdate[];
  readonly clearApprovals?: boolean;
  readonly expiresAt?: string;
  readonly pendingApplyStatus?: ApplyStatus;
}

/**
 * The approval-gated change lifecycle (DESIGN.md §6): propose (lock + plan) → approve →
 * apply (fresh diff must match, commit confirmed, check, confirm) → committed | partial |
 * failed | stale | unknown; or reject / cancel / expire. Every state change is a compare-and-set
 * in the database (db/changes-repo.ts), audited, and announced to onTransition listeners.
 * Every per-node operation goes through ops/fan-out.
 */
export class ChangeService {
  readonly #repo: ChangesRepo;
  readonly #audit: AuditLog;
  readonly #withDriver: WithDriver;
  readonly #scheduler: Scheduler;
  readonly #clock: () => Date;
  readonly #expiryMs: number;
  readonly #defaultConfirmMinutes: number;
  readonly #log: Logger;
  readonly #resolveNode: ChangeServiceOptions['resolveNode'];
  /** Nodes proposed on by this process, by `lab/node`: the fallback for resolveNode. */
  readonly #known = new Map<string, LabNode>();
  readonly #listeners = new Set<TransitionListener>();

  constructor(options: ChangeServiceOptions) {
    const pool = options.pool;
    const withDriver = options.withDriver ?? (pool ? ((node, fn, opts) => pool.withDriver(node, fn, opts)) as WithDriver : undefined);
    if (withDriver === undefined) throw new ChangeRequestError('ChangeService needs a session pool (pool or withDriver)');
    this.#repo = new ChangesRepo(options.db);
    this.#audit = options.audit;
    this.#withDriver = withDriver;
    this.#scheduler = options.scheduler;
    this.#clock = options.clock ?? (() => new Date());
    this.#expiryMs = (options.expiryMinutes ?? 60) * 60_000;
    this.#defaultConfirmMinutes = options.defaultConfirmMinutes ?? 5;
    this.#log = options.logger ?? silentLogger;
    this.#resolveNode = options.resolveNode;
  }

  /** Subscribes to every transition (after it is stored). Returns the unsubscribe function. */
  onTransition(listener: TransitionListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Locks every target (a node held by another open change → ChangeConflictError naming it),
   * plans on every target in parallel and stores the plans: state planned. Nodes whose plan or
   * commit check fails block approval until `replan`. When no node has anything to change the
   * change is recorded and cancelled at once with reason "no changes" (nothing to approve).
   */
  async propose(input: ProposeInput): Promise<ChangeView> {
    return this.#propose(input, undefined);
  }

  /** A proposal to load the device's own rollback N on the targets (same approval path). */
  async proposeRollback(input: ProposeRollbackInput): Promise<ChangeView> {
    const { index, ...rest } = input;
    return this.#propose({ ...rest, source: { type: 'rollback', index }, method: 'override' }, undefined);
  }

  /**
   * The Rollback button of a committed (or partially committed) change: proposes, on the nodes
   * where it committed, the device rollback that returns to the configuration before it, as a new
   * change that needs approval like any other. That is rollback 1 after a plain commit and
   * rollback 2 after commit confirmed (the confirm is a commit of its own). The plan shows the
   * approver the diff, so a commit made by someone else since then is visible before approval.
   */
  async rollbackChange(
    id: number,
    actor: Person,
    opts: { requestId?: string; channel?: string; requiredApprovals?: number; signal?: AbortSignal } = {},
  ): Promise<ChangeView> {
    const change = await this.#record(id);
    if (change.state !== 'committed' && change.state !== 'partial') {
      throw new ChangeRequestError(`change ${changeRef(id)} is ${change.state}: only a committed change can be rolled back`, 'use `config NODE --rollback N` for any other rollback');
    }
    const committed = (await this.#repo.nodes(id)).filter((n) => n.applyStatus === 'committed');
    const targets = committed.map((n) => this.#resolve(n));
    const gone = committed.filter((_, i) => targets[i] === undefined).map(lockKey);
    if (gone.length > 0) throw new NodeUnavailableError(gone.join(', '));
    const indexes = [...new Set(committed.map((n) => n.commits))];
    if (indexes.length !== 1 || indexes[0] === undefined || indexes[0] < 1) {
      throw new ChangeRequestError(
        `change ${changeRef(id)} made a different number of commits on its nodes, so no single rollback number undoes it`,
        'roll each node back with `config NODE --rollback N` (see `show system commit`)',
      );
    }
    return this.#propose(
      {
        requestId: opts.requestId ?? `${change.requestId}:rollback`,
        requester: actor,
        channel: opts.channel ?? change.channel,
        targets: targets as LabNode[],
        source: { type: 'rollback', index: indexes[0] },
        method: 'override',
        confirmMinutes: change.confirmMinutes,
        comment: `rollback of ${changeRef(id)}`,
        requiredApprovals: opts.requiredApprovals ?? change.requiredApprovals,
        signal: opts.signal,
      },
      id,
    );
  }

  /** Plans again with the same source (after fixing a failing node, or to refresh old diffs). Approvals given so far are void. */
  async replan(id: number, actor: Person, opts: { signal?: AbortSignal } = {}): Promise<ChangeView> {
    const view = await this.get(id);
    assertTransition(id, view.state, 'planned');
    const change = await this.#record(id);
    const plans = await this.#planAll(change.targets, configSource(change.source), change.method, opts.signal);
    const replanned = await this.#move(view, 'planned', actor, {
      action: 'replan',
      plans,
      clearApprovals: true,
      expiresAt: this.#expiresAt(),
      detail: { failing: plans.filter((p) => p.status !== 'ok').map(lockKey) },
    });
    if (!replanned.nothingToChange) return replanned;
    return this.#move(replanned, 'cancelled', actor, { action: 'no-changes', reason: NO_CHANGES });
  }

  /**
   * Records `approver`'s approval. When the count reaches the required number the change is
   * applied right away, in this call: planned → approved → applying → final state.
   * Refuses the requester (unless selfApproval), a second approval by the same person, and a
   * change with failing nodes. A double click or a second process gets IllegalTransitionError.
   * An apply, once started, runs to the end on every node (it is never cancelled half way).
   */
  async approve(id: number, approver: Person, opts: ApproveOptions): Promise<ChangeView> {
    const view = await this.get(id);
    if (view.state !== 'planned') throw new IllegalTransitionError(id, view.state, 'approved');
    if (opts.version !== undefined && opts.version !== view.version) throw new ChangeModifiedError(id);
    if (view.expiresAt <= this.#now()) {
      // Past its expiry but not swept yet: expire it now rather than apply a plan nobody renewed.
      await this.#moveIfStill(view, 'expired', { action: 'expire', reason: this.#expiredReason() });
      throw new IllegalTransitionError(id, 'expired', 'approved');
    }
    if (approver.id === view.requester.id && !opts.selfApproval) {
      await this.#auditRefusal(view, approver, 'approve', 'self-approval is not allowed by the policy');
      throw new SelfApprovalRefusedError(id);
    }
    if (view.failing.length > 0) throw new NotApprovableError(id, view.failing);
    if (view.approvals.some((a) => a.approver.id === approver.id)) {
      throw new AlreadyApprovedError(id, view.approvals.length, view.requiredApprovals);
    }
    const written = await this.#repo.approve({
      id,
      version: view.version,
      approver,
      required: view.requiredApprovals,
      at: this.#now(),
      detail: { action: 'approve' },
    });
    switch (written.result) {
      case 'moved': {
        const now = await this.#record(id);
        if (now.state === 'planned') throw new ChangeModifiedError(id);
        throw new IllegalTransitionError(id, now.state, 'approved');
      }
      case 'duplicate':
        throw new AlreadyApprovedError(id, written.count, view.requiredApprovals);
      case 'recorded': {
        const after = await this.get(id);
        const to: ChangeState = written.approved ? 'approved' : 'planned';
        await this.#auditTransition(after, 'approve', approver, written.approved ? 'ok' : 'recorded', {
          approvals: written.count,
          required: view.requiredApprovals,
        });
        this.#emit('planned', to, after, 'approve', approver);
        return written.approved ? this.#apply(after, approver) : after;
      }
      default:
        return written satisfies never;
    }
  }

  async reject(id: number, actor: Person): Promise<ChangeView> {
    const view = await this.get(id);
    assertTransition(id, view.state, 'rejected');
    return this.#move(view, 'rejected', actor, { action: 'reject', reason: `rejected by ${nameOf(actor)}` });
  }

  /** Only the requester or an admin may cancel. */
  async cancel(id: number, actor: Person, opts: { isAdmin: boolean }): Promise<ChangeView> {
    const view = await this.get(id);
    assertTransition(id, view.state, 'cancelled');
    if (actor.id !== view.requester.id && !opts.isAdmin) {
      await this.#auditRefusal(view, actor, 'cancel', 'only the requester or an admin can cancel');
      throw new CancelNotAllowedError(id);
    }
    return this.#move(view, 'cancelled', actor, { action: 'cancel', reason: `cancelled by ${nameOf(actor)}` });
  }

  /** Planned or approved changes past their expiry → expired (locks released). Returns those it expired. */
  async expireDue(): Promise<ChangeView[]> {
    const due = await this.#repo.expiring(['planned', 'approved'], this.#now());
    const expired: ChangeView[] = [];
    for (const change of due) {
      const view = await this.get(change.id);
      const moved = await this.#moveIfStill(view, 'expired', { action: 'expire', reason: this.#expiredReason() });
      if (moved) expired.push(moved);
    }
    return expired;
  }

  /**
   * Call once at start: a change still `applying` was cut off by a crash or restart mid-apply.
   * It becomes `unknown` (nodes not recorded as finished too), locks are released, and the
   * changes are returned so the front end can tell their threads what to check. Meant for a
   * single bot process per database: a replica starting while another applies would mark that
   * apply unknown too.
   */
  async recoverAfterCrash(): Promise<ChangeView[]> {
    const recovered: ChangeView[] = [];
    for (const change of await this.#repo.inState('applying')) {
      const view = await this.get(change.id);
      const open = view.targets.filter((t) => t.apply.status === 'pending' || t.apply.status === 'unknown').map((t) => t.key);
      const where = open.length > 0 ? open.join(', ') : 'its nodes';
      const moved = await this.#moveIfStill(view, 'unknown', {
        action: 'recover',
        reason: `clab-bot stopped while applying this change: run \`show system commit\` on ${where} to see whether it was committed`,
        pendingApplyStatus: 'unknown',
      });
      if (moved) recovered.push(moved);
    }
    return recovered;
  }

  /** Throws ChangeNotFoundError. */
  async get(id: number): Promise<ChangeView> {
    const change = await this.#record(id);
    const [nodes, approvals, events] = await Promise.all([this.#repo.nodes(id), this.#repo.approvals(id), this.#repo.events(id)]);
    return toChangeView(change, nodes, approvals, events);
  }

  /** Newest first. pending: open changes; mine: requested by actorId; all: everything. */
  async list(q: { filter: ListFilter; actorId: string; limit?: number }): Promise<ChangeView[]> {
    const limit = Math.min(Math.max(q.limit ?? 20, 1), 200);
    const records = await this.#repo.list({
      limit,
      ...(q.filter === 'pending' ? { states: OPEN_STATES } : {}),
      ...(q.filter === 'mine' ? { requesterId: q.actorId } : {}),
    });
    return Promise.all(records.map((r) => this.get(r.id)));
  }

  /** Where the front end posted the change (thread and root message), so a conflict can link to it. */
  async setThread(id: number, channel: string, threadTs: string, rootTs?: string): Promise<ChangeView> {
    if (!(await this.#repo.setThread(id, { channel, threadTs, rootTs }))) throw new ChangeNotFoundError(id);
    return this.get(id);
  }

  /** The running configuration saved on `node` just before this change's commit (redacted). */
  async beforeConfig(id: number, node: NodeRef): Promise<string | undefined> {
    await this.#record(id);
    return this.#repo.beforeConfig(id, node);
  }

  /** --dry-run: plans on every target and returns the per-node plans; records nothing and locks nothing. */
  async preview(input: {
    targets: readonly LabNode[];
    source: ChangeSourceInput;
    method: ConfigMethod;
    signal?: AbortSignal;
  }): Promise<{ lab: string; node: string; key: string; plan: NodePlanView }[]> {
    const targets = uniqueTargets(input.targets);
    for (const node of targets) this.#remember(node);
    const refs = targets.map((n) => ({ lab: n.lab, node: n.name }));
    const plans = await this.#planAll(refs, configSource(storedSource(input.source)), input.method, input.signal);
    return plans.map((p) => ({
      lab: p.lab,
      node: p.node,
      key: lockKey(p),
      plan: { status: p.status, diff: p.diff, diffHash: p.diffHash, base: p.base, check: p.check, error: p.error, at: p.at },
    }));
  }

  // --- internals ---------------------------------------------------------------------------------

  async #propose(input: ProposeInput, rollbackOf: number | undefined): Promise<ChangeView> {
    const targets = uniqueTargets(input.targets);
    if (targets.length === 0) throw new ChangeRequestError('a change needs at least one target node');
    if (!Number.isInteger(input.requiredApprovals) || input.requiredApprovals < 1) {
      throw new ChangeRequestError(`required approvals must be a whole number of at least 1, not ${input.requiredApprovals}`);
    }
    const confirmMinutes = input.confirmMinutes ?? this.#defaultConfirmMinutes;
    if (!Number.isInteger(confirmMinutes) || confirmMinutes < 0 || confirmMinutes > MAX_CONFIRM_MINUTES) {
      throw new ChangeRequestError(`--confirm must be whole minutes from 0 to ${MAX_CONFIRM_MINUTES}, not ${confirmMinutes}`);
    }
    const source = storedSource(input.source);
    const check = input.check?.trim() || undefined;
    const refs = targets.map((n) => ({ lab: n.lab, node: n.name }));
    for (const node of targets) this.#remember(node);
    const at = this.#now();

    let id: number | undefined;
    // A lock can be released between our failed insert and the holder lookup: try again, a bounded number of times.
    for (let attempt = 0; attempt < 3 && id === undefined; attempt++) {
      const created = await this.#repo.create({
        requestId: input.requestId,
        requester: input.requester,
        channel: input.channel,
        targets: refs,
        source,
        method: input.method,
        confirmMinutes,
        checkCommand: check,
        comment: input.comment?.trim() || undefined,
        requiredApprovals: input.requiredApprovals,
        rollbackOf,
        at,
        expiresAt: this.#expiresAt(),
        detail: redactObject({ action: 'propose', source: describeSource(source), method: input.method, rollbackOf }),
      });
      if ('id' in created) {
        id = created.id;
        break;
      }
      const holders = await this.#repo.lockHolders(created.conflicts);
      if (holders.length > 0) {
        await this.#audit.append({
          requestId: input.requestId,
          actor: input.requester.id,
          actorName: input.requester.name,
          channel: input.channel,
          event: 'plan',
          verb: 'config',
          targets: refs.map(lockKey),
          outcome: 'conflict',
          detail: { heldBy: holders.map((h) => ({ change: h.changeId, nodes: h.nodes })) },
        });
        throw new ChangeConflictError(holders);
      }
    }
    if (id === undefined) throw new ChangeRequestError('the target nodes kept changing hands while proposing: try again');

    const plans = await this.#planAll(refs, configSource(source), input.method, input.signal);
    await this.#repo.savePlans(id, plans, this.#now());
    const view = await this.get(id);
    await this.#auditTransition(view, 'propose', input.requester, view.failing.length > 0 ? 'failed' : 'ok', {
      failing: view.failing.map((f) => f.node),
    });
    this.#emit(undefined, 'planned', view, 'propose', input.requester);
    if (!view.nothingToChange) return view;
    return this.#move(view, 'cancelled', input.requester, { action: 'no-changes', reason: NO_CHANGES });
  }

  /** Plans on every node through the fan-out; results are redacted and ready to store. */
  async #planAll(refs: readonly NodeRef[], source: ConfigSource, method: ConfigMethod, signal: AbortSignal | undefined): Promise<NodePlanUpdate[]> {
    const resolved = refs.map((ref) => ({ ref, node: this.#resolve(ref) }));
    const present = resolved.flatMap((r) => (r.node === undefined ? [] : [r.node]));
    const outcomes = await fanOut(
      this.#scheduler,
      present,
      (node, nodeSignal) => this.#withDriver(node, (driver) => driver.plan(source, method, { signal: nodeSignal }), { signal: nodeSignal }),
      signal === undefined ? {} : { signal },
    );
    const byKey = new Map(outcomes.map((o) => [lockKey({ lab: o.node.lab, node: o.node.name }), o]));
    const at = this.#now();
    return resolved.map(({ ref, node }) => {
      const outcome = byKey.get(lockKey(ref));
      if (node === undefined || outcome === undefined) {
        return { ...ref, status: 'failed', diff: undefined, diffHash: undefined, base: undefined, check: undefined, error: storedError(new NodeUnavailableError(lockKey(ref))), at };
      }
      return planUpdate(ref, node, outcome, at);
    });
  }

  /** approved → applying → (per node, through the fan-out) → committed | partial | failed | stale | unknown. */
  async #apply(approved: ChangeView, actor: Person): Promise<ChangeView> {
    const applying = await this.#move(approved, 'applying', actor, { action: 'apply' });
    const change = await this.#record(applying.id);
    const nodes = await this.#repo.nodes(change.id);
    const approvers = (await this.#repo.approvals(change.id)).map((a) => a.approverName ?? a.approverId);
    const comment = commitComment(change.id, change.requesterName ?? change.requesterId, approvers, change.comment);
    const source = configSource(change.source);
    const hashes = new Map(nodes.map((n) => [lockKey(n), n.diffHash ?? '']));

    const statuses = new Map<string, { status: ApplyStatus; error: StoredError | undefined }>();
    const saves: Promise<void>[] = [];
    const record = (ref: NodeRef, status: ApplyStatus, commitId: string | undefined, commits: number, error: StoredError | undefined) => {
      statuses.set(lockKey(ref), { status, error });
      const saved = this.#repo.saveApply(change.id, { ...ref, status, commitId, commits, error, at: this.#now() });
      // Awaited below with the others; the no-op handler keeps an early failure from counting as unhandled meanwhile.
      saved.catch(() => undefined);
      saves.push(saved);
    };

    const present: LabNode[] = [];
    for (const n of nodes) {
      const node = this.#resolve(n);
      if (node === undefined) record(n, 'failed', undefined, 0, storedError(new NodeUnavailableError(lockKey(n))));
      else present.push(node);
    }
    await fanOut(
      this.#scheduler,
      present,
      (node, signal) => {
        const ref = { lab: node.lab, node: node.name };
        return this.#withDriver(
          node,
          (driver) =>
            applyOnNode(driver, {
              changeId: change.id,
              key: lockKey(ref),
              source,
              method: change.method,
              expectDiffHash: hashes.get(lockKey(ref)) ?? '',
              confirmMinutes: change.confirmMinutes,
              comment,
              check: change.checkCommand,
              signal,
              saveBeforeConfig: (text) => this.#repo.saveBeforeConfig(change.id, ref, redactText(text, { secrets: [node.credentials.password] })),
            }),
          { signal },
        );
      },
      {
        statusFor: (err) => (err instanceof CommitOutcomeUnknownError ? 'unknown' : statusForError(err)),
        onOutcome: (o: NodeOutcome<NodeApplyValue>) => {
          const ref = { lab: o.node.lab, node: o.node.name };
          const problem = o.value?.problem;
          const error = o.error ? redactObject(o.error, { secrets: [o.node.credentials.password] }) : problem ? { code: 'check_failed', message: redactText(problem), deviceErrors: [] } : undefined;
          record(ref, applyStatusOf(o), o.value?.commitId, o.value?.commits ?? 0, error);
        },
      },
    );
    await Promise.all(saves);

    const all = nodes.map((n) => ({ key: lockKey(n), ...(statuses.get(lockKey(n)) ?? { status: 'unknown' as const, error: undefined }) }));
    const to = finalState(all.map((s) => s.status));
    const counts = countStatuses(all.map((s) => s.status));
    return this.#move(applying, to, actor, { action: 'finish', reason: summarise(all), detail: { nodes: counts } });
  }

  /** Compare-and-set `view.state → to`; throws IllegalTransitionError / ChangeModifiedError when the change moved on. */
  async #move(view: ChangeView, to: ChangeState, actor: Person, opts: MoveOptions): Promise<ChangeView> {
    const from = view.state;
    assertTransition(view.id, from, to);
    const reason = opts.reason === undefined ? undefined : redactText(opts.reason);
    const ok = await this.#repo.transition({
      id: view.id,
      from,
      to,
      version: view.version,
      actor,
      at: this.#now(),
      detail: redactObject({ action: opts.action, ...opts.detail, ...(reason === undefined ? {} : { reason }) }),
      reason,
      releaseLocks: isTerminal(to),
      ...(opts.expiresAt === undefined ? {} : { expiresAt: opts.expiresAt }),
      ...(opts.plans === undefined ? {} : { plans: opts.plans }),
      ...(opts.clearApprovals === undefined ? {} : { clearApprovals: opts.clearApprovals }),
      ...(opts.pendingApplyStatus === undefined ? {} : { pendingApplyStatus: opts.pendingApplyStatus }),
    });
    if (!ok) {
      const now = await this.#record(view.id);
      if (now.state === from) throw new ChangeModifiedError(view.id);
      throw new IllegalTransitionError(view.id, now.state, to);
    }
    const next = await this.get(view.id);
    await this.#auditTransition(next, opts.action, actor, auditOutcome(opts.action, to), opts.detail ?? {});
    this.#emit(from, to, next, opts.action, actor);
    return next;
  }

  /** For sweeps (expiry, recovery): a change someone else moved meanwhile is skipped, not an error. */
  async #moveIfStill(view: ChangeView, to: ChangeState, opts: MoveOptions): Promise<ChangeView | undefined> {
    try {
      return await this.#move(view, to, SYSTEM_ACTOR, opts);
    } catch (err) {
      if (err instanceof IllegalTransitionError || err instanceof ChangeModifiedError) return undefined;
      throw err;
    }
  }

  async #auditTransition(view: ChangeView, action: ChangeAction, actor: Person, outcome: string, detail: Record<string, unknown>): Promise<void> {
    await this.#audit.append({
      requestId: view.requestId,
      actor: actor.id,
      actorName: actor.name,
      channel: view.channel,
      event: auditEvent(action, view),
      verb: 'config',
      command: `change ${view.ref}: ${view.method} ${describeSourceView(view)}`,
      targets: view.targets.map((t) => t.key),
      outcome,
      detail: { change: view.id, state: view.state, ...detail, ...(view.reason === undefined ? {} : { reason: view.reason }) },
    });
  }

  async #auditRefusal(view: ChangeView, actor: Person, event: string, reason: string): Promise<void> {
    await this.#audit.append({
      requestId: view.requestId,
      actor: actor.id,
      actorName: actor.name,
      channel: view.channel,
      event,
      verb: 'config',
      targets: view.targets.map((t) => t.key),
      outcome: 'denied',
      detail: { change: view.id, reason },
    });
  }

  #emit(from: ChangeState | undefined, to: ChangeState, change: ChangeView, action: ChangeAction, actor: Person): void {
    for (const listener of this.#listeners) {
      try {
        const result = listener(from, to, change, { action, actor });
        if (result instanceof Promise) {
          result.catch((err: unknown) => this.#log.error({ err, change: change.id }, 'change transition listener failed'));
        }
      } catch (err) {
        this.#log.error({ err, change: change.id }, 'change transition listener failed');
      }
    }
  }

  async #record(id: number): Promise<ChangeRecord> {
    const change = await this.#repo.get(id);
    if (change === undefined) throw new ChangeNotFoundError(id);
    return change;
  }

  #remember(node: LabNode): void {
    this.#known.set(lockKey({ lab: node.lab, node: node.name }), node);
  }

  #resolve(ref: NodeRef): LabNode | undefined {
    return this.#resolveNode?.({ lab: ref.lab, name: ref.node }) ?? this.#known.get(lockKey(ref));
  }

  #now(): string {
    return this.#clock().toISOString();
  }

  #expiredReason(): string {
    return `expired: not approved within ${Math.round(this.#expiryMs / 60_000)} min`;
  }

  #expiresAt(): string {
    return new Date(this.#clock().getTime() + this.#expiryMs).toISOString();
  }
}

const NO_CHANGES = 'no changes: the configuration is already in place on every target';

function uniqueTargets(nodes: readonly LabNode[]): LabNode[] {
  const seen = new Map<string, LabNode>();
  for (const node of nodes) seen.set(lockKey({ lab: node.lab, node: node.name }), node);
  return [...seen.values()];
}

function nameOf(p: Person): string {
  return p.name ?? p.id;
}
