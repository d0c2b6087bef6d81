import { suggest } from '../util/suggest.js';

/**
 * How the grammar's modules report a mistake: fail() throws a GrammarFailure, which parse()
 * catches and turns into a UsageError with the verb's usage line. It never leaves the grammar.
 */
export class GrammarFailure extends Error {
  constructor(
    message: string,
    readonly suggestions: readonly string[] = [],
  ) {
    super(message);
  }
}

export function fail(message: string, suggestions: readonly string[] = []): never {
  throw new GrammarFailure(message, suggestions);
}

/** `a`, `a or b`, `a, b or c` */
export function orList(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/**
 * Close spellings among `candidates`, stricter than suggest()'s default: in the grammar's short
 * words a slip is one edit per three letters (`knid` → kind, but not `kind` → mine).
 */
export function close(word: string, candidates: readonly string[]): string[] {
  const maxDistance = Math.min(3, Math.max(1, Math.floor(word.length / 3)));
  return suggest(word, candidates, { maxDistance });
}

export function didYouMean(suggestions: readonly string[]): string {
  return suggestions.length === 0 ? '' : `; did you mean ${orList(suggestions)}?`;
}

/** A user's word inside a message: quoted, and cut when long (junk input stays readable). */
export function show(word: string): string {
  const cut = word.length > 40 ? `${word.slice(0, 40)}…` : word;
  return `"${cut}"`;
}
