/**
 * A CLI platform as data (the way scrapli describes one): how its prompts look in each mode, what
 * to send when a session opens, how to gain privilege, and which output lines mean the device
 * refused a command. The channel (channel.ts) and the drivers read these; nothing else knows a
 * platform's wording.
 */

export type CliPlatformName = 'cisco_iosxr' | 'cisco_ios';

export interface CliPlatform {
  readonly name: CliPlatformName;
  /** Any prompt the platform shows, matched against the last line of output: group 1 is the host part. */
  readonly prompt: RegExp;
  /** Sent once after login, in order (paging off, a wide terminal so nothing wraps). */
  readonly onOpen: readonly string[];
  /** The unprivileged prompt ends with this; the driver then sends `enable` (IOS). */
  readonly unprivilegedSuffix: string | undefined;
  /** Asked after `enable` for the secret. */
  readonly secretPrompt: RegExp;
  /** Output lines that mean the command failed (the line and what follows is the device's message). */
  readonly failures: readonly RegExp[];
  /** Output lines that are the device's own noise, dropped before anything else reads the output (XR's timestamp). */
  readonly noise: readonly RegExp[];
  /** A pager prompt to answer with a space if paging is somehow still on. */
  readonly pager: RegExp;
}

const CISCO_FAILURES: readonly RegExp[] = [
  /^% ?Invalid input/,
  /^% ?Incomplete command/,
  /^% ?Ambiguous command/,
  /^% ?Unknown command/,
  /^% ?Bad (IP )?address/,
  /^% ?Failed/,
  /^% ?Invalid (commit|number)/,
  /^% ?Error/,
  /^% ?Archive/,
  /^% ?No such configuration/,
  /^% ?Permission denied/,
  /^% ?Not allowed/,
  /^% ?Authorization failed/,
  /^% ?Configuration is locked/,
];

export const IOSXR: CliPlatform = {
  name: 'cisco_iosxr',
  prompt: /^(RP\/\d+\/[A-Z0-9]+\/CPU\d+:[\w.-]+)(\([\w.-]+\))?#\s*$/,
  onOpen: ['terminal length 0', 'terminal width 511'],
  unprivilegedSuffix: undefined,
  secretPrompt: /Password:\s*$/,
  failures: CISCO_FAILURES,
  noise: [/^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ \d]\d \d\d:\d\d:\d\d\.\d{3} \w+$/],
  pager: / ?--More-- ?$/,
};

export const IOS: CliPlatform = {
  name: 'cisco_ios',
  prompt: /^([\w.-]{1,63})(\([\w.-]+\))?[>#]\s*$/,
  onOpen: ['terminal length 0', 'terminal width 511'],
  unprivilegedSuffix: '>',
  secretPrompt: /Password:\s*$/,
  // IOS prints every refusal as `% ` + text (syslog lines are `%FACILITY-…`, without the space).
  failures: [...CISCO_FAILURES, /^% (?!Warning|Note)/, /^%Error/, /^Configuration mode (is )?locked/],
  noise: [],
  pager: / ?--More-- ?$/,
};

/** The platform for a kinds-table `cliPlatform` name; undefined for one this driver does not speak. */
export function platformFor(cliPlatform: string | undefined): CliPlatform | undefined {
  if (cliPlatform === 'cisco_iosxr') return IOSXR;
  if (cliPlatform === 'cisco_ios' || cliPlatform === 'cisco_iosxe') return IOS;
  return undefined;
}
