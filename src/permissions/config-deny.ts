import type { Policy } from './policy-schema.js';
import { roleCovers, subjectRoles } from './roles.js';
import type { TargetNode } from './scope.js';
import { isPolicySubject, type Subject } from './subject.js';

/**
 * Guard rails beyond approvals: `config_deny` patterns on a role refuse a planned change whose
 * diff touches what they name. They match the diff as set-form statements (the driver's
 * Plan.statements), never the text the user gave, so curly braces, set commands and XML are all
 * judged by what they would change.
 *
 * A pattern is words, `*` matching one word (any number at the end): `system login *`. It matches
 * `set` and `delete` statements alike, unless it starts with `set` or `delete`. A statement
 * matches when the pattern is a prefix of it (`system login` covers `set system login user eve
 * class super-user`); a `delete` also matches when it removes an ancestor of what the pattern
 * names (`delete system` removes `system login`).
 */
export interface DenyRule {
  readonly pattern: string;
  readonly role: string;
  readonly via: string;
}

export interface DenyMatch {
  readonly rule: DenyRule;
  readonly statement: string;
}

/** Why a config_deny pattern cannot be used, or undefined. Used by the policy schema. */
export function denyPatternProblem(pattern: string): string | undefined {
  if (/[^\x20-\x7e]/.test(pattern)) return 'a config_deny pattern must be plain ASCII on one line';
  const words = splitWords(pattern);
  if (words.length === 0) return 'a config_deny pattern cannot be empty';
  const path = words[0] === 'set' || words[0] === 'delete' ? words.slice(1) : words;
  if (path.length === 0) return `\`${pattern}\` names no configuration path (write \`delete system\`, not \`delete\`)`;
  const glued = path.find((w) => w.includes('*') && w !== '*');
  if (glued !== undefined) return `\`${glued}\`: \`*\` must be a word of its own (\`system login *\`)`;
  return undefined;
}

/** The deny rules that apply to `subject` on `node`: those of every held role whose scope covers it. */
export function denyRulesFor(policy: Policy | null, subject: Subject, node: TargetNode): DenyRule[] {
  if (policy === null || !isPolicySubject(subject)) return [];
  return subjectRoles(policy, subject)
    .filter((held) => roleCovers(held, node))
    .flatMap((held) => (held.definition.config_deny ?? []).map((pattern) => ({ pattern, role: held.role, via: held.via })));
}

/** The first statement a rule refuses, or undefined. */
export function findDenied(statements: readonly string[], rules: readonly DenyRule[]): DenyMatch | undefined {
  for (const statement of statements) {
    const words = splitWords(statement);
    const [verb, ...path] = words;
    if (verb !== 'set' && verb !== 'delete') continue;
    for (const rule of rules) {
      if (ruleMatches(splitWords(rule.pattern), verb, path)) return { rule, statement };
    }
  }
  return undefined;
}

function ruleMatches(pattern: readonly string[], verb: 'set' | 'delete', path: readonly string[]): boolean {
  let wanted = pattern;
  if (pattern[0] === 'set' || pattern[0] === 'delete') {
    if (pattern[0] !== verb) return false;
    wanted = pattern.slice(1);
  }
  if (prefixMatches(wanted, path)) return true;
  // Deleting an ancestor removes what the rule protects.
  return verb === 'delete' && path.length < wanted.length && path.every((w, i) => wordMatches(wanted[i] ?? '', w));
}

/** The pattern's words match the first words of `path` (a trailing `*` matches the rest, none included). */
function prefixMatches(pattern: readonly string[], path: readonly string[]): boolean {
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i] ?? '';
    if (p === '*' && i === pattern.length - 1) return true;
    const w = path[i];
    if (w === undefined || !wordMatches(p, w)) return false;
  }
  return true;
}

function wordMatches(pattern: string, word: string): boolean {
  return pattern === '*' || pattern === word;
}

/** Words of a pattern or statement; double quotes group a value with spaces. */
function splitWords(text: string): string[] {
  return [...text.matchAll(/"((?:[^"\\]|\\.)*)"|(\S+)/g)].map((m) => (m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : (m[2] ?? '')));
}
