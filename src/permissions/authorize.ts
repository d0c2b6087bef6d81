import { dialectFor, type CliDialect } from './cli-dialect.js';
import { matchCommand, unsafePipes } from './command-match.js';
import { normaliseCommand, type NormalisedCommand } from './command-normalise.js';
import type { Policy } from './policy-schema.js';
import { describeRoleGrant, roleCovers, subjectRoles, type RoleGrant } from './roles.js';
import { describeTargets, type TargetNode } from './scope.js';
import { isPolicySubject, subjectId, type PolicySubject, type Subject } from './subject.js';

/** Read-only verbs: help and whoami are always allowed; the others need any role. */
export type ReadVerb = 'help' | 'whoami' | 'labs' | 'nodes' | 'history';

/** What is being asked, independent of the grammar's Request (the caller maps one onto the other). */
export type Action =
  | { readonly type: 'exec'; readonly command: string }
  /**
   * `check`: the operational command (`--check`) the change runs on every node after its commit.
   * It reaches the device like an exec command, so it must pass exactly what `exec` would.
   */
  | { readonly type: 'config'; readonly stage: 'plan' | 'apply'; readonly check?: string | undefined }
  | { readonly type: 'approve'; readonly requesterId: string; readonly alreadyApprovedBy: readonly string[] }
  | { readonly type: 'admin' }
  | { readonly type: 'read'; readonly what: ReadVerb };

/** Which rule decided; stable, for the audit log and for tests. */
export type DecisionRule =
  | 'always-allowed'
  | 'trusted-terminal'
  | 'granted'
  | 'no-policy'
  | 'no-role'
  | 'not-granted'
  | 'out-of-scope'
  | 'command-refused'
  | 'unsafe-pipe'
  | 'self-approval'
  | 'already-approved';

export interface GrantedBy {
  readonly role: string;
  readonly via: string;
  readonly grant: number;
  /** The exec pattern that allowed the command. */
  readonly pattern?: string;
}

export interface TargetDecision {
  readonly lab: string;
  readonly name: string;
  readonly kind: string;
  readonly allowed: boolean;
  readonly rule: DecisionRule;
  /** One line about this node alone. */
  readonly reason: string;
  readonly grantedBy?: GrantedBy;
  /** exec: the command as normalised for this node's CLI. Send exactly this to the node. */
  readonly command?: string;
  readonly dialect?: CliDialect;
}

export interface Decision {
  /** True only when every target is allowed. */
  readonly allowed: boolean;
  readonly rule: DecisionRule;
  /** For the user: on a denial, what is missing and which roles they hold. */
  readonly reason: string;
  /** On a denial that a grant could fix, that grant in words: "exec `show *` on lab dc1 (node r1)". */
  readonly missing?: string;
  /** The roles the subject holds (every grant naming them), whatever the outcome. */
  readonly matchedRoles: readonly { readonly role: string; readonly via: string; readonly grant: number }[];
  /** Per node, when nodes were given and the policy was consulted. */
  readonly perTarget?: readonly TargetDecision[];
}

export const NO_POLICY_HINT = 'set policy: in clab-bot.yaml or CLAB_BOT_POLICY to a policy file';

/** Number of distinct approvers a change needs. */
export function approvalsRequired(policy: Policy | null): number {
  return policy?.approvals.required ?? 1;
}

/** Approvals still missing after `approvedBy` (duplicates count once). */
export function approvalsMissing(policy: Policy | null, approvedBy: readonly string[]): number {
  return Math.max(0, approvalsRequired(policy) - new Set(approvedBy).size);
}

/**
 * Decides whether `subject` may do `action` on every node of `targets`. Pure: no IO, no clock.
 * Default deny: without a policy only help and whoami are allowed; a policy subject needs a role
 * that grants the right on each node. With no targets, the right is checked regardless of scope
 * (and exec pipes are not checked, since they depend on the node's CLI).
 */
