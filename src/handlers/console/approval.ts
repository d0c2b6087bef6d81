import type { LabNode } from '../../inventory/types.js';
import type { ChangeView } from '../../ops/changes/types.js';
import { authorize } from '../../permissions/authorize.js';
import type { Policy } from '../../permissions/policy-schema.js';
import type { TargetNode } from '../../permissions/scope.js';
import type { Subject } from '../../permissions/subject.js';
import { nodeKey } from '../../model/node-ref.js';

/** What the console does after a change is proposed: ask the user to approve it, or say why they cannot. */
export type ApprovalOffer =
  | { readonly type: 'ask'; readonly question: string }
  | { readonly type: 'tell'; readonly text: string };

/**
 * The typed counterpart of the Approve button: offered when the change waits for approval and the
 * policy lets this user approve it (the trusted terminal always; a bound user with an approve role
 * and, for their own change, `approvals.self_approval`). The runner authorizes the approval again.
 */
export function approvalOffer(change: ChangeView, policy: Policy | null, subject: Subject, nodes: readonly LabNode[]): ApprovalOffer | undefined {
  if (change.state !== 'planned' || !change.approvable) return undefined;
  const byKey = new Map(nodes.map((n) => [nodeKey(n), n]));
  // A node gone from the inventory is judged by its name alone (no kind or labels to match a scope).
  const targets: TargetNode[] = change.targets.map((t) => byKey.get(t.key) ?? { lab: t.lab, name: t.node, kind: 'unknown', labels: {} });
  const decision = authorize(
    policy,
    subject,
    { type: 'approve', requesterId: change.requester.id, alreadyApprovedBy: change.approvals.map((a) => a.approver.id) },
    targets,
  );
  if (!decision.allowed) {
    return { type: 'tell', text: `change ${change.ref} waits for an approver: ${decision.reason}` };
  }
  const after = change.requiredApprovals - change.approvals.length - 1;
  const nodesText = `${change.targets.length} node${change.targets.length === 1 ? '' : 's'}`;
  return {
    type: 'ask',
    question:
      after > 0
        ? `approve change ${change.ref}? ${after} more approval${after === 1 ? '' : 's'} will be needed before it is committed [y/N] `
        : `approve change ${change.ref} and commit it on ${nodesText}? [y/N] `,
  };
}
