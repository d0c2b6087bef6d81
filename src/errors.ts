/**
 * The one error base of clab-bot. `message` is written for the person who typed the command:
 * one sentence saying what went wrong and, where there is one, what to do next.
 * `code` is stable and machine-readable (front ends map it, tests match on it).
 */
export class ClabBotError extends Error {
  readonly code: string;
  /** A next step for the user ("run `clab-bot labs` to see what was found"). */
  readonly hint: string | undefined;

  constructor(code: string, message: string, options: { cause?: unknown; hint?: string } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.hint = options.hint;
  }
}

/** The user's words are off: unknown verb or flag, missing value, unknown node. Exit code 2. */
export class UsageError extends ClabBotError {
  readonly suggestions: readonly string[];
  readonly usage: string | undefined;
  constructor(message: string, options: { suggestions?: readonly string[]; usage?: string; hint?: string } = {}) {
    super('usage', message, options.hint === undefined ? {} : { hint: options.hint });
    this.suggestions = options.suggestions ?? [];
    this.usage = options.usage;
  }
}

/** A setting (clab-bot.yaml or environment) is invalid. Names the key. Raised at start. */
export class SettingsError extends ClabBotError {
  readonly key: string;
  constructor(key: string, reason: string) {
    super('settings', `setting ${key}: ${reason}`);
    this.key = key;
  }
}

/** A lab file could not be used (malformed topology, bad JSON). Names the file and the field. */
export class InventoryError extends ClabBotError {
  readonly file: string;
  readonly field: string | undefined;
  constructor(file: string, reason: string, field?: string) {
    super('inventory', `${file}${field ? `: ${field}` : ''}: ${reason}`);
    this.file = file;
    this.field = field;
  }
}

/** Wraps anything thrown that is not an Error of ours, keeping it as `cause` (never stringified away). */
export function asClabBotError(err: unknown): ClabBotError {
  if (err instanceof ClabBotError) return err;
  const message = err instanceof Error ? err.message : `non-error thrown: ${String(err)}`;
  return new ClabBotError('internal', `internal error: ${message}`, { cause: err });
}
