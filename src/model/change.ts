import type { ConfigMethod } from '../drivers/contract.js';
import type { HashedSource } from './config-source.js';
import type { NodeRef } from './node-ref.js';

/**
 * The change request as both the repository (src/db) and the lifecycle (src/ops/changes) know it:
 * states, per-node statuses and the stored rows. Neither layer owns these, so db never imports ops.
 */

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

/** Someone acting on a change: a Slack user id (U…) or `terminal:<os user>`, with a display name. */
export interface Person {
  readonly id: string;
  readonly name?: string | undefined;
}

export type PlanStatus = 'pending' | 'ok' | 'failed';
export type ApplyStatus = 'pending' | 'committed' | 'unchanged' | 'stale' | 'failed' | 'unknown';

export interface StoredError {
  readonly code: string;
  readonly message: string;
  readonly deviceErrors: readonly string[];
}

export interface ChangeRecord {
  readonly id: number;
  readonly requestId: string;
  readonly requesterId: string;
  readonly requesterName: string | undefined;
  readonly channel: string | undefined;
  readonly threadTs: string | undefined;
  readonly rootTs: string | undefined;
  /** The message with the Approve/Reject buttons, once posted. */
  readonly decisionTs: string | undefined;
  readonly targets: readonly NodeRef[];
  readonly source: HashedSource;
  readonly method: ConfigMethod;
  readonly confirmMinutes: number;
  readonly checkCommand: string | undefined;
  readonly comment: string | undefined;
  readonly requiredApprovals: number;
  readonly state: ChangeState;
  readonly reason: string | undefined;
  readonly rollbackOf: number | undefined;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly updatedAt: string;
  readonly version: number;
  /** The process applying it now and until when it vouches for that (ops/changes/lease.ts). */
  readonly ownerId: string | undefined;
  readonly leaseExpiresAt: string | undefined;
}

export interface ChangeNodeRecord extends NodeRef {
  readonly planStatus: PlanStatus;
  readonly diff: string | undefined;
  readonly diffHash: string | undefined;
  readonly base: string | undefined;
  readonly check: { readonly ok: boolean; readonly warnings: readonly string[]; readonly errors: readonly string[] } | undefined;
  readonly planError: StoredError | undefined;
  /** Whether the driver could commit confirmed when planned; undefined on failed or older plans. */
  readonly commitConfirmed: boolean | undefined;
  readonly hasBeforeConfig: boolean;
  readonly applyStatus: ApplyStatus;
  readonly commitId: string | undefined;
  /** Commits made on the node (1 plain, 2 commit confirmed + confirm): `rollback N` back to before the change. */
  readonly commits: number;
  readonly applyError: StoredError | undefined;
  readonly plannedAt: string | undefined;
  readonly appliedAt: string | undefined;
}

export interface ApprovalRecord {
  readonly approverId: string;
  readonly approverName: string | undefined;
  readonly at: string;
}

export interface EventRecord {
  readonly from: ChangeState | undefined;
  readonly to: ChangeState;
  readonly actorId: string;
  readonly actorName: string | undefined;
  readonly at: string;
  readonly detail: Record<string, unknown> | undefined;
}

