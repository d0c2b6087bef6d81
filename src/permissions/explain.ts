import { authorize, approvalsRequired, NO_POLICY_HINT, type Action, type Decision } from './authorize.js';
import { DIALECT_LABEL, type CliDialect } from './cli-dialect.js';
import type { Policy } from './policy-schema.js';
import { describeRights, subjectRoles, type RoleGrant } from './roles.js';
import { describeScope, type TargetNode } from './scope.js';
import { describeSubjectIdentity, isPolicySubject, type Subject } from './subject.js';
import { nodeKey } from '../model/node-ref.js';

/**
 * What `/clab whoami` shows: who the caller is to the policy, each role with what it allows, where,
 * and through which grant subject.
 */
export function describeSubject(policy: Policy | null, subject: Subject): string {
  const lines = [`you are ${describeSubjectIdentity(subject)}`];
  if (!isPolicySubject(subject)) {
    lines.push('no policy applies to the terminal; set terminal_subject: user:U… in clab-bot.yaml to bind it to a Slack user');
    return lines.join('\n');
  }
  if (policy === null) {
    lines.push(`no permission policy is set, so only help and whoami are allowed; ${NO_POLICY_HINT}`);
    return lines.join('\n');
  }
  const held = subjectRoles(policy, subject);
  if (held.length === 0) {
    lines.push('you have no role: no grant in the policy names you, your channel or your groups');
  } else {
    lines.push('your roles:');
    for (const role of held) lines.push(`  ${roleLine(policy, role)}`);
  }
  const required = approvalsRequired(policy);
  lines.push(
    `changes need ${required === 1 ? '1 approval' : `${required} approvals from different people`}; ` +
      (policy.approvals.self_approval ? 'you may approve your own changes' : 'you cannot approve your own changes'),
  );
  return lines.join('\n');
}

/**
 * The decision and why, one fact per line: who, which roles, how the command was read for each
 * CLI, each node's outcome and the final decision. Used by `clab-bot policy explain`.
 */
export function explain(policy: Policy | null, subject: Subject, action: Action, targets: readonly TargetNode[]): string {
  const decision = authorize(policy, subject, action, targets);
  const lines = [`subject: ${describeSubjectIdentity(subject)}`];
  if (policy !== null && isPolicySubject(subject)) {
    const held = subjectRoles(policy, subject);
    if (held.length === 0) lines.push('roles: none');
    else {
      lines.push('roles:');
      for (const role of held) lines.push(`  ${roleLine(policy, role)}`);
    }
  }
  lines.push(`action: ${describeAction(action)}`);
  lines.push(...commandLines(decision));
  if (decision.perTarget !== undefined && decision.perTarget.length > 0) {
    lines.push('nodes:');
    for (const t of decision.perTarget) {
      lines.push(`  ${nodeKey(t)} (${t.kind}): ${t.allowed ? t.reason : `denied: ${t.reason}`}`);
    }
  }
  lines.push(`decision: ${decision.allowed ? 'allowed' : 'denied'} (${decision.rule}): ${decision.reason}`);
  if (!decision.allowed && decision.missing !== undefined) lines.push(`missing: ${decision.missing}`);
  return lines.join('\n');
}

function roleLine(policy: Policy, role: RoleGrant): string {
  const scope = role.scopes.map(describeScope).filter((s) => s !== '').join('; ');
  const where = policy.source === undefined ? `grant ${role.grant + 1}` : `grant ${role.grant + 1}, ${policy.source.file}:${role.line ?? '?'}`;
  return `${role.role} via ${role.via} (${where}): ${describeRights(role.definition)}; ${scope === '' ? 'on every node' : `only on ${scope}`}`;
}

function describeAction(action: Action): string {
  switch (action.type) {
    case 'exec':
      return `exec \`${action.command}\``;
    case 'config':
      return `config ${action.stage}${action.check === undefined ? '' : ` with --check \`${action.check}\``}`;
    case 'approve':
      return `approve a change requested by ${action.requesterId}` +
        (action.alreadyApprovedBy.length === 0 ? '' : ` (already approved by ${action.alreadyApprovedBy.join(', ')})`);
    case 'admin':
      return 'admin';
    case 'read':
      return action.what;
    default:
      return action satisfies never;
  }
}

/** How an exec command reads on each CLI among the targets ("Junos: `show version`"). */
function commandLines(decision: Decision): string[] {
  const seen = new Map<CliDialect, string>();
  for (const t of decision.perTarget ?? []) {
    if (t.dialect !== undefined && t.command !== undefined && !seen.has(t.dialect)) seen.set(t.dialect, t.command);
  }
  return [...seen].map(([dialect, command]) => `  read on ${DIALECT_LABEL[dialect]} as: \`${command}\``);
}
