import { CHANGE_STATES, type ChangeState } from '../../model/change.js';
import { IllegalTransitionError } from './errors.js';

export { CHANGE_STATES, isChangeState, type ChangeState } from '../../model/change.js';

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
