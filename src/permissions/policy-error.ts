import { ClabBotError } from '../errors.js';

/** One thing wrong with a policy file, at the place the author has to edit. */
export interface PolicyProblem {
  /** 1-based line in the policy file (0 when the file could not be read at all). */
  readonly line: number;
  /** 1-based column. */
  readonly column: number;
  /** Where in the document: `roles.viewer.exec[0]`, `grants[2].role`; empty for the whole file. */
  readonly path: string;
  readonly message: string;
}

/** Formats a problem the way compilers do, so editors can jump to it: `policy.yaml:3:7: roles.viewer: ...`. */
export function formatProblem(file: string, problem: PolicyProblem): string {
  const where = problem.line > 0 ? `${file}:${problem.line}:${problem.column}` : file;
  return `${where}: ${problem.path === '' ? '' : `${problem.path}: `}${problem.message}`;
}

/**
 * The policy file is missing, unreadable or invalid. Lists every problem found, each with its line
 * and column, so one run of `clab-bot policy check` is enough to fix them all.
 */
export class PolicyError extends ClabBotError {
  readonly file: string;
  readonly problems: readonly PolicyProblem[];

  constructor(file: string, problems: readonly PolicyProblem[], options: { cause?: unknown } = {}) {
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    const lines = problems.map((p) => `  ${formatProblem(file, p)}`);
    super('policy', `policy file ${file} has ${count}:\n${lines.join('\n')}`, {
      ...options,
      hint: `fix the file and check it with \`clab-bot policy check ${file}\``,
    });
    this.file = file;
    this.problems = problems;
  }
}
