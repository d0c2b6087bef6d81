/**
 * Environment expansion of a topology file's text, as containerlab does it before parsing YAML
 * (hellt/envsubst `BytesRestrictedNoReplace(noUnset=false, noEmpty=false, noReplace=true, noDigit=true)`):
 *
 * - `$VAR`, `${VAR}`: the value when set and non-empty, else left as `$VAR` (no braces);
 * - `${VAR:-d}`, `${VAR:=d}`: the value when set and non-empty, else `d`;
 * - `${VAR-d}`, `${VAR=d}`: `d` only when VAR is unset;
 * - `${VAR:+a}`, `${VAR+a}`: `a` when VAR is set, else '';
 * - `$$` is a literal `$`; `$1`, `${1…` (leading digit) are left alone;
 * - a `${` not closed on its line is an error.
 */
export type EnvExpansion =
  | { readonly ok: true; readonly text: string }
  | { readonly ok: false; readonly line: number; readonly reason: string };

type Env = Readonly<Record<string, string | undefined>>;

const NAME_CHAR = /[\p{L}\p{N}_]/u;
const DIGIT = /\p{N}/u;
const OPERATORS = [':-', ':=', ':+', '-', '=', '+'] as const;

function readName(text: string, start: number): number {
  let end = start;
  while (end < text.length && NAME_CHAR.test(text[end] as string)) end++;
  return end;
}

/** The plain variable's replacement: its value, or `$NAME` when unset or empty (noReplace). */
function variable(name: string, env: Env): string {
  const value = env[name];
  return value === undefined || value === '' ? `$${name}` : value;
}

function substitution(name: string, op: string | undefined, word: string, env: Env): string {
  // envsubst ignores an operator whose word is empty: `${VAR:-}` behaves like `${VAR}`.
  if (op === undefined || word === '') return variable(name, env);
  const isSet = env[name] !== undefined;
  const value = env[name] ?? '';
  switch (op) {
    case ':-':
    case ':=':
      return value === '' ? word : value;
    case '-':
    case '=':
      return isSet ? variable(name, env) : word;
    case ':+':
    case '+':
      return isSet ? word : '';
    default:
      return variable(name, env);
  }
}

function lineOf(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index && i < text.length; i++) if (text[i] === '\n') line++;
  return line;
}

export function expandEnv(text: string, env: Env): EnvExpansion {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    if (ch !== '$') {
      out += ch;
      i++;
      continue;
    }
    const next = text[i + 1];
    if (next === '$') {
      out += '$';
      i += 2;
    } else if (next !== undefined && DIGIT.test(next)) {
      out += `$${next}`;
      i += 2;
    } else if (next === '{') {
      const after = text[i + 2];
      if (after !== undefined && DIGIT.test(after)) {
        out += `\${${after}`;
        i += 3;
        continue;
      }
      const close = findClose(text, i + 2);
      if (close < 0) return { ok: false, line: lineOf(text, i), reason: 'closing brace expected after ${' };
      const body = text.slice(i + 2, close);
      const nameEnd = readName(body, 0);
      const name = body.slice(0, nameEnd);
      if (name === '' || name === '_') {
        out += text.slice(i, close + 1);
      } else {
        const rest = body.slice(nameEnd);
        const op = OPERATORS.find((o) => rest.startsWith(o));
        const word = op === undefined ? '' : rest.slice(op.length);
        const expandedWord = expandEnv(word, env);
        if (!expandedWord.ok) return { ok: false, line: lineOf(text, i), reason: expandedWord.reason };
        out += substitution(name, op, expandedWord.text, env);
      }
      i = close + 1;
    } else if (next !== undefined && NAME_CHAR.test(next)) {
      const end = readName(text, i + 1);
      const name = text.slice(i + 1, end);
      out += name === '_' ? '$_' : variable(name, env);
      i = end;
    } else {
      out += '$';
      i++;
    }
  }
  return { ok: true, text: out };
}

/** Index of the `}` closing a `${` whose body starts at `from`, on the same line; -1 if none. */
function findClose(text: string, from: number): number {
  let depth = 0;
  for (let j = from; j < text.length; j++) {
    const c = text[j];
    if (c === '\n' || c === '\r') return -1;
    if (c === '{' && text[j - 1] === '$') depth++;
    else if (c === '}') {
      if (depth === 0) return j;
      depth--;
    }
  }
  return -1;
}
