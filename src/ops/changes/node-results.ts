import type { NodePlanUpdate } from '../../db/changes-repo.js';
import type { ApplyStatus, StoredError } from '../../model/change.js';
import type { NodeRef } from '../../model/node-ref.js';
import type { Plan } from '../../drivers/contract.js';
import type { LabNode } from '../../inventory/types.js';
import { learnSecrets, redactObject, redactText } from '../../redact/index.js';
import { toOutcomeError, type NodeOutcome } from '../outcome.js';

/**
 * A plan outcome from the fan-out, redacted and ready to store. `commitConfirmed`: the driver's
 * capability once open (IOS learns whether it has an archive only then).
 */
export function planUpdate(ref: NodeRef, node: LabNode, outcome: NodeOutcome<Plan>, at: string, commitConfirmed?: boolean): NodePlanUpdate {
  const secrets = { secrets: [node.credentials.password] };
  if (outcome.status !== 'ok' || outcome.value === undefined) {
    const error = outcome.error ?? { code: 'internal', message: 'plan failed', deviceErrors: [] };
    const failed = { status: 'failed', diff: undefined, diffHash: undefined, base: undefined, check: undefined, commitConfirmed: undefined } as const;
    return { ...ref, ...failed, error: redactObject(error, secrets), at };
  }
  const plan = outcome.value;
  // What the change adds (or a rollback removes) is known from here on, wherever it shows up later.
  learnSecrets(plan.diff);
  return {
    ...ref,
    status: 'ok',
    // Redacted before it is stored; the hash stays the driver's, computed over the real diff.
    diff: redactText(plan.diff, secrets),
    diffHash: plan.diffHash,
    base: plan.base,
    check: {
      ok: plan.check.ok,
      warnings: plan.check.warnings.map((w) => redactText(w, secrets)),
      errors: plan.check.errors.map((e) => redactText(e, secrets)),
    },
    error: undefined,
    commitConfirmed,
    at,
  };
}

export function storedError(err: unknown): StoredError {
  const e = toOutcomeError(err);
  return { code: e.code, message: redactText(e.message), deviceErrors: e.deviceErrors.map((d) => redactText(d)) };
}

/** How an apply ended, in one line for the thread: what happened, and for every node that did not commit, why. */
export function describeApplyOutcome(nodes: readonly { key: string; status: ApplyStatus; error: StoredError | undefined }[]): string {
  const committed = nodes.filter((n) => n.status === 'committed').length;
  const unchanged = nodes.filter((n) => n.status === 'unchanged').length;
  // The state is shown next to this reason by every renderer: it is not repeated here.
  // A commit confirmed whose confirm failed is live until the device rolls it back: not "0 committed" alone.
  const live = nodes.filter((n) => n.error?.code === 'confirm_failed').length;
  const head = `committed on ${committed} of ${nodes.length} node${nodes.length === 1 ? '' : 's'}${unchanged > 0 ? ` (${unchanged} had nothing to change)` : ''}${
    live > 0 ? `; ${live} more ${live === 1 ? 'holds' : 'hold'} it unconfirmed until the device rolls it back` : ''
  }`;
  const problems = nodes.filter((n) => n.error !== undefined).map((n) => `${n.key} ${n.status}: ${n.error?.message ?? ''}`);
  return problems.length === 0 ? head : `${head}; ${problems.join('; ')}`;
}
