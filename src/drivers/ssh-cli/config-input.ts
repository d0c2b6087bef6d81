/**
 * Cisco configuration text → the lines typed in configuration mode, checked before anything is
 * sent. The device does not read indentation, so the driver types `exit` where the text's
 * indentation closes a section and checks the prompt at every step (cli-config.ts): the device
 * ends up where the text says. A line that would leave configuration mode or run a command is
 * refused, as is anything that is not printable text.
 */
import { UnsupportedError, type DriverErrorContext } from '../errors.js';

export interface ConfigLine {
  /** The statement, trimmed, whitespace collapsed. */
  readonly text: string;
  /** Its section depth in the text (0 = top level). */
  readonly depth: number;
  /** 1-based line number in the text, for messages. */
  readonly number: number;
  /** True when the next line is deeper: this line opens a section. */
  readonly opens: boolean;
}

/** First words that are not configuration statements. */
const REFUSED = new Set([
  'end', 'exit', 'commit', 'abort', 'root', 'rollback', 'load', 'configure', 'copy', 'write', 'enable', 'disable', 'bash', 'run',
  'reload', 'delete', 'rename', 'show', 'clear', 'do', 'send', 'terminal', 'ssh', 'telnet', 'ping', 'traceroute', 'more',
  'dir', 'format', 'erase', 'squeeze', 'undebug', 'debug', 'archive', 'tclsh', 'event', 'install', 'admin', 'process', 'replace',
]);

export function configLines(content: string, ctx: DriverErrorContext): ConfigLine[] {
  const raw = content.split(/\r?\n/).map((l, i) => ({ line: l.replace(/\s+$/, ''), number: i + 1 }));
  const kept = raw.filter(({ line }) => {
    const t = line.trim();
    return t !== '' && !t.startsWith('!') && !t.startsWith('#') && t !== 'exit-address-family';
  });
  const last = kept[kept.length - 1];
  if (last !== undefined && last.line.trim().toLowerCase() === 'end') kept.pop();
  const indents: number[] = [];
  const out: { text: string; depth: number; number: number }[] = [];
  for (const { line, number } of kept) {
    // eslint-disable-next-line no-control-regex
    const bad = /[\u0000-\u0008\u000b-\u001f\u007f]/.exec(line);
    if (bad !== null) {
      throw new UnsupportedError(
        ctx,
        `line ${number} holds a control character (U+${bad[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}), which`,
      );
    }
    if (/\t/.test(line.slice(0, line.length - line.trimStart().length)))
      throw new UnsupportedError(ctx, `line ${number} is indented with a tab; indent with spaces, as show running-config does:`);
    const text = line.trim().replace(/\s+/g, ' ');
    const word = text.split(' ')[0]?.toLowerCase() ?? '';
    // The device reads a banner's text up to its delimiter without a configuration prompt, which
    // the driver checks after every line: only a banner closed on its own line can be typed.
    const banner = /^banner\s+\S+\s+(\^C|\S)(.*)$/i.exec(text);
    if (banner !== null && !(banner[2] ?? '').includes(banner[1] ?? '')) {
      throw new UnsupportedError(
        ctx,
        `line ${number} (\`${text}\`) starts a banner that goes on over several lines (write it on one line between two delimiters: \`banner motd #Lab router#\`); a multi-line banner`,
      );
    }
    if (REFUSED.has(word) || word.includes('|')) {
      throw new UnsupportedError(
        ctx,
        `line ${number} (\`${text}\`) is not a configuration statement: a configuration file may not leave configuration mode or run commands, so \`${word}\``,
      );
    }
    const indent = line.length - line.trimStart().length;
    while (indents.length > 0 && (indents[indents.length - 1] as number) >= indent) indents.pop();
    out.push({ text, depth: indents.length, number });
    indents.push(indent);
  }
  return out.map((l, i) => ({ ...l, opens: (out[i + 1]?.depth ?? 0) > l.depth }));
}
