/**
 * The one place where words meet a shell. Commands for linux nodes travel as argv; SSH's exec
 * channel carries a single string that the node's login shell parses, so each word is quoted here
 * to reach the program unchanged. User text is split into words by splitCommand, which refuses
 * shell syntax instead of interpreting it.
 */

/** Characters that never need quoting for a POSIX shell. */
const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** One word for a POSIX shell (sh, bash, dash, busybox ash): single-quoted unless plainly safe. */
export function quoteShellWord(word: string): string {
  if (word.includes('\0')) throw new ShellWordError('a NUL character cannot be passed to a program');
  if (word !== '' && SAFE_WORD.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** argv as one command line for the remote shell (SSH exec); each element arrives as one argument. */
export function shellCommandLine(argv: readonly string[]): string {
  if (argv.length === 0) throw new ShellWordError('no program to run');
  return argv.map(quoteShellWord).join(' ');
}

export class ShellWordError extends Error {}

/** Shell syntax outside quotes that the bot does not interpret (pipes are the bot's own, see pipes). */
const SHELL_SYNTAX = /[|;&<>`$(){}\\*?[\]~#!\n\r]/;

/**
 * Splits a command typed by a user into argv: whitespace separates words, '...' and "..." group
 * them (no escapes or expansion inside). Anything a shell would interpret (pipes, redirections,
 * $VAR, globs, `;`) is refused with the character named: it would otherwise mean something else
 * on the node than what the permission check saw.
 */
export function splitCommand(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (ch === "'" || ch === '"') {
      const end = text.indexOf(ch, i + 1);
      if (end < 0) throw new ShellWordError(`unbalanced ${ch} quote`);
      word += text.slice(i + 1, end);
      inWord = true;
      i = end;
    } else if (ch === ' ' || ch === '\t') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else if (SHELL_SYNTAX.test(ch)) {
      throw new ShellWordError(`"${ch}" is shell syntax, which commands on linux nodes do not go through (quote it to pass it literally)`);
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  if (words.some((w) => w.includes('\0'))) throw new ShellWordError('a NUL character cannot be passed to a program');
  return words;
}
