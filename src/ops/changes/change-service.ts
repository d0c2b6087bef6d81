import type { Kysely } from 'kysely';
import { driverTraits } from '../../drivers/registry.js';
import type { AuditLog } from '../../db/audit-log.js';
import type { NodePlanUpdate } from '../../db/changes-repo.js';
import { nodeKey, type NodeRef } from '../../model/node-ref.js';
import type { Database } from '../../db/schema.js';
import type { ConfigMethod } from '../../drivers/contract.js';
import { describeSource, sourceForNode, type ConfigSource } from '../../model/config-source.js';
import type { LabNode } from '../../inventory/types.js';
import { vetOutcome } from '../config-guard.js';
import { silentLogger, type Logger } from '../../log.js';
import { learnSecrets, redactObject } from '../../redact/index.js';
import { fanOut } from '../fan-out.js';
import type { Scheduler } from '../scheduler.js';
import { withRunningSecrets } from './masked-secrets.js';
import { applyChange, type SaveBackup, type WithDriver } from './apply-change.js';
import {
  AlreadyApprovedError,
  CancelNotAllowedError,
  ChangeConflictError,
  ChangeModifiedError,
  ChangeNotFoundError,
  ChangeRequestError,
  CheckNotAuthorizedError,
  changeRef,
  IllegalTransitionError,
  NodeUnavailableError,
  NotApprovableError,
  NotResolvableError,
  SelfApprovalRefusedError,
} from './errors.js';
import { finalState } from './final-state.js';
import { planUpdate, storedError } from './node-results.js';
import { hashedSource } from './source.js';
import { assertTransition, OPEN_STATES, type ChangeState } from './state-machine.js';
import { processOwner, type LeaseOwner } from './lease.js';
import { ChangeSweeper } from './sweeper.js';
import { commitHistoryHint } from './view.js';
import { ChangeTransitions } from './transitions.js';
import type {
  ApproveOptions,
  ChangeView,
  ListFilter,
  Person,
  ProposeInput,
  ProposeRollbackInput,
  TransitionListener,
  PlanVet,
} from './types.js';

export type { WithDriver } from './apply-change.js';

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
  readonly resolveNode?: (ref: NodeRef) => LabNode | undefined;
  /** How long crash recovery waits for each device it asks; default 10 s. */
  readonly recoveryTimeoutMs?: number;
  /** This process as an apply-lease holder; default: host, pid and a nonce, 30 s lease. */
  readonly owner?: LeaseOwner;
  /** Saves the configuration before and after each commit as backup versions. */
  readonly saveBackup?: SaveBackup;
}

const MAX_CONFIRM_MINUTES = 65_535;

/**
 * The approval-gated change lifecycle (DESIGN.md §6): propose (lock + plan) → approve →
 * apply (fresh diff must match, commit confirmed, check, confirm) → committed | partial |
 * failed | stale | unknown; or reject / cancel / expire. Every state change is a compare-and-set
 * in the database (db/changes-repo.ts), audited, and announced to onTransition listeners.
 * Every per-node operation goes through ops/fan-out.
 */
export class ChangeService {
  readonly #t: ChangeTransitions;
  readonly #withDriver: WithDriver;
  readonly #scheduler: Scheduler;
  readonly #expiryMs: number;
  readonly #defaultConfirmMinutes: number;
  readonly #owner: LeaseOwner;
  readonly #saveBackup: SaveBackup | undefined;
  /** Expiry and crash recovery: the background duties of whoever runs the front end. */
  readonly sweeper: ChangeSweeper;

