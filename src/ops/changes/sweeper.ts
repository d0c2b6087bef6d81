import type { CommitStatus } from '../../drivers/contract.js';
import type { ApplyStatus, StoredError } from '../../model/change.js';
import { changeCommits } from './apply-node.js';
import type { WithDriver } from './apply-change.js';
import { finalState } from './final-state.js';
import { ownerGone } from './lease.js';
import type { ChangeTransitions } from './transitions.js';
import type { ChangeNodeView, ChangeView } from './types.js';
import { commitHistoryHint } from './view.js';

/** How long recovery waits for one device: it runs before the verb that triggered it, which must not hang. */
const DEFAULT_ASK_TIMEOUT_MS = 10_000;

/** The stored code of a node's apply error that holds what its device said at recovery. */
export const DEVICE_SAYS = 'device_says';

export interface ChangeSweeperOptions {
  readonly transitions: ChangeTransitions;
  readonly expiryMinutes: number;
  /** Asks the devices of an orphaned apply what they hold. */
  readonly withDriver: WithDriver;
  readonly askTimeoutMs?: number;
}

/** What one node's device said about an orphaned change; `undefined` status: its driver cannot tell. */
interface NodeAnswer {
  readonly target: ChangeNodeView;
  readonly status: CommitStatus | undefined;
}

/**
 * The background duties of the change lifecycle: open changes past their expiry end as
 * `expired`, and changes a crash left `applying` end on what their devices say. Both release node locks.
 */
export class ChangeSweeper {
  readonly #t: ChangeTransitions;
  readonly #expiryMinutes: number;
  readonly #withDriver: WithDriver;
  readonly #askTimeoutMs: number;

  constructor(options: ChangeSweeperOptions) {
    this.#t = options.transitions;
    this.#expiryMinutes = options.expiryMinutes;
    this.#withDriver = options.withDriver;
    this.#askTimeoutMs = options.askTimeoutMs ?? DEFAULT_ASK_TIMEOUT_MS;
  }

  /** Planned or approved changes past their expiry → expired (locks released). Returns those it expired. */
  async expireDue(): Promise<ChangeView[]> {
    const due = await this.#t.repo.expiring(['planned', 'approved'], this.#t.now());
    const expired: ChangeView[] = [];
    for (const change of due) {
      const view = await this.#t.get(change.id);
      const moved = await this.#t.moveIfStill(view, 'expired', { action: 'expire', reason: this.expiredReason() });
      if (moved) expired.push(moved);
    }
    return expired;
  }

  /**
   * A change still `applying` whose process is gone (its apply lease ran out, or its process on
   * this host no longer exists: a console killed with -9, a one-shot `config --yes` killed
   * mid-commit) ends on what its devices say now: each node not recorded as finished is asked
   * (driver.commitStatus, bounded by a timeout) and the change ends committed when every device
   * says committed, failed when none committed, partial for a mix, and unknown when any device
   * cannot tell, is waiting for a confirm, or cannot be reached; the devices' words are its
   * reason. Its locks are released either way. A change a live process is applying (here, or
   * another process, replica or agent renewing its lease) is left alone. Run at the start of every
   * front end and verb that touches changes.
   */
  async recoverAfterCrash(): Promise<ChangeView[]> {
    const recovered: ChangeView[] = [];
    const now = this.#t.clock();
    for (const change of await this.#t.repo.inState('applying')) {
      if (!ownerGone({ id: change.ownerId, leaseExpiresAt: change.leaseExpiresAt }, now)) continue;
      const view = await this.#t.get(change.id);
      const open = view.targets.filter((t) => t.apply.status === 'pending' || t.apply.status === 'unknown');
      const answers = await Promise.all(open.map((t) => this.#ask(view.id, t)));
      const asked = new Map(answers.map((a) => [a.target.key, applyStatusFor(a.status)]));
      const to = finalState(view.targets.map((t) => asked.get(t.key) ?? t.apply.status));
      const moved = await this.#t.moveIfStill(view, to, {
        action: 'recover',
        reason: recoveryReason(view, change.ownerId, answers, to),
        applyStatuses: answers.map((a) => ({ lab: a.target.lab, name: a.target.node, status: applyStatusFor(a.status), error: deviceWords(a) })),
        pendingApplyStatus: 'unknown',
        detail: {
          owner: change.ownerId ?? null,
          leaseExpiresAt: change.leaseExpiresAt ?? null,
          devices: Object.fromEntries(answers.map((a) => [a.target.key, a.status?.state ?? 'cannot-tell'])),
        },
      });
      if (moved) recovered.push(moved);
    }
    return recovered;
  }

  /** Why an unapproved change ended. */
  expiredReason(): string {
    return `expired: not approved within ${Math.round(this.#expiryMinutes)} min`;
  }

  /** What the node's device says about the change; never throws, never waits past the timeout. */
  async #ask(changeId: number, target: ChangeNodeView): Promise<NodeAnswer> {
    const node = this.#t.resolve({ lab: target.lab, name: target.node });
    if (node === undefined) return { target, status: { state: 'cannot-tell', detail: 'the node is no longer in the inventory, so its device was not asked' } };
    const signal = AbortSignal.timeout(this.#askTimeoutMs);
    try {
      const status = await this.#withDriver(
        node,
        async (driver) =>
          driver.commitStatus === undefined ? undefined : driver.commitStatus(changeCommits(changeId), { signal, timeoutMs: this.#askTimeoutMs }),
        { signal },
      );
      return { target, status };
    } catch (err) {
      const ms = this.#askTimeoutMs;
      const why = signal.aborted
        ? `no answer within ${ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`}`
        : err instanceof Error
          ? err.message
          : String(err);
      return { target, status: { state: 'cannot-tell', detail: `the device could not be asked (${why})` } };
    }
  }
}

function applyStatusFor(status: CommitStatus | undefined): ApplyStatus {
  if (status?.state === 'committed') return 'committed';
  if (status?.state === 'not-committed') return 'failed';
  return 'unknown';
}

function deviceWords(answer: NodeAnswer): StoredError | undefined {
  return answer.status === undefined ? undefined : { code: DEVICE_SAYS, message: answer.status.detail, deviceErrors: [] };
}

/**
 * The change's reason after recovery: who stopped, then each asked node in its device's words
 * (`dc1/r1: committed with commit confirmed at …; the device rolls back at 12:34 UTC unless
 * confirmed`), where to look for nodes whose driver cannot tell, and for `unknown` how to record
 * the outcome once known.
 */
function recoveryReason(view: ChangeView, owner: string | undefined, answers: readonly NodeAnswer[], to: string): string {
  const said = answers.filter((a) => a.status !== undefined).map((a) => `${a.target.key}: ${a.status?.detail ?? ''}`);
  const blind = answers.filter((a) => a.status === undefined || a.status.state === 'cannot-tell').map((a) => a.target);
  const parts = [...said];
  if (blind.length > 0) parts.push(`${commitHistoryHint(blind)} to see whether it was committed`);
  if (answers.length === 0) parts.push('every node had reported its outcome before it stopped');
  if (to === 'unknown') parts.push(`once the outcome is known an admin records it with \`change ${view.id} resolve --committed\` or \`--not-committed\``);
  return `the clab-bot process applying this change stopped mid-commit (${owner ?? 'owner unknown'}): ${parts.join('; ')}; its nodes are free for a new change`;
}
