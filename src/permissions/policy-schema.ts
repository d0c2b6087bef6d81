import * as z from 'zod';
import { kindMatches, kindSpecs } from '../inventory/kinds.js';
import { patternProblem } from './command-match.js';
import { denyPatternProblem } from './config-deny.js';

/**
 * The policy file (DESIGN.md §7). The documented shape is accepted as is; what this adds is
 * optional: `scope` on a role (applies wherever the role is granted), `nodes` and `labels` in
 * scopes, globs in scope lists, and a `description` on roles and grants for `whoami`.
 */

/** `user:U…`, `group:HANDLE`, `channel:C…` or `*`. */
export const SUBJECT_SYNTAX = 'user:U…, group:HANDLE, channel:C… or *';
const SUBJECT_RE = /^(?:user:[UW][A-Z0-9]{2,}|channel:[CGD][A-Z0-9]{2,}|group:[a-z0-9][a-z0-9._-]*|\*)$/;
const ROLE_NAME_RE = /^[A-Za-z][A-Za-z0-9_-]*$/;

function subjectProblem(value: string): string | undefined {
  if (SUBJECT_RE.test(value)) return undefined;
  if (value.startsWith('user:')) return `\`${value}\` is not a Slack user ID (U… or W…, in upper case: the member ID from the user's Slack profile)`;
  if (value.startsWith('channel:')) return `\`${value}\` is not a Slack channel ID (C…, G… or D…: from the channel's details, not its #name)`;
  if (value.startsWith('group:@')) return `write \`${value.replace('group:@', 'group:')}\` (the user group handle without @)`;
  if (value.startsWith('group:')) return `\`${value}\` is not a Slack user group handle (lower-case letters, digits, . _ -)`;
  return `\`${value}\` is not a subject; use ${SUBJECT_SYNTAX}`;
}

/** Start of the message for unknown keys; the loader inserts each key's name after it. */
export const UNKNOWN_KEY = 'unknown key';

/** `error` for strict objects: names the unknown keys and the ones allowed. */
function strict<T extends z.ZodRawShape>(what: string, shape: T) {
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `${UNKNOWN_KEY} in ${what}; allowed: ${Object.keys(shape).join(', ')}`
        : issue.code === 'invalid_type'
          ? `${what} must be a mapping`
          : undefined,
  });
}

const nonEmptyList = (what: string, item: z.ZodType<string>) =>
  z
    .array(item, { error: `${what} must be a list` })
    .min(1, `${what} cannot be an empty list (it would match nothing); remove the key to not restrict by it`);

const scopeWord = (what: string) =>
  z.string({ error: `each ${what} must be a string` }).trim().min(1, `a ${what} cannot be empty`);

export const ScopeSchema = strict('scope', {
  /** Lab names or globs (`dc*`). */
  labs: nonEmptyList('labs', scopeWord('lab')).optional(),
  /** Kinds in any form containerlab accepts (`juniper_vjunosrouter`, `srl`, `vjunosrouter`) or globs (`juniper_*`). */
  kinds: nonEmptyList('kinds', scopeWord('kind')).optional(),
  /** Node names or globs, `NAME` (any lab in scope) or `LAB/NAME`. */
  nodes: nonEmptyList('nodes', scopeWord('node')).optional(),
  /** Every label must be present with this value (the value may be a glob). */
  labels: z
    .record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String), {
      error: 'labels must be a mapping of KEY: VALUE',
    })
    .optional(),
});

const PatternSchema = z
  .string({ error: 'each exec pattern must be a string (quote patterns that start with *)' })
  .superRefine((value, ctx) => {
    const problem = patternProblem(value);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
  })
  .transform((value) => value.trim().split(/\s+/).join(' '));

const DenyPatternSchema = z
  .string({ error: 'each config_deny pattern must be a string (quote patterns that start with *)' })
  .superRefine((value, ctx) => {
    const problem = denyPatternProblem(value);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
  })
  .transform((value) => value.trim().split(/\s+/).join(' '));

export const RoleSchema = strict('role', {
  description: z.string().optional(),
  /** Command patterns (`show *`, `ping *`). */
  exec: z.array(PatternSchema, { error: 'exec must be a list of command patterns, e.g. ["show *"]' }).optional(),
  /** `plan` (see diffs, --dry-run) or `apply` (which includes plan). */
  config: z.enum(['plan', 'apply'], { error: 'config must be `plan` or `apply`' }).optional(),
  approve: z.boolean({ error: 'approve must be true or false' }).optional(),
  admin: z.boolean({ error: 'admin must be true or false' }).optional(),
  /**
   * Configuration this role may not change, as set-form patterns (`system login *`, `delete
   * system`), matched against the planned diff wherever the role covers the node.
   */
  config_deny: z.array(DenyPatternSchema, { error: 'config_deny must be a list of set-form patterns, e.g. ["system login *"]' }).optional(),
  scope: ScopeSchema.optional(),
});

const SubjectSchema = z.string({ error: `each subject must be a string: ${SUBJECT_SYNTAX}` }).superRefine((value, ctx) => {
  const problem = subjectProblem(value);
  if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
});