export function authorize(policy: Policy | null, subject: Subject, action: Action, targets: readonly TargetNode[]): Decision {
  if (action.type === 'read' && (action.what === 'help' || action.what === 'whoami')) {
    return { allowed: true, rule: 'always-allowed', reason: `${action.what} is always allowed`, matchedRoles: [] };
  }
  if (!isPolicySubject(subject)) return authorizeTrusted(policy, subject, action, targets);
  if (policy === null) {
    return {
      allowed: false,
      rule: 'no-policy',
      reason: `no permission policy is set, so only help and whoami are allowed; ${NO_POLICY_HINT}`,
      missing: 'a permission policy',
      matchedRoles: [],
    };
  }
  const held = subjectRoles(policy, subject);
  const matchedRoles = held.map((h) => ({ role: h.role, via: h.via, grant: h.grant }));
  if (held.length === 0) {
    return {
      allowed: false,
      rule: 'no-role',
      reason: `you have no role: no grant in the policy names ${namesFor(subject)}; ask a clab-bot admin to add one of them to a grant`,
      missing: 'a grant naming you',
      matchedRoles,
    };
  }
  const context: Context = { held, matchedRoles, targets };
  switch (action.type) {
    case 'read':
      return {
        allowed: true,
        rule: 'granted',
        reason: `${action.what} is allowed to anyone holding a role; you hold ${listRoles(held)}`,
        matchedRoles,
      };
    case 'admin':
      return decideRight(context, 'admin', (role) => role.definition.admin === true);
    case 'config': {
      const right = decideRight(context, `config ${action.stage}`, (role) =>
        action.stage === 'apply' ? role.definition.config === 'apply' : role.definition.config !== undefined,
      );
      return action.check === undefined || !right.allowed ? right : withCheck(right, decideExec(context, action.check));
    }
    case 'approve': {
      const me = subject.userId;
      const refused = approvalRefusal(policy, me, action, { selfApproval: policy.approvals.self_approval });
      if (refused !== undefined) return { ...refused, matchedRoles };
      return decideRight(context, 'approve', (role) => role.definition.approve === true);
    }
    case 'exec':
      return decideExec(context, action.command);
    default:
      return action satisfies never;
  }
}

interface Context {
  readonly held: readonly RoleGrant[];
  readonly matchedRoles: Decision['matchedRoles'];
  readonly targets: readonly TargetNode[];
}

function approvalRefusal(
  policy: Policy | null,
  me: string,
  action: Extract<Action, { type: 'approve' }>,
  options: { selfApproval: boolean },
): Omit<Decision, 'matchedRoles'> | undefined {
  if (action.alreadyApprovedBy.includes(me)) {
    const required = approvalsRequired(policy);
    return {
      allowed: false,
      rule: 'already-approved',
      reason: `you already approved this change; ${required === 1 ? 'it needs one approval' : `it needs ${required} approvals from different people`}`,
    };
  }
  if (action.requesterId === me && !options.selfApproval) {
    return {
      allowed: false,
      rule: 'self-approval',
      reason: 'you requested this change and the policy does not allow approving your own changes (approvals.self_approval: false); ask another approver',
      missing: 'an approver other than the requester',
    };
  }
  return undefined;
}

/** config / approve / admin: a role with the right whose scope covers each node. */
function decideRight(context: Context, right: string, can: (role: RoleGrant) => boolean): Decision {
  const { held, matchedRoles, targets } = context;
  const capable = held.filter(can);
  if (capable.length === 0) {
    return {
      allowed: false,
      rule: 'not-granted',
      reason: `no role grants you ${right}; your roles: ${listRoles(held)}`,
      missing: right,
      matchedRoles,
    };
  }
  if (targets.length === 0) {
    const first = capable[0] as RoleGrant;
    return { allowed: true, rule: 'granted', reason: `allowed by ${first.role} via ${first.via}`, matchedRoles };
  }
  const perTarget = targets.map((node): TargetDecision => {
    const by = capable.find((role) => roleCovers(role, node));
    return by === undefined
      ? { ...nodeRef(node), allowed: false, rule: 'out-of-scope', reason: `you need ${right} on ${describeTargets([node])}` }
      : {
          ...nodeRef(node),
          allowed: true,
          rule: 'granted',
          reason: `allowed by ${by.role} via ${by.via}`,
          grantedBy: { role: by.role, via: by.via, grant: by.grant },
        };
  });
  const denied = targets.filter((_, i) => perTarget[i]?.allowed !== true);
  if (denied.length === 0) return { allowed: true, rule: 'granted', reason: allowedReason(targets, perTarget), matchedRoles, perTarget };
  const missing = `${right} on ${describeTargets(denied)}`;
  return {
    allowed: false,
    rule: 'out-of-scope',
    reason: `you need ${missing}; your roles: ${listRoles(held)}`,
    missing,
    matchedRoles,
    perTarget,
  };
}

/**
 * A config decision and its --check command's exec decision, as one: allowed only when both are.
 * Each node carries the check command as normalised for its CLI (what will be sent).
 */
function withCheck(config: Decision, check: Decision): Decision {
  const prefix = (text: string): string => `--check: ${text}`;
  if (!check.allowed) {
    return {
      ...check,
      reason: prefix(check.reason),
      ...(check.missing === undefined ? {} : { missing: `${check.missing} (for --check)` }),
      ...(check.perTarget === undefined ? {} : { perTarget: check.perTarget.map((t) => (t.allowed ? t : { ...t, reason: prefix(t.reason) })) }),
    };
  }
  const perTarget = check.perTarget?.map((t, i) => {
    const own = config.perTarget?.[i];
    return { ...t, reason: `${own?.reason ?? config.reason}; ${prefix(t.reason)}` };
  });
  return {
    ...config,
    reason: `${config.reason}; ${prefix(check.reason)}`,
    ...(perTarget === undefined ? {} : { perTarget }),
  };
}

