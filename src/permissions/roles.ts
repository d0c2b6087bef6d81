import type { Policy, Role, Scope } from './policy-schema.js';
import { describeScope, scopeCovers, type TargetNode } from './scope.js';
import { matchingGrantSubject, type PolicySubject } from './subject.js';

/** One role a subject holds through one grant. A role granted twice (different scopes) appears twice. */
export interface RoleGrant {
  readonly role: string;
  /** The grant subject that named the caller: `group:netops`, `user:U0ALICE`, `channel:C0LAB`, `*`. */
  readonly via: string;
  /** Index of the grant in the policy's `grants:`. */
  readonly grant: number;
  /** Line of the grant in the policy file, when it was read from one. */
  readonly line: number | undefined;
  readonly definition: Role;
  /** The role's scope and the grant's scope; a node must be inside both. */
  readonly scopes: readonly Scope[];
}

/** Every grant naming the subject, in policy order. */
export function subjectRoles(policy: Policy, subject: PolicySubject): RoleGrant[] {
  const held: RoleGrant[] = [];
  policy.grants.forEach((grant, index) => {
    const via = matchingGrantSubject(grant.subjects, subject);
    const definition = Object.hasOwn(policy.roles, grant.role) ? policy.roles[grant.role] : undefined;
    if (via === undefined || definition === undefined) return;
    held.push({
      role: grant.role,
      via,
      grant: index,
      line: policy.source?.grantLines[index],
      definition,
      scopes: [definition.scope, grant.scope].filter((s): s is Scope => s !== undefined),
    });
  });
  return held;
}

export function roleCovers(held: RoleGrant, node: TargetNode): boolean {
  return held.scopes.every((scope) => scopeCovers(scope, node));
}

/** `exec show *, ping *; config plan; approve` — what the role allows, without scope. */
export function describeRights(role: Role): string {
  const rights: string[] = [];
  if (role.exec !== undefined && role.exec.length > 0) rights.push(`exec ${role.exec.join(', ')}`);
  if (role.config === 'apply') rights.push('config plan and apply');
  if (role.config === 'plan') rights.push('config plan');
  if (role.approve === true) rights.push('approve');
  if (role.admin === true) rights.push('admin');
  if (role.config_deny !== undefined && role.config_deny.length > 0) rights.push(`never config ${role.config_deny.join(', ')}`);
  return rights.length === 0 ? 'nothing' : rights.join('; ');
}

/** `viewer via group:netops (exec show *; on lab dc1)`. */
export function describeRoleGrant(held: RoleGrant): string {
  const scope = held.scopes.map(describeScope).filter((s) => s !== '').join('; ');
  return `${held.role} via ${held.via} (${describeRights(held.definition)}${scope === '' ? '' : `; only on ${scope}`})`;
}

/**
 * Whether `node` is in the subject's sight: some role they hold covers it (any right). Views of
 * other people's work (a change's per-node diffs) show only such nodes, as exec would reach only them.
 */
export function nodeInSight(policy: Policy | null, subject: PolicySubject, node: TargetNode): boolean {
  return policy !== null && subjectRoles(policy, subject).some((held) => roleCovers(held, node));
}
