import type { ApplyStatus } from '../../model/change.js';
import type { NodeOutcome } from '../outcome.js';
import type { ChangeState } from '../../model/change.js';

/** A node's apply status from its fan-out outcome (`committed` is false when there was nothing to commit). */
export function applyStatusOf(outcome: NodeOutcome<{ readonly committed: boolean }>): ApplyStatus {
  switch (outcome.status) {
    case 'ok':
      return outcome.value?.committed ? 'committed' : 'unchanged';
    case 'stale':
      return 'stale';
    case 'unknown':
      return 'unknown';
    case 'failed':
    case 'cancelled':
    case 'skipped':
      return 'failed';
    default:
      return outcome.status satisfies never;
  }
}

/**
 * How a change ends from its nodes' apply statuses:
 *  - any node unknown (contact lost mid-commit) → unknown: nobody can say what the network holds
 *  - every node committed or unchanged → committed
 *  - some committed, others stale/failed → partial
 *  - none committed: all the rest stale → stale, else failed
 */
export function finalState(statuses: readonly ApplyStatus[]): Extract<ChangeState, 'committed' | 'partial' | 'failed' | 'stale' | 'unknown'> {
  if (statuses.some((s) => s === 'unknown' || s === 'pending')) return 'unknown';
  const acting = statuses.filter((s) => s !== 'unchanged');
  if (acting.every((s) => s === 'committed')) return 'committed';
  if (acting.some((s) => s === 'committed')) return 'partial';
  if (acting.every((s) => s === 'stale')) return 'stale';
  return 'failed';
}
