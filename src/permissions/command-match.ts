import { DIALECTS } from './dialects/index.js';
import type { NormalisedCommand } from './command-normalise.js';
import { unsafePipeReason } from './safe-pipes.js';

/**
 * An exec pattern from the policy: words compared one by one with the normalised command. A `*`
 * word at the end matches any remaining words (none included), so `show *` covers every show
 * command; a `*` elsewhere matches exactly one word (`show interfaces * terse`). Pipes are never
 * part of a pattern: each pipe stage is checked against the node's safe-pipe table instead.
 */
export interface CommandPattern {
  readonly source: string;
  readonly words: readonly string[];
}

/** Why a pattern string cannot be used, or undefined. Used by the policy schema. */
export function patternProblem(pattern: string): string | undefined {
  const words = pattern.trim().split(/\s+/).filter((w) => w !== '');
  if (words.length === 0) return 'an exec pattern cannot be empty; use "*" for every command';
  if (/[^\x20-\x7e]/.test(pattern)) return 'an exec pattern must be plain ASCII without line breaks or tabs';
  if (pattern.includes('|')) {
    return 'pipes are not part of exec patterns (the bot allows the safe pipes of each CLI on every command); remove the `| ...` part';
  }
  if (/;|&&|\$\(|`/.test(pattern)) return 'an exec pattern cannot contain `;`, `&&`, `$(` or backticks';
  const glued = words.find((w) => w.includes('*') && w !== '*');
  if (glued !== undefined) return `\`${glued}\`: \`*\` must be a word of its own (\`show *\`, not \`show*\`)`;
  return undefined;
}

export function compilePattern(pattern: string): CommandPattern {
  return { source: pattern, words: pattern.trim().split(/\s+/).filter((w) => w !== '') };
}

export type CommandMatch =
  | { readonly ok: true }
  | { readonly ok: false; readonly why: 'refused' | 'unsafe-pipe' | 'no-match'; readonly reason: string };

/**
 * Whether a pattern allows a normalised command: the command is well-formed, every pipe stage is
 * safe on its CLI, and the words before the first pipe match the pattern.
 */
export function matchCommand(pattern: string | CommandPattern, command: NormalisedCommand): CommandMatch {
  if (!command.ok) return { ok: false, why: 'refused', reason: command.reason };
  const unsafe = unsafePipes(command);
  if (unsafe !== undefined) return { ok: false, why: 'unsafe-pipe', reason: unsafe };
  const compiled = typeof pattern === 'string' ? compilePattern(pattern) : pattern;
  return wordsMatch(compiled.words, command.words, DIALECTS[command.dialect].keywords.caseInsensitive)
    ? { ok: true }
    : { ok: false, why: 'no-match', reason: `\`${command.text}\` does not match \`${compiled.source}\`` };
}

export function commandAllowed(pattern: string | CommandPattern, command: NormalisedCommand): boolean {
  return matchCommand(pattern, command).ok;
}

/** The first unsafe pipe stage's reason, or undefined when every stage is safe. */
export function unsafePipes(command: NormalisedCommand & { ok: true }): string | undefined {
  for (const stage of command.pipes) {
    const reason = unsafePipeReason(command.dialect, stage);
    if (reason !== undefined) return reason;
  }
  return undefined;
}

function wordsMatch(pattern: readonly string[], words: readonly string[], caseInsensitive: boolean): boolean {
  const same = (a: string, b: string): boolean => (caseInsensitive ? a.toLowerCase() === b.toLowerCase() : a === b);
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i] ?? '';
    if (p === '*' && i === pattern.length - 1) return true;
    const w = words[i];
    if (w === undefined) return false;
    if (p !== '*' && !same(p, w)) return false;
  }
  return words.length === pattern.length;
}
