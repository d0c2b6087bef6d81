/** Permissions: policy file, command normalisation and the pure authorize/explain functions. */
export { PolicyError, formatProblem, type PolicyProblem } from './policy-error.js';
export {
  PolicySchema,
  SUBJECT_SYNTAX,
  type Approvals,
  type Grant,
  type Policy,
  type PolicySource,
  type Role,
  type Scope,
} from './policy-schema.js';
export { loadPolicy, parsePolicy, policyFromObject } from './policy-load.js';
export { CLI_DIALECTS, DIALECT_LABEL, dialectFor, dialectOf, type CliDialect } from './cli-dialect.js';
export { normaliseCommand, type NormalisedCommand } from './command-normalise.js';
export { commandAllowed, compilePattern, matchCommand, patternProblem, type CommandMatch, type CommandPattern } from './command-match.js';
export { PIPE_RULES, safePipeNames, unsafePipeReason } from './safe-pipes.js';
export {
  isPolicySubject,
  slackSubject,
  subjectId,
  terminalSubject,
  describeSubjectIdentity,
  type PolicySubject,
  type Subject,
} from './subject.js';
export { describeScope, describeTargets, scopeCovers, type TargetNode } from './scope.js';
export { describeRoleGrant, subjectRoles, type RoleGrant } from './roles.js';
export {
  approvalsMissing,
  approvalsRequired,
  authorize,
  NO_POLICY_HINT,
  type Action,
  type Decision,
  type DecisionRule,
  type GrantedBy,
  type ReadVerb,
  type TargetDecision,
} from './authorize.js';
export { describeSubject, explain, explainSubject } from './explain.js';
