/**
 * Sorting of lab, node and file names as ICU's English collation sorts them
 * (`a.localeCompare(b, 'en', { numeric })`), without starting ICU's collator: its first use costs a
 * one-shot command tens of milliseconds. Names made only of a-z, 0-9, `.`, `-` and `_` (nearly all
 * lab and node names) are compared here, with the collator's rules for them: `_` < `-` < `.` <
 * digits < letters, and with `numeric`, digit runs by value. Anything else, or a digit run with a
 * leading zero (which the collator ties in its own way), goes to the collator.
 */
export function compareNames(a: string, b: string, numeric: boolean): number {
  if (!PLAIN.test(a) || !PLAIN.test(b) || (numeric && (LEADING_ZERO.test(a) || LEADING_ZERO.test(b)))) return a.localeCompare(b, 'en', { numeric });
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(j);
    if (numeric && isDigit(ca) && isDigit(cb)) {
      const endA = digitsEnd(a, i);
      const endB = digitsEnd(b, j);
      // No leading zeros: the longer run is the larger number; equal lengths compare digit by digit.
      if (endA - i !== endB - j) return endA - i - (endB - j);
      const runA = a.slice(i, endA);
      const runB = b.slice(j, endB);
      if (runA !== runB) return runA < runB ? -1 : 1;
      i = endA;
      j = endB;
      continue;
    }
    if (ca !== cb) return rank(ca) - rank(cb);
    i++;
    j++;
  }
  return a.length - i - (b.length - j);
}

/** Natural order of names: `node2` before `node10`. */
export const naturalOrder = (a: string, b: string): number => compareNames(a, b, true);

const PLAIN = /^[a-z0-9._-]*$/;
const LEADING_ZERO = /(^|[^0-9])0[0-9]/;
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const digitsEnd = (s: string, from: number): number => {
  let k = from;
  while (k < s.length && isDigit(s.charCodeAt(k))) k++;
  return k;
};
/** The collator's order of the plain characters. */
const rank = (c: number): number => (c === 95 ? 0 : c === 45 ? 1 : c === 46 ? 2 : isDigit(c) ? 10 + c - 48 : 100 + c);
