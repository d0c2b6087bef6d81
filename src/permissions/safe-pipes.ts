import { CLI_DIALECTS, DIALECT_LABEL, type CliDialect } from './cli-dialect.js';
import { DIALECTS, type PipeArgs, type PipeRules } from './dialects/index.js';
import { lookupKeyword, leaves } from './keyword-tree.js';

export type { PipeArgs, PipeRules, PipeSpec } from './dialects/index.js';

/** Each dialect's pipe table (src/permissions/dialects/), by dialect id. */
export const PIPE_RULES: Readonly<Record<CliDialect, PipeRules>> = Object.fromEntries(
  CLI_DIALECTS.map((d) => [d, DIALECTS[d].pipes]),
) as Record<CliDialect, PipeRules>;

/** The safe stage names of a dialect, for messages. */
export function safePipeNames(dialect: CliDialect): string[] {
  return Object.entries(PIPE_RULES[dialect].stages)
    .filter(([, spec]) => spec.safe)
    .map(([name]) => name);
}

/**
 * Expands a stage's name and option to full keywords where the CLI would (`m` → `match`,
 * `dis x` → `display xml`); arguments are kept as typed.
 */
export function expandPipeStage(dialect: CliDialect, words: readonly string[]): string[] {
  const rules = PIPE_RULES[dialect];
  const [first, second, ...rest] = words;
  if (first === undefined) return [];
  const name = expandWord(rules, Object.keys(rules.stages), first);
  const spec = rules.stages[name];
  if (second === undefined) return [name];
  if (spec?.safe === true && spec.args.kind === 'option') {
    return [name, expandWord(rules, spec.args.options, second), ...rest];
  }
  return [name, second, ...rest];
}

function expandWord(rules: PipeRules, keywords: readonly string[], word: string): string {
  const lower = word.toLowerCase();
  const found = lookupKeyword(leaves(...keywords), lower, rules.prefixes);
  return found.kind === 'keyword' ? found.keyword : word;
}

/** Why a (normalised) pipe stage may not run, or undefined when it is safe. */
export function unsafePipeReason(dialect: CliDialect, stage: readonly string[]): string | undefined {
  const rules = PIPE_RULES[dialect];
  const shown = `\`| ${stage.join(' ')}\``;
  if (rules.none !== undefined) return `${shown} is not allowed: ${rules.none}`;
  const [name, ...args] = stage;
  const safeList = `safe pipes on ${DIALECT_LABEL[dialect]}: ${safePipeNames(dialect).join(', ')}`;
  const spec = name === undefined || !Object.hasOwn(rules.stages, name) ? undefined : rules.stages[name];
  if (spec === undefined) {
    const candidates = Object.keys(rules.stages).filter((k) => name !== undefined && k.startsWith(name.toLowerCase())).sort();
    const what = candidates.length > 1 ? `\`${name}\` is ambiguous (${candidates.join(', ')})` : `\`${name}\` is not a pipe the bot knows to be safe`;
    return `${shown} is not allowed: ${what}; ${safeList}`;
  }
  if (!spec.safe) return `${shown} is not allowed: ${name} ${spec.why}; ${safeList}`;
  const problem = argsProblem(spec.args, args);
  return problem === undefined ? undefined : `${shown} is not allowed: ${name} ${problem}`;
}

function argsProblem(rule: PipeArgs, args: readonly string[]): string | undefined {
  switch (rule.kind) {
    case 'none':
      return args.length === 0 ? undefined : 'takes no arguments';
    case 'any':
      return args.length >= rule.min ? undefined : 'needs an argument';
    case 'count': {
      if (args.length === 0) return rule.optional ? undefined : 'needs a line count';
      return args.length === 1 && /^\d+$/.test(args[0] ?? '') ? undefined : 'takes only a line count';
    }
    case 'option': {
      const option = args[0];
      if (option !== undefined && rule.options.includes(option)) return undefined;
      return `needs one of: ${rule.options.join(', ')}`;
    }
    case 'filter': {
      const badFlag = args.find((a) => a.startsWith('-') && !rule.flags.includes(a));
      if (badFlag !== undefined) return `does not allow \`${badFlag}\` (allowed: ${rule.flags.join(' ')})`;
      const operands = args.filter((a) => !a.startsWith('-')).length;
      if (operands > rule.operands) return rule.operands === 0 ? 'takes no file or pattern' : 'takes one pattern and no file names';
      return undefined;
    }
    case 'lines': {
      const ok = args.length === 0 || (args.length === 1 && /^-\d+$/.test(args[0] ?? '')) ||
        (args.length === 2 && args[0] === '-n' && /^\d+$/.test(args[1] ?? ''));
      return ok ? undefined : 'takes only a line count (`-n 20`)';
    }
    default:
      return rule satisfies never;
  }
}
