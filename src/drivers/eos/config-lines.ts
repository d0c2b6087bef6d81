/**
 * EOS configuration text → the lines staged in a configuration session, checked before anything is
 * sent. Each line runs in the session's CLI context exactly as typed, so a line that would leave
 * the session (`end`, `exit`, `commit`, `abort`) or run an exec command (`copy`, `write`, `bash`,
 * `reload`…) could act outside the change the approver saw: those are refused.
 */
import { UnsupportedError, type DriverErrorContext } from '../errors.js';

/**
 * First words that are not configuration statements inside a session. Configuration requests go
 * with autoComplete off, so EOS does not expand prefixes and only these exact words need refusing.
 */
const REFUSED = new Set([
  'end', 'exit', 'commit', 'abort', 'rollback', 'configure', 'copy', 'write', 'enable', 'disable', 'bash', 'run',
  'reload', 'delete', 'rename', 'show', 'clear', 'do', 'send', 'terminal', 'ssh', 'telnet', 'ping', 'traceroute',
  'more', 'dir', 'watch', 'exec', 'cli', 'zerotouch', 'boot',
]);

/**
 * The statements of `content`: `!` comments and blank lines dropped, a final `end` (as `show
 * running-config` prints it) dropped, indentation kept (EOS ignores it). Throws UnsupportedError
 * naming the line for anything that is not configuration.
 */
export function configLines(content: string, ctx: DriverErrorContext): string[] {
  const raw = content.split(/\r?\n/).map((l) => l.replace(/\s+$/, ''));
  const lines = raw
    .map((line, i) => ({ line, number: i + 1 }))
    .filter(({ line }) => line.trim() !== '' && !line.trim().startsWith('!'));
  const last = lines[lines.length - 1];
  if (last !== undefined && last.line.trim().toLowerCase() === 'end') lines.pop();
  for (const { line, number } of lines) {
    // eslint-disable-next-line no-control-regex
    const bad = /[\u0000-\u0008\u000b-\u001f\u007f]/.exec(line);
    if (bad !== null) {
      throw new UnsupportedError(
        ctx,
        `line ${number} holds a control character (U+${bad[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}), which`,
      );
    }
    const word = line.trim().split(/\s+/)[0]?.toLowerCase() ?? '';
    if (REFUSED.has(word)) {
      throw new UnsupportedError(
        { ...ctx },
        `line ${number} (\`${line.trim()}\`) is not a configuration statement: a configuration file may not leave the session or run commands, so \`${word}\``,
      );
    }
  }
  return lines.map((l) => l.line);
}