  constructor(options: ChangeServiceOptions) {
    const pool = options.pool;
    const withDriver = options.withDriver ?? (pool ? ((node, fn, opts) => pool.withDriver(node, fn, opts)) as WithDriver : undefined);
    if (withDriver === undefined) throw new ChangeRequestError('ChangeService needs a session pool (pool or withDriver)');
    this.#t = new ChangeTransitions({
      db: options.db,
      audit: options.audit,
      clock: options.clock ?? (() => new Date()),
      logger: options.logger ?? silentLogger,
      resolveNode: options.resolveNode,
    });
    this.#withDriver = withDriver;
    this.#scheduler = options.scheduler;
    this.#expiryMs = (options.expiryMinutes ?? 60) * 60_000;
    this.#defaultConfirmMinutes = options.defaultConfirmMinutes ?? 5;
    this.#owner = options.owner ?? processOwner();
    this.#saveBackup = options.saveBackup;
    this.sweeper = new ChangeSweeper({
      transitions: this.#t,
      expiryMinutes: options.expiryMinutes ?? 60,
      withDriver,
      ...(options.recoveryTimeoutMs === undefined ? {} : { askTimeoutMs: options.recoveryTimeoutMs }),
    });
  }

  /** Subscribes to every transition (after it is stored). Returns the unsubscribe function. */
  onTransition(listener: TransitionListener): () => void {
    return this.#t.onTransition(listener);
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
    opts: { requestId?: string; channel?: string; requiredApprovals?: number; signal?: AbortSignal; vet?: PlanVet } = {},
  ): Promise<ChangeView> {
    const change = await this.#t.record(id);
    if (change.state !== 'committed' && change.state !== 'partial') {
      throw new ChangeRequestError(
        `change ${changeRef(id)} is ${change.state}: only a committed change can be rolled back`,
        'use `config NODE --rollback N` for any other rollback',
      );
    }
    const committed = (await this.#t.repo.nodes(id)).filter((n) => n.applyStatus === 'committed');
    const targets = committed.map((n) => this.#t.resolve(n));
    const gone = committed.filter((_, i) => targets[i] === undefined).map(nodeKey);
    if (gone.length > 0) throw new NodeUnavailableError(gone.join(', '));
    const indexes = [...new Set(committed.map((n) => n.commits))];
    if (indexes.length !== 1 || indexes[0] === undefined || indexes[0] < 1) {
      throw new ChangeRequestError(
        `change ${changeRef(id)} made a different number of commits on its nodes, so no single rollback number undoes it`,
        `roll each node back with \`config NODE --rollback N\` (to find N, ${commitHistoryHint(
          committed.map((n, i) => ({
            key: nodeKey(n),
            historyCommand: driverTraits((targets[i] as LabNode).driver, (targets[i] as LabNode).kind)?.commitHistoryCommand,
          })),
        )})`,
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
        vet: opts.vet,
      },
      id,
    );
  }

  /** Plans again with the same source (after fixing a failing node, or to refresh old diffs). Approvals given so far are void. */
  async replan(id: number, actor: Person, opts: { signal?: AbortSignal; vet?: PlanVet } = {}): Promise<ChangeView> {
    const view = await this.get(id);
    assertTransition(id, view.state, 'planned');
    const change = await this.#t.record(id);
    const plans = await this.#planAll(change.targets, change.source, change.method, opts.signal, opts.vet);
    const replanned = await this.#t.move(view, 'planned', actor, {
      action: 'replan',
      plans,
      clearApprovals: true,
      expiresAt: this.#expiresAt(),
      detail: { failing: plans.filter((p) => p.status !== 'ok').map(nodeKey) },
    });
    if (!replanned.nothingToChange) return replanned;
    return this.#t.move(replanned, 'cancelled', actor, { action: 'no-changes', reason: NO_CHANGES });
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
      await this.#t.moveIfStill(view, 'expired', { action: 'expire', reason: this.sweeper.expiredReason() });
      throw new IllegalTransitionError(id, 'expired', 'approved');
    }
    if (approver.id === view.requester.id && !opts.selfApproval) {
      await this.#t.auditRefusal(view, approver, 'approve', 'self-approval is not allowed by the policy');
      throw new SelfApprovalRefusedError(id);
    }
    if (view.failing.length > 0) throw new NotApprovableError(id, view.failing);
    if (view.check !== undefined) {
      // The check reaches the devices like exec: refuse before any approval is recorded unless the
      // caller authorized it for every node (request-runner does, for the requester, on every approval).
      const missing = view.targets.map((t) => t.key).filter((k) => opts.checkCommands?.get(k) === undefined);
      if (missing.length > 0) throw new CheckNotAuthorizedError(id, missing);
    }
    if (view.approvals.some((a) => a.approver.id === approver.id)) {
      throw new AlreadyApprovedError(id, view.approvals.length, view.requiredApprovals);
    }
    const written = await this.#t.repo.approve({
      id,
      version: view.version,
      approver,
      required: view.requiredApprovals,
      at: this.#now(),
      detail: { action: 'approve' },
    });
    switch (written.result) {
      case 'moved': {
        const now = await this.#t.record(id);
        if (now.state === 'planned') throw new ChangeModifiedError(id);
        throw new IllegalTransitionError(id, now.state, 'approved');
      }
      case 'duplicate':
        throw new AlreadyApprovedError(id, written.count, view.requiredApprovals);
      case 'recorded': {
        const after = await this.get(id);
        const to: ChangeState = written.approved ? 'approved' : 'planned';
        await this.#t.auditTransition(after, 'approve', approver, written.approved ? 'ok' : 'recorded', {
          approvals: written.count,
          required: view.requiredApprovals,
        });
        this.#t.emit('planned', to, after, 'approve', approver);
        return written.approved
          ? applyChange(
              { transitions: this.#t, scheduler: this.#scheduler, withDriver: this.#withDriver, owner: this.#owner, saveBackup: this.#saveBackup },
              after,
              approver,
              opts.checkCommands,
            )
          : after;
      }
      default:
        return written satisfies never;
    }
  }

  async reject(id: number, actor: Person): Promise<ChangeView> {
    const view = await this.get(id);
    assertTransition(id, view.state, 'rejected');
    return this.#t.move(view, 'rejected', actor, { action: 'reject', reason: `rejected by ${nameOf(actor)}` });
  }

  /** Only the requester or an admin may cancel. */
  async cancel(id: number, actor: Person, opts: { isAdmin: boolean }): Promise<ChangeView> {
    const view = await this.get(id);
    assertTransition(id, view.state, 'cancelled');
    if (actor.id !== view.requester.id && !opts.isAdmin) {
      await this.#t.auditRefusal(view, actor, 'cancel', 'only the requester or an admin can cancel');
      throw new CancelNotAllowedError(id);
    }
    return this.#t.move(view, 'cancelled', actor, { action: 'cancel', reason: `cancelled by ${nameOf(actor)}` });
  }

  /**
   * `change N resolve`: records what an admin found on the devices of a change whose outcome was
   * unknown. Nodes still unknown become committed or failed; the change ends committed, partial
   * (nodes recorded as failed stay so) or failed. Audited with the admin's reason. The caller
   * checks that the actor is an admin; the change's locks were released when it became unknown.
   */
  async resolve(id: number, actor: Person, opts: { outcome: 'committed' | 'not-committed'; reason?: string | undefined }): Promise<ChangeView> {
    const view = await this.get(id);
    if (view.state !== 'unknown') throw new NotResolvableError(id, view.state);
    const status = opts.outcome === 'committed' ? 'committed' : 'failed';
    const open = view.targets.filter((t) => t.apply.status === 'unknown' || t.apply.status === 'pending');
    const to = finalState(view.targets.map((t) => (open.includes(t) ? status : t.apply.status)));
    const said = `${opts.outcome === 'committed' ? 'committed' : 'not committed'}${opts.reason?.trim() ? `: ${opts.reason.trim()}` : ''}`;
    return this.#t.move(view, to, actor, {
      action: 'resolve',
      reason: `resolved by ${nameOf(actor)} as ${said} (before: ${view.reason ?? 'outcome unknown'})`,
      applyStatuses: open.map((t) => ({ lab: t.lab, name: t.node, status })),
      detail: { outcome: opts.outcome, nodes: open.map((t) => t.key), ...(opts.reason?.trim() ? { note: opts.reason.trim() } : {}) },
    });
  }

  /** Throws ChangeNotFoundError. */
  async get(id: number): Promise<ChangeView> {
    return this.#t.get(id);
  }

  /** Newest first. pending: open changes; mine: requested by actorId; all: everything. */
  async list(q: { filter: ListFilter; actorId: string; limit?: number }): Promise<ChangeView[]> {
    const limit = Math.min(Math.max(q.limit ?? 20, 1), 200);
    const records = await this.#t.repo.list({
      limit,
      ...(q.filter === 'pending' ? { states: OPEN_STATES } : {}),
      ...(q.filter === 'mine' ? { requesterId: q.actorId } : {}),
    });
    return Promise.all(records.map((r) => this.get(r.id)));
  }

  /** Where the front end posted the change's Approve/Reject buttons (any replica updates them as the change moves). */
  async setDecision(id: number, ts: string): Promise<void> {
    if (!(await this.#t.repo.setDecision(id, ts))) throw new ChangeNotFoundError(id);
  }

  /** Where the front end posted the change (thread and root message), so a conflict can link to it. */
  async setThread(id: number, channel: string, threadTs: string, rootTs?: string): Promise<ChangeView> {
    if (!(await this.#t.repo.setThread(id, { channel, threadTs, rootTs }))) throw new ChangeNotFoundError(id);
    return this.get(id);
  }

  /** The running configuration saved on `node` just before this change's commit (redacted). */
  async beforeConfig(id: number, node: NodeRef): Promise<string | undefined> {
    await this.#t.record(id);
    return this.#t.repo.beforeConfig(id, node);
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
    for (const node of targets) {
      // Each driver has its own limits (Junos whole minutes to 65535, SR Linux and EOS a day; rollback depth).
      const traits = driverTraits(node.driver, node.kind);
      if (traits === undefined) continue;
      if (confirmMinutes * 60 > traits.maxConfirmSeconds) {
        throw new ChangeRequestError(`--confirm ${confirmMinutes}: ${nodeKey(node)} takes at most ${Math.floor(traits.maxConfirmSeconds / 60)} minutes`);
      }
      if (input.source.type === 'rollback' && input.source.index > traits.maxRollback) {
        throw new ChangeRequestError(`rollback ${input.source.index}: ${nodeKey(node)} keeps at most ${traits.maxRollback} earlier configurations`);
      }
    }
    const source = hashedSource(input.source);
    // The config to load holds the secrets it sets: mask them from here on, in every output.
    if (input.source.type === 'text') learnSecrets(input.source.content);
    if (input.source.type === 'template') for (const r of Object.values(input.source.rendered)) learnSecrets(r.content);
    const check = input.check?.trim() || undefined;
    // Just the names: these refs are spread into stored rows, a LabNode would carry its credentials along.
    const refs: NodeRef[] = targets.map((n) => ({ lab: n.lab, name: n.name }));
    for (const node of targets) this.#t.remember(node);
    const at = this.#now();

    let id: number | undefined;
    // A lock can be released between our failed insert and the holder lookup: try again, a bounded number of times.
    for (let attempt = 0; attempt < 3 && id === undefined; attempt++) {
      const created = await this.#t.repo.create({
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
      const holders = await this.#t.repo.lockHolders(created.conflicts);
      if (holders.length > 0) {
        await this.#t.audit.append({
          requestId: input.requestId,
          actor: input.requester.id,
          actorName: input.requester.name,
          channel: input.channel,
          event: 'plan',
          verb: 'config',
          targets: refs.map(nodeKey),
          outcome: 'conflict',
          detail: { heldBy: holders.map((h) => ({ change: h.changeId, nodes: h.nodes })) },
        });
        throw new ChangeConflictError(holders);
      }
    }
    if (id === undefined) throw new ChangeRequestError('the target nodes kept changing hands while proposing: try again');

    const plans = await this.#planAll(refs, source, input.method, input.signal, input.vet);
    await this.#t.repo.savePlans(id, plans, this.#now());
    const view = await this.get(id);
    await this.#t.auditTransition(view, 'propose', input.requester, view.failing.length > 0 ? 'failed' : 'ok', {
      failing: view.failing.map((f) => f.node),
    });
    this.#t.emit(undefined, 'planned', view, 'propose', input.requester);
    if (!view.nothingToChange) return view;
    return this.#t.move(view, 'cancelled', input.requester, { action: 'no-changes', reason: NO_CHANGES });
  }

  /** Plans on every node through the fan-out; results are redacted and ready to store. */
  async #planAll(
    refs: readonly NodeRef[],
    source: ConfigSource,
    method: ConfigMethod,
    signal: AbortSignal | undefined,
    vet: PlanVet | undefined,
  ): Promise<NodePlanUpdate[]> {
    const resolved = refs.map((ref) => ({ ref, node: this.#t.resolve(ref) }));
    const present = resolved.flatMap((r) => (r.node === undefined ? [] : [r.node]));
    const confirmable = new Map<string, boolean>();
    const outcomes = await fanOut(
      this.#scheduler,
      present,
      (node, nodeSignal) =>
        this.#withDriver(
          node,
          async (driver) => {
            const plan = await driver.plan(await withRunningSecrets(driver, sourceForNode(source, nodeKey(node)), nodeSignal), method, { signal: nodeSignal });
            confirmable.set(nodeKey(node), driver.capabilities.commitConfirmed);
            return plan;
          },
          { signal: nodeSignal },
        ),
      signal === undefined ? {} : { signal },
    );
    const byKey = new Map(outcomes.map((o) => [nodeKey(o.node), o]));
    const at = this.#now();
    return resolved.map(({ ref, node }) => {
      const outcome = byKey.get(nodeKey(ref));
      if (node === undefined || outcome === undefined) {
        return {
          ...ref,
          status: 'failed',
          diff: undefined,
          diffHash: undefined,
          base: undefined,
          check: undefined,
          commitConfirmed: undefined,
          error: storedError(new NodeUnavailableError(nodeKey(ref))),
          at,
        };
      }
      return planUpdate(ref, node, vetOutcome(outcome, vet), at, confirmable.get(nodeKey(ref)));
    });
  }

  #now(): string {
    return this.#t.now();
  }

  #expiresAt(): string {
    return new Date(this.#t.clock().getTime() + this.#expiryMs).toISOString();
  }
}

const NO_CHANGES = 'no changes: the configuration is already in place on every target';

function uniqueTargets(nodes: readonly LabNode[]): LabNode[] {
  const seen = new Map<string, LabNode>();
  for (const node of nodes) seen.set(nodeKey(node), node);
  return [...seen.values()];
}

function nameOf(p: Person): string {
  return p.name ?? p.id;
}
