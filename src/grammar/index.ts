/**
 * Text → Request for Slack `/clab …` and the terminal (DESIGN.md §3), and the help generated from
 * the same table (definitions.ts). Decisions the design left open:
 *  - Empty text is `help`. The verb is case-insensitive (phones capitalise it); flags are not.
 *  - SELECTOR is the first word (NAME[,NAME…]) unless a selector flag is given; the two never mix.
 *    Selector flags combine as an intersection; each may be given once (`--nodes A,B` for lists).
 *  - clab-bot's own options come before the command words of `exec`; from the first command word
 *    on, the text goes to the device as typed (quotes, pipes, its own `--flags`). `--` starts the
 *    command explicitly. `exec r1 show version --format json` is refused with that advice, since
 *    the flag would otherwise be sent to the device.
 *  - `rollback SELECTOR [N]`: N is the Junos rollback number, default 1 (the configuration before
 *    the last commit), 1..49; 0 is refused (it is the active configuration).
 *    `config … --rollback N` allows 0..49 and refuses `--method` (a rollback replaces everything).
 *  - `changes` without a flag shows pending changes; `change` IDs are numbers (`42` or `#42`).
 *  - Slack text only: `&amp; &lt; &gt;` and `<target|label>` are undone, smart quotes and a
 *    leading em/en dash become `"` `'` and `--`. Both sources: tabs and no-break spaces separate
 *    words; line breaks and other control or direction characters are refused; 8000 characters max.
 */
export { parse, parseArgv, type ParseOptions, type ParseResult } from './parse.js';
export type { HostFlags } from './scan.js';
export { formatRequest } from './format-request.js';
export { describeUsageError, generalUsage, renderHelp, usage, type HelpOptions, type Source } from './help.js';
export { normaliseSlackText } from './slack-text.js';
export { VERB_DEFS, flagsOf, type FlagDef, type ValueSpec, type VerbDef } from './definitions.js';
export {
  BACKUP_ACTIONS,
  CHANGE_ACTIONS,
  CONFIG_METHOD_CHOICES,
  HELP_TOPICS,
  VERBS,
  requestSchema,
  type ChangeAction,
  type ChangeFilter,
  type ExecFormat,
  type HelpTopic,
  type Request,
  type RequestConfigMethod,
  type RequestConfigSource,
  type RequestOf,
  type RequestSelector,
  type Verb,
} from './request.js';
