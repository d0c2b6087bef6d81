import { ownerGone } from './lease.js';
import type { ChangeTransitions } from './transitions.js';
import type { ChangeView } from './types.js';
import { commitHistoryHint } from './view.js';

/**
 * The background duties of the change lifecycle: open changes past their expiry end as
 * `expired`, and changes a crash left `applying` end as `unknown`. Both release node locks.
 */
export class ChangeSweeper {
  readonly #t: ChangeTransitions;
  readonly #expiryMinutes: number;

  constructor(transitions: ChangeTransitions, expiryMinutes: number) {
    this.#t = transitions;
    this.#expiryMinutes = expiryMinutes;
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
   * mid-commit) becomes `unknown` (nodes not recorded as finished too), its locks are released,
   * and it is returned so the front end can tell its thread what to check. A change a live
   * process is applying (here, or another process, replica or agent renewing its lease) is left
   * alone. Run at the start of every front end and verb that touches changes.
   */
  async recoverAfterCrash(): Promise<ChangeView[]> {
    const recovered: ChangeView[] = [];
    const now = this.#t.clock();
    for (const change of await this.#t.repo.inState('applying')) {
      if (!ownerGone({ id: change.ownerId, leaseExpiresAt: change.leaseExpiresAt }, now)) continue;
      const view = await this.#t.get(change.id);
      const open = view.targets.filter((t) => t.apply.status === 'pending' || t.apply.status === 'unknown');
      const moved = await this.#t.moveIfStill(view, 'unknown', {
        action: 'recover',
        reason: `the clab-bot process applying this change stopped mid-commit (${change.ownerId ?? 'owner unknown'}): ${open.length > 0 ? commitHistoryHint(open) : "check each node's commit history"} to see whether it was committed; its nodes are free for a new change`,
        pendingApplyStatus: 'unknown',
        detail: { owner: change.ownerId ?? null, leaseExpiresAt: change.leaseExpiresAt ?? null },
      });
      if (moved) recovered.push(moved);
    }
    return recovered;
  }

  /** Why an unapproved change ended. */
  expiredReason(): string {
    return `expired: not approved within ${Math.round(this.#expiryMinutes)} min`;
  }
}
