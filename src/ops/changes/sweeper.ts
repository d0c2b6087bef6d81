import type { ChangeTransitions } from './transitions.js';
import type { ChangeView } from './types.js';

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
   * Call once at start: a change still `applying` was cut off by a crash or restart mid-apply.
   * It becomes `unknown` (nodes not recorded as finished too), locks are released, and the
   * changes are returned so the front end can tell their threads what to check. Meant for a
   * single bot process per database: a replica starting while another applies would mark that
   * apply unknown too.
   */
  async recoverAfterCrash(): Promise<ChangeView[]> {
    const recovered: ChangeView[] = [];
    for (const change of await this.#t.repo.inState('applying')) {
      const view = await this.#t.get(change.id);
      const open = view.targets.filter((t) => t.apply.status === 'pending' || t.apply.status === 'unknown').map((t) => t.key);
      const where = open.length > 0 ? open.join(', ') : 'its nodes';
      const moved = await this.#t.moveIfStill(view, 'unknown', {
        action: 'recover',
        reason: `clab-bot stopped while applying this change: run \`show system commit\` on ${where} to see whether it was committed`,
        pendingApplyStatus: 'unknown',
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
