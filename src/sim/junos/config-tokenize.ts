/** Splits configuration text or one `set` line into words and punctuation, with line numbers. */

export interface Token {
  readonly t: string;
  readonly quoted: boolean;
  readonly line: number;
}

export const PUNCT = new Set(['{', '}', ';', '[', ']']);

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  const n = text.length;
  while (i < n) {
    const ch = text[i] as string;
    if (ch === '\n') {
      line++;
      i++;
    } else if (/\s/.test(ch)) {
      i++;
    } else if (ch === '#') {
      while (i < n && text[i] !== '\n') i++;
    } else if (ch === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? n : end + 2;
      for (let k = i; k < stop; k++) if (text[k] === '\n') line++;
      i = stop;
    } else if (PUNCT.has(ch)) {
      tokens.push({ t: ch, quoted: false, line });
      i++;
    } else if (ch === '"') {
      let v = '';
      const startLine = line;
      i++;
      while (i < n && text[i] !== '"') {
        if (text[i] === '\\' && i + 1 < n) {
          v += text[i + 1];
          i += 2;
        } else {
          if (text[i] === '\n') line++;
          v += text[i];
          i++;
        }
      }
      i++;
      tokens.push({ t: v, quoted: true, line: startLine });
    } else {
      // `[`/`]` inside a word belong to it (`member ge-0/0/[2-5];`); standing alone they delimit a list.
      let v = '';
      let open = 0;
      while (i < n && !/\s/.test(text[i] as string) && text[i] !== '"') {
        const c = text[i] as string;
        if (c === '{' || c === '}' || c === ';') break;
        if (c === '[') open++;
        if (c === ']') {
          if (open === 0) break;
          open--;
        }
        v += c;
        i++;
      }
      tokens.push({ t: v, quoted: false, line });
    }
  }
  return tokens;
}
