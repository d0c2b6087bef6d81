import { LEAF } from '../keyword-tree.js';
import type { DialectSpec } from './types.js';

/**
 * Linux containers: the command runs in a POSIX shell, which groups words with both quotes. `$`,
 * backticks, `;` and `&&` are refused anywhere (quoted or not), and no pipe is allowed at all.
 */
export const LINUX: DialectSpec = {
  label: 'Linux',
  platforms: ['linux'],
  vendors: ['linux'],
  shell: true,
  quoting: { quotes: ['"', "'"], pipeInQuotesIsText: false, otherQuote: '' },
  keywords: { tree: LEAF, prefixes: false, caseInsensitive: false },
  pipes: { prefixes: false, stages: {}, none: 'the command runs in a shell, so pipes are not allowed on Linux nodes' },
};

/** A kind whose CLI the bot does not know: the strictest rules (shell syntax refused, no pipes). */
export const UNKNOWN: DialectSpec = {
  label: 'an unknown kind',
  platforms: [],
  vendors: [],
  shell: true,
  quoting: { quotes: ['"', "'"], pipeInQuotesIsText: false, otherQuote: '' },
  keywords: { tree: LEAF, prefixes: false, caseInsensitive: false },
  pipes: { prefixes: false, stages: {}, none: 'pipes are only allowed on kinds whose CLI the bot knows' },
};
