import type { CommitStatus } from '../contract.js';
import { clockTime } from '../../util/clock-time.js';

interface SessionEntry {
  readonly state?: string;
  /** Seconds since the epoch at which a commit timer runs out (while one runs). */
  readonly commitTimerExpiry?: number;
}

/**
 * What `show configuration sessions detail` (JSON) says about one change (pure). The driver names
 * the configuration session of an apply `${prefix}${changeId}-NODE-RANDOM`, so its state tells:
 * `completed` committed (and confirmed), `pendingCommitTimer` a commit timer still running,
 * `pending` staged but never committed. No session: EOS drops a session whose timer ran out
 * (the device reverted) and prunes old completed ones, so it cannot tell which.
 */
export function eosCommitStatus(reply: unknown, prefix: string, changeId: number): CommitStatus {
  const all = (reply as { sessions?: Record<string, SessionEntry> } | undefined)?.sessions ?? {};
  const ours = Object.entries(all).filter(([name]) => name.startsWith(`${prefix}${changeId}-`));
  const inState = (state: string) => ours.find(([, s]) => s.state === state);
  const completed = inState('completed');
  if (completed) return { state: 'committed', detail: `its configuration session ${completed[0]} is completed: committed and confirmed` };
  const timer = inState('pendingCommitTimer');
  if (timer) {
    const expiry = timer[1].commitTimerExpiry;
    const rollsBackAt = typeof expiry === 'number' ? new Date(expiry * 1000).toISOString() : undefined;
    return {
      state: 'pending-confirm',
      rollsBackAt,
      detail: `committed with a commit timer (session ${timer[0]}); the confirm did not arrive: the device rolls back ${rollsBackAt === undefined ? 'when the timer runs out' : `at ${clockTime(rollsBackAt)}`} unless confirmed`,
    };
  }
  const staged = inState('pending');
  if (staged) return { state: 'not-committed', detail: `its configuration session ${staged[0]} was staged but never committed` };
  return {
    state: 'cannot-tell',
    detail: `no configuration session of #${changeId} on the device: it was never committed, or its commit timer ran out and the device reverted, or the session was pruned`,
  };
}
