import type { ApplyStatus, ChangeState, PlanStatus, StoredError } from '../../model/change.js';
import type { ConfigMethod, Plan } from '../../drivers/contract.js';
import type { ConfigSource, SourceView } from '../../model/config-source.js';
import type { LabNode } from '../../inventory/types.js';
import type { FailingNode } from './errors.js';
import type { Person } from '../../model/change.js';

export type { ApplyStatus, Person, PlanStatus } from '../../model/change.js';

export interface ProposeInput {
  /** The front end's request id (audit rows of one request share it). */
  readonly requestId: string;
  readonly requester: Person;
  readonly channel?: string | undefined;
  readonly targets: readonly LabNode[];
  /** Inline text may carry the sha256 the front end computed (checked at proposal). */
  readonly source: ConfigSource;
  readonly method: ConfigMethod;
  /** commit confirmed minutes; default the service's defaultConfirmMinutes; 0 commits plainly. */
  readonly confirmMinutes?: number | undefined;
  /** Operational command run after the commit; a failure leaves the commit unconfirmed. */
  readonly check?: string | undefined;
  readonly comment?: string | undefined;
  /** Approvals needed (policy `approvals.required`), at least 1. */
  readonly requiredApprovals: number;
  readonly signal?: AbortSignal | undefined;
  /** Policy guard rails (config_deny) on each node's plan; a refusal fails that node's plan. */
  readonly vet?: PlanVet | undefined;
}

/** Why a node's plan may not go ahead (a config_deny rule matched its diff), or undefined. */
export type PlanVet = (node: LabNode, plan: Plan) => string | undefined;

export interface ProposeRollbackInput extends Omit<ProposeInput, 'source' | 'method'> {
  /** The device's own rollback N (1 = the configuration before the last commit). */
  readonly index: number;
}

export interface ApproveOptions {
  /** Policy `approvals.self_approval`: may the requester approve their own change. */
  readonly selfApproval: boolean;
  /** The version the approver was shown; a re-planned change then refuses the stale approval. */
  readonly version?: number | undefined;
  /**
   * The change's --check command as authorized now for its requester, by `lab/node`, normalised
   * for each node's CLI: exactly what is sent after the commit. Required when the change has a
   * check: without a command for every node the approval is refused before anything is committed.
   */
  readonly checkCommands?: ReadonlyMap<string, string> | undefined;
}

export type ListFilter = 'pending' | 'mine' | 'all';

/** What a transition listener learns besides from/to. */
export type ChangeAction =
  | 'propose'
  | 'no-changes'
  | 'replan'
  | 'approve'
  | 'apply'
  | 'finish'
  | 'reject'
  | 'cancel'
  | 'expire'
  | 'recover'
  /** An admin records the outcome of an `unknown` change (`change N resolve`). */
  | 'resolve';

export interface TransitionInfo {
  readonly action: ChangeAction;
  readonly actor: Person;
}

/** `from` is undefined for a new change. Called after the write; errors thrown here are logged, never fail the change. */
export type TransitionListener = (from: ChangeState | undefined, to: ChangeState, change: ChangeView, info: TransitionInfo) => void | Promise<void>;

export interface NodePlanView {
  readonly status: PlanStatus;
  /** Redacted device diff ('' = nothing to change on this node). */
  readonly diff: string | undefined;
  readonly diffHash: string | undefined;
  readonly base: string | undefined;
  readonly check: { readonly ok: boolean; readonly warnings: readonly string[]; readonly errors: readonly string[] } | undefined;
  readonly error: StoredError | undefined;
  /** False when this node applies without a revert timer (its driver cannot commit confirmed). */
  readonly commitConfirmed: boolean | undefined;
  readonly at: string | undefined;
}

export interface NodeApplyView {
  readonly status: ApplyStatus;
  readonly commitId: string | undefined;
  /** Commits the change made here: 2 after commit confirmed + confirm, 1 after a plain commit. */
  readonly commits: number;
  readonly error: StoredError | undefined;
  /** The running configuration was saved before the commit (ChangeService.beforeConfig). */
  readonly beforeConfigSaved: boolean;
  readonly at: string | undefined;
}

export interface ChangeNodeView {
  readonly lab: string;
  /** The node's name; called `node` because `--output json` shows this view and scripts read that field. */
  readonly node: string;
  /** `lab/node`. */
  readonly key: string;
  /** The node's own command for its commit history (from its driver); undefined when the node is gone. */
  readonly historyCommand?: string | undefined;
  readonly plan: NodePlanView;
  readonly apply: NodeApplyView;
}

export interface ChangeEventView {
  readonly from: ChangeState | undefined;
  readonly to: ChangeState;
  readonly actor: Person;
  readonly at: string;
  readonly detail: Record<string, unknown> | undefined;
}

/** Everything renderers need about one change; plain data, JSON-serialisable. */
export interface ChangeView {
  readonly id: number;
  /** `#12`. */
  readonly ref: string;
  readonly requestId: string;
  readonly state: ChangeState;
  /** planned / approved / applying: the change holds its nodes. */
  readonly open: boolean;
  /** Why it ended where it did ("no changes", the failing nodes, …). */
  readonly reason: string | undefined;
  readonly requester: Person;
  readonly approvals: readonly { readonly approver: Person; readonly at: string }[];
  readonly requiredApprovals: number;
  /** True while planned and every node planned cleanly. */
  readonly approvable: boolean;
  /** Nodes whose plan failed or is missing (they block approval). */
  readonly failing: readonly FailingNode[];
  /** Every node planned an empty diff. */
  readonly nothingToChange: boolean;
  readonly source: SourceView;
  readonly method: ConfigMethod;
  readonly confirmMinutes: number;
  readonly check: string | undefined;
  readonly comment: string | undefined;
  readonly rollbackOf: number | undefined;
  readonly targets: readonly ChangeNodeView[];
  readonly channel: string | undefined;
  readonly thread:
    | { readonly channel: string; readonly threadTs: string; readonly rootTs: string | undefined; readonly decisionTs?: string | undefined }
    | undefined;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly expiresAt: string;
  /** Pass back as ApproveOptions.version so an approval binds to the plan that was shown. */
  readonly version: number;
  readonly events: readonly ChangeEventView[];
}