/** Per node, before it is put into words: the cause and the pattern that would have allowed it. */
interface ExecOutcome {
  readonly node: TargetNode;
  readonly dialect: CliDialect;
  readonly rule: DecisionRule;
  /** The sentence without the node: "no role grants you exec `x`", "you need exec `show *`". */
  readonly text: string;
  readonly command?: string;
  readonly grantedBy?: GrantedBy;
}

function decideExec(context: Context, command: string): Decision {
  const { held, matchedRoles, targets } = context;
  if (targets.length === 0) {
    const normalised = normaliseCommand(command, 'unknown');
    if (!normalised.ok) return refusedDecision(command, normalised.reason, matchedRoles);
    const found = findPattern(held, normalised, undefined);
    if (found === undefined) {
      return {
        allowed: false,
        rule: 'not-granted',
        reason: `no role grants you exec \`${normalised.text}\`; your roles: ${listRoles(held)}`,
        missing: `exec \`${normalised.text}\``,
        matchedRoles,
      };
    }
    return {
      allowed: true,
      rule: 'granted',
      reason: `allowed by ${found.role.role} via ${found.role.via} (exec \`${found.pattern}\`; no nodes given, so scope and pipes were not checked)`,
      matchedRoles,
    };
  }

  const byDialect = new Map<CliDialect, NormalisedCommand>();
  const outcomes = targets.map((node): ExecOutcome => {
    const dialect = dialectFor(node, command);
    const normalised = byDialect.get(dialect) ?? normaliseCommand(command, dialect);
    byDialect.set(dialect, normalised);
    if (!normalised.ok) return { node, dialect, rule: 'command-refused', text: `\`${command}\` was refused: ${normalised.reason}` };
    const sent = { node, dialect, command: normalised.text };
    const unsafe = unsafePipes(normalised);
    if (unsafe !== undefined) return { ...sent, rule: 'unsafe-pipe', text: unsafe };
    const inScope = findPattern(held, normalised, node);
    if (inScope !== undefined) {
      const { role, pattern } = inScope;
      return {
        ...sent,
        rule: 'granted',
        text: `allowed by ${role.role} via ${role.via} (exec \`${pattern}\`)`,
        grantedBy: { role: role.role, via: role.via, grant: role.grant, pattern },
      };
    }
    const elsewhere = findPattern(held, normalised, undefined);
    return elsewhere === undefined
      ? { ...sent, rule: 'not-granted', text: `no role grants you exec \`${normalised.text}\`` }
      : { ...sent, rule: 'out-of-scope', text: `you need exec \`${elsewhere.pattern}\`` };
  });

  const perTarget = outcomes.map(
    (o): TargetDecision => ({
      ...nodeRef(o.node),
      dialect: o.dialect,
      allowed: o.rule === 'granted',
      rule: o.rule,
      reason: o.rule === 'out-of-scope' ? `${o.text} on ${describeTargets([o.node])}` : o.text,
      ...(o.command === undefined ? {} : { command: o.command }),
      ...(o.grantedBy === undefined ? {} : { grantedBy: o.grantedBy }),
    }),
  );
  const denied = outcomes.filter((o) => o.rule !== 'granted');
  if (denied.length === 0) return { allowed: true, rule: 'granted', reason: allowedReason(targets, perTarget), matchedRoles, perTarget };
  return { ...execDenial(context, denied, denied.length < outcomes.length), matchedRoles, perTarget };
}

function refusedDecision(command: string, reason: string, matchedRoles: Decision['matchedRoles']): Decision {
  return { allowed: false, rule: 'command-refused', reason: `\`${command}\` was refused: ${reason}`, matchedRoles };
}

/**
 * The first held role with a pattern matching the command's words, inside the node's scope (or
 * anywhere without a node). Pipes are the caller's business: they depend on the node's CLI.
 */
function findPattern(
  held: readonly RoleGrant[],
  normalised: NormalisedCommand & { ok: true },
  node: TargetNode | undefined,
): { role: RoleGrant; pattern: string } | undefined {
  const words = { ...normalised, pipes: [] };
  for (const role of held) {
    if (node !== undefined && !roleCovers(role, node)) continue;
    const pattern = (role.definition.exec ?? []).find((p) => matchCommand(p, words).ok);
    if (pattern !== undefined) return { role, pattern };
  }
  return undefined;
}

