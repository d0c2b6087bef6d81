import type { ChangeState } from '../../model/change.js';
import { IllegalTransitionError } from './errors.js';

export { CHANGE_STATES, type ChangeState } from '../../model/change.js';

/**
 * The one transition table. planned → planned is a re-plan (same source, fresh diffs).
 * unknown → committed | partial | failed is an admin's `change N resolve`, after checking the devices.
 */
const TRANSITIONS: Readonly<Record<ChangeState, readonly ChangeState[]>> = {
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
  unknown: ['committed', 'partial', 'failed'],
};

/** States that hold their nodes' locks: the change is still on its way to the devices. */
export const OPEN_STATES: readonly ChangeState[] = ['planned', 'approved', 'applying'];

/**
 * Whether the change is over as far as its nodes go: its locks are released in the write that
 * enters this state. Only `unknown` of these has a way out (resolve), and it holds no locks meanwhile.
 */
export function isTerminal(state: ChangeState): boolean {
  return !OPEN_STATES.includes(state);
}

export function canTransition(from: ChangeState, to: ChangeState): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Throws IllegalTransitionError (with a message for the person who pressed the button) unless from → to is allowed. */
export function assertTransition(changeId: number, from: ChangeState, to: ChangeState): void {
  if (!canTransition(from, to)) throw new IllegalTransitionError(changeId, from, to);
}
