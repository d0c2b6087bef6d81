import { LIMITS } from './request.js';
import { fail } from './failure.js';
import type { Source } from './help.js';
import { normaliseSlackText } from './slack-text.js';
import { lenientWords, readWord, type Token } from './tokenize.js';

/**
 * Where the grammar's words come from: one line of text (Slack, console) or a shell's argv,
 * checked for size and characters first, and the raw command text after clab-bot's own words.
 */

/**
 * Tabs and no-break spaces separate words like a space (a tab reaching an interactive device CLI
 * would trigger completion). Zero-width characters are dropped. Line breaks and other control
 * characters are refused: a second line would reach a CLI device as a second command that the
 * permission check never saw; direction overrides would make the command read differently than it runs.
 */
const SPACE_LIKE = /[\t\u00A0\u2007\u202F]/g;
const INVISIBLE = /[\u200B\u2060\uFEFF]/g;
const FORBIDDEN = /[\u0000-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]/;

export function prepareText(text: unknown, source: Source): string {
  if (typeof text !== 'string') fail('no command text was given');
  if (text.length > LIMITS.inputChars) fail(`the text is ${text.length} characters long; the limit is ${LIMITS.inputChars}`);
  const normalised = (source === 'slack' ? normaliseSlackText(text) : text).replace(SPACE_LIKE, ' ').replace(INVISIBLE, '').trim();
  checkCharacters(normalised, (index) => `at column ${index + 1}`);
  return normalised;
}

export function prepareArgv(argv: readonly unknown[]): string[] {
  const items = argv.map((a) => (typeof a === 'string' ? a : fail('an argument is not text')));
  const total = items.reduce((n, a) => n + a.length + 1, 0);
  if (total > LIMITS.inputChars) fail(`the arguments are ${total} characters long; the limit is ${LIMITS.inputChars}`);
  return items.map((item, i) => {
    const cleaned = item.replace(SPACE_LIKE, ' ').replace(INVISIBLE, '');
    checkCharacters(cleaned, () => `in argument ${i + 1}`);
    return cleaned;
  });
}

function checkCharacters(text: string, where: (index: number) => string): void {
  const bad = FORBIDDEN.exec(text);
  if (!bad) return;
  const ch = bad[0];
  const code = `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
  if (ch === '\n' || ch === '\r' || ch === '\u2028' || ch === '\u2029') {
    fail(`the text has a line break ${where(bad.index)}; a command is one line`);
  }
  if (ch >= '\u202A') fail(`the text has an invisible direction-changing character (${code}) ${where(bad.index)}; remove it`);
  fail(`the text has a control character (${code}) ${where(bad.index)}; remove it`);
}

// --- word sources ---------------------------------------------------------------------------------

export interface CommandText {
  /** As the device gets it. */
  readonly text: string;
  /** Its words, for spotting clab-bot flags typed after the command. */
  readonly words: readonly Token[];
}

export interface Words {
  next(): Token | undefined;
  /** The next word without taking it. */
  peek(): Token | undefined;
  /** The rest of the input starting at `token`, which was the last word read. */
  restFrom(token: Token): CommandText;
  /** The rest of the input after the last word read. */
  rest(): CommandText;
}

export class TextWords implements Words {
  #pos = 0;
  constructor(readonly text: string) {}

  next(): Token | undefined {
    const r = readWord(this.text, this.#pos);
    if (r.kind === 'end') return undefined;
    if (r.kind === 'unclosed') {
      const other = r.quote === '"' ? "'" : '"';
      fail(`the ${r.quote} quote at column ${r.at + 1} is never closed; close it, or quote the text with ${other} instead`);
    }
    this.#pos = r.end;
    return r.token;
  }

  peek(): Token | undefined {
    const pos = this.#pos;
    try {
      return this.next();
    } finally {
      this.#pos = pos;
    }
  }

  restFrom(token: Token): CommandText {
    return this.#command(token.start);
  }

  rest(): CommandText {
    return this.#command(this.#pos);
  }

  #command(from: number): CommandText {
    const text = this.text.slice(from).trim();
    const words = lenientWords(text);
    return unwrapWholeCommand(text, words) ?? { text, words };
  }
}

/**
 * `exec r1 "show version"`: a command that is one quoted word holding spaces was quoted to keep it
 * together, never meant as one quoted word for the device (no CLI has a command `"show version"`).
 */
function unwrapWholeCommand(text: string, words: readonly Token[]): CommandText | undefined {
  const only = words.length === 1 ? words[0]! : undefined;
  if (only === undefined || only.plain !== 0 || !/\s/.test(only.value)) return undefined;
  const quote = text[0];
  if ((quote !== '"' && quote !== "'") || text[text.length - 1] !== quote) return undefined;
  const inner = only.value.trim();
  return { text: inner, words: lenientWords(inner) };
}

export class ArgvWords implements Words {
  #index = 0;
  constructor(readonly argv: readonly string[]) {}

  next(): Token | undefined {
    const value = this.argv[this.#index];
    if (value === undefined) return undefined;
    const token = { value, start: this.#index, plain: value.length };
    this.#index++;
    return token;
  }

  peek(): Token | undefined {
    const value = this.argv[this.#index];
    return value === undefined ? undefined : { value, start: this.#index, plain: value.length };
  }

  restFrom(token: Token): CommandText {
    return this.#command(token.start);
  }

  rest(): CommandText {
    return this.#command(this.#index);
  }

  #command(from: number): CommandText {
    const items = this.argv.slice(from);
    // `clab-bot exec r1 "show version"`: the whole command quoted as one argument (the shell-safe
    // way to keep `|` and quotes away from the shell) is the command as typed, not one quoted word.
    if (items.length === 1 && /\s/.test(items[0]!.trim())) {
      const text = items[0]!.trim();
      return { text, words: lenientWords(text) };
    }
    const text = items
      .map((a) => (a === '' ? '""' : /\s/.test(a) && !/["']/.test(a) ? `"${a}"` : a))
      .join(' ')
      .trim();
    return { text, words: items.map((value, i) => ({ value, start: from + i, plain: value.length })) };
  }
}
