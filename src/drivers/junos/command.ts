import type { OutputFormat } from '../contract.js';

export interface PreparedCommand {
  /** The command as sent in `<command>`, without a trailing `| display xml|json`. */
  readonly command: string;
  readonly format: OutputFormat;
}

/** `| display xml` / `| display json` at the end; `| display xml rpc` and other pipes are left to the device. */
const DISPLAY_PIPE = /\s*\|\s*display\s+(xml|json)\s*$/i;

/**
 * Users type `show route | display json` as on the CLI; the `<command>` RPC wants the format as
 * an attribute instead. A display pipe wins over the requested format: it is what the user typed last.
 */
export function prepareCommand(command: string, requested: OutputFormat | undefined): PreparedCommand {
  const trimmed = command.trim();
  const pipe = DISPLAY_PIPE.exec(trimmed);
  if (pipe === null) return { command: trimmed, format: requested ?? 'text' };
  const format = (pipe[1] ?? '').toLowerCase() === 'json' ? 'json' : 'xml';
  return { command: trimmed.slice(0, pipe.index).trim(), format };
}
