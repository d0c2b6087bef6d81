/**
 * Shell-like word splitting for clab-bot's own words (verb, selector, flags and their values).
 * The device command after them is never split here: it is taken from the text as typed.
 *
 * Rules:
 *  - words are separated by whitespace;
 *  - a word that starts with `"` or `'` (or whose value starts with one after `=`, as in
 *    `--comment="a b"`) is quoted up to the matching quote; a quote inside a word
 *    (`don't`) is an ordinary character;
 *  - inside "…", `\"` and `\\` stand for `"` and `\`; inside '…' nothing is special;
 *  - outside quotes, `\` before a quote, a backslash or a space makes that character ordinary;
 *    any other backslash is kept as is (`a\|b`).
 */

export interface Token {
  /** The word with quotes and escapes removed. */
  readonly value: string;
  /** Offset of the word's first character in the text (for argv input: the argument's index). */
  readonly start: number;
  /** How many leading characters of `value` were neither quoted nor escaped. */
  readonly plain: number;
}

/** True when any part of the word was quoted or escaped. */
export function isQuoted(token: Token): boolean {
  return token.plain < token.value.length;
}

export type ReadResult =
  | { readonly kind: 'word'; readonly token: Token; readonly end: number }
  | { readonly kind: 'end' }
  /** A quote opened at `at` (offset) in the word starting at `start` is never closed. */
  | { readonly kind: 'unclosed'; readonly quote: '"' | "'"; readonly at: number; readonly start: number };

const SPACE = /\s/;

/** Reads the next word of `text` at or after `pos`. */
export function readWord(text: string, pos: number): ReadResult {
  let i = pos;
  while (i < text.length && SPACE.test(text[i] ?? '')) i++;
  if (i >= text.length) return { kind: 'end' };
  const start = i;
  let value = '';
  let plain = -1;
  while (i < text.length) {
    const ch = text[i] ?? '';
    if (SPACE.test(ch)) break;
    const opensQuote = (ch === '"' || ch === "'") && (i === start || text[i - 1] === '=' || (plain !== -1 && isQuoteEnd(text, i - 1)));
    if (opensQuote) {
      const close = ch === '"' ? closeDouble(text, i) : text.indexOf("'", i + 1);
      if (close === -1) return { kind: 'unclosed', quote: ch, at: i, start };
      if (plain === -1) plain = value.length;
      value += ch === '"' ? unescapeDouble(text.slice(i + 1, close)) : text.slice(i + 1, close);
      i = close + 1;
      continue;
    }
    if (ch === '\\' && i + 1 < text.length && /["'\\\s]/.test(text[i + 1] ?? '')) {
      if (plain === -1) plain = value.length;
      value += text[i + 1];
      i += 2;
      continue;
    }
    value += ch;
    i++;
  }
  return { kind: 'word', token: { value, start, plain: plain === -1 ? value.length : plain }, end: i };
}

/** Every word of `text`; an unclosed quote runs to the end instead of failing. */
export function lenientWords(text: string): Token[] {
  const words: Token[] = [];
  let pos = 0;
  for (;;) {
    const r = readWord(text, pos);
    if (r.kind === 'end') return words;
    if (r.kind === 'unclosed') {
      const head = text.slice(r.start, r.at);
      words.push({ value: head + text.slice(r.at + 1), start: r.start, plain: head.length });
      return words;
    }
    words.push(r.token);
    pos = r.end;
  }
}

/** Writes `value` as one word that readWord reads back unchanged. */
export function quoteWord(value: string): string {
  if (/^[A-Za-z0-9_@%+=:,./][A-Za-z0-9_@%+=:,./-]*$/.test(value)) return value;
  return `"${value.replace(/[\\"]/g, '\\$&')}"`;
}

/** Offset of the `"` closing the one at `open`, skipping `\"` and `\\`; -1 if none. */
function closeDouble(text: string, open: number): number {
  for (let i = open + 1; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\' && (text[i + 1] === '"' || text[i + 1] === '\\')) i++;
    else if (ch === '"') return i;
  }
  return -1;
}

function unescapeDouble(inner: string): string {
  return inner.replace(/\\(["\\])/g, '$1');
}

/** True when the character at `i` closed a quoted part, so a quote right after it opens another ("a"'b'). */
function isQuoteEnd(text: string, i: number): boolean {
  return text[i] === '"' || text[i] === "'";
}
