/**
 * "Did you mean …?" suggestions for mistyped names (nodes, kinds, labs, verbs, flags).
 * Pure and case-insensitive; the caller decides how to phrase the error around them.
 */

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions), case-insensitive. */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  if (s === t) return 0;
  if (s.length === 0) return t.length;
  if (t.length === 0) return s.length;
  // Three rolling rows: the transposition step looks two rows back.
  let prevPrev: number[] = [];
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const row = [i];
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let best = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) {
        best = Math.min(best, (prevPrev[j - 2] ?? 0) + 1);
      }
      row.push(best);
    }
    prevPrev = prev;
    prev = row;
  }
  return prev[t.length] ?? 0;
}

export interface SuggestOptions {
  /** How many suggestions at most (default 3). */
  readonly limit?: number;
  /** Largest edit distance still suggested; default grows with the input: max(2, 40% of its length). */
  readonly maxDistance?: number;
}

/**
 * The candidates closest to `input`, best first. A candidate that starts with the input (or that the
 * input starts with) ranks before edit-distance matches: `router` suggests router1, router2, router3.
 * Exact (case-insensitive) matches are not suggested: the caller already knows they failed for
 * another reason.
 */
export function suggest(input: string, candidates: Iterable<string>, options: SuggestOptions = {}): string[] {
  const limit = options.limit ?? 3;
  const needle = input.toLowerCase();
  if (needle.length === 0 || limit <= 0) return [];
  const maxDistance = options.maxDistance ?? Math.max(2, Math.floor(needle.length * 0.4));
  const scored = new Map<string, number>();
  for (const candidate of candidates) {
    const lower = candidate.toLowerCase();
    if (lower === needle || scored.has(candidate)) continue;
    const prefix = lower.startsWith(needle) || needle.startsWith(lower);
    // Prefix matches score below any real distance; shorter extra text ranks first among them.
    const score = prefix
      ? Math.abs(lower.length - needle.length) / 1000
      : editDistance(needle, lower);
    if (prefix || score <= maxDistance) scored.set(candidate, score);
  }
  return [...scored.entries()]
    .sort(([a, sa], [b, sb]) => sa - sb || a.localeCompare(b, 'en', { numeric: true }))
    .slice(0, limit)
    .map(([candidate]) => candidate);
}

/** `did you mean a, b or c?`, or '' when there is nothing to suggest. */
export function didYouMean(suggestions: readonly string[]): string {
  if (suggestions.length === 0) return '';
  if (suggestions.length === 1) return `did you mean ${suggestions[0]}?`;
  return `did you mean ${suggestions.slice(0, -1).join(', ')} or ${suggestions[suggestions.length - 1]}?`;
}
