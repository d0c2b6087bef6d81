import { ClabBotError } from '../../errors.js';
import type { ChangeState } from '../../model/change.js';

/** How a state reads in a sentence: "change #12 is already committed". */
const STATE_PHRASE: Readonly<Record<ChangeState, string>> = {
  planned: 'still waiting for approval',
  approved: 'already approved',
  applying: 'being applied right now',
  committed: 'already committed',
  partial: 'already applied (partially committed)',
  failed: 'already finished (it failed)',
  stale: 'already finished (stale: the configuration changed before the commit)',
  rejected: 'already rejected',
  cancelled: 'already cancelled',
  expired: 'expired',
  unknown: 'already finished with an unknown outcome',
};

/** The action that would have moved a change into a state. */
const ACTION_PHRASE: Readonly<Record<ChangeState, string>> = {
  planned: 're-planned',
  approved: 'approved',
  applying: 'applied',
  committed: 'committed',
  partial: 'committed',
  failed: 'marked failed',
  stale: 'marked stale',
  rejected: 'rejected',
  cancelled: 'cancelled',
  expired: 'expired',
  unknown: 'marked unknown',
};

export function changeRef(id: number): string {
  return `#${id}`;
}

export class ChangeNotFoundError extends ClabBotError {
  readonly changeId: number;
  constructor(changeId: number) {
    super('change_not_found', `there is no change ${changeId >= 0 ? changeRef(changeId) : String(changeId)}`, {
      hint: 'run `changes --all` to list change requests',
    });
    this.changeId = changeId;
  }
}

/** The change is not in a state that allows the action (double click, a second replica, a late button). */
export class IllegalTransitionError extends ClabBotError {
  readonly changeId: number;
  readonly from: ChangeState;
  readonly to: ChangeState;
  constructor(changeId: number, from: ChangeState, to: ChangeState) {
    super('illegal_transition', `change ${changeRef(changeId)} is ${STATE_PHRASE[from]}: it cannot be ${ACTION_PHRASE[to]} now`);
    this.changeId = changeId;
    this.from = from;
    this.to = to;
  }
}

export interface LockHolder {
  readonly changeId: number;
  readonly requesterId: string;
  readonly requesterName: string | undefined;
  readonly channel: string | undefined;
  readonly threadTs: string | undefined;
  /** `lab/node` keys this holder has that the new request wanted. */
  readonly nodes: readonly string[];
}

/** A target node is already held by another open change. */
export class ChangeConflictError extends ClabBotError {
  readonly holders: readonly LockHolder[];
  constructor(holders: readonly LockHolder[]) {
    const parts = holders.map(
      (h) =>
        `${h.nodes.join(', ')} ${h.nodes.length === 1 ? 'is' : 'are'} held by change ${changeRef(h.changeId)} (requested by ${h.requesterName ?? h.requesterId})`,
    );
    super('change_conflict', `${parts.join('; ')}: a node can be in one open change at a time`, {
      hint: 'wait for that change to finish, or ask its requester to cancel it',
    });
    this.holders = holders;
  }
}

export class SelfApprovalRefusedError extends ClabBotError {
  readonly changeId: number;
  constructor(changeId: number) {
    super('self_approval', `you requested change ${changeRef(changeId)}, so you cannot approve it: ask another approver`);
    this.changeId = changeId;
  }
}

export class AlreadyApprovedError extends ClabBotError {
  readonly changeId: number;
  constructor(changeId: number, approvals: number, required: number) {
    super('already_approved', `you already approved change ${changeRef(changeId)} (${approvals} of ${required} approvals): it needs another approver`);
    this.changeId = changeId;
  }
}

export interface FailingNode {
  /** `lab/node`. */
  readonly node: string;
  readonly reason: string;
}

/** Some node's plan failed or is not there yet: approving would apply something nobody saw. */
export class NotApprovableError extends ClabBotError {
  readonly changeId: number;
  readonly failing: readonly FailingNode[];
  constructor(changeId: number, failing: readonly FailingNode[]) {
    super(
      'not_approvable',
      `change ${changeRef(changeId)} cannot be approved while its plan fails on ${failing.map((f) => `${f.node} (${f.reason})`).join('; ')}`,
      { hint: `once the problem is fixed re-plan it (\`change ${changeId} replan\` or the Re-plan button), or cancel it` },
    );
    this.changeId = changeId;
    this.failing = failing;
  }
}

