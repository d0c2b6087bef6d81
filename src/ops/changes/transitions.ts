import type { AuditLog } from '../../db/audit-log.js';
import { ChangesRepo, type NodePlanUpdate, type TransitionWrite } from '../../db/changes-repo.js';
import type { ApplyStatus, ChangeRecord } from '../../model/change.js';
import { nodeKey, type NodeRef } from '../../model/node-ref.js';
import { describeSource } from '../../model/config-source.js';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { LabNode } from '../../inventory/types.js';
import type { Logger } from '../../log.js';
import { redactObject, redactText } from '../../redact/index.js';
import { driverTraits } from '../../drivers/registry.js';
import { auditEvent, auditOutcome } from './audit-events.js';
import { ChangeModifiedError, ChangeNotFoundError, IllegalTransitionError } from './errors.js';
import { assertTransition, isTerminal, type ChangeState } from './state-machine.js';
import type { ChangeAction, ChangeView, Person, TransitionListener } from './types.js';
import { toChangeView } from './view.js';

/** The bot itself, as the actor of expiry and crash recovery. */
const SYSTEM_ACTOR: Person = Object.freeze({ id: 'clab-bot', name: 'clab-bot' });

export interface MoveOptions {
  readonly action: ChangeAction;
  readonly reason?: string;
  readonly detail?: Record<string, unknown>;
  readonly plans?: readonly NodePlanUpdate[];
  readonly clearApprovals?: boolean;
  readonly expiresAt?: string;
  readonly pendingApplyStatus?: ApplyStatus;
  /** Per node, an apply status found out later (recovery asking the device). */
  readonly applyStatuses?: TransitionWrite['applyStatuses'];
  /** Takes (owner and expiry) or gives up (null) the apply lease in the same write. */
  readonly lease?: TransitionWrite['lease'];
}

export interface ChangeTransitionsOptions {
  readonly db: Kysely<Database>;
  readonly audit: AuditLog;
  readonly clock: () => Date;
  readonly logger: Logger;
  /** Finds a target again (the inventory may have reloaded, or another process proposed the change). */
  readonly resolveNode: ((ref: NodeRef) => LabNode | undefined) | undefined;
}

/**
 * What every part of the change lifecycle shares (the service, the apply, the sweeper): reading
 * a change, moving it by compare-and-set with its audit row, telling the listeners, and finding
 * its nodes again.
 */
export class ChangeTransitions {
  readonly repo: ChangesRepo;
  readonly audit: AuditLog;
  readonly clock: () => Date;
  readonly #log: Logger;
  readonly #resolveNode: ChangeTransitionsOptions['resolveNode'];
  /** Nodes proposed on by this process, by `lab/node`: the fallback for resolveNode. */
  readonly #known = new Map<string, LabNode>();
  readonly #listeners = new Set<TransitionListener>();

  constructor(options: ChangeTransitionsOptions) {
    this.repo = new ChangesRepo(options.db);
    this.audit = options.audit;
    this.clock = options.clock;
    this.#log = options.logger;
    this.#resolveNode = options.resolveNode;
  }

  onTransition(listener: TransitionListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Throws ChangeNotFoundError. */
  async get(id: number): Promise<ChangeView> {
    const change = await this.record(id);
    const [nodes, approvals, events] = await Promise.all([this.repo.nodes(id), this.repo.approvals(id), this.repo.events(id)]);
    return toChangeView(change, nodes, approvals, events, (n) => {
      const node = this.resolve(n);
      return node === undefined ? undefined : driverTraits(node.driver, node.kind)?.commitHistoryCommand;
    });
  }

  async record(id: number): Promise<ChangeRecord> {
    const change = await this.repo.get(id);
    if (change === undefined) throw new ChangeNotFoundError(id);
    return change;
  }

  /** Compare-and-set `view.state → to`; throws IllegalTransitionError / ChangeModifiedError when the change moved on. */
  async move(view: ChangeView, to: ChangeState, actor: Person, opts: MoveOptions): Promise<ChangeView> {
    const from = view.state;
    assertTransition(view.id, from, to);
    const reason = opts.reason === undefined ? undefined : redactText(opts.reason);
    const ok = await this.repo.transition({
      id: view.id,
      from,
      to,
      version: view.version,
      actor,
      at: this.now(),
      detail: redactObject({ action: opts.action, ...opts.detail, ...(reason === undefined ? {} : { reason }) }),
      reason,
      releaseLocks: isTerminal(to),
      ...(opts.expiresAt === undefined ? {} : { expiresAt: opts.expiresAt }),
      ...(opts.plans === undefined ? {} : { plans: opts.plans }),
      ...(opts.clearApprovals === undefined ? {} : { clearApprovals: opts.clearApprovals }),
      ...(opts.pendingApplyStatus === undefined ? {} : { pendingApplyStatus: opts.pendingApplyStatus }),
      ...(opts.applyStatuses === undefined ? {} : { applyStatuses: opts.applyStatuses }),
      // Leaving `applying` always gives the lease up.
      ...(opts.lease !== undefined ? { lease: opts.lease } : from === 'applying' ? { lease: null } : {}),
    });
    if (!ok) {
      const now = await this.record(view.id);
      if (now.state === from) throw new ChangeModifiedError(view.id);
      throw new IllegalTransitionError(view.id, now.state, to);
    }
    const next = await this.get(view.id);
    await this.auditTransition(next, opts.action, actor, auditOutcome(opts.action, to), opts.detail ?? {});
    this.emit(from, to, next, opts.action, actor);
    return next;
  }

  /** For sweeps (expiry, recovery): a change someone else moved meanwhile is skipped, not an error. */
  async moveIfStill(view: ChangeView, to: ChangeState, opts: MoveOptions): Promise<ChangeView | undefined> {
    try {
      return await this.move(view, to, SYSTEM_ACTOR, opts);
    } catch (err) {
      if (err instanceof IllegalTransitionError || err instanceof ChangeModifiedError) return undefined;
      throw err;
    }
  }

  async auditTransition(view: ChangeView, action: ChangeAction, actor: Person, outcome: string, detail: Record<string, unknown>): Promise<void> {
    await this.audit.append({
      requestId: view.requestId,
      actor: actor.id,
      actorName: actor.name,
      channel: view.channel,
      event: auditEvent(action, view),
      verb: 'config',
      command: `change ${view.ref}: ${view.method} ${describeSource(view.source)}`,
      targets: view.targets.map((t) => t.key),
      outcome,
      detail: { change: view.id, state: view.state, ...detail, ...(view.reason === undefined ? {} : { reason: view.reason }) },
    });
  }

  async auditRefusal(view: ChangeView, actor: Person, event: string, reason: string): Promise<void> {
    await this.audit.append({
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

  emit(from: ChangeState | undefined, to: ChangeState, change: ChangeView, action: ChangeAction, actor: Person): void {
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

  remember(node: LabNode): void {
    this.#known.set(nodeKey(node), node);
  }

  resolve(ref: NodeRef): LabNode | undefined {
    return this.#resolveNode?.(ref) ?? this.#known.get(nodeKey(ref));
  }

  now(): string {
    return this.clock().toISOString();
  }
}
