/**
 * Cisco-style command lookup for the IOS and IOS-XR simulators: every typed word may be a unique
 * prefix of a keyword (`sh ip int br`, netmiko's `config term`), and a line that does not match
 * fails the way the CLI reports it: invalid input at a word (the caret's column), an incomplete
 * command, or an ambiguous abbreviation.
 */

/** A keyword, `<arg>` (one word), `<num>` (digits), `<rest>` (the rest of the line, at least a word); `?` after a token makes it optional. */
export type Token = string;

export interface CommandSpec<T> {
  readonly words: readonly Token[];
  readonly action: T;
}

export type Lookup<T> =
  | { readonly ok: true; readonly action: T; readonly args: readonly string[]; readonly words: readonly string[] }
  | { readonly ok: false; readonly error: 'invalid'; readonly column: number }
  | { readonly ok: false; readonly error: 'incomplete' }
  | { readonly ok: false; readonly error: 'ambiguous'; readonly typed: string };

interface Word {
  readonly text: string;
  readonly column: number;
}

function splitWords(line: string): Word[] {
  const words: Word[] = [];
  const re = /\S+/g;
  for (let m = re.exec(line); m !== null; m = re.exec(line)) words.push({ text: m[0], column: m.index });
  return words;
}

const bare = (t: Token): string => (t.endsWith('?') ? t.slice(0, -1) : t);
const isPlaceholder = (t: Token): boolean => bare(t).startsWith('<');

function placeholderMatches(t: Token, word: string): boolean {
  const b = bare(t);
  if (b === '<num>') return /^\d+$/.test(word);
  return true;
}

/** Finds the command `line` names in `table` (earlier entries win ties). */
export function lookup<T>(table: readonly CommandSpec<T>[], line: string): Lookup<T> {
  const words = splitWords(line);
  let candidates = table.map((spec) => ({ spec, args: [] as string[], expanded: [] as string[], rest: false }));
  for (const [i, word] of words.entries()) {
    const lower = word.text.toLowerCase();
    const live = candidates.filter((c) => c.rest || i < c.spec.words.length);
    const keywords = new Set<string>();
    for (const c of live) {
      if (c.rest) continue;
      const t = c.spec.words[i] as Token;
      if (!isPlaceholder(t) && bare(t).startsWith(lower)) keywords.add(bare(t));
    }
    const exact = keywords.has(lower) ? lower : undefined;
    const chosen = exact ?? (keywords.size === 1 ? [...keywords][0] : undefined);
    if (chosen === undefined && keywords.size > 1) {
      const placeholders = live.filter((c) => !c.rest && isPlaceholder(c.spec.words[i] as Token) && placeholderMatches(c.spec.words[i] as Token, word.text));
      if (placeholders.length === 0) return { ok: false, error: 'ambiguous', typed: words.slice(0, i + 1).map((w) => w.text).join(' ') };
    }
    const next: typeof candidates = [];
    for (const c of live) {
      if (c.rest) {
        c.args[c.args.length - 1] = `${c.args[c.args.length - 1] ?? ''} ${word.text}`;
        next.push(c);
        continue;
      }
      const t = c.spec.words[i] as Token;
      if (isPlaceholder(t)) {
        if (chosen !== undefined || !placeholderMatches(t, word.text)) continue;
        c.args.push(word.text);
        c.expanded.push(word.text);
        if (bare(t) === '<rest>') c.rest = true;
        next.push(c);
      } else if (chosen !== undefined && bare(t) === chosen) {
        c.expanded.push(chosen);
        next.push(c);
      }
    }
    if (next.length === 0) return { ok: false, error: 'invalid', column: word.column };
    candidates = next;
  }
  const complete = candidates.find((c) => c.rest || c.spec.words.slice(c.expanded.length).every((t) => t.endsWith('?')));
  if (complete === undefined) return { ok: false, error: 'incomplete' };
  return { ok: true, action: complete.spec.action, args: complete.args, words: complete.expanded };
}

/** Shorthand for building a table: `['show version', action]`. */
export function commands<T>(rows: readonly (readonly [string, T])[]): CommandSpec<T>[] {
  return rows.map(([text, action]) => ({ words: text.split(/\s+/), action }));
}