const DENIAL_ORDER: readonly DecisionRule[] = ['command-refused', 'unsafe-pipe', 'not-granted', 'out-of-scope'];

/** Groups denied nodes by cause, most fundamental first, into one sentence for the user. */
function execDenial(context: Context, denied: readonly ExecOutcome[], partial: boolean): Omit<Decision, 'matchedRoles' | 'perTarget'> {
  const groups = new Map<string, { rule: DecisionRule; text: string; nodes: TargetNode[] }>();
  for (const o of denied) {
    const key = `${o.rule}\0${o.text}`;
    const group = groups.get(key) ?? { rule: o.rule, text: o.text, nodes: [] };
    group.nodes.push(o.node);
    groups.set(key, group);
  }
  const sorted = [...groups.values()].sort((a, b) => DENIAL_ORDER.indexOf(a.rule) - DENIAL_ORDER.indexOf(b.rule));
  const several = partial || sorted.length > 1;
  const sentences = sorted.map((g) =>
    g.rule === 'out-of-scope' ? `${g.text} on ${describeTargets(g.nodes)}` : several ? `on ${describeTargets(g.nodes)}: ${g.text}` : g.text,
  );
  const fixable = sorted.find((g) => g.rule === 'not-granted' || g.rule === 'out-of-scope');
  const missing =
    fixable === undefined
      ? undefined
      : fixable.rule === 'out-of-scope'
        ? `${fixable.text.replace(/^you need /, '')} on ${describeTargets(fixable.nodes)}`
        : fixable.text.replace(/^no role grants you /, '');
  return {
    allowed: false,
    rule: sorted[0]?.rule ?? 'not-granted',
    reason: `${sentences.join('; ')}${fixable === undefined ? '' : `; your roles: ${listRoles(context.held)}`}`,
    ...(missing === undefined ? {} : { missing }),
  };
}

/** The unbound terminal: everything is allowed, but an exec command must still be one well-formed command. */
function authorizeTrusted(policy: Policy | null, subject: Subject, action: Action, targets: readonly TargetNode[]): Decision {
  const trusted = 'the terminal operator is trusted (no terminal_subject is set)';
  if (action.type === 'approve') {
    // Trusted may approve its own change, but one person is still one approval.
    const refused = approvalRefusal(policy, subjectId(subject), action, { selfApproval: true });
    if (refused !== undefined) return { ...refused, matchedRoles: [] };
  }
  const command = action.type === 'exec' ? action.command : action.type === 'config' ? action.check : undefined;
  if (command === undefined) return { allowed: true, rule: 'trusted-terminal', reason: trusted, matchedRoles: [] };
  const perTarget = targets.map((node): TargetDecision => {
    const dialect = dialectFor(node, command);
    const normalised = normaliseCommand(command, dialect);
    return normalised.ok
      ? { ...nodeRef(node), dialect, allowed: true, rule: 'trusted-terminal', reason: trusted, command: normalised.text }
      : { ...nodeRef(node), dialect, allowed: false, rule: 'command-refused', reason: `\`${command}\` was refused: ${normalised.reason}` };
  });
  const refused = perTarget.find((t) => !t.allowed);
  if (refused !== undefined) return { allowed: false, rule: 'command-refused', reason: refused.reason, matchedRoles: [], perTarget };
  if (targets.length === 0) {
    const normalised = normaliseCommand(command, 'unknown');
    if (!normalised.ok) return refusedDecision(command, normalised.reason, []);
  }
  return { allowed: true, rule: 'trusted-terminal', reason: trusted, matchedRoles: [], perTarget };
}

function nodeRef(node: TargetNode): { lab: string; name: string; kind: string } {
  return { lab: node.lab, name: node.name, kind: node.kind };
}

function allowedReason(targets: readonly TargetNode[], perTarget: readonly TargetDecision[]): string {
  const groups = new Map<string, TargetNode[]>();
  perTarget.forEach((t, i) => {
    const list = groups.get(t.reason) ?? [];
    list.push(targets[i] as TargetNode);
    groups.set(t.reason, list);
  });
  if (groups.size === 1) return [...groups.keys()][0] ?? '';
  return [...groups].map(([reason, nodes]) => `${reason} on ${describeTargets(nodes)}`).join('; ');
}

function listRoles(held: readonly RoleGrant[]): string {
  return held.map(describeRoleGrant).join(', ');
}

/** The subject strings a grant could use for this caller, for the no-role message. */
function namesFor(subject: PolicySubject): string {
  const names = [`user:${subject.userId}`];
  if (subject.channelId !== undefined) names.push(`channel:${subject.channelId}`);
  names.push(...subject.groups.map((g) => `group:${g.replace(/^@/, '').toLowerCase()}`));
  return `${names.join(', ')} or *`;
}

