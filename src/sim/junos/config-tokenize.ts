/**
 * Splits configuration text or one `set` line into words and punctuation, with line numbers.
 * One pass over character codes, words cut with slice(): linear and allocation-light, since a
 * load can be 2 MB.
 */

export interface Token {
  readonly t: string;
  readonly quoted: boolean;
  readonly line: number;
}

export const PUNCT = new Set(['{', '}', ';', '[', ']']);

const NL = 10;
const HASH = 35;
const SLASH = 47;
const STAR = 42;
const QUOTE = 34;
const BACKSLASH = 92;
const LBRACE = 123;
const RBRACE = 125;
const SEMI = 59;
const LBRACKET = 91;
const RBRACKET = 93;

/** What /\s/ matches in configuration text (ASCII whitespace plus the Unicode spaces). */
function isSpace(c: number): boolean {
  return (
    c === 32 ||
    (c >= 9 && c <= 13) ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === NL) {
      line++;
      i++;
    } else if (isSpace(c)) {
      i++;
    } else if (c === HASH) {
      while (i < n && text.charCodeAt(i) !== NL) i++;
    } else if (c === SLASH && text.charCodeAt(i + 1) === STAR) {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? n : end + 2;
      for (let k = i; k < stop; k++) if (text.charCodeAt(k) === NL) line++;
      i = stop;
    } else if (c === LBRACE || c === RBRACE || c === SEMI || c === LBRACKET || c === RBRACKET) {
      tokens.push({ t: text[i] as string, quoted: false, line });
      i++;
    } else if (c === QUOTE) {
      const startLine = line;
      i++;
      let start = i;
      const parts: string[] = [];
      while (i < n && text.charCodeAt(i) !== QUOTE) {
        const q = text.charCodeAt(i);
        if (q === BACKSLASH && i + 1 < n) {
          parts.push(text.slice(start, i), text[i + 1] as string);
          i += 2;
          start = i;
        } else {
          if (q === NL) line++;
          i++;
        }
      }
      parts.push(text.slice(start, Math.min(i, n)));
      i++;
      tokens.push({ t: parts.length === 1 ? (parts[0] as string) : parts.join(''), quoted: true, line: startLine });
    } else {
      // `[`/`]` inside a word belong to it (`member ge-0/0/[2-5];`); standing alone they delimit a list.
      const start = i;
      let open = 0;
      while (i < n) {
        const w = text.charCodeAt(i);
        if (isSpace(w) || w === QUOTE || w === LBRACE || w === RBRACE || w === SEMI) break;
        if (w === LBRACKET) open++;
        if (w === RBRACKET) {
          if (open === 0) break;
          open--;
        }
        i++;
      }
      tokens.push({ t: text.slice(start, i), quoted: false, line });
    }
  }
  return tokens;
}
