import { JUNOS_KEYWORDS } from './junos-keywords.js';
import { NONE, TEXT, OPTIONAL_TEXT, WRITES_FILE, type DialectSpec } from './types.js';

/**
 * Junos operational mode. Quotes: only `"` groups words (Juniper's documentation quotes
 * multi-word and alternation patterns with double quotes, `match "ge-|xe-"`, and never shows
 * single quotes), so a `'` outside double quotes is refused rather than guessed at.
 */
export const JUNOS: DialectSpec = {
  label: 'Junos',
  platforms: ['juniper_junos'],
  vendors: ['juniper'],
  shell: false,
  quoting: {
    quotes: ['"'],
    pipeInQuotesIsText: true,
    otherQuote: 'Junos quotes only with double quotes, so a single quote would be read differently by the device; write "..." instead',
  },
  keywords: { tree: JUNOS_KEYWORDS, prefixes: true, caseInsensitive: false },
  /**
   * Pipes that only filter or reformat output. Everything that writes files, talks to other users,
   * repeats forever or waits for a keypress is listed as unsafe with the reason shown to the user.
   */
  pipes: {
    prefixes: true,
    stages: {
      match: { safe: true, args: TEXT },
      except: { safe: true, args: TEXT },
      find: { safe: true, args: TEXT },
      count: { safe: true, args: NONE },
      last: { safe: true, args: { kind: 'count', optional: true } },
      trim: { safe: true, args: { kind: 'count', optional: false } },
      'no-more': { safe: true, args: NONE },
      resolve: { safe: true, args: OPTIONAL_TEXT },
      // Read-only: compares the output with a rollback or a file.
      compare: { safe: true, args: TEXT },
      // Every display option only changes how the output is rendered.
      display: {
        safe: true,
        args: {
          kind: 'option',
          options: [
            'xml', 'json', 'set', 'inheritance', 'detail', 'omit', 'explicit', 'changed', 'commit-scripts',
            'translation-scripts',
          ],
        },
      },
      save: WRITES_FILE,
      append: WRITES_FILE,
      tee: WRITES_FILE,
      request: { safe: false, why: 'sends the output to other users (request message)' },
      hold: { safe: false, why: 'waits for a keypress at the end and the bot has no terminal' },
      refresh: { safe: false, why: 'repeats the command until interrupted' },
    },
  },
};
