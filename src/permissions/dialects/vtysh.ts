import { vtyshKeywords } from './vtysh-keywords.js';
import { TEXT, type DialectSpec } from './types.js';

/**
 * FRR's vtysh on an FRR node (the linux driver runs `vtysh -c COMMAND`, argv, no shell).
 *
 * Quotes: vtysh splits a line on spaces only and has no quoting (FRR's cmd_make_strvec), so a
 * quote would reach it as part of a word; quotes are refused rather than checked as something
 * vtysh never sees.
 *
 * Abbreviations: vtysh takes any unique prefix, and resolves some prefixes that are ambiguous at
 * their position by the words after them (`sh i` runs `show interface`, the only one complete
 * there). The bot does not guess at that: a prefix shared by two keywords is refused.
 *
 * Pipes: vtysh itself knows exactly one, `| include REGEX` (lib/command.c, the cmd_execute hook;
 * any other word after `| ` is "% Unknown action"), with the rest of the line as the regex. The bot
 * never sends a pipe to vtysh: the linux driver applies include, exclude and begin to the output
 * itself (drivers/linux/vtysh.ts), by their exact names, and every other stage is refused here.
 */
export const VTYSH: DialectSpec = {
  label: 'FRR vtysh',
  // Chosen by dialectFor (cli-dialect.ts) for linux nodes, never by platform or vendor.
  platforms: [],
  vendors: [],
  shell: false,
  quoting: {
    quotes: [],
    pipeInQuotesIsText: false,
    otherQuote: 'vtysh has no quoting (it splits on spaces and would read the quote as part of the word); type the words without quotes',
  },
  keywords: {
    get tree() {
      return vtyshKeywords();
    },
    prefixes: true,
    caseInsensitive: false,
  },
  pipes: {
    prefixes: false,
    stages: {
      include: { safe: true, args: TEXT },
      exclude: { safe: true, args: TEXT },
      begin: { safe: true, args: TEXT },
      grep: { safe: false, why: 'is a shell program; the bot filters vtysh output only with include, exclude and begin' },
      less: { safe: false, why: 'is a pager and the bot has no terminal' },
      more: { safe: false, why: 'is a pager and the bot has no terminal' },
      tee: { safe: false, why: 'writes a file on the node' },
      sh: { safe: false, why: 'would run a shell on the node' },
      bash: { safe: false, why: 'would run a shell on the node' },
    },
  },
};