/** The approver looked at an older plan than the one stored now. */
export class ChangeModifiedError extends ClabBotError {
  readonly changeId: number;
  constructor(changeId: number) {
    super('change_modified', `change ${changeRef(changeId)} was re-planned since you looked at it: review the new diff and approve again`);
    this.changeId = changeId;
  }
}

export class CancelNotAllowedError extends ClabBotError {
  readonly changeId: number;
  constructor(changeId: number) {
    super('cancel_not_allowed', `only the requester of change ${changeRef(changeId)} or an admin can cancel it`);
    this.changeId = changeId;
  }
}

/** The change request itself is malformed (bad approval count, rollback of a change with nothing committed). */
/** `change N resolve` on a change whose outcome is known. */
export class NotResolvableError extends ClabBotError {
  readonly changeId: number;
  constructor(changeId: number, state: ChangeState) {
    super('not_resolvable', `change ${changeRef(changeId)} is ${STATE_PHRASE[state]}: only a change whose outcome is unknown can be resolved`, {
      hint:
        state === 'applying'
          ? 'wait for the apply to end; if its process died, the next clab-bot command recovers it'
          : `\`change ${changeId}\` shows what is recorded`,
    });
    this.changeId = changeId;
  }
}

export class ChangeRequestError extends ClabBotError {
  constructor(message: string, hint?: string) {
    super('change_request', message, hint === undefined ? {} : { hint });
  }
}

// --- per-node outcomes (become NodeOutcome data in ops/fan-out) ---------------------------------

/** Contact was lost (or time ran out) while the commit was in flight: the device may or may not have it. */
export class CommitOutcomeUnknownError extends ClabBotError {
  readonly node: string;
  /**
   * `historyCommand`: the driver's command that lists commits (DriverTraits.commitHistoryCommand).
   * `rollsBackAt` (`12:34 UTC`): the commit in flight was a commit confirmed, which the device rolls
   * back by itself then unless confirmed; `during` says whether contact was lost while committing it
   * or while confirming it.
   */
  constructor(node: string, changeId: number, cause: unknown, historyCommand?: string, rollsBackAt?: string, during: 'commit' | 'confirm' = 'confirm') {
    const look = historyCommand === undefined ? "look at the device's commit history" : `run \`${historyCommand}\``;
    const via = agentLostDetail(cause);
    super(
      'commit_unknown',
      rollsBackAt === undefined
        ? `lost contact with ${node}${via} while committing change ${changeRef(changeId)}: it may or may not be committed; ${look} on ${node} to see whether the commit is there`
        : during === 'commit'
          ? `lost contact with ${node}${via} while committing change ${changeRef(changeId)} with commit confirmed: it may or may not be committed; if it is, the device rolls back to the previous configuration by itself at ${rollsBackAt} unless confirmed; ${look} on ${node} to see whether the commit is there`
          : `${node}: committed with commit confirmed, then contact was lost${via} while confirming change ${changeRef(changeId)}: if the confirm did not arrive, the device rolls back at ${rollsBackAt}; ${look} on ${node} to see which`,
      { cause },
    );
    this.node = node;
  }
}

/** ` (agent lost: host-a (no heartbeat for 21 s))` when the link lost was the one to the node's agent. */
function agentLostDetail(cause: unknown): string {
  if (!(cause instanceof ClabBotError) || cause.code !== 'agent_lost') return '';
  const m = /\((agent lost: .*)\)$/.exec(cause.message);
  return m ? ` (${m[1]})` : ' (its agent was lost)';
}

/** A change with --check reached approval without its check command authorized for every node. */
export class CheckNotAuthorizedError extends ClabBotError {
  constructor(changeId: number, nodes: readonly string[]) {
    super('check_not_authorized', `change ${changeRef(changeId)}: its --check command was not authorized for ${nodes.join(', ')}, so nothing was committed`, {
      hint: 'approve it through /clab change or the Approve button, which check the command against the requester\'s exec grants',
    });
  }
}

/** The --check command failed after the commit; the commit was not confirmed. */
export class CheckFailedError extends ClabBotError {
  readonly node: string;
  constructor(node: string, command: string, detail: string, outcome: string, cause: unknown) {
    super('check_failed', `${node}: check \`${command}\` failed (${detail}): ${outcome}`, { cause });
    this.node = node;
  }
}

/** A target left the inventory between propose and apply. */
export class NodeUnavailableError extends ClabBotError {
  constructor(key: string) {
    super('node_unavailable', `${key} is no longer in the inventory: nothing was sent to it`, {
      hint: 'check that the lab is still deployed, then propose the change again',
    });
  }
}
