import { DIALECT_LABEL, type CliDialect } from './cli-dialect.js';
import { lookupKeyword, leaves } from './keyword-tree.js';

/** What may follow a pipe stage's name. */
export type PipeArgs =
  | { readonly kind: 'none' }
  /** Free text (a regex, a rollback number); `min` words at least. */
  | { readonly kind: 'any'; readonly min: number }
  /** An optional or required line count: `last`, `last 20`, `trim 10`. */
  | { readonly kind: 'count'; readonly optional: boolean }
  /** One of the listed options, then free text: `display xml`, `as json`. */
  | { readonly kind: 'option'; readonly options: readonly string[] }
  /** A Unix filter: flags from the list only (never `-f FILE`, `-r`), at most `operands` plain words (no file names). */
  | { readonly kind: 'filter'; readonly flags: readonly string[]; readonly operands: number }
  /** `head` / `tail`: nothing, `-n N` or `-N`. */
  | { readonly kind: 'lines' };

export type PipeSpec = { readonly safe: true; readonly args: PipeArgs } | { readonly safe: false; readonly why: string };

export interface PipeRules {
  /** Stage names (and option names) accept unique prefixes, as the CLI does. */
  readonly prefixes: boolean;
  /** Every stage name the CLI knows that we have an opinion on; unlisted names are refused. */
  readonly stages: Readonly<Record<string, PipeSpec>>;
  /** Why the dialect allows no pipes at all (shell-backed CLIs). */
  readonly none?: string;
}

const NONE: PipeArgs = { kind: 'none' };
const TEXT: PipeArgs = { kind: 'any', min: 1 };
const OPTIONAL_TEXT: PipeArgs = { kind: 'any', min: 0 };
const writesFile: PipeSpec = { safe: false, why: 'writes a file on the device' };

/**
 * Pipes that only filter or reformat output. Everything that writes files, talks to other users,
 * repeats forever or waits for a keypress is listed as unsafe with the reason shown to the user.
 */
export const PIPE_RULES: Readonly<Record<CliDialect, PipeRules>> = {
  junos: {
    prefixes: true,
    stages: {
      match: { safe: true, args: TEXT },
      except: { safe: true, args: TEXT },
      find: { safe: true, args: TEXT },
      count: { safe: true, args: NONE },
      last: { safe: true, args: { kind: 'count', optional: true } },
      trim: { safe: true, args: { kind: 'count', optional: false } },
      'no-more': { safe: true, args: NONE },
      resolve: { safe: true, args: OPTIONAL_TEXT },
      // Read-only: compares the output with a rollback or a file.
      compare: { safe: true, args: TEXT },
      // Every display option only changes how the output is rendered.
      display: {
        safe: true,
        args: {
          kind: 'option',
          options: [
            'xml', 'json', 'set', 'inheritance', 'detail', 'omit', 'explicit', 'changed', 'commit-scripts',
            'translation-scripts',
          ],
        },
      },
      save: writesFile,
      append: writesFile,
      tee: writesFile,
      request: { safe: false, why: 'sends the output to other users (request message)' },
      hold: { safe: false, why: 'waits for a keypress at the end and the bot has no terminal' },
      refresh: { safe: false, why: 'repeats the command until interrupted' },
    },
  },
  eos: {
    prefixes: true,
    stages: {
      include: { safe: true, args: TEXT },
      exclude: { safe: true, args: TEXT },
      begin: { safe: true, args: TEXT },
      section: { safe: true, args: TEXT },
      json: { safe: true, args: OPTIONAL_TEXT },
      'no-more': { safe: true, args: NONE },
      nz: { safe: true, args: NONE },
      redirect: writesFile,
      append: writesFile,
      tee: writesFile,
    },
  },
  ios: {
    prefixes: true,
    stages: {
      include: { safe: true, args: TEXT },
      exclude: { safe: true, args: TEXT },
      begin: { safe: true, args: TEXT },
      section: { safe: true, args: TEXT },
      count: { safe: true, args: OPTIONAL_TEXT },
      redirect: writesFile,
      append: writesFile,
      tee: writesFile,
      file: writesFile,
      utility: { safe: false, why: 'runs Unix utilities on the device' },
    },
  },
  srlinux: {
    prefixes: false,
    stages: {
      as: { safe: true, args: { kind: 'option', options: ['json', 'table', 'text'] } },
      grep: { safe: true, args: { kind: 'filter', flags: ['-i', '-v', '-w', '-x', '-c', '-n', '-E', '-F', '-o'], operands: 1 } },
      head: { safe: true, args: { kind: 'lines' } },
      tail: { safe: true, args: { kind: 'lines' } },
      wc: { safe: true, args: { kind: 'filter', flags: ['-l', '-w', '-c'], operands: 0 } },
      more: { safe: false, why: 'is a pager: it needs a terminal and can start a shell' },
      less: { safe: false, why: 'is a pager: it needs a terminal and can start a shell' },
    },
  },
  sros: {
    prefixes: false,
    stages: {
      match: { safe: true, args: TEXT },
      count: { safe: true, args: NONE },
      'no-more': { safe: true, args: NONE },
    },
  },
  linux: { prefixes: false, stages: {}, none: 'the command runs in a shell, so pipes are not allowed on Linux nodes' },
  unknown: { prefixes: false, stages: {}, none: 'pipes are only allowed on kinds whose CLI the bot knows' },
};

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
