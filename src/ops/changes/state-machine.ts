import { IllegalTransitionError } from './errors.js';

/**
 * Where a change request stands (DESIGN.md §6).
 *  - planned: plans stored, waiting for approvals (or a re-plan when a node failed)
 *  - approved: enough approvals; about to apply (the next step in the same call)
 *  - applying: commits in flight
 *  - committed | partial | failed | stale | unknown: how the apply ended
 *  - rejected | cancelled | expired: ended without applying
 */
export type ChangeState =
  | 'planned'
  | 'approved'
  | 'applying'
  | 'committed'
  | 'partial'
  | 'failed'
  | 'stale'
  | 'rejected'
  | 'cancelled'
  | 'expired'
  | 'unknown';

export const CHANGE_STATES: readonly ChangeState[] = [
  'planned',
  'approved',
  'applying',
  'committed',
  'partial',
  'failed',
  'stale',
  'rejected',
  'cancelled',
  'expired',
  'unknown',
];

/**
 * The one transition table. planned → planned is a re-plan (same source, fresh diffs).
 * A state with no way out is terminal: its node locks are released in the same write.
 */
export const TRANSITIONS: Readonly<Record<ChangeState, readonly ChangeState[]>> = {
  planned: ['planned', 'approved', 'rejected', 'cancelled', 'expired'],
  approved: ['applying', 'cancelled', 'expired'],
  applying: ['committed', 'partial', 'failed', 'stale', 'unknown'],
  committed: [],
  partial: [],
  failed: [],
  stale: [],
  rejected: [],
  cancelled: [],
  expired: [],
  unknown: [],
};

/** States that hold their nodes' locks. */
export const OPEN_STATES: readonly ChangeState[] = CHANGE_STATES.filter((s) => TRANSITIONS[s].length > 0);

export function isTerminal(state: ChangeState): boolean {
  return TRANSITIONS[state].length === 0;
}

export function canTransition(from: ChangeState, to: ChangeState): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Throws IllegalTransitionError (with a message for the person who pressed the button) unless from → to is allowed. */
export function assertTransition(changeId: number, from: ChangeState, to: ChangeState): void {
  if (!canTransition(from, to)) throw new IllegalTransitionError(changeId, from, to);
}

export function isChangeState(value: string): value is ChangeState {
  return (CHANGE_STATES as readonly string[]).includes(value);
}