export const GrantSchema = strict('grant', {
  role: z.string({ error: 'role must be the name of a role under roles:' }),
  subjects: z
    .array(SubjectSchema, { error: `subjects must be a list of ${SUBJECT_SYNTAX}` })
    .min(1, `subjects cannot be empty; list ${SUBJECT_SYNTAX}`),
  scope: ScopeSchema.optional(),
  description: z.string().optional(),
});

export const ApprovalsSchema = strict('approvals', {
  required: z
    .int({ error: 'required must be a whole number' })
    .min(1, 'required must be at least 1 (a change always needs an approver)')
    .default(1),
  self_approval: z.boolean({ error: 'self_approval must be true or false' }).default(false),
});

export const ConfigSourcesSchema = strict('config_sources', {
  /**
   * `config --device-file` may name a URL or `host:path` that the device fetches itself. Off by
   * default: a chat user could make the lab's devices reach any host (a metadata service, say).
   */
  device_urls: z.boolean({ error: 'device_urls must be true or false' }).default(false),
});

export const PolicySchema = strict('the policy', {
  roles: z.record(z.string(), RoleSchema, { error: 'roles must be a mapping of role names to what they grant' }),
  grants: z.array(GrantSchema, { error: 'grants must be a list of { role, subjects, scope }' }),
  approvals: ApprovalsSchema.default({ required: 1, self_approval: false }),
  config_sources: ConfigSourcesSchema.default({ device_urls: false }),
});

/** A problem found outside the schema, with the document path it belongs to. */
export interface PathProblem {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/**
 * Cross-references the schema cannot see: role names and grants naming undefined roles. Reads the
 * raw document defensively so these are reported together with the schema's own problems.
 */
export function referenceProblems(raw: unknown): PathProblem[] {
  const problems: PathProblem[] = [];
  if (!isRecord(raw)) return problems;
  const roles = isRecord(raw['roles']) ? raw['roles'] : {};
  const names = Object.keys(roles);
  for (const name of names) {
    if (!ROLE_NAME_RE.test(name)) {
      problems.push({
        path: ['roles', name],
        message: `role name \`${name}\` must start with a letter and hold only letters, digits, _ and -`,
      });
    }
  }
  const grants = Array.isArray(raw['grants']) ? (raw['grants'] as unknown[]) : [];
  grants.forEach((grant, index) => {
    const role = isRecord(grant) ? grant['role'] : undefined;
    if (typeof role !== 'string' || Object.hasOwn(roles, role)) return;
    const close = closest(role, names);
    problems.push({
      path: ['grants', index, 'role'],
      message:
        `role \`${role}\` is not defined in roles` +
        (close === undefined ? ` (defined: ${names.join(', ') || 'none'})` : `; did you mean \`${close}\`?`),
    });
  });
  return problems;
}

/** Legal but probably unintended: roles granted to nobody, powerful roles granted to everyone. */
export function policyWarnings(policy: PolicyDocument): string[] {
  const warnings: string[] = [];
  const granted = new Set(policy.grants.map((g) => g.role));
  for (const name of Object.keys(policy.roles)) {
    if (!granted.has(name)) warnings.push(`role \`${name}\` is not granted to anyone`);
  }
  const scopes = [
    ...Object.entries(policy.roles).map(([name, role]) => ({ where: `roles.${name}`, scope: role.scope })),
    ...policy.grants.map((grant, index) => ({ where: `grants[${index}]`, scope: grant.scope })),
  ];
  for (const { where, scope } of scopes) {
    for (const pattern of scope?.kinds ?? []) {
      if (!kindSpecs().some((spec) => kindMatches(pattern, spec.kind))) {
        warnings.push(`${where}.scope.kinds: \`${pattern}\` matches no kind containerlab knows; only nodes of exactly that kind will match`);
      }
    }
  }
  policy.grants.forEach((grant, index) => {
    const role = Object.hasOwn(policy.roles, grant.role) ? policy.roles[grant.role] : undefined;
    if (role === undefined || !grant.subjects.includes('*')) return;
    const powers = [role.admin === true ? 'admin' : '', role.config === 'apply' ? 'config apply' : '', role.approve === true ? 'approve' : '']
      .filter((p) => p !== '');
    if (powers.length > 0) {
      warnings.push(`grants[${index}] gives \`${grant.role}\` (${powers.join(', ')}) to everyone (*)`);
    }
  });
  return warnings;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export type Scope = z.output<typeof ScopeSchema>;
export type Role = z.output<typeof RoleSchema>;
export type Grant = z.output<typeof GrantSchema>;
export type Approvals = z.output<typeof ApprovalsSchema>;
export type PolicyDocument = z.output<typeof PolicySchema>;

/** Where the policy came from, for messages that point at a grant (`policy.yaml:12`). */
export interface PolicySource {
  readonly file: string;
  /** 1-based line of each grant, by index. */
  readonly grantLines: readonly number[];
}

/** A validated policy. Build it with parsePolicy / loadPolicy (or `policyFromObject` in code). */
export interface Policy extends PolicyDocument {
  readonly source?: PolicySource;
  /** Things that are legal but probably not meant (a role granted to nobody). */
  readonly warnings: readonly string[];
}

/** The role name closest to a misspelt one, if any is close enough to suggest. */
function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const candidate of candidates) {
    const d = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min((previous[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = row;
  }
  return previous[b.length] ?? 0;
}
