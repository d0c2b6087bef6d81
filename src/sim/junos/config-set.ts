/** `set`/`delete`/`edit`… command lines applied to a configuration tree, as `load set` does. */
import { TOP_LEVEL } from './config-schema.js';
import { ConfigSyntaxError, cloneConfig, emptyConfig, type ConfigIssue, type ConfigNode } from './config-model.js';
import { createPath, deleteLocated, levelsOf, locate, normalizeWords, setPath } from './config-path.js';
import { PUNCT, tokenize, type Token } from './config-tokenize.js';
import { validateConfig } from './config-validate.js';

export interface SetResult {
  readonly tree: ConfigNode;
  readonly warnings: readonly ConfigIssue[];
}

/**
 * Applies `set`, `delete`, `activate`, `deactivate`, `edit`, `top`, `up` lines to a copy of
 * `base`. Unknown verbs and malformed lines are errors (ConfigSyntaxError, nothing applied);
 * deleting what is not there is a warning (`statement not found`), as on Junos.
 */
export function applySetCommands(base: ConfigNode, text: string): SetResult {
  const tree = cloneConfig(base);
  const errors: ConfigIssue[] = [];
  const warnings: ConfigIssue[] = [];
  let editPath: string[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, idx) => {
    const line = idx + 1;
    const tokens = tokenize(raw);
    if (tokens.length === 0) return;
    const verb = (tokens[0] as Token).t;
    const bad = tokens.find((t) => !t.quoted && PUNCT.has(t.t));
    if (bad !== undefined) {
      errors.push({ severity: 'error', message: 'syntax error', badElement: bad.t, line });
      return;
    }
    const args = normalizeWords(
      tokens.slice(1).map((t) => t.t),
      editPath,
    );
    const full = [...editPath, ...args];
    switch (verb) {
      case 'set': {
        if (args.length === 0) {
          errors.push({ severity: 'error', message: 'syntax error, expecting <statement>', badElement: 'set', line });
          return;
        }
        if (editPath.length === 0 && !TOP_LEVEL.has(args[0] as string)) {
          errors.push({ severity: 'error', message: 'syntax error', badElement: args[0] as string, path: [], line });
          return;
        }
        // Check the statement on its own first, so the error names this line and nothing is half-applied.
        const probe = emptyConfig();
        setPath(probe, full);
        const problems = validateConfig(probe, 'set');
        if (problems.length > 0) {
          errors.push(...problems.map((p) => ({ ...p, line })));
          return;
        }
        setPath(tree, full);
        return;
      }
      case 'delete':
      case 'activate':
      case 'deactivate': {
        if (full.length === 0) {
          if (verb === 'delete') tree.children = [];
          return;
        }
        const found = locate(tree, full);
        if (found === undefined) {
          warnings.push({ severity: 'warning', message: 'statement not found', badElement: full[full.length - 1] as string, path: full.slice(0, -1), line });
          return;
        }
        if (verb === 'delete') {
          deleteLocated(found);
        } else {
          found.node.inactive = verb === 'deactivate';
        }
        return;
      }
      case 'edit': {
        if (editPath.length === 0 && args.length > 0 && !TOP_LEVEL.has(args[0] as string)) {
          errors.push({ severity: 'error', message: 'syntax error', badElement: args[0] as string, path: [], line });
          return;
        }
        editPath = createPath(tree, full);
        return;
      }
      case 'top':
        editPath = [];
        return;
      case 'up':
      case 'exit': {
        const levels = levelsOf(tree, editPath);
        const n = Math.max(1, Number(args[0] ?? '1') || 1);
        editPath = levels.slice(0, Math.max(0, levels.length - n)).flat();
        return;
      }
      case 'annotate':
        // Comments are not kept by the simulator; the statement must exist, as on Junos.
        if (locate(tree, full.slice(0, -1)) === undefined && full.length > 1) {
          warnings.push({ severity: 'warning', message: 'statement not found', badElement: full[full.length - 2] as string, line });
        }
        return;
      default:
        errors.push({ severity: 'error', message: 'syntax error', badElement: verb, line });
    }
  });
  if (errors.length > 0) throw new ConfigSyntaxError(errors);
  validateConfig(tree, 'set'); // stores `word value;` shorthands in block form, as text loads do
  return { tree, warnings };
}
