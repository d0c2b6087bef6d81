import type { Plan } from '../drivers/contract.js';
import { denyRulesFor, findDenied } from '../permissions/config-deny.js';
import type { Policy } from '../permissions/policy-schema.js';
import type { Subject } from '../permissions/subject.js';
import { redactText } from '../redact/index.js';
import type { PlanVet } from './changes/types.js';
import type { NodeOutcome } from './outcome.js';
import { nodeKey } from '../model/node-ref.js';

/**
 * The policy's config_deny rules for one requester, as a check on each node's plan (dry run,
 * proposal, rollback): the planned diff's set-form statements against the rules of every role the
 * requester holds on that node. Undefined when no rule can apply (no policy, the trusted terminal).
 */
export function configGuard(policy: Policy | null, subject: Subject): PlanVet | undefined {
  if (policy === null || !Object.values(policy.roles).some((r) => (r.config_deny ?? []).length > 0)) return undefined;
  return (node, plan) => {
    const rules = denyRulesFor(policy, subject, node);
    if (rules.length === 0 || plan.diff.trim() === '') return undefined;
    if (plan.statements === undefined) {
      return `config_deny rules apply to ${nodeKey(node)}, but its driver cannot give the planned diff as set-form statements to check them, so the change is refused`;
    }
    const hit = findDenied(plan.statements, rules);
    if (hit === undefined) return undefined;
    // The statement may carry a secret value (a password hash): redact it like any other output.
    return `refused by config_deny rule \`${hit.rule.pattern}\` (role ${hit.rule.role} via ${hit.rule.via}): the planned change has \`${redactText(hit.statement)}\``;
  };
}

/** A successful plan the guard refuses becomes a failed plan carrying the reason. */
export function vetOutcome(outcome: NodeOutcome<Plan>, vet: PlanVet | undefined): NodeOutcome<Plan> {
  if (vet === undefined || outcome.status !== 'ok' || outcome.value === undefined) return outcome;
  const problem = vet(outcome.node, outcome.value);
  if (problem === undefined) return outcome;
  return { ...outcome, status: 'failed', value: undefined, error: { code: 'config_denied', message: problem, deviceErrors: [] } };
}
