import { describe, expect, it } from 'vitest';
import {
  assertTransition,
  canTransition,
  CHANGE_STATES,
  IllegalTransitionError,
  isTerminal,
  OPEN_STATES,
  type ChangeState,
} from '../../../src/ops/changes/index.js';

/** The lifecycle of DESIGN.md §6, written out by hand: every allowed move, nothing else. */
const ALLOWED: readonly (readonly [ChangeState, ChangeState])[] = [
  ['planned', 'planned'], // re-plan
  ['planned', 'approved'],
  ['planned', 'rejected'],
  ['planned', 'cancelled'],
  ['planned', 'expired'],
  ['approved', 'applying'],
  ['approved', 'cancelled'],
  ['approved', 'expired'],
  ['applying', 'committed'],
  ['applying', 'partial'],
  ['applying', 'failed'],
  ['applying', 'stale'],
  ['applying', 'unknown'],
  // `change N resolve`: an admin records what the devices hold.
  ['unknown', 'committed'],
  ['unknown', 'partial'],
  ['unknown', 'failed'],
];

const allowed = new Set(ALLOWED.map(([a, b]) => `${a}->${b}`));
const pairs = CHANGE_STATES.flatMap((from) => CHANGE_STATES.map((to) => [from, to] as const));

describe('change state machine', () => {
  it('knows the eleven states', () => {
    expect([...CHANGE_STATES].sort()).toEqual(
      ['applying', 'approved', 'cancelled', 'committed', 'expired', 'failed', 'partial', 'planned', 'rejected', 'stale', 'unknown'],
    );
  });

  it.each(pairs.filter(([a, b]) => allowed.has(`${a}->${b}`)))('%s → %s is allowed', (from, to) => {
    expect(canTransition(from, to)).toBe(true);
    expect(() => assertTransition(7, from, to)).not.toThrow();
  });

  it.each(pairs.filter(([a, b]) => !allowed.has(`${a}->${b}`)))('%s → %s is refused with a typed error', (from, to) => {
    expect(canTransition(from, to)).toBe(false);
    let caught: unknown;
    try {
      assertTransition(12, from, to);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(IllegalTransitionError);
    const err = caught as IllegalTransitionError;
    expect(err.code).toBe('illegal_transition');
    expect([err.changeId, err.from, err.to]).toEqual([12, from, to]);
    expect(err.message).toMatch(/^change #12 is /);
  });

  it('says plainly why a late button does nothing', () => {
    expect(() => assertTransition(12, 'committed', 'approved')).toThrow('change #12 is already committed: it cannot be approved now');
    expect(() => assertTransition(12, 'applying', 'cancelled')).toThrow('change #12 is being applied right now: it cannot be cancelled now');
    expect(() => assertTransition(3, 'expired', 'approved')).toThrow('change #3 is expired');
  });

  it('open states hold locks; terminal states hold none and have no way out, except unknown (resolve)', () => {
    expect([...OPEN_STATES].sort()).toEqual(['applying', 'approved', 'planned']);
    const terminal = CHANGE_STATES.filter(isTerminal).sort();
    expect(terminal).toEqual(['cancelled', 'committed', 'expired', 'failed', 'partial', 'rejected', 'stale', 'unknown']);
    expect(terminal.filter((s) => CHANGE_STATES.some((to) => canTransition(s, to)))).toEqual(['unknown']);
  });
});
