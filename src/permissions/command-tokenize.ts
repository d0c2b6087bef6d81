/**
 * Splits one exec command into words and pipe stages, refusing anything that could make the device
 * (or a shell) see a different command than the one checked: a second command, substitution,
 * redirection, escapes whose meaning differs between CLIs, control and non-ASCII characters.
 */
import type { QuoteChar, QuotingRules } from './dialects/index.js';

export interface Token {
  readonly value: string;
  /** The quote the word was written in, kept so the command sent is the command checked. */
  readonly quote: QuoteChar | undefined;
}

export type Tokenized =
  | { readonly ok: true; readonly segments: readonly (readonly Token[])[] }
  | { readonly ok: false; readonly reason: string };

export interface TokenizeOptions {
  /** The command reaches a shell (Linux nodes): `$`, parentheses and braces are refused too. */
  readonly shell: boolean;
  /** How the device groups words: which quote characters it honours and whether `|` inside them is text. */
  readonly quoting: QuotingRules;
  /** The CLI's name, for messages. */
  readonly label: string;
}

const ONE_COMMAND = 'the bot runs exactly one command per request, so send each command on its own';

/** Characters refused wherever they appear, quoted or not. */
function refusedAnywhere(command: string, shell: boolean): string | undefined {
  for (let i = 0; i < command.length; i++) {
    const ch = command[i] ?? '';
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '\0') return 'it contains a NUL character';
    if (ch === '\n' || ch === '\r') return `it contains a line break; ${ONE_COMMAND}`;
    if ((code < 0x20 && ch !== '\t') || code === 0x7f) return `it contains the control character ${codePoint(code)}`;
    if (code > 0x7e) return nonAsciiReason(command.codePointAt(i) ?? code);
    if (ch === ';') return `it contains \`;\`, which would start a second command; ${ONE_COMMAND}`;
    if (ch === '&' && command[i + 1] === '&') return `it contains \`&&\`, which would start a second command; ${ONE_COMMAND}`;
    if (ch === '$' && command[i + 1] === '(') return 'it contains `$(` (command substitution)';
    if (ch === '`') return 'it contains a backtick (command substitution)';
    if (shell && ch === '$') return 'it contains `$`, which the shell on this node would expand';
  }
  return undefined;
}

function codePoint(code: number): string {
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

function nonAsciiReason(code: number): string {
  const ch = String.fromCodePoint(code);
  const hint =
    code === 0x201c || code === 0x201d || code === 0x2018 || code === 0x2019
      ? ' (a curly quote: type straight quotes " or \')'
      : code === 0xa0
        ? ' (a non-breaking space)'
        : '';
  return `it contains the non-ASCII character "${ch}" (${codePoint(code)})${hint}; commands must be plain ASCII, since a look-alike character could hide a different command`;
}

const SHELL_SYNTAX = new Set(['(', ')', '{', '}']);

export function tokenizeCommand(command: string, options: TokenizeOptions): Tokenized {
  const refused = refusedAnywhere(command, options.shell);
  if (refused !== undefined) return { ok: false, reason: refused };

  const segments: Token[][] = [[]];
  let word = '';
  let inWord = false;
  let quote: QuoteChar | undefined;
  let justClosed = false;
  const current = (): Token[] => segments[segments.length - 1] ?? [];
  const endWord = (): void => {
    if (inWord) current().push({ value: word, quote: undefined });
    word = '';
    inWord = false;
  };

  for (let i = 0; i < command.length; i++) {
    const ch = command[i] ?? '';
    if (quote !== undefined) {
      if (ch === quote) {
        current().push({ value: word, quote });
        word = '';
        quote = undefined;
        justClosed = true;
      } else if (ch === '|' && !options.quoting.pipeInQuotesIsText) {
        return {
          ok: false,
          reason: `it has a \`|\` inside quotes, and how ${options.label} reads a pipe inside quotes is not confirmed, so the device could run it as a second pipe stage; match each pattern in its own pipe stage instead`,
        };
      } else if (ch === '\\' && (i + 1 === command.length || command[i + 1] === quote || command[i + 1] === '\\')) {
        // CLIs and shells disagree on whether these escape; refusing keeps one meaning.
        return { ok: false, reason: 'it has a backslash before a quote or another backslash; write the pattern without escaping quotes' };
      } else {
        word += ch;
      }
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '|') {
      endWord();
      justClosed = false;
      if (ch === '|') segments.push([]);
      continue;
    }
    if (justClosed) return { ok: false, reason: 'a closing quote must end the word (quote whole words: "a b", not "a"b)' };
    if (ch === '"' || ch === "'") {
      if (!options.quoting.quotes.includes(ch)) return { ok: false, reason: `it contains \`${ch}\`: ${options.quoting.otherQuote}` };
      if (inWord) return { ok: false, reason: 'a quote starts in the middle of a word (quote whole words: "a b", not a"b")' };
      quote = ch;
      continue;
    }
    if (ch === '\\') {
      return {
        ok: false,
        reason:
          i + 1 === command.length
            ? 'it ends with a backslash, which would join it with whatever comes next'
            : 'it contains a backslash outside quotes; quote the word instead',
      };
    }
    if (ch === '>' || ch === '<') return { ok: false, reason: `it contains \`${ch}\` (redirection); quote it if it is part of a pattern` };
    if (ch === '&') return { ok: false, reason: 'it contains `&`, which would run the command in the background' };
    if (options.shell && SHELL_SYNTAX.has(ch)) return { ok: false, reason: `it contains \`${ch}\`, which the shell on this node treats as syntax` };
    word += ch;
    inWord = true;
  }
  if (quote !== undefined) return { ok: false, reason: `it has an unclosed ${quote === '"' ? 'double' : 'single'} quote` };
  endWord();

  if (segments.length === 1 && segments[0]?.length === 0) return { ok: false, reason: 'the command is empty' };
  if (segments.some((s) => s.length === 0)) {
    return { ok: false, reason: 'it has an empty pipe stage (`||`, or a `|` at the start or the end)' };
  }
  return { ok: true, segments };
}
